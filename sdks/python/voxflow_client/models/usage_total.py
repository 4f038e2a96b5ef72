from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageTotal")


@_attrs_define
class UsageTotal:
    """One resource's usage over the whole range.

    Attributes:
        audio_ms (int):
        records (int):
        resource (str):  Example: job_audio.
        node_kind (None | str | Unset):
    """

    audio_ms: int
    records: int
    resource: str
    node_kind: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        audio_ms = self.audio_ms

        records = self.records

        resource = self.resource

        node_kind: None | str | Unset
        if isinstance(self.node_kind, Unset):
            node_kind = UNSET
        else:
            node_kind = self.node_kind

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "audio_ms": audio_ms,
                "records": records,
                "resource": resource,
            }
        )
        if node_kind is not UNSET:
            field_dict["node_kind"] = node_kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        audio_ms = d.pop("audio_ms")

        records = d.pop("records")

        resource = d.pop("resource")

        def _parse_node_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        node_kind = _parse_node_kind(d.pop("node_kind", UNSET))

        usage_total = cls(
            audio_ms=audio_ms,
            records=records,
            resource=resource,
            node_kind=node_kind,
        )

        usage_total.additional_properties = d
        return usage_total

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
