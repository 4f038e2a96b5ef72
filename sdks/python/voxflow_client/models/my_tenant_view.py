from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="MyTenantView")


@_attrs_define
class MyTenantView:
    """One of the caller's memberships.

    Attributes:
        current (bool): Whether the credential of this request acts in this tenant.
        joined_at (datetime.datetime): When the caller joined the tenant.
        name (str):
        role (Role): The five roles, from most to least powerful.
        status (str): The tenant's `status` (`active` or `suspended`): a suspended tenant cannot be switched to.
        tenant_id (UUID):
        last_used_at (datetime.datetime | None | Unset): When the caller last signed in to or switched to it.
    """

    current: bool
    joined_at: datetime.datetime
    name: str
    role: Role
    status: str
    tenant_id: UUID
    last_used_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current = self.current

        joined_at = self.joined_at.isoformat()

        name = self.name

        role = self.role.value

        status = self.status

        tenant_id = str(self.tenant_id)

        last_used_at: None | str | Unset
        if isinstance(self.last_used_at, Unset):
            last_used_at = UNSET
        elif isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current": current,
                "joined_at": joined_at,
                "name": name,
                "role": role,
                "status": status,
                "tenant_id": tenant_id,
            }
        )
        if last_used_at is not UNSET:
            field_dict["last_used_at"] = last_used_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        current = d.pop("current")

        joined_at = datetime.datetime.fromisoformat(d.pop("joined_at"))

        name = d.pop("name")

        role = Role(d.pop("role"))

        status = d.pop("status")

        tenant_id = UUID(d.pop("tenant_id"))

        def _parse_last_used_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at", UNSET))

        my_tenant_view = cls(
            current=current,
            joined_at=joined_at,
            name=name,
            role=role,
            status=status,
            tenant_id=tenant_id,
            last_used_at=last_used_at,
        )

        my_tenant_view.additional_properties = d
        return my_tenant_view

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
