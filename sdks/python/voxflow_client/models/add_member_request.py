from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.tenant_role import TenantRole

T = TypeVar("T", bound="AddMemberRequest")


@_attrs_define
class AddMemberRequest:
    """
    Attributes:
        email (str): The email of an existing account (to bring in someone new, invite them instead). Example:
            ada@example.com.
        role (TenantRole): The roles a tenant membership (or invitation) can give: the tenant roles of [`Role`].
    """

    email: str
    role: TenantRole

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        role = TenantRole(d.pop("role"))

        add_member_request = cls(
            email=email,
            role=role,
        )

        return add_member_request
