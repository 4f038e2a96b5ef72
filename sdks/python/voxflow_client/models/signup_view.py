from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.token_response import TokenResponse


T = TypeVar("T", bound="SignupView")


@_attrs_define
class SignupView:
    """
    Attributes:
        tenant_id (UUID):
        tokens (TokenResponse): OAuth 2 style token response.
        user_id (UUID):
    """

    tenant_id: UUID
    tokens: TokenResponse
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tenant_id = str(self.tenant_id)

        tokens = self.tokens.to_dict()

        user_id = str(self.user_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tenant_id": tenant_id,
                "tokens": tokens,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.token_response import TokenResponse  # noqa: PLC0415

        d = dict(src_dict)
        tenant_id = UUID(d.pop("tenant_id"))

        tokens = TokenResponse.from_dict(d.pop("tokens"))

        user_id = UUID(d.pop("user_id"))

        signup_view = cls(
            tenant_id=tenant_id,
            tokens=tokens,
            user_id=user_id,
        )

        signup_view.additional_properties = d
        return signup_view

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
