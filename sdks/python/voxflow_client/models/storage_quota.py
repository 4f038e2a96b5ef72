from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StorageQuota")


@_attrs_define
class StorageQuota:
    """Storage: live files and job outputs against the storage quota.

    Attributes:
        left_bytes (int): `quota_bytes − used_bytes`, never below 0.
        quota_bytes (int): The tenant's `storage_quota_mb`, else its plan's, else the server's default, in bytes
            (1 MB = 1 MiB = 1,048,576 bytes).
        used_bytes (int):
    """

    left_bytes: int
    quota_bytes: int
    used_bytes: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        left_bytes = self.left_bytes

        quota_bytes = self.quota_bytes

        used_bytes = self.used_bytes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "left_bytes": left_bytes,
                "quota_bytes": quota_bytes,
                "used_bytes": used_bytes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        left_bytes = d.pop("left_bytes")

        quota_bytes = d.pop("quota_bytes")

        used_bytes = d.pop("used_bytes")

        storage_quota = cls(
            left_bytes=left_bytes,
            quota_bytes=quota_bytes,
            used_bytes=used_bytes,
        )

        storage_quota.additional_properties = d
        return storage_quota

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
