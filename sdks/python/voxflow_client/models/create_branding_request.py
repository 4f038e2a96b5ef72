from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.branding_colors_request import BrandingColorsRequest


T = TypeVar("T", bound="CreateBrandingRequest")


@_attrs_define
class CreateBrandingRequest:
    """A new configuration. Its owner: `tenant_id` (platform admins: any tenant; reseller
    admins: theirs; tenant admins: their own), `reseller_id` (platform admins; reseller
    admins: their own), or neither — the caller's own level (the platform default for a
    platform admin, the reseller for a reseller admin, the tenant for a tenant admin).

        Attributes:
            colors (BrandingColorsRequest | None | Unset):
            custom_domain (None | str | Unset): A host name (not under `VOXFLOW_BRANDING_BASE_DOMAIN`), unique.
            email_sender_name (None | str | Unset):
            powered_by (bool | None | Unset):
            product_name (None | str | Unset):  Example: Acme Speech.
            reseller_id (None | Unset | UUID):
            subdomain (None | str | Unset): One DNS label, unique; used with `VOXFLOW_BRANDING_BASE_DOMAIN`.
            support_email (None | str | Unset):
            support_url (None | str | Unset): An http(s) URL.
            tenant_id (None | Unset | UUID):
    """

    colors: BrandingColorsRequest | None | Unset = UNSET
    custom_domain: None | str | Unset = UNSET
    email_sender_name: None | str | Unset = UNSET
    powered_by: bool | None | Unset = UNSET
    product_name: None | str | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    subdomain: None | str | Unset = UNSET
    support_email: None | str | Unset = UNSET
    support_url: None | str | Unset = UNSET
    tenant_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.branding_colors_request import BrandingColorsRequest  # noqa: PLC0415

        colors: dict[str, Any] | None | Unset
        if isinstance(self.colors, Unset):
            colors = UNSET
        elif isinstance(self.colors, BrandingColorsRequest):
            colors = self.colors.to_dict()
        else:
            colors = self.colors

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

        field_dict.update({})
        if colors is not UNSET:
            field_dict["colors"] = colors
        if custom_domain is not UNSET:
            field_dict["custom_domain"] = custom_domain
        if email_sender_name is not UNSET:
            field_dict["email_sender_name"] = email_sender_name
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
        from ..models.branding_colors_request import BrandingColorsRequest  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_colors(data: object) -> BrandingColorsRequest | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                colors_type_0 = BrandingColorsRequest.from_dict(data)

                return colors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BrandingColorsRequest | None | Unset, data)

        colors = _parse_colors(d.pop("colors", UNSET))

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

        create_branding_request = cls(
            colors=colors,
            custom_domain=custom_domain,
            email_sender_name=email_sender_name,
            powered_by=powered_by,
            product_name=product_name,
            reseller_id=reseller_id,
            subdomain=subdomain,
            support_email=support_email,
            support_url=support_url,
            tenant_id=tenant_id,
        )

        return create_branding_request
