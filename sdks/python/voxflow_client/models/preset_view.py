from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.preset_owner import PresetOwner
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.preset_sharing_view import PresetSharingView
    from ..models.preset_view_params import PresetViewParams


T = TypeVar("T", bound="PresetView")


@_attrs_define
class PresetView:
    """
    Attributes:
        created_at (datetime.datetime):
        editable (bool): Whether the caller may change, share and delete it.
        id (UUID):
        kind (str): The node kind the params are for, e.g. `whisper.transcribe`.
        name (str):
        owner (PresetOwner): Who owns a preset (and so who is offered it).
        params (PresetViewParams): Params of `kind` (valid against its schema when saved).
        updated_at (datetime.datetime):
        description (None | str | Unset):
        reseller_id (None | Unset | UUID): The owning reseller (reseller presets).
        sharing (None | PresetSharingView | Unset):
        tenant_id (None | Unset | UUID): The owning tenant (tenant presets).
    """

    created_at: datetime.datetime
    editable: bool
    id: UUID
    kind: str
    name: str
    owner: PresetOwner
    params: PresetViewParams
    updated_at: datetime.datetime
    description: None | str | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    sharing: None | PresetSharingView | Unset = UNSET
    tenant_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.preset_sharing_view import PresetSharingView  # noqa: PLC0415

        created_at = self.created_at.isoformat()

        editable = self.editable

        id = str(self.id)

        kind = self.kind

        name = self.name

        owner = self.owner.value

        params = self.params.to_dict()

        updated_at = self.updated_at.isoformat()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        reseller_id: None | str | Unset
        if isinstance(self.reseller_id, Unset):
            reseller_id = UNSET
        elif isinstance(self.reseller_id, UUID):
            reseller_id = str(self.reseller_id)
        else:
            reseller_id = self.reseller_id

        sharing: dict[str, Any] | None | Unset
        if isinstance(self.sharing, Unset):
            sharing = UNSET
        elif isinstance(self.sharing, PresetSharingView):
            sharing = self.sharing.to_dict()
        else:
            sharing = self.sharing

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        elif isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "editable": editable,
                "id": id,
                "kind": kind,
                "name": name,
                "owner": owner,
                "params": params,
                "updated_at": updated_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id
        if sharing is not UNSET:
            field_dict["sharing"] = sharing
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preset_sharing_view import PresetSharingView  # noqa: PLC0415
        from ..models.preset_view_params import PresetViewParams  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        editable = d.pop("editable")

        id = UUID(d.pop("id"))

        kind = d.pop("kind")

        name = d.pop("name")

        owner = PresetOwner(d.pop("owner"))

        params = PresetViewParams.from_dict(d.pop("params"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

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

        def _parse_sharing(data: object) -> None | PresetSharingView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sharing_type_0 = PresetSharingView.from_dict(data)

                return sharing_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PresetSharingView | Unset, data)

        sharing = _parse_sharing(d.pop("sharing", UNSET))

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

        preset_view = cls(
            created_at=created_at,
            editable=editable,
            id=id,
            kind=kind,
            name=name,
            owner=owner,
            params=params,
            updated_at=updated_at,
            description=description,
            reseller_id=reseller_id,
            sharing=sharing,
            tenant_id=tenant_id,
        )

        preset_view.additional_properties = d
        return preset_view

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
