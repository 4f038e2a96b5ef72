from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.action import Action
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tenant_view import TenantView
    from ..models.user_view import UserView


T = TypeVar("T", bound="MeView")


@_attrs_define
class MeView:
    """
    Attributes:
        credential (str): `access_token` or `api_key`.
        permissions (list[Action]): Actions this credential may perform (`resource:read|write`); while `read_only`, only
            those that change nothing.
        user (UserView):
        read_only (None | str | Unset): Set while the tenant or its reseller is suspended: the problem code every change
            answers (`tenant_suspended` or `reseller_suspended`). Reads, downloads and data exports
            still work.
        tenant (None | TenantView | Unset):
    """

    credential: str
    permissions: list[Action]
    user: UserView
    read_only: None | str | Unset = UNSET
    tenant: None | TenantView | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tenant_view import TenantView  # noqa: PLC0415

        credential = self.credential

        permissions = []
        for permissions_item_data in self.permissions:
            permissions_item = permissions_item_data.value
            permissions.append(permissions_item)

        user = self.user.to_dict()

        read_only: None | str | Unset
        if isinstance(self.read_only, Unset):
            read_only = UNSET
        else:
            read_only = self.read_only

        tenant: dict[str, Any] | None | Unset
        if isinstance(self.tenant, Unset):
            tenant = UNSET
        elif isinstance(self.tenant, TenantView):
            tenant = self.tenant.to_dict()
        else:
            tenant = self.tenant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "credential": credential,
                "permissions": permissions,
                "user": user,
            }
        )
        if read_only is not UNSET:
            field_dict["read_only"] = read_only
        if tenant is not UNSET:
            field_dict["tenant"] = tenant

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tenant_view import TenantView  # noqa: PLC0415
        from ..models.user_view import UserView  # noqa: PLC0415

        d = dict(src_dict)
        credential = d.pop("credential")

        permissions = []
        _permissions = d.pop("permissions")
        for permissions_item_data in _permissions:
            permissions_item = Action(permissions_item_data)

            permissions.append(permissions_item)

        user = UserView.from_dict(d.pop("user"))

        def _parse_read_only(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        read_only = _parse_read_only(d.pop("read_only", UNSET))

        def _parse_tenant(data: object) -> None | TenantView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tenant_type_0 = TenantView.from_dict(data)

                return tenant_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TenantView | Unset, data)

        tenant = _parse_tenant(d.pop("tenant", UNSET))

        me_view = cls(
            credential=credential,
            permissions=permissions,
            user=user,
            read_only=read_only,
            tenant=tenant,
        )

        me_view.additional_properties = d
        return me_view

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
