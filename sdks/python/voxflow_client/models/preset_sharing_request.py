from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.preset_share_mode import PresetShareMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="PresetSharingRequest")


@_attrs_define
class PresetSharingRequest:
    """
    Attributes:
        mode (PresetShareMode): Who a reseller preset is offered to.
        tenant_ids (list[UUID] | Unset): With `selected`: tenants of the preset's reseller.
    """

    mode: PresetShareMode
    tenant_ids: list[UUID] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        mode = self.mode.value

        tenant_ids: list[str] | Unset = UNSET
        if not isinstance(self.tenant_ids, Unset):
            tenant_ids = []
            for tenant_ids_item_data in self.tenant_ids:
                tenant_ids_item = str(tenant_ids_item_data)
                tenant_ids.append(tenant_ids_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mode": mode,
            }
        )
        if tenant_ids is not UNSET:
            field_dict["tenant_ids"] = tenant_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mode = PresetShareMode(d.pop("mode"))

        _tenant_ids = d.pop("tenant_ids", UNSET)
        tenant_ids: list[UUID] | Unset = UNSET
        if _tenant_ids is not UNSET:
            tenant_ids = []
            for tenant_ids_item_data in _tenant_ids:
                tenant_ids_item = UUID(tenant_ids_item_data)

                tenant_ids.append(tenant_ids_item)

        preset_sharing_request = cls(
            mode=mode,
            tenant_ids=tenant_ids,
        )

        return preset_sharing_request
