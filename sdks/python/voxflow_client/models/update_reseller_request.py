from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateResellerRequest")


@_attrs_define
class UpdateResellerRequest:
    """
    Attributes:
        commission_rate (None | str | Unset): Platform admins only.
        email (None | str | Unset):
        name (None | str | Unset):
        phone (None | str | Unset):
        signup_enabled (bool | None | Unset): Turn self-service sign-up on (needs a `signup_plan_id`) or off.
        signup_plan_id (None | Unset | UUID): A system plan or one of this reseller's: what signed-up tenants start on.
        status (None | str | Unset): Platform admins only: `active` or `suspended`. A suspended reseller's admins and
            its
            tenants' users are read-only (every change answers `reseller_suspended`) and its
            tenants' queued jobs wait.
    """

    commission_rate: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    signup_enabled: bool | None | Unset = UNSET
    signup_plan_id: None | Unset | UUID = UNSET
    status: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        commission_rate: None | str | Unset
        if isinstance(self.commission_rate, Unset):
            commission_rate = UNSET
        else:
            commission_rate = self.commission_rate

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        signup_enabled: bool | None | Unset
        if isinstance(self.signup_enabled, Unset):
            signup_enabled = UNSET
        else:
            signup_enabled = self.signup_enabled

        signup_plan_id: None | str | Unset
        if isinstance(self.signup_plan_id, Unset):
            signup_plan_id = UNSET
        elif isinstance(self.signup_plan_id, UUID):
            signup_plan_id = str(self.signup_plan_id)
        else:
            signup_plan_id = self.signup_plan_id

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if commission_rate is not UNSET:
            field_dict["commission_rate"] = commission_rate
        if email is not UNSET:
            field_dict["email"] = email
        if name is not UNSET:
            field_dict["name"] = name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if signup_enabled is not UNSET:
            field_dict["signup_enabled"] = signup_enabled
        if signup_plan_id is not UNSET:
            field_dict["signup_plan_id"] = signup_plan_id
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_commission_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        commission_rate = _parse_commission_rate(d.pop("commission_rate", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_signup_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        signup_enabled = _parse_signup_enabled(d.pop("signup_enabled", UNSET))

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

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        update_reseller_request = cls(
            commission_rate=commission_rate,
            email=email,
            name=name,
            phone=phone,
            signup_enabled=signup_enabled,
            signup_plan_id=signup_plan_id,
            status=status,
        )

        return update_reseller_request
