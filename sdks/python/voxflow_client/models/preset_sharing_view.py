from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.preset_share_mode import PresetShareMode

T = TypeVar("T", bound="PresetSharingView")


@_attrs_define
class PresetSharingView:
    """Sharing, as the preset's manager sees it (absent for everyone else).

    Attributes:
        mode (PresetShareMode): Who a reseller preset is offered to.
        tenant_ids (list[UUID]): With `selected`: the tenants it is offered to.
    """

    mode: PresetShareMode
    tenant_ids: list[UUID]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mode = self.mode.value

        tenant_ids = []
        for tenant_ids_item_data in self.tenant_ids:
            tenant_ids_item = str(tenant_ids_item_data)
            tenant_ids.append(tenant_ids_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "mode": mode,
                "tenant_ids": tenant_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mode = PresetShareMode(d.pop("mode"))

        tenant_ids = []
        _tenant_ids = d.pop("tenant_ids")
        for tenant_ids_item_data in _tenant_ids:
            tenant_ids_item = UUID(tenant_ids_item_data)

            tenant_ids.append(tenant_ids_item)

        preset_sharing_view = cls(
            mode=mode,
            tenant_ids=tenant_ids,
        )

        preset_sharing_view.additional_properties = d
        return preset_sharing_view

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
