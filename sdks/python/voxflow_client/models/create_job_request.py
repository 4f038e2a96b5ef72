from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_job_request_graph_type_0 import CreateJobRequestGraphType0
    from ..models.create_job_request_inputs import CreateJobRequestInputs


T = TypeVar("T", bound="CreateJobRequest")


@_attrs_define
class CreateJobRequest:
    """
    Attributes:
        graph (CreateJobRequestGraphType0 | None | Unset): …or this graph (React Flow JSON or Flowise flowData).
        inputs (CreateJobRequestInputs | Unset): Node id → the file id (from `POST /v1/files`) or an http(s) URL for
            that node's
            `file` input. URLs on private, loopback or link-local addresses are refused.
        max_attempts (int | None | Unset): Attempts before a job that keeps hitting runtime faults fails (1–10, default
            3).
        template_id (None | Unset | UUID): …or a template offered to the tenant (its newest published version, or
            `version`,
            pinned; needs `templates:read` too; a deprecated template runs no more)…
        version (int | None | Unset):
        webhook_url (None | str | Unset): POSTed (signed, retried) when the job reaches a final state; the signing
            secret
            comes back in the answer.
        workflow_id (None | Unset | UUID): Run a saved workflow (its current version, or `version`)…
    """

    graph: CreateJobRequestGraphType0 | None | Unset = UNSET
    inputs: CreateJobRequestInputs | Unset = UNSET
    max_attempts: int | None | Unset = UNSET
    template_id: None | Unset | UUID = UNSET
    version: int | None | Unset = UNSET
    webhook_url: None | str | Unset = UNSET
    workflow_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.create_job_request_graph_type_0 import CreateJobRequestGraphType0  # noqa: PLC0415

        graph: dict[str, Any] | None | Unset
        if isinstance(self.graph, Unset):
            graph = UNSET
        elif isinstance(self.graph, CreateJobRequestGraphType0):
            graph = self.graph.to_dict()
        else:
            graph = self.graph

        inputs: dict[str, Any] | Unset = UNSET
        if not isinstance(self.inputs, Unset):
            inputs = self.inputs.to_dict()

        max_attempts: int | None | Unset
        if isinstance(self.max_attempts, Unset):
            max_attempts = UNSET
        else:
            max_attempts = self.max_attempts

        template_id: None | str | Unset
        if isinstance(self.template_id, Unset):
            template_id = UNSET
        elif isinstance(self.template_id, UUID):
            template_id = str(self.template_id)
        else:
            template_id = self.template_id

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        webhook_url: None | str | Unset
        if isinstance(self.webhook_url, Unset):
            webhook_url = UNSET
        else:
            webhook_url = self.webhook_url

        workflow_id: None | str | Unset
        if isinstance(self.workflow_id, Unset):
            workflow_id = UNSET
        elif isinstance(self.workflow_id, UUID):
            workflow_id = str(self.workflow_id)
        else:
            workflow_id = self.workflow_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if graph is not UNSET:
            field_dict["graph"] = graph
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if max_attempts is not UNSET:
            field_dict["max_attempts"] = max_attempts
        if template_id is not UNSET:
            field_dict["template_id"] = template_id
        if version is not UNSET:
            field_dict["version"] = version
        if webhook_url is not UNSET:
            field_dict["webhook_url"] = webhook_url
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_job_request_graph_type_0 import CreateJobRequestGraphType0  # noqa: PLC0415
        from ..models.create_job_request_inputs import CreateJobRequestInputs  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_graph(data: object) -> CreateJobRequestGraphType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                graph_type_0 = CreateJobRequestGraphType0.from_dict(data)

                return graph_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreateJobRequestGraphType0 | None | Unset, data)

        graph = _parse_graph(d.pop("graph", UNSET))

        _inputs = d.pop("inputs", UNSET)
        inputs: CreateJobRequestInputs | Unset
        if isinstance(_inputs, Unset):
            inputs = UNSET
        else:
            inputs = CreateJobRequestInputs.from_dict(_inputs)

        def _parse_max_attempts(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_attempts = _parse_max_attempts(d.pop("max_attempts", UNSET))

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

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        def _parse_webhook_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook_url = _parse_webhook_url(d.pop("webhook_url", UNSET))

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

        create_job_request = cls(
            graph=graph,
            inputs=inputs,
            max_attempts=max_attempts,
            template_id=template_id,
            version=version,
            webhook_url=webhook_url,
            workflow_id=workflow_id,
        )

        return create_job_request
