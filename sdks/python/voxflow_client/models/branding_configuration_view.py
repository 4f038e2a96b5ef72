from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.branding_level import BrandingLevel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.branding_asset_view import BrandingAssetView
    from ..models.branding_colors_view import BrandingColorsView


T = TypeVar("T", bound="BrandingConfigurationView")


@_attrs_define
class BrandingConfigurationView:
    """One level's configuration as stored: every null field inherits from the level above.

    Attributes:
        colors (BrandingColorsView): A configuration's own colours (`#rrggbb`); null inherits.
        created_at (datetime.datetime):
        id (UUID):
        level (BrandingLevel): Whose configuration it is.
        updated_at (datetime.datetime):
        custom_domain (None | str | Unset): A host name of its own whose login page shows this branding (unique).
            Example: login.acme.com.
        email_sender_name (None | str | Unset): The display name of emails sent for this owner.
        favicon (BrandingAssetView | None | Unset):
        logo (BrandingAssetView | None | Unset):
        powered_by (bool | None | Unset): Whether to show "Powered by Voxflow".
        product_name (None | str | Unset):
        reseller_id (None | Unset | UUID): The reseller, for a reseller's configuration.
        subdomain (None | str | Unset): `<subdomain>.<VOXFLOW_BRANDING_BASE_DOMAIN>` shows this branding (unique).
            Example: acme.
        support_email (None | str | Unset):
        support_url (None | str | Unset):
        tenant_id (None | Unset | UUID): The tenant, for a tenant's configuration.
    """

    colors: BrandingColorsView
    created_at: datetime.datetime
    id: UUID
    level: BrandingLevel
    updated_at: datetime.datetime
    custom_domain: None | str | Unset = UNSET
    email_sender_name: None | str | Unset = UNSET
    favicon: BrandingAssetView | None | Unset = UNSET
    logo: BrandingAssetView | None | Unset = UNSET
    powered_by: bool | None | Unset = UNSET
    product_name: None | str | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    subdomain: None | str | Unset = UNSET
    support_email: None | str | Unset = UNSET
    support_url: None | str | Unset = UNSET
    tenant_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.branding_asset_view import BrandingAssetView  # noqa: PLC0415

        colors = self.colors.to_dict()

        created_at = self.created_at.isoformat()

        id = str(self.id)

        level = self.level.value

        updated_at = self.updated_at.isoformat()

        custom_domain: None | str | Unset
        if isinstance(self.custom_domain, Unset):
            custom_domain = UNSET
        else:
            custom_domain = self.custom_domain

        email_sender_name: None | str | Unset
        if isinstance(self.email_sender_name, Unset):
            email_sender_name = UNSET
        else:
            email_sender_name = self.email_sender_name

        favicon: dict[str, Any] | None | Unset
        if isinstance(self.favicon, Unset):
            favicon = UNSET
        elif isinstance(self.favicon, BrandingAssetView):
            favicon = self.favicon.to_dict()
        else:
            favicon = self.favicon

        logo: dict[str, Any] | None | Unset
        if isinstance(self.logo, Unset):
            logo = UNSET
        elif isinstance(self.logo, BrandingAssetView):
            logo = self.logo.to_dict()
        else:
            logo = self.logo

        powered_by: bool | None | Unset
        if isinstance(self.powered_by, Unset):
            powered_by = UNSET
        else:
            powered_by = self.powered_by

        product_name: None | str | Unset
        if isinstance(self.product_name, Unset):
            product_name = UNSET
        else:
            product_name = self.product_name

        reseller_id: None | str | Unset
        if isinstance(self.reseller_id, Unset):
            reseller_id = UNSET
        elif isinstance(self.reseller_id, UUID):
            reseller_id = str(self.reseller_id)
        else:
            reseller_id = self.reseller_id

        subdomain: None | str | Unset
        if isinstance(self.subdomain, Unset):
            subdomain = UNSET
        else:
            subdomain = self.subdomain

        support_email: None | str | Unset
        if isinstance(self.support_email, Unset):
            support_email = UNSET
        else:
            support_email = self.support_email

        support_url: None | str | Unset
        if isinstance(self.support_url, Unset):
            support_url = UNSET
        else:
            support_url = self.support_url

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        elif isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "colors": colors,
                "created_at": created_at,
                "id": id,
                "level": level,
                "updated_at": updated_at,
            }
        )
        if custom_domain is not UNSET:
            field_dict["custom_domain"] = custom_domain
        if email_sender_name is not UNSET:
            field_dict["email_sender_name"] = email_sender_name
        if favicon is not UNSET:
            field_dict["favicon"] = favicon
        if logo is not UNSET:
            field_dict["logo"] = logo
        if powered_by is not UNSET:
            field_dict["powered_by"] = powered_by
        if product_name is not UNSET:
            field_dict["product_name"] = product_name
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id
        if subdomain is not UNSET:
            field_dict["subdomain"] = subdomain
        if support_email is not UNSET:
            field_dict["support_email"] = support_email
        if support_url is not UNSET:
            field_dict["support_url"] = support_url
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.branding_asset_view import BrandingAssetView  # noqa: PLC0415
        from ..models.branding_colors_view import BrandingColorsView  # noqa: PLC0415

        d = dict(src_dict)
        colors = BrandingColorsView.from_dict(d.pop("colors"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        level = BrandingLevel(d.pop("level"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_custom_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        custom_domain = _parse_custom_domain(d.pop("custom_domain", UNSET))

        def _parse_email_sender_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email_sender_name = _parse_email_sender_name(d.pop("email_sender_name", UNSET))

        def _parse_favicon(data: object) -> BrandingAssetView | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                favicon_type_0 = BrandingAssetView.from_dict(data)

                return favicon_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BrandingAssetView | None | Unset, data)

        favicon = _parse_favicon(d.pop("favicon", UNSET))

        def _parse_logo(data: object) -> BrandingAssetView | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                logo_type_0 = BrandingAssetView.from_dict(data)

                return logo_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BrandingAssetView | None | Unset, data)

        logo = _parse_logo(d.pop("logo", UNSET))

        def _parse_powered_by(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        powered_by = _parse_powered_by(d.pop("powered_by", UNSET))

        def _parse_product_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        product_name = _parse_product_name(d.pop("product_name", UNSET))

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

        def _parse_subdomain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subdomain = _parse_subdomain(d.pop("subdomain", UNSET))

        def _parse_support_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        support_email = _parse_support_email(d.pop("support_email", UNSET))

        def _parse_support_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        support_url = _parse_support_url(d.pop("support_url", UNSET))

        def _parse_tenant_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tenant_id_type_0 = UUID(data)

                return tenant_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        tenant_id = _parse_tenant_id(d.pop("tenant_id", UNSET))

        branding_configuration_view = cls(
            colors=colors,
            created_at=created_at,
            id=id,
            level=level,
            updated_at=updated_at,
            custom_domain=custom_domain,
            email_sender_name=email_sender_name,
            favicon=favicon,
            logo=logo,
            powered_by=powered_by,
            product_name=product_name,
            reseller_id=reseller_id,
            subdomain=subdomain,
            support_email=support_email,
            support_url=support_url,
            tenant_id=tenant_id,
        )

        branding_configuration_view.additional_properties = d
        return branding_configuration_view

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
