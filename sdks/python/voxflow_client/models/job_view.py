from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_state import JobState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.artifact_view import ArtifactView
    from ..models.job_node_view import JobNodeView


T = TypeVar("T", bound="JobView")


@_attrs_define
class JobView:
    """
    Attributes:
        attempt (int):
        created_at (datetime.datetime):
        id (UUID):
        max_attempts (int):
        nodes (list[JobNodeView]):
        outputs (list[ArtifactView]):
        progress (float): 0..1 over the whole graph.
        seq (int): The job's latest event sequence number (also in the ETag).
        status (JobState):
        audio_seconds (float | None | Unset): Audio seconds billed for the job (settled when it ends, whatever way: the
            longest
            audio one of its finished nodes processed; counts toward the plan's processing
            quota).
        completed_at (datetime.datetime | None | Unset):
        error (None | str | Unset):
        processing_time (int | None | Unset): Seconds from first start to completion.
        started_at (datetime.datetime | None | Unset):
        template_id (None | Unset | UUID): The template version the job runs, when it was submitted with `template_id`
            (pinned at submission).
        template_version (int | None | Unset):
        workflow_id (None | Unset | UUID):
        workflow_version (int | None | Unset):
    """

    attempt: int
    created_at: datetime.datetime
    id: UUID
    max_attempts: int
    nodes: list[JobNodeView]
    outputs: list[ArtifactView]
    progress: float
    seq: int
    status: JobState
    audio_seconds: float | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    error: None | str | Unset = UNSET
    processing_time: int | None | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    template_id: None | Unset | UUID = UNSET
    template_version: int | None | Unset = UNSET
    workflow_id: None | Unset | UUID = UNSET
    workflow_version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        created_at = self.created_at.isoformat()

        id = str(self.id)

        max_attempts = self.max_attempts

        nodes = []
        for nodes_item_data in self.nodes:
            nodes_item = nodes_item_data.to_dict()
            nodes.append(nodes_item)

        outputs = []
        for outputs_item_data in self.outputs:
            outputs_item = outputs_item_data.to_dict()
            outputs.append(outputs_item)

        progress = self.progress

        seq = self.seq

        status = self.status.value

        audio_seconds: float | None | Unset
        if isinstance(self.audio_seconds, Unset):
            audio_seconds = UNSET
        else:
            audio_seconds = self.audio_seconds

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        processing_time: int | None | Unset
        if isinstance(self.processing_time, Unset):
            processing_time = UNSET
        else:
            processing_time = self.processing_time

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        template_id: None | str | Unset
        if isinstance(self.template_id, Unset):
            template_id = UNSET
        elif isinstance(self.template_id, UUID):
            template_id = str(self.template_id)
        else:
            template_id = self.template_id

        template_version: int | None | Unset
        if isinstance(self.template_version, Unset):
            template_version = UNSET
        else:
            template_version = self.template_version

        workflow_id: None | str | Unset
        if isinstance(self.workflow_id, Unset):
            workflow_id = UNSET
        elif isinstance(self.workflow_id, UUID):
            workflow_id = str(self.workflow_id)
        else:
            workflow_id = self.workflow_id

        workflow_version: int | None | Unset
        if isinstance(self.workflow_version, Unset):
            workflow_version = UNSET
        else:
            workflow_version = self.workflow_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt": attempt,
                "created_at": created_at,
                "id": id,
                "max_attempts": max_attempts,
                "nodes": nodes,
                "outputs": outputs,
                "progress": progress,
                "seq": seq,
                "status": status,
            }
        )
        if audio_seconds is not UNSET:
            field_dict["audio_seconds"] = audio_seconds
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if error is not UNSET:
            field_dict["error"] = error
        if processing_time is not UNSET:
            field_dict["processing_time"] = processing_time
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if template_id is not UNSET:
            field_dict["template_id"] = template_id
        if template_version is not UNSET:
            field_dict["template_version"] = template_version
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id
        if workflow_version is not UNSET:
            field_dict["workflow_version"] = workflow_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.artifact_view import ArtifactView  # noqa: PLC0415
        from ..models.job_node_view import JobNodeView  # noqa: PLC0415

        d = dict(src_dict)
        attempt = d.pop("attempt")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        max_attempts = d.pop("max_attempts")

        nodes = []
        _nodes = d.pop("nodes")
        for nodes_item_data in _nodes:
            nodes_item = JobNodeView.from_dict(nodes_item_data)

            nodes.append(nodes_item)

        outputs = []
        _outputs = d.pop("outputs")
        for outputs_item_data in _outputs:
            outputs_item = ArtifactView.from_dict(outputs_item_data)

            outputs.append(outputs_item)

        progress = d.pop("progress")

        seq = d.pop("seq")

        status = JobState(d.pop("status"))

        def _parse_audio_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        audio_seconds = _parse_audio_seconds(d.pop("audio_seconds", UNSET))

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_processing_time(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        processing_time = _parse_processing_time(d.pop("processing_time", UNSET))

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_template_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                template_id_type_0 = UUID(data)

                return template_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        template_id = _parse_template_id(d.pop("template_id", UNSET))

        def _parse_template_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        template_version = _parse_template_version(d.pop("template_version", UNSET))

        def _parse_workflow_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                workflow_id_type_0 = UUID(data)

                return workflow_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        workflow_id = _parse_workflow_id(d.pop("workflow_id", UNSET))

        def _parse_workflow_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        workflow_version = _parse_workflow_version(d.pop("workflow_version", UNSET))

        job_view = cls(
            attempt=attempt,
            created_at=created_at,
            id=id,
            max_attempts=max_attempts,
            nodes=nodes,
            outputs=outputs,
            progress=progress,
            seq=seq,
            status=status,
            audio_seconds=audio_seconds,
            completed_at=completed_at,
            error=error,
            processing_time=processing_time,
            started_at=started_at,
            template_id=template_id,
            template_version=template_version,
            workflow_id=workflow_id,
            workflow_version=workflow_version,
        )

        job_view.additional_properties = d
        return job_view

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
