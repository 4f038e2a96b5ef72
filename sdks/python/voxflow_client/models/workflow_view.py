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


T = TypeVar("T", bound="WorkflowView")


@_attrs_define
class WorkflowView:
    """
    Attributes:
        created_at (datetime.datetime):
        graph (Graph): A graph in Voxflow's normal form.
        id (UUID):
        is_public (bool): Shared with everyone in the tenant.
        is_template (bool):
        name (str):
        tenant_id (UUID):
        updated_at (datetime.datetime):
        upgrade_available (bool): An instance whose template has a newer published version (`POST …/upgrade`).
        version (int): The current version number (1, 2, …).
        description (None | str | Unset):
        template_id (None | Unset | UUID): For an instance of a template: the template and the version it was copied
            from (or
            last upgraded to).
        template_version (int | None | Unset):
        user_id (None | Unset | UUID): The creator.
    """

    created_at: datetime.datetime
    graph: Graph
    id: UUID
    is_public: bool
    is_template: bool
    name: str
    tenant_id: UUID
    updated_at: datetime.datetime
    upgrade_available: bool
    version: int
    description: None | str | Unset = UNSET
    template_id: None | Unset | UUID = UNSET
    template_version: int | None | Unset = UNSET
    user_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        graph = self.graph.to_dict()

        id = str(self.id)

        is_public = self.is_public

        is_template = self.is_template

        name = self.name

        tenant_id = str(self.tenant_id)

        updated_at = self.updated_at.isoformat()

        upgrade_available = self.upgrade_available

        version = self.version

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

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

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        elif isinstance(self.user_id, UUID):
            user_id = str(self.user_id)
        else:
            user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "graph": graph,
                "id": id,
                "is_public": is_public,
                "is_template": is_template,
                "name": name,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
                "upgrade_available": upgrade_available,
                "version": version,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if template_id is not UNSET:
            field_dict["template_id"] = template_id
        if template_version is not UNSET:
            field_dict["template_version"] = template_version
        if user_id is not UNSET:
            field_dict["user_id"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.graph import Graph  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        graph = Graph.from_dict(d.pop("graph"))

        id = UUID(d.pop("id"))

        is_public = d.pop("is_public")

        is_template = d.pop("is_template")

        name = d.pop("name")

        tenant_id = UUID(d.pop("tenant_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        upgrade_available = d.pop("upgrade_available")

        version = d.pop("version")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

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

        def _parse_user_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                user_id_type_0 = UUID(data)

                return user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        user_id = _parse_user_id(d.pop("user_id", UNSET))

        workflow_view = cls(
            created_at=created_at,
            graph=graph,
            id=id,
            is_public=is_public,
            is_template=is_template,
            name=name,
            tenant_id=tenant_id,
            updated_at=updated_at,
            upgrade_available=upgrade_available,
            version=version,
            description=description,
            template_id=template_id,
            template_version=template_version,
            user_id=user_id,
        )

        workflow_view.additional_properties = d
        return workflow_view

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
