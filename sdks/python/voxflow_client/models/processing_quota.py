from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProcessingQuota")


@_attrs_define
class ProcessingQuota:
    """The monthly processing quota, counted as admission counts it (docs/admission.md).

    Attributes:
        billed_ms (int): This month's billed audio (`job_audio` and `transcription`).
        reserved_ms (int): Audio held by work still running (reserved at admission, settled when it ends).
        used_ms (int): `billed_ms + reserved_ms`: what counts against the quota now.
        left_ms (int | None | Unset): `quota_ms − used_ms`, never below 0; absent: unlimited. Work needs more than 0
            left
            to be admitted.
        quota_minutes (int | None | Unset): Minutes a month: the tenant's own `processing_quota_minutes`, else its
            plan's;
            absent: unlimited.
        quota_ms (int | None | Unset): The same in milliseconds.
    """

    billed_ms: int
    reserved_ms: int
    used_ms: int
    left_ms: int | None | Unset = UNSET
    quota_minutes: int | None | Unset = UNSET
    quota_ms: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        billed_ms = self.billed_ms

        reserved_ms = self.reserved_ms

        used_ms = self.used_ms

        left_ms: int | None | Unset
        if isinstance(self.left_ms, Unset):
            left_ms = UNSET
        else:
            left_ms = self.left_ms

        quota_minutes: int | None | Unset
        if isinstance(self.quota_minutes, Unset):
            quota_minutes = UNSET
        else:
            quota_minutes = self.quota_minutes

        quota_ms: int | None | Unset
        if isinstance(self.quota_ms, Unset):
            quota_ms = UNSET
        else:
            quota_ms = self.quota_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "billed_ms": billed_ms,
                "reserved_ms": reserved_ms,
                "used_ms": used_ms,
            }
        )
        if left_ms is not UNSET:
            field_dict["left_ms"] = left_ms
        if quota_minutes is not UNSET:
            field_dict["quota_minutes"] = quota_minutes
        if quota_ms is not UNSET:
            field_dict["quota_ms"] = quota_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        billed_ms = d.pop("billed_ms")

        reserved_ms = d.pop("reserved_ms")

        used_ms = d.pop("used_ms")

        def _parse_left_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        left_ms = _parse_left_ms(d.pop("left_ms", UNSET))

        def _parse_quota_minutes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        quota_minutes = _parse_quota_minutes(d.pop("quota_minutes", UNSET))

        def _parse_quota_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        quota_ms = _parse_quota_ms(d.pop("quota_ms", UNSET))

        processing_quota = cls(
            billed_ms=billed_ms,
            reserved_ms=reserved_ms,
            used_ms=used_ms,
            left_ms=left_ms,
            quota_minutes=quota_minutes,
            quota_ms=quota_ms,
        )

        processing_quota.additional_properties = d
        return processing_quota

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
