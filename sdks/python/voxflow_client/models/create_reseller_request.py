from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateResellerRequest")


@_attrs_define
class CreateResellerRequest:
    """
    Attributes:
        email (str):
        name (str):
        commission_rate (None | str | Unset): Percentage with at most two decimals, 0 to 100, as a string (`"12.5"`).
            Example: 12.50.
        phone (None | str | Unset):
    """

    email: str
    name: str
    commission_rate: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        name = self.name

        commission_rate: None | str | Unset
        if isinstance(self.commission_rate, Unset):
            commission_rate = UNSET
        else:
            commission_rate = self.commission_rate

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "name": name,
            }
        )
        if commission_rate is not UNSET:
            field_dict["commission_rate"] = commission_rate
        if phone is not UNSET:
            field_dict["phone"] = phone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        name = d.pop("name")

        def _parse_commission_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        commission_rate = _parse_commission_rate(d.pop("commission_rate", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        create_reseller_request = cls(
            email=email,
            name=name,
            commission_rate=commission_rate,
            phone=phone,
        )

        return create_reseller_request
