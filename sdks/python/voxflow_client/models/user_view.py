from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserView")


@_attrs_define
class UserView:
    """
    Attributes:
        created_at (datetime.datetime):
        email (str):
        id (UUID):
        role (Role): The five roles, from most to least powerful.
        status (str): `active` or `suspended`.
        updated_at (datetime.datetime):
        email_verified_at (datetime.datetime | None | Unset): When the user confirmed their email address
            (docs/email.md); null: not yet.
        first_name (None | str | Unset):
        last_login (datetime.datetime | None | Unset):
        last_name (None | str | Unset):
        reseller_id (None | Unset | UUID):
        tenant_id (None | Unset | UUID):
    """

    created_at: datetime.datetime
    email: str
    id: UUID
    role: Role
    status: str
    updated_at: datetime.datetime
    email_verified_at: datetime.datetime | None | Unset = UNSET
    first_name: None | str | Unset = UNSET
    last_login: datetime.datetime | None | Unset = UNSET
    last_name: None | str | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    tenant_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        email = self.email

        id = str(self.id)

        role = self.role.value

        status = self.status

        updated_at = self.updated_at.isoformat()

        email_verified_at: None | str | Unset
        if isinstance(self.email_verified_at, Unset):
            email_verified_at = UNSET
        elif isinstance(self.email_verified_at, datetime.datetime):
            email_verified_at = self.email_verified_at.isoformat()
        else:
            email_verified_at = self.email_verified_at

        first_name: None | str | Unset
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        last_login: None | str | Unset
        if isinstance(self.last_login, Unset):
            last_login = UNSET
        elif isinstance(self.last_login, datetime.datetime):
            last_login = self.last_login.isoformat()
        else:
            last_login = self.last_login

        last_name: None | str | Unset
        if isinstance(self.last_name, Unset):
            last_name = UNSET
        else:
            last_name = self.last_name

        reseller_id: None | str | Unset
        if isinstance(self.reseller_id, Unset):
            reseller_id = UNSET
        elif isinstance(self.reseller_id, UUID):
            reseller_id = str(self.reseller_id)
        else:
            reseller_id = self.reseller_id

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        elif isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "email": email,
                "id": id,
                "role": role,
                "status": status,
                "updated_at": updated_at,
            }
        )
        if email_verified_at is not UNSET:
            field_dict["email_verified_at"] = email_verified_at
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if last_login is not UNSET:
            field_dict["last_login"] = last_login
        if last_name is not UNSET:
            field_dict["last_name"] = last_name
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        email = d.pop("email")

        id = UUID(d.pop("id"))

        role = Role(d.pop("role"))

        status = d.pop("status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_email_verified_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                email_verified_at_type_0 = datetime.datetime.fromisoformat(data)

                return email_verified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        email_verified_at = _parse_email_verified_at(d.pop("email_verified_at", UNSET))

        def _parse_first_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_name = _parse_first_name(d.pop("first_name", UNSET))

        def _parse_last_login(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_login_type_0 = datetime.datetime.fromisoformat(data)

                return last_login_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_login = _parse_last_login(d.pop("last_login", UNSET))

        def _parse_last_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_name = _parse_last_name(d.pop("last_name", UNSET))

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

        def _parse_tenant_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tenant_id_type_0 = UUID(data)

                return tenant_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        tenant_id = _parse_tenant_id(d.pop("tenant_id", UNSET))

        user_view = cls(
            created_at=created_at,
            email=email,
            id=id,
            role=role,
            status=status,
            updated_at=updated_at,
            email_verified_at=email_verified_at,
            first_name=first_name,
            last_login=last_login,
            last_name=last_name,
            reseller_id=reseller_id,
            tenant_id=tenant_id,
        )

        user_view.additional_properties = d
        return user_view

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
