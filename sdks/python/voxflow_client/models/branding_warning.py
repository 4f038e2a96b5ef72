from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.branding_source import BrandingSource

T = TypeVar("T", bound="BrandingWarning")


@_attrs_define
class BrandingWarning:
    """A stored value that could not be used: the next level's value was used instead.

    Attributes:
        field (str): The resolved field, e.g. `logo_url` or `colors.primary`. Example: logo_url.
        level (BrandingSource): Where a resolved field's value came from.
        message (str):  Example: the tenant's logo was deleted; the reseller's value is used.
    """

    field: str
    level: BrandingSource
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        level = self.level.value

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "level": level,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = d.pop("field")

        level = BrandingSource(d.pop("level"))

        message = d.pop("message")

        branding_warning = cls(
            field=field,
            level=level,
            message=message,
        )

        branding_warning.additional_properties = d
        return branding_warning

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
