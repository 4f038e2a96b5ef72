from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.template_status import TemplateStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.graph import Graph
    from ..models.sharing_view import SharingView
    from ..models.template_view_inputs_type_0 import TemplateViewInputsType0


T = TypeVar("T", bound="TemplateView")


@_attrs_define
class TemplateView:
    """
    Attributes:
        created_at (datetime.datetime):
        id (UUID):
        name (str):
        status (TemplateStatus): A template's life: `draft` (no version published yet) → `published` → `deprecated`.
        tags (list[str]):
        updated_at (datetime.datetime):
        category (None | str | Unset):
        current_version (int | None | Unset): The newest version (owners); tenants only ever see published versions.
        description (None | str | Unset):
        graph (Graph | None | Unset):
        inputs (None | TemplateViewInputsType0 | Unset): Input node id → what to give it (item reads only).
        preview_image_url (None | str | Unset): An http(s) URL of a preview image.
        published_version (int | None | Unset): The newest published version (what instances upgrade to); null while a
            draft.
        reseller_id (None | Unset | UUID): The owning reseller; null for a platform template.
        sharing (None | SharingView | Unset):
    """

    created_at: datetime.datetime
    id: UUID
    name: str
    status: TemplateStatus
    tags: list[str]
    updated_at: datetime.datetime
    category: None | str | Unset = UNSET
    current_version: int | None | Unset = UNSET
    description: None | str | Unset = UNSET
    graph: Graph | None | Unset = UNSET
    inputs: None | TemplateViewInputsType0 | Unset = UNSET
    preview_image_url: None | str | Unset = UNSET
    published_version: int | None | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    sharing: None | SharingView | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.graph import Graph  # noqa: PLC0415
        from ..models.sharing_view import SharingView  # noqa: PLC0415
        from ..models.template_view_inputs_type_0 import TemplateViewInputsType0  # noqa: PLC0415

        created_at = self.created_at.isoformat()

        id = str(self.id)

        name = self.name

        status = self.status.value

        tags = self.tags

        updated_at = self.updated_at.isoformat()

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        current_version: int | None | Unset
        if isinstance(self.current_version, Unset):
            current_version = UNSET
        else:
            current_version = self.current_version

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        graph: dict[str, Any] | None | Unset
        if isinstance(self.graph, Unset):
            graph = UNSET
        elif isinstance(self.graph, Graph):
            graph = self.graph.to_dict()
        else:
            graph = self.graph

        inputs: dict[str, Any] | None | Unset
        if isinstance(self.inputs, Unset):
            inputs = UNSET
        elif isinstance(self.inputs, TemplateViewInputsType0):
            inputs = self.inputs.to_dict()
        else:
            inputs = self.inputs

        preview_image_url: None | str | Unset
        if isinstance(self.preview_image_url, Unset):
            preview_image_url = UNSET
        else:
            preview_image_url = self.preview_image_url

        published_version: int | None | Unset
        if isinstance(self.published_version, Unset):
            published_version = UNSET
        else:
            published_version = self.published_version

        reseller_id: None | str | Unset
        if isinstance(self.reseller_id, Unset):
            reseller_id = UNSET
        elif isinstance(self.reseller_id, UUID):
            reseller_id = str(self.reseller_id)
        else:
            reseller_id = self.reseller_id

        sharing: dict[str, Any] | None | Unset
        if isinstance(self.sharing, Unset):
            sharing = UNSET
        elif isinstance(self.sharing, SharingView):
            sharing = self.sharing.to_dict()
        else:
            sharing = self.sharing

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "name": name,
                "status": status,
                "tags": tags,
                "updated_at": updated_at,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if current_version is not UNSET:
            field_dict["current_version"] = current_version
        if description is not UNSET:
            field_dict["description"] = description
        if graph is not UNSET:
            field_dict["graph"] = graph
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if preview_image_url is not UNSET:
            field_dict["preview_image_url"] = preview_image_url
        if published_version is not UNSET:
            field_dict["published_version"] = published_version
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id
        if sharing is not UNSET:
            field_dict["sharing"] = sharing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.graph import Graph  # noqa: PLC0415
        from ..models.sharing_view import SharingView  # noqa: PLC0415
        from ..models.template_view_inputs_type_0 import TemplateViewInputsType0  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        name = d.pop("name")

        status = TemplateStatus(d.pop("status"))

        tags = cast(list[str], d.pop("tags"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_current_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        current_version = _parse_current_version(d.pop("current_version", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_graph(data: object) -> Graph | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                graph_type_0 = Graph.from_dict(data)

                return graph_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Graph | None | Unset, data)

        graph = _parse_graph(d.pop("graph", UNSET))

        def _parse_inputs(data: object) -> None | TemplateViewInputsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                inputs_type_0 = TemplateViewInputsType0.from_dict(data)

                return inputs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateViewInputsType0 | Unset, data)

        inputs = _parse_inputs(d.pop("inputs", UNSET))

        def _parse_preview_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        preview_image_url = _parse_preview_image_url(d.pop("preview_image_url", UNSET))

        def _parse_published_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        published_version = _parse_published_version(d.pop("published_version", UNSET))

        def _parse_reseller_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reseller_id_type_0 = UUID(data)

                return reseller_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        reseller_id = _parse_reseller_id(d.pop("reseller_id", UNSET))

        def _parse_sharing(data: object) -> None | SharingView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sharing_type_0 = SharingView.from_dict(data)

                return sharing_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SharingView | Unset, data)

        sharing = _parse_sharing(d.pop("sharing", UNSET))

        template_view = cls(
            created_at=created_at,
            id=id,
            name=name,
            status=status,
            tags=tags,
            updated_at=updated_at,
            category=category,
            current_version=current_version,
            description=description,
            graph=graph,
            inputs=inputs,
            preview_image_url=preview_image_url,
            published_version=published_version,
            reseller_id=reseller_id,
            sharing=sharing,
        )

        template_view.additional_properties = d
        return template_view

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
