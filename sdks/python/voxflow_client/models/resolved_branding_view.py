from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.branding_resolved_colors import BrandingResolvedColors
    from ..models.branding_sources import BrandingSources
    from ..models.branding_warning import BrandingWarning


T = TypeVar("T", bound="ResolvedBrandingView")


@_attrs_define
class ResolvedBrandingView:
    """Branding as a login page or UI uses it: every field resolved.

    Attributes:
        colors (BrandingResolvedColors): The resolved colours (`#rrggbb`).
        email_sender_name (str):
        powered_by (bool): Whether to show "Powered by Voxflow".
        product_name (str):  Example: Acme Speech.
        sources (BrandingSources): Where each resolved field came from.
        warnings (list[BrandingWarning]): Stored values that were skipped (and logged once per process).
        favicon_url (None | str | Unset):
        logo_url (None | str | Unset): The logo's public URL (content-addressed, cacheable for a year); null when no
            level
            has a usable logo. Example:
            /v1/branding/assets/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.png.
        support_email (None | str | Unset):
        support_url (None | str | Unset):
    """

    colors: BrandingResolvedColors
    email_sender_name: str
    powered_by: bool
    product_name: str
    sources: BrandingSources
    warnings: list[BrandingWarning]
    favicon_url: None | str | Unset = UNSET
    logo_url: None | str | Unset = UNSET
    support_email: None | str | Unset = UNSET
    support_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        colors = self.colors.to_dict()

        email_sender_name = self.email_sender_name

        powered_by = self.powered_by

        product_name = self.product_name

        sources = self.sources.to_dict()

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        favicon_url: None | str | Unset
        if isinstance(self.favicon_url, Unset):
            favicon_url = UNSET
        else:
            favicon_url = self.favicon_url

        logo_url: None | str | Unset
        if isinstance(self.logo_url, Unset):
            logo_url = UNSET
        else:
            logo_url = self.logo_url

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
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "colors": colors,
                "email_sender_name": email_sender_name,
                "powered_by": powered_by,
                "product_name": product_name,
                "sources": sources,
                "warnings": warnings,
            }
        )
        if favicon_url is not UNSET:
            field_dict["favicon_url"] = favicon_url
        if logo_url is not UNSET:
            field_dict["logo_url"] = logo_url
        if support_email is not UNSET:
            field_dict["support_email"] = support_email
        if support_url is not UNSET:
            field_dict["support_url"] = support_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.branding_resolved_colors import BrandingResolvedColors  # noqa: PLC0415
        from ..models.branding_sources import BrandingSources  # noqa: PLC0415
        from ..models.branding_warning import BrandingWarning  # noqa: PLC0415

        d = dict(src_dict)
        colors = BrandingResolvedColors.from_dict(d.pop("colors"))

        email_sender_name = d.pop("email_sender_name")

        powered_by = d.pop("powered_by")

        product_name = d.pop("product_name")

        sources = BrandingSources.from_dict(d.pop("sources"))

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = BrandingWarning.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        def _parse_favicon_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        favicon_url = _parse_favicon_url(d.pop("favicon_url", UNSET))

        def _parse_logo_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logo_url = _parse_logo_url(d.pop("logo_url", UNSET))

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

        resolved_branding_view = cls(
            colors=colors,
            email_sender_name=email_sender_name,
            powered_by=powered_by,
            product_name=product_name,
            sources=sources,
            warnings=warnings,
            favicon_url=favicon_url,
            logo_url=logo_url,
            support_email=support_email,
            support_url=support_url,
        )

        resolved_branding_view.additional_properties = d
        return resolved_branding_view

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
