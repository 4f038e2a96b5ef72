from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.update_template_request_graph_type_0 import UpdateTemplateRequestGraphType0
    from ..models.update_template_request_inputs_type_0 import UpdateTemplateRequestInputsType0


T = TypeVar("T", bound="UpdateTemplateRequest")


@_attrs_define
class UpdateTemplateRequest:
    """Any change records a new version (draft until published).

    Attributes:
        category (None | str | Unset):
        description (None | str | Unset):
        graph (None | Unset | UpdateTemplateRequestGraphType0):
        inputs (None | Unset | UpdateTemplateRequestInputsType0):
        name (None | str | Unset):
        preview_image_url (None | str | Unset):
        tags (list[str] | None | Unset):
    """

    category: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    graph: None | Unset | UpdateTemplateRequestGraphType0 = UNSET
    inputs: None | Unset | UpdateTemplateRequestInputsType0 = UNSET
    name: None | str | Unset = UNSET
    preview_image_url: None | str | Unset = UNSET
    tags: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.update_template_request_graph_type_0 import UpdateTemplateRequestGraphType0  # noqa: PLC0415
        from ..models.update_template_request_inputs_type_0 import UpdateTemplateRequestInputsType0  # noqa: PLC0415

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        graph: dict[str, Any] | None | Unset
        if isinstance(self.graph, Unset):
            graph = UNSET
        elif isinstance(self.graph, UpdateTemplateRequestGraphType0):
            graph = self.graph.to_dict()
        else:
            graph = self.graph

        inputs: dict[str, Any] | None | Unset
        if isinstance(self.inputs, Unset):
            inputs = UNSET
        elif isinstance(self.inputs, UpdateTemplateRequestInputsType0):
            inputs = self.inputs.to_dict()
        else:
            inputs = self.inputs

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        preview_image_url: None | str | Unset
        if isinstance(self.preview_image_url, Unset):
            preview_image_url = UNSET
        else:
            preview_image_url = self.preview_image_url

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
            tags = self.tags

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if category is not UNSET:
            field_dict["category"] = category
        if description is not UNSET:
            field_dict["description"] = description
        if graph is not UNSET:
            field_dict["graph"] = graph
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if name is not UNSET:
            field_dict["name"] = name
        if preview_image_url is not UNSET:
            field_dict["preview_image_url"] = preview_image_url
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.update_template_request_graph_type_0 import UpdateTemplateRequestGraphType0  # noqa: PLC0415
        from ..models.update_template_request_inputs_type_0 import UpdateTemplateRequestInputsType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_graph(data: object) -> None | Unset | UpdateTemplateRequestGraphType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                graph_type_0 = UpdateTemplateRequestGraphType0.from_dict(data)

                return graph_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UpdateTemplateRequestGraphType0, data)

        graph = _parse_graph(d.pop("graph", UNSET))

        def _parse_inputs(data: object) -> None | Unset | UpdateTemplateRequestInputsType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                inputs_type_0 = UpdateTemplateRequestInputsType0.from_dict(data)

                return inputs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UpdateTemplateRequestInputsType0, data)

        inputs = _parse_inputs(d.pop("inputs", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_preview_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        preview_image_url = _parse_preview_image_url(d.pop("preview_image_url", UNSET))

        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        update_template_request = cls(
            category=category,
            description=description,
            graph=graph,
            inputs=inputs,
            name=name,
            preview_image_url=preview_image_url,
            tags=tags,
        )

        return update_template_request
