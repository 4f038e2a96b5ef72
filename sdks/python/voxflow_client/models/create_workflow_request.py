from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_workflow_request_graph import CreateWorkflowRequestGraph


T = TypeVar("T", bound="CreateWorkflowRequest")


@_attrs_define
class CreateWorkflowRequest:
    """
    Attributes:
        graph (CreateWorkflowRequestGraph): React Flow JSON (`nodes`, `edges`) or Flowise `flowData` (object or JSON
            string).
        name (str):
        description (None | str | Unset):
        is_public (bool | Unset):
        is_template (bool | Unset):
    """

    graph: CreateWorkflowRequestGraph
    name: str
    description: None | str | Unset = UNSET
    is_public: bool | Unset = UNSET
    is_template: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        graph = self.graph.to_dict()

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        is_public = self.is_public

        is_template = self.is_template

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "graph": graph,
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if is_public is not UNSET:
            field_dict["is_public"] = is_public
        if is_template is not UNSET:
            field_dict["is_template"] = is_template

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_workflow_request_graph import CreateWorkflowRequestGraph  # noqa: PLC0415

        d = dict(src_dict)
        graph = CreateWorkflowRequestGraph.from_dict(d.pop("graph"))

        name = d.pop("name")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        is_public = d.pop("is_public", UNSET)

        is_template = d.pop("is_template", UNSET)

        create_workflow_request = cls(
            graph=graph,
            name=name,
            description=description,
            is_public=is_public,
            is_template=is_template,
        )

        return create_workflow_request
