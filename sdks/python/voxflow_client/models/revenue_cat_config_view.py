from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.app_user_mapping import AppUserMapping
    from ..models.entitlement_mapping import EntitlementMapping
    from ..models.product_mapping import ProductMapping


T = TypeVar("T", bound="RevenueCatConfigView")


@_attrs_define
class RevenueCatConfigView:
    """A RevenueCat integration: how its webhooks are recognised and what they map to.

    Attributes:
        app_user_id_is_tenant_id (bool):
        app_users (list[AppUserMapping]):
        apply_sandbox (bool):
        authorization_hint (str): The last four characters of the header value.
        created_at (datetime.datetime):
        entitlements (list[EntitlementMapping]):
        id (UUID):
        level (str): `platform` (tenants sold directly) or `reseller`.
        products (list[ProductMapping]):
        updated_at (datetime.datetime):
        webhook_path (str): The path to enter as the webhook URL (after this server's public origin). Example:
            /v1/billing/revenuecat/webhook.
        authorization (None | str | Unset): The header value to enter as "Authorization header value" in RevenueCat's
            webhook
            settings. Shown only in the answer to the `PUT` that set or generated it.
        reseller_id (None | Unset | UUID):
    """

    app_user_id_is_tenant_id: bool
    app_users: list[AppUserMapping]
    apply_sandbox: bool
    authorization_hint: str
    created_at: datetime.datetime
    entitlements: list[EntitlementMapping]
    id: UUID
    level: str
    products: list[ProductMapping]
    updated_at: datetime.datetime
    webhook_path: str
    authorization: None | str | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        app_user_id_is_tenant_id = self.app_user_id_is_tenant_id

        app_users = []
        for app_users_item_data in self.app_users:
            app_users_item = app_users_item_data.to_dict()
            app_users.append(app_users_item)

        apply_sandbox = self.apply_sandbox

        authorization_hint = self.authorization_hint

        created_at = self.created_at.isoformat()

        entitlements = []
        for entitlements_item_data in self.entitlements:
            entitlements_item = entitlements_item_data.to_dict()
            entitlements.append(entitlements_item)

        id = str(self.id)

        level = self.level

        products = []
        for products_item_data in self.products:
            products_item = products_item_data.to_dict()
            products.append(products_item)

        updated_at = self.updated_at.isoformat()

        webhook_path = self.webhook_path

        authorization: None | str | Unset
        if isinstance(self.authorization, Unset):
            authorization = UNSET
        else:
            authorization = self.authorization

        reseller_id: None | str | Unset
        if isinstance(self.reseller_id, Unset):
            reseller_id = UNSET
        elif isinstance(self.reseller_id, UUID):
            reseller_id = str(self.reseller_id)
        else:
            reseller_id = self.reseller_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "app_user_id_is_tenant_id": app_user_id_is_tenant_id,
                "app_users": app_users,
                "apply_sandbox": apply_sandbox,
                "authorization_hint": authorization_hint,
                "created_at": created_at,
                "entitlements": entitlements,
                "id": id,
                "level": level,
                "products": products,
                "updated_at": updated_at,
                "webhook_path": webhook_path,
            }
        )
        if authorization is not UNSET:
            field_dict["authorization"] = authorization
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.app_user_mapping import AppUserMapping  # noqa: PLC0415
        from ..models.entitlement_mapping import EntitlementMapping  # noqa: PLC0415
        from ..models.product_mapping import ProductMapping  # noqa: PLC0415

        d = dict(src_dict)
        app_user_id_is_tenant_id = d.pop("app_user_id_is_tenant_id")

        app_users = []
        _app_users = d.pop("app_users")
        for app_users_item_data in _app_users:
            app_users_item = AppUserMapping.from_dict(app_users_item_data)

            app_users.append(app_users_item)

        apply_sandbox = d.pop("apply_sandbox")

        authorization_hint = d.pop("authorization_hint")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        entitlements = []
        _entitlements = d.pop("entitlements")
        for entitlements_item_data in _entitlements:
            entitlements_item = EntitlementMapping.from_dict(entitlements_item_data)

            entitlements.append(entitlements_item)

        id = UUID(d.pop("id"))

        level = d.pop("level")

        products = []
        _products = d.pop("products")
        for products_item_data in _products:
            products_item = ProductMapping.from_dict(products_item_data)

            products.append(products_item)

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        webhook_path = d.pop("webhook_path")

        def _parse_authorization(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        authorization = _parse_authorization(d.pop("authorization", UNSET))

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

        revenue_cat_config_view = cls(
            app_user_id_is_tenant_id=app_user_id_is_tenant_id,
            app_users=app_users,
            apply_sandbox=apply_sandbox,
            authorization_hint=authorization_hint,
            created_at=created_at,
            entitlements=entitlements,
            id=id,
            level=level,
            products=products,
            updated_at=updated_at,
            webhook_path=webhook_path,
            authorization=authorization,
            reseller_id=reseller_id,
        )

        revenue_cat_config_view.additional_properties = d
        return revenue_cat_config_view

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
