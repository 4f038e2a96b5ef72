from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageItem")


@_attrs_define
class UsageItem:
    """One bucket's usage of one resource (per tenant and node kind when grouped so).

    Attributes:
        audio_ms (int): Audio, in whole milliseconds (exact).
        period_end (datetime.date): Day after the bucket's last (UTC), excluded. Example: 2027-01-01.
        period_start (datetime.date): First day of the bucket (UTC), included. Example: 2026-12-01.
        records (int): Usage records added up.
        resource (str): `job_audio` (jobs' billed audio), `transcription` (the OpenAI-compatible routes'
            billed audio) or `node_audio` (audio each job node processed; not billed itself). Example: job_audio.
        node_kind (None | str | Unset): With `group_by=node_kind`, on `node_audio` items: the node's kind (`unknown` for
            usage recorded before kinds were kept, whose job is gone). Example: whisper.transcribe.
        tenant_id (None | Unset | UUID): With `group_by=tenant`.
        tenant_name (None | str | Unset): With `group_by=tenant`.
    """

    audio_ms: int
    period_end: datetime.date
    period_start: datetime.date
    records: int
    resource: str
    node_kind: None | str | Unset = UNSET
    tenant_id: None | Unset | UUID = UNSET
    tenant_name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        audio_ms = self.audio_ms

        period_end = self.period_end.isoformat()

        period_start = self.period_start.isoformat()

        records = self.records

        resource = self.resource

        node_kind: None | str | Unset
        if isinstance(self.node_kind, Unset):
            node_kind = UNSET
        else:
            node_kind = self.node_kind

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        elif isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        tenant_name: None | str | Unset
        if isinstance(self.tenant_name, Unset):
            tenant_name = UNSET
        else:
            tenant_name = self.tenant_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "audio_ms": audio_ms,
                "period_end": period_end,
                "period_start": period_start,
                "records": records,
                "resource": resource,
            }
        )
        if node_kind is not UNSET:
            field_dict["node_kind"] = node_kind
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id
        if tenant_name is not UNSET:
            field_dict["tenant_name"] = tenant_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        audio_ms = d.pop("audio_ms")

        period_end = datetime.date.fromisoformat(d.pop("period_end"))

        period_start = datetime.date.fromisoformat(d.pop("period_start"))

        records = d.pop("records")

        resource = d.pop("resource")

        def _parse_node_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        node_kind = _parse_node_kind(d.pop("node_kind", UNSET))

        def _parse_tenant_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tenant_id_type_0 = UUID(data)

                return tenant_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        tenant_id = _parse_tenant_id(d.pop("tenant_id", UNSET))

        def _parse_tenant_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant_name = _parse_tenant_name(d.pop("tenant_name", UNSET))

        usage_item = cls(
            audio_ms=audio_ms,
            period_end=period_end,
            period_start=period_start,
            records=records,
            resource=resource,
            node_kind=node_kind,
            tenant_id=tenant_id,
            tenant_name=tenant_name,
        )

        usage_item.additional_properties = d
        return usage_item

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
