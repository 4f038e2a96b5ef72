from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.app_user_mapping import AppUserMapping
    from ..models.entitlement_mapping import EntitlementMapping
    from ..models.product_mapping import ProductMapping


T = TypeVar("T", bound="PutRevenueCatConfig")


@_attrs_define
class PutRevenueCatConfig:
    """The whole integration (`PUT` replaces every mapping; `authorization` is kept when absent).

    Attributes:
        app_user_id_is_tenant_id (bool | None | Unset): Map an App User ID that is one of the owner's tenant ids to that
            tenant (default true:
            call RevenueCat's `logIn` with the tenant id).
        app_users (list[AppUserMapping] | Unset): Explicit App User ID → tenant mappings, checked before
            `app_user_id_is_tenant_id`.
        apply_sandbox (bool | Unset): Apply `SANDBOX` events too (default false: they are recorded only).
        authorization (None | str | Unset): The exact `Authorization` header value RevenueCat will send (16–512 visible
            ASCII
            characters, no surrounding spaces; e.g. `Bearer …`). Absent: kept, or generated when
            the integration is new. Only its SHA-256 is stored.
        entitlements (list[EntitlementMapping] | Unset): Entitlement → plan, in priority order.
        products (list[ProductMapping] | Unset): Product → plan; a product mapping wins over entitlement mappings.
        rotate_authorization (bool | Unset): Generate a new header value (the old one stops working at once).
    """

    app_user_id_is_tenant_id: bool | None | Unset = UNSET
    app_users: list[AppUserMapping] | Unset = UNSET
    apply_sandbox: bool | Unset = UNSET
    authorization: None | str | Unset = UNSET
    entitlements: list[EntitlementMapping] | Unset = UNSET
    products: list[ProductMapping] | Unset = UNSET
    rotate_authorization: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        app_user_id_is_tenant_id: bool | None | Unset
        if isinstance(self.app_user_id_is_tenant_id, Unset):
            app_user_id_is_tenant_id = UNSET
        else:
            app_user_id_is_tenant_id = self.app_user_id_is_tenant_id

        app_users: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.app_users, Unset):
            app_users = []
            for app_users_item_data in self.app_users:
                app_users_item = app_users_item_data.to_dict()
                app_users.append(app_users_item)

        apply_sandbox = self.apply_sandbox

        authorization: None | str | Unset
        if isinstance(self.authorization, Unset):
            authorization = UNSET
        else:
            authorization = self.authorization

        entitlements: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.entitlements, Unset):
            entitlements = []
            for entitlements_item_data in self.entitlements:
                entitlements_item = entitlements_item_data.to_dict()
                entitlements.append(entitlements_item)

        products: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.products, Unset):
            products = []
            for products_item_data in self.products:
                products_item = products_item_data.to_dict()
                products.append(products_item)

        rotate_authorization = self.rotate_authorization

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if app_user_id_is_tenant_id is not UNSET:
            field_dict["app_user_id_is_tenant_id"] = app_user_id_is_tenant_id
        if app_users is not UNSET:
            field_dict["app_users"] = app_users
        if apply_sandbox is not UNSET:
            field_dict["apply_sandbox"] = apply_sandbox
        if authorization is not UNSET:
            field_dict["authorization"] = authorization
        if entitlements is not UNSET:
            field_dict["entitlements"] = entitlements
        if products is not UNSET:
            field_dict["products"] = products
        if rotate_authorization is not UNSET:
            field_dict["rotate_authorization"] = rotate_authorization

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.app_user_mapping import AppUserMapping  # noqa: PLC0415
        from ..models.entitlement_mapping import EntitlementMapping  # noqa: PLC0415
        from ..models.product_mapping import ProductMapping  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_app_user_id_is_tenant_id(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        app_user_id_is_tenant_id = _parse_app_user_id_is_tenant_id(d.pop("app_user_id_is_tenant_id", UNSET))

        _app_users = d.pop("app_users", UNSET)
        app_users: list[AppUserMapping] | Unset = UNSET
        if _app_users is not UNSET:
            app_users = []
            for app_users_item_data in _app_users:
                app_users_item = AppUserMapping.from_dict(app_users_item_data)

                app_users.append(app_users_item)

        apply_sandbox = d.pop("apply_sandbox", UNSET)

        def _parse_authorization(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        authorization = _parse_authorization(d.pop("authorization", UNSET))

        _entitlements = d.pop("entitlements", UNSET)
        entitlements: list[EntitlementMapping] | Unset = UNSET
        if _entitlements is not UNSET:
            entitlements = []
            for entitlements_item_data in _entitlements:
                entitlements_item = EntitlementMapping.from_dict(entitlements_item_data)

                entitlements.append(entitlements_item)

        _products = d.pop("products", UNSET)
        products: list[ProductMapping] | Unset = UNSET
        if _products is not UNSET:
            products = []
            for products_item_data in _products:
                products_item = ProductMapping.from_dict(products_item_data)

                products.append(products_item)

        rotate_authorization = d.pop("rotate_authorization", UNSET)

        put_revenue_cat_config = cls(
            app_user_id_is_tenant_id=app_user_id_is_tenant_id,
            app_users=app_users,
            apply_sandbox=apply_sandbox,
            authorization=authorization,
            entitlements=entitlements,
            products=products,
            rotate_authorization=rotate_authorization,
        )

        return put_revenue_cat_config
