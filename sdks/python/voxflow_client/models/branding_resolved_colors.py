from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BrandingResolvedColors")


@_attrs_define
class BrandingResolvedColors:
    """The resolved colours (`#rrggbb`).

    Attributes:
        accent (str):
        background (str):
        primary (str):  Example: #4f46e5.
        secondary (str):
        text (str):
    """

    accent: str
    background: str
    primary: str
    secondary: str
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accent = self.accent

        background = self.background

        primary = self.primary

        secondary = self.secondary

        text = self.text

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
        accent = d.pop("accent")

        background = d.pop("background")

        primary = d.pop("primary")

        secondary = d.pop("secondary")

        text = d.pop("text")

        branding_resolved_colors = cls(
            accent=accent,
            background=background,
            primary=primary,
            secondary=secondary,
            text=text,
        )

        branding_resolved_colors.additional_properties = d
        return branding_resolved_colors

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
