from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.branding_colors_request import BrandingColorsRequest


T = TypeVar("T", bound="UpdateBrandingRequest")


@_attrs_define
class UpdateBrandingRequest:
    """Changes: a field left out stays; `null` unsets it (it inherits again).

    Attributes:
        colors (BrandingColorsRequest | None | Unset):
        custom_domain (None | str | Unset):
        email_sender_name (None | str | Unset):
        favicon (None | str | Unset): Only `null`: forget the favicon (inherit).
        logo (None | str | Unset): Only `null`: forget the logo (inherit). Upload one with `PUT …/assets/logo`.
        powered_by (bool | None | Unset):
        product_name (None | str | Unset):
        subdomain (None | str | Unset):
        support_email (None | str | Unset):
        support_url (None | str | Unset):
    """

    colors: BrandingColorsRequest | None | Unset = UNSET
    custom_domain: None | str | Unset = UNSET
    email_sender_name: None | str | Unset = UNSET
    favicon: None | str | Unset = UNSET
    logo: None | str | Unset = UNSET
    powered_by: bool | None | Unset = UNSET
    product_name: None | str | Unset = UNSET
    subdomain: None | str | Unset = UNSET
    support_email: None | str | Unset = UNSET
    support_url: None | str | Unset = UNSET

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

        favicon: None | str | Unset
        if isinstance(self.favicon, Unset):
            favicon = UNSET
        else:
            favicon = self.favicon

        logo: None | str | Unset
        if isinstance(self.logo, Unset):
            logo = UNSET
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

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if colors is not UNSET:
            field_dict["colors"] = colors
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
        if subdomain is not UNSET:
            field_dict["subdomain"] = subdomain
        if support_email is not UNSET:
            field_dict["support_email"] = support_email
        if support_url is not UNSET:
            field_dict["support_url"] = support_url

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

        def _parse_favicon(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        favicon = _parse_favicon(d.pop("favicon", UNSET))

        def _parse_logo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

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

        update_branding_request = cls(
            colors=colors,
            custom_domain=custom_domain,
            email_sender_name=email_sender_name,
            favicon=favicon,
            logo=logo,
            powered_by=powered_by,
            product_name=product_name,
            subdomain=subdomain,
            support_email=support_email,
            support_url=support_url,
        )

        return update_branding_request
