from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ResellerView")


@_attrs_define
class ResellerView:
    """
    Attributes:
        commission_rate (str): Commission percentage as an exact decimal string, e.g. `"12.50"`. Example: 12.50.
        created_at (datetime.datetime):
        email (str):
        id (UUID):
        name (str):
        signup_enabled (bool): Self-service sign-up: visitors may create a tenant of this reseller with
            `POST /v1/auth/signup` (docs/email.md).
        status (str): `active` or `suspended`.
        updated_at (datetime.datetime):
        phone (None | str | Unset):
        signup_plan_id (None | Unset | UUID): The plan signed-up tenants start on, with a `trial` subscription.
    """

    commission_rate: str
    created_at: datetime.datetime
    email: str
    id: UUID
    name: str
    signup_enabled: bool
    status: str
    updated_at: datetime.datetime
    phone: None | str | Unset = UNSET
    signup_plan_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        commission_rate = self.commission_rate

        created_at = self.created_at.isoformat()

        email = self.email

        id = str(self.id)

        name = self.name

        signup_enabled = self.signup_enabled

        status = self.status

        updated_at = self.updated_at.isoformat()

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        signup_plan_id: None | str | Unset
        if isinstance(self.signup_plan_id, Unset):
            signup_plan_id = UNSET
        elif isinstance(self.signup_plan_id, UUID):
            signup_plan_id = str(self.signup_plan_id)
        else:
            signup_plan_id = self.signup_plan_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "commission_rate": commission_rate,
                "created_at": created_at,
                "email": email,
                "id": id,
                "name": name,
                "signup_enabled": signup_enabled,
                "status": status,
                "updated_at": updated_at,
            }
        )
        if phone is not UNSET:
            field_dict["phone"] = phone
        if signup_plan_id is not UNSET:
            field_dict["signup_plan_id"] = signup_plan_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        commission_rate = d.pop("commission_rate")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        email = d.pop("email")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        signup_enabled = d.pop("signup_enabled")

        status = d.pop("status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_signup_plan_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signup_plan_id_type_0 = UUID(data)

                return signup_plan_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        signup_plan_id = _parse_signup_plan_id(d.pop("signup_plan_id", UNSET))

        reseller_view = cls(
            commission_rate=commission_rate,
            created_at=created_at,
            email=email,
            id=id,
            name=name,
            signup_enabled=signup_enabled,
            status=status,
            updated_at=updated_at,
            phone=phone,
            signup_plan_id=signup_plan_id,
        )

        reseller_view.additional_properties = d
        return reseller_view

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
