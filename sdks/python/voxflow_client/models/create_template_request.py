from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_template_request_graph import CreateTemplateRequestGraph
    from ..models.create_template_request_inputs import CreateTemplateRequestInputs
    from ..models.sharing_request import SharingRequest


T = TypeVar("T", bound="CreateTemplateRequest")


@_attrs_define
class CreateTemplateRequest:
    """
    Attributes:
        graph (CreateTemplateRequestGraph): React Flow JSON (`nodes`, `edges`) or Flowise `flowData`, validated like a
            workflow's.
        name (str):
        category (None | str | Unset):
        description (None | str | Unset):
        inputs (CreateTemplateRequestInputs | Unset): Input node id → what to give it (every key must be a node taking a
            file input).
        preview_image_url (None | str | Unset): An http(s) URL of a preview image.
        sharing (None | SharingRequest | Unset):
        tags (list[str] | Unset): Lowercase letters, digits, `-`, `_` and spaces; at most 20.
    """

    graph: CreateTemplateRequestGraph
    name: str
    category: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    inputs: CreateTemplateRequestInputs | Unset = UNSET
    preview_image_url: None | str | Unset = UNSET
    sharing: None | SharingRequest | Unset = UNSET
    tags: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.sharing_request import SharingRequest  # noqa: PLC0415

        graph = self.graph.to_dict()

        name = self.name

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

        inputs: dict[str, Any] | Unset = UNSET
        if not isinstance(self.inputs, Unset):
            inputs = self.inputs.to_dict()

        preview_image_url: None | str | Unset
        if isinstance(self.preview_image_url, Unset):
            preview_image_url = UNSET
        else:
            preview_image_url = self.preview_image_url

        sharing: dict[str, Any] | None | Unset
        if isinstance(self.sharing, Unset):
            sharing = UNSET
        elif isinstance(self.sharing, SharingRequest):
            sharing = self.sharing.to_dict()
        else:
            sharing = self.sharing

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "graph": graph,
                "name": name,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if description is not UNSET:
            field_dict["description"] = description
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if preview_image_url is not UNSET:
            field_dict["preview_image_url"] = preview_image_url
        if sharing is not UNSET:
            field_dict["sharing"] = sharing
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_template_request_graph import CreateTemplateRequestGraph  # noqa: PLC0415
        from ..models.create_template_request_inputs import CreateTemplateRequestInputs  # noqa: PLC0415
        from ..models.sharing_request import SharingRequest  # noqa: PLC0415

        d = dict(src_dict)
        graph = CreateTemplateRequestGraph.from_dict(d.pop("graph"))

        name = d.pop("name")

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

        _inputs = d.pop("inputs", UNSET)
        inputs: CreateTemplateRequestInputs | Unset
        if isinstance(_inputs, Unset):
            inputs = UNSET
        else:
            inputs = CreateTemplateRequestInputs.from_dict(_inputs)

        def _parse_preview_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        preview_image_url = _parse_preview_image_url(d.pop("preview_image_url", UNSET))

        def _parse_sharing(data: object) -> None | SharingRequest | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sharing_type_0 = SharingRequest.from_dict(data)

                return sharing_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SharingRequest | Unset, data)

        sharing = _parse_sharing(d.pop("sharing", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        create_template_request = cls(
            graph=graph,
            name=name,
            category=category,
            description=description,
            inputs=inputs,
            preview_image_url=preview_image_url,
            sharing=sharing,
            tags=tags,
        )

        return create_template_request
