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
        status (str): `active` or `suspended`.
        updated_at (datetime.datetime):
        phone (None | str | Unset):
    """

    commission_rate: str
    created_at: datetime.datetime
    email: str
    id: UUID
    name: str
    status: str
    updated_at: datetime.datetime
    phone: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        commission_rate = self.commission_rate

        created_at = self.created_at.isoformat()

        email = self.email

        id = str(self.id)

        name = self.name

        status = self.status

        updated_at = self.updated_at.isoformat()

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "commission_rate": commission_rate,
                "created_at": created_at,
                "email": email,
                "id": id,
                "name": name,
                "status": status,
                "updated_at": updated_at,
            }
        )
        if phone is not UNSET:
            field_dict["phone"] = phone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        commission_rate = d.pop("commission_rate")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        email = d.pop("email")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        status = d.pop("status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        reseller_view = cls(
            commission_rate=commission_rate,
            created_at=created_at,
            email=email,
            id=id,
            name=name,
            status=status,
            updated_at=updated_at,
            phone=phone,
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
