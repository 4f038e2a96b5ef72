from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.branding_source import BrandingSource

T = TypeVar("T", bound="BrandingColorSources")


@_attrs_define
class BrandingColorSources:
    """Where each colour came from.

    Attributes:
        accent (BrandingSource): Where a resolved field's value came from.
        background (BrandingSource): Where a resolved field's value came from.
        primary (BrandingSource): Where a resolved field's value came from.
        secondary (BrandingSource): Where a resolved field's value came from.
        text (BrandingSource): Where a resolved field's value came from.
    """

    accent: BrandingSource
    background: BrandingSource
    primary: BrandingSource
    secondary: BrandingSource
    text: BrandingSource
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accent = self.accent.value

        background = self.background.value

        primary = self.primary.value

        secondary = self.secondary.value

        text = self.text.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accent": accent,
                "background": background,
                "primary": primary,
                "secondary": secondary,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accent = BrandingSource(d.pop("accent"))

        background = BrandingSource(d.pop("background"))

        primary = BrandingSource(d.pop("primary"))

        secondary = BrandingSource(d.pop("secondary"))

        text = BrandingSource(d.pop("text"))

        branding_color_sources = cls(
            accent=accent,
            background=background,
            primary=primary,
            secondary=secondary,
            text=text,
        )

        branding_color_sources.additional_properties = d
        return branding_color_sources

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
