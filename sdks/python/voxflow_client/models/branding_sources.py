from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.branding_source import BrandingSource

if TYPE_CHECKING:
    from ..models.branding_color_sources import BrandingColorSources


T = TypeVar("T", bound="BrandingSources")


@_attrs_define
class BrandingSources:
    """Where each resolved field came from.

    Attributes:
        colors (BrandingColorSources): Where each colour came from.
        email_sender_name (BrandingSource): Where a resolved field's value came from.
        favicon_url (BrandingSource): Where a resolved field's value came from.
        logo_url (BrandingSource): Where a resolved field's value came from.
        powered_by (BrandingSource): Where a resolved field's value came from.
        product_name (BrandingSource): Where a resolved field's value came from.
        support_email (BrandingSource): Where a resolved field's value came from.
        support_url (BrandingSource): Where a resolved field's value came from.
    """

    colors: BrandingColorSources
    email_sender_name: BrandingSource
    favicon_url: BrandingSource
    logo_url: BrandingSource
    powered_by: BrandingSource
    product_name: BrandingSource
    support_email: BrandingSource
    support_url: BrandingSource
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        colors = self.colors.to_dict()

        email_sender_name = self.email_sender_name.value

        favicon_url = self.favicon_url.value

        logo_url = self.logo_url.value

        powered_by = self.powered_by.value

        product_name = self.product_name.value

        support_email = self.support_email.value

        support_url = self.support_url.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "colors": colors,
                "email_sender_name": email_sender_name,
                "favicon_url": favicon_url,
                "logo_url": logo_url,
                "powered_by": powered_by,
                "product_name": product_name,
                "support_email": support_email,
                "support_url": support_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.branding_color_sources import BrandingColorSources  # noqa: PLC0415

        d = dict(src_dict)
        colors = BrandingColorSources.from_dict(d.pop("colors"))

        email_sender_name = BrandingSource(d.pop("email_sender_name"))

        favicon_url = BrandingSource(d.pop("favicon_url"))

        logo_url = BrandingSource(d.pop("logo_url"))

        powered_by = BrandingSource(d.pop("powered_by"))

        product_name = BrandingSource(d.pop("product_name"))

        support_email = BrandingSource(d.pop("support_email"))

        support_url = BrandingSource(d.pop("support_url"))

        branding_sources = cls(
            colors=colors,
            email_sender_name=email_sender_name,
            favicon_url=favicon_url,
            logo_url=logo_url,
            powered_by=powered_by,
            product_name=product_name,
            support_email=support_email,
            support_url=support_url,
        )

        branding_sources.additional_properties = d
        return branding_sources

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
