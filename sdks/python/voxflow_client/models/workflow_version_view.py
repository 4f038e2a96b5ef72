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


T = TypeVar("T", bound="WorkflowVersionView")


@_attrs_define
class WorkflowVersionView:
    """One immutable version of a workflow.

    Attributes:
        created_at (datetime.datetime):
        graph (Graph): A graph in Voxflow's normal form.
        name (str):
        version (int):
        workflow_id (UUID):
        created_by (None | Unset | UUID):
        description (None | str | Unset):
    """

    created_at: datetime.datetime
    graph: Graph
    name: str
    version: int
    workflow_id: UUID
    created_by: None | Unset | UUID = UNSET
    description: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        graph = self.graph.to_dict()

        name = self.name

        version = self.version

        workflow_id = str(self.workflow_id)

        created_by: None | str | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        elif isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "graph": graph,
                "name": name,
                "version": version,
                "workflow_id": workflow_id,
            }
        )
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.graph import Graph  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        graph = Graph.from_dict(d.pop("graph"))

        name = d.pop("name")

        version = d.pop("version")

        workflow_id = UUID(d.pop("workflow_id"))

        def _parse_created_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        created_by = _parse_created_by(d.pop("created_by", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        workflow_version_view = cls(
            created_at=created_at,
            graph=graph,
            name=name,
            version=version,
            workflow_id=workflow_id,
            created_by=created_by,
            description=description,
        )

        workflow_version_view.additional_properties = d
        return workflow_version_view

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
