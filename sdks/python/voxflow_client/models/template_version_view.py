from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.graph import Graph
    from ..models.template_version_view_inputs import TemplateVersionViewInputs


T = TypeVar("T", bound="TemplateVersionView")


@_attrs_define
class TemplateVersionView:
    """One immutable version of a template.

    Attributes:
        created_at (datetime.datetime):
        graph (Graph): A graph in Voxflow's normal form.
        inputs (TemplateVersionViewInputs): Input node id → what to give it.
        name (str):
        template_id (UUID):
        version (int):
        description (None | str | Unset):
        published_at (datetime.datetime | None | Unset): When it was published; null for an unpublished version (owners
            only see those).
    """

    created_at: datetime.datetime
    graph: Graph
    inputs: TemplateVersionViewInputs
    name: str
    template_id: UUID
    version: int
    description: None | str | Unset = UNSET
    published_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        graph = self.graph.to_dict()

        inputs = self.inputs.to_dict()

        name = self.name

        template_id = str(self.template_id)

        version = self.version

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        published_at: None | str | Unset
        if isinstance(self.published_at, Unset):
            published_at = UNSET
        elif isinstance(self.published_at, datetime.datetime):
            published_at = self.published_at.isoformat()
        else:
            published_at = self.published_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "graph": graph,
                "inputs": inputs,
                "name": name,
                "template_id": template_id,
                "version": version,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if published_at is not UNSET:
            field_dict["published_at"] = published_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.graph import Graph  # noqa: PLC0415
        from ..models.template_version_view_inputs import TemplateVersionViewInputs  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        graph = Graph.from_dict(d.pop("graph"))

        inputs = TemplateVersionViewInputs.from_dict(d.pop("inputs"))

        name = d.pop("name")

        template_id = UUID(d.pop("template_id"))

        version = d.pop("version")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_published_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_at_type_0 = datetime.datetime.fromisoformat(data)

                return published_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        published_at = _parse_published_at(d.pop("published_at", UNSET))

        template_version_view = cls(
            created_at=created_at,
            graph=graph,
            inputs=inputs,
            name=name,
            template_id=template_id,
            version=version,
            description=description,
            published_at=published_at,
        )

        template_version_view.additional_properties = d
        return template_version_view

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
