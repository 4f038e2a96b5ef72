from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.token_response import TokenResponse


T = TypeVar("T", bound="AcceptedInvitationView")


@_attrs_define
class AcceptedInvitationView:
    """The accepted invitation.

    Attributes:
        account_created (bool): Whether the invitation created the account (else it joined an existing one).
        role (Role): The five roles, from most to least powerful.
        tenant_id (UUID):
        user_id (UUID):
        tokens (None | TokenResponse | Unset):
    """

    account_created: bool
    role: Role
    tenant_id: UUID
    user_id: UUID
    tokens: None | TokenResponse | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.token_response import TokenResponse  # noqa: PLC0415

        account_created = self.account_created

        role = self.role.value

        tenant_id = str(self.tenant_id)

        user_id = str(self.user_id)

        tokens: dict[str, Any] | None | Unset
        if isinstance(self.tokens, Unset):
            tokens = UNSET
        elif isinstance(self.tokens, TokenResponse):
            tokens = self.tokens.to_dict()
        else:
            tokens = self.tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_created": account_created,
                "role": role,
                "tenant_id": tenant_id,
                "user_id": user_id,
            }
        )
        if tokens is not UNSET:
            field_dict["tokens"] = tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.token_response import TokenResponse  # noqa: PLC0415

        d = dict(src_dict)
        account_created = d.pop("account_created")

        role = Role(d.pop("role"))

        tenant_id = UUID(d.pop("tenant_id"))

        user_id = UUID(d.pop("user_id"))

        def _parse_tokens(data: object) -> None | TokenResponse | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tokens_type_0 = TokenResponse.from_dict(data)

                return tokens_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TokenResponse | Unset, data)

        tokens = _parse_tokens(d.pop("tokens", UNSET))

        accepted_invitation_view = cls(
            account_created=account_created,
            role=role,
            tenant_id=tenant_id,
            user_id=user_id,
            tokens=tokens,
        )

        accepted_invitation_view.additional_properties = d
        return accepted_invitation_view

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
