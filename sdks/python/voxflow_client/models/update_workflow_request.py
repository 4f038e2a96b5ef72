from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.update_workflow_request_graph_type_0 import UpdateWorkflowRequestGraphType0


T = TypeVar("T", bound="UpdateWorkflowRequest")


@_attrs_define
class UpdateWorkflowRequest:
    """
    Attributes:
        description (None | str | Unset):
        graph (None | Unset | UpdateWorkflowRequestGraphType0):
        is_public (bool | None | Unset):
        is_template (bool | None | Unset):
        name (None | str | Unset):
    """

    description: None | str | Unset = UNSET
    graph: None | Unset | UpdateWorkflowRequestGraphType0 = UNSET
    is_public: bool | None | Unset = UNSET
    is_template: bool | None | Unset = UNSET
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.update_workflow_request_graph_type_0 import UpdateWorkflowRequestGraphType0  # noqa: PLC0415

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        graph: dict[str, Any] | None | Unset
        if isinstance(self.graph, Unset):
            graph = UNSET
        elif isinstance(self.graph, UpdateWorkflowRequestGraphType0):
            graph = self.graph.to_dict()
        else:
            graph = self.graph

        is_public: bool | None | Unset
        if isinstance(self.is_public, Unset):
            is_public = UNSET
        else:
            is_public = self.is_public

        is_template: bool | None | Unset
        if isinstance(self.is_template, Unset):
            is_template = UNSET
        else:
            is_template = self.is_template

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if graph is not UNSET:
            field_dict["graph"] = graph
        if is_public is not UNSET:
            field_dict["is_public"] = is_public
        if is_template is not UNSET:
            field_dict["is_template"] = is_template
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.update_workflow_request_graph_type_0 import UpdateWorkflowRequestGraphType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_graph(data: object) -> None | Unset | UpdateWorkflowRequestGraphType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                graph_type_0 = UpdateWorkflowRequestGraphType0.from_dict(data)

                return graph_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UpdateWorkflowRequestGraphType0, data)

        graph = _parse_graph(d.pop("graph", UNSET))

        def _parse_is_public(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_public = _parse_is_public(d.pop("is_public", UNSET))

        def _parse_is_template(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_template = _parse_is_template(d.pop("is_template", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        update_workflow_request = cls(
            description=description,
            graph=graph,
            is_public=is_public,
            is_template=is_template,
            name=name,
        )

        return update_workflow_request
