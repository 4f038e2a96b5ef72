from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.processing_quota import ProcessingQuota
    from ..models.storage_quota import StorageQuota


T = TypeVar("T", bound="QuotaView")


@_attrs_define
class QuotaView:
    """A tenant's quotas now: the processing quota of the current calendar month (UTC), whatever
    range the report covers, and its storage.

        Attributes:
            month (str): The month the processing quota counts, `YYYY-MM` (UTC). Example: 2026-12.
            processing (ProcessingQuota): The monthly processing quota, counted as admission counts it (docs/admission.md).
            storage (StorageQuota): Storage: live files and job outputs against the storage quota.
    """

    month: str
    processing: ProcessingQuota
    storage: StorageQuota
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        month = self.month

        processing = self.processing.to_dict()

        storage = self.storage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "month": month,
                "processing": processing,
                "storage": storage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.processing_quota import ProcessingQuota  # noqa: PLC0415
        from ..models.storage_quota import StorageQuota  # noqa: PLC0415

        d = dict(src_dict)
        month = d.pop("month")

        processing = ProcessingQuota.from_dict(d.pop("processing"))

        storage = StorageQuota.from_dict(d.pop("storage"))

        quota_view = cls(
            month=month,
            processing=processing,
            storage=storage,
        )

        quota_view.additional_properties = d
        return quota_view

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
