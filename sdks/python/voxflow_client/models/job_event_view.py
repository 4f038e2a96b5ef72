from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.job_event_view_data import JobEventViewData


T = TypeVar("T", bound="JobEventView")


@_attrs_define
class JobEventView:
    """One entry of a job's event log. The same envelope is pushed over the WebSocket.

    Attributes:
        data (JobEventViewData):
        job_id (UUID):
        seq (int):
        time (datetime.datetime):
        type_ (str): `job.queued`, `job.running`, `node.running`, `node.progress`, `node.succeeded`,
            `node.failed`, `job.succeeded`, `job.failed`, `job.retrying`, `job.cancelled`, …
    """

    data: JobEventViewData
    job_id: UUID
    seq: int
    time: datetime.datetime
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        job_id = str(self.job_id)

        seq = self.seq

        time = self.time.isoformat()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "job_id": job_id,
                "seq": seq,
                "time": time,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_event_view_data import JobEventViewData  # noqa: PLC0415

        d = dict(src_dict)
        data = JobEventViewData.from_dict(d.pop("data"))

        job_id = UUID(d.pop("job_id"))

        seq = d.pop("seq")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        type_ = d.pop("type")

        job_event_view = cls(
            data=data,
            job_id=job_id,
            seq=seq,
            time=time,
            type_=type_,
        )

        job_event_view.additional_properties = d
        return job_event_view

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
