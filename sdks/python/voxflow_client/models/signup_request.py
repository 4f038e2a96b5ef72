from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SignupRequest")


@_attrs_define
class SignupRequest:
    """
    Attributes:
        email (str):  Example: ada@example.com.
        password (str):
        reseller_id (UUID): The reseller whose sign-up page this is (one with `signup_enabled`).
        tenant_name (str): The new tenant's name. Example: Acme Studios.
        first_name (None | str | Unset):
        last_name (None | str | Unset):
    """

    email: str
    password: str
    reseller_id: UUID
    tenant_name: str
    first_name: None | str | Unset = UNSET
    last_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        reseller_id = str(self.reseller_id)

        tenant_name = self.tenant_name

        first_name: None | str | Unset
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        last_name: None | str | Unset
        if isinstance(self.last_name, Unset):
            last_name = UNSET
        else:
            last_name = self.last_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "password": password,
                "reseller_id": reseller_id,
                "tenant_name": tenant_name,
            }
        )
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if last_name is not UNSET:
            field_dict["last_name"] = last_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        password = d.pop("password")

        reseller_id = UUID(d.pop("reseller_id"))

        tenant_name = d.pop("tenant_name")

        def _parse_first_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_name = _parse_first_name(d.pop("first_name", UNSET))

        def _parse_last_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_name = _parse_last_name(d.pop("last_name", UNSET))

        signup_request = cls(
            email=email,
            password=password,
            reseller_id=reseller_id,
            tenant_name=tenant_name,
            first_name=first_name,
            last_name=last_name,
        )

        return signup_request
