from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PortView")


@_attrs_define
class PortView:
    """A port of a node: edges connect an output to an input of the same `port_type`.

    Attributes:
        description (str):
        name (str):
        port_type (str): `audio`, `speech_regions`, `transcript`, `speaker_turns`, `text` or `file`.
        required (bool):
    """

    description: str
    name: str
    port_type: str
    required: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        name = self.name

        port_type = self.port_type

        required = self.required

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "name": name,
                "port_type": port_type,
                "required": required,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        name = d.pop("name")

        port_type = d.pop("port_type")

        required = d.pop("required")

        port_view = cls(
            description=description,
            name=name,
            port_type=port_type,
            required=required,
        )

        port_view.additional_properties = d
        return port_view

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
