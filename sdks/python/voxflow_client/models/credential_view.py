from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.provider import Provider
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.credential_use_view import CredentialUseView


T = TypeVar("T", bound="CredentialView")


@_attrs_define
class CredentialView:
    """
    Attributes:
        created_at (datetime.datetime):
        id (UUID):
        name (str): A label for people; need not be unique. Example: DeepL team account.
        provider (Provider): Whose secret it is; translation engines use only their own kind's.
        rotated_at (datetime.datetime): When the value was last set (created or rotated).
        tenant_id (UUID):
        updated_at (datetime.datetime):
        used_by (list[CredentialUseView]): The translation engines using it.
        created_by (None | Unset | UUID):
        hint (None | str | Unset): The value's last four characters, to recognise it (none for short values). The value
            itself is never returned. Example: …3:fx.
        origin (None | str | Unset): `scheme://host:port` the value may be sent to; null until a translation engine
            first
            uses it (it is then bound to that engine's host). Example: https://api-free.deepl.com:443.
    """

    created_at: datetime.datetime
    id: UUID
    name: str
    provider: Provider
    rotated_at: datetime.datetime
    tenant_id: UUID
    updated_at: datetime.datetime
    used_by: list[CredentialUseView]
    created_by: None | Unset | UUID = UNSET
    hint: None | str | Unset = UNSET
    origin: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = str(self.id)

        name = self.name

        provider = self.provider.value

        rotated_at = self.rotated_at.isoformat()

        tenant_id = str(self.tenant_id)

        updated_at = self.updated_at.isoformat()

        used_by = []
        for used_by_item_data in self.used_by:
            used_by_item = used_by_item_data.to_dict()
            used_by.append(used_by_item)

        created_by: None | str | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        elif isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        hint: None | str | Unset
        if isinstance(self.hint, Unset):
            hint = UNSET
        else:
            hint = self.hint

        origin: None | str | Unset
        if isinstance(self.origin, Unset):
            origin = UNSET
        else:
            origin = self.origin

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "name": name,
                "provider": provider,
                "rotated_at": rotated_at,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
                "used_by": used_by,
            }
        )
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if hint is not UNSET:
            field_dict["hint"] = hint
        if origin is not UNSET:
            field_dict["origin"] = origin

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.credential_use_view import CredentialUseView  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        name = d.pop("name")

        provider = Provider(d.pop("provider"))

        rotated_at = datetime.datetime.fromisoformat(d.pop("rotated_at"))

        tenant_id = UUID(d.pop("tenant_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        used_by = []
        _used_by = d.pop("used_by")
        for used_by_item_data in _used_by:
            used_by_item = CredentialUseView.from_dict(used_by_item_data)

            used_by.append(used_by_item)

        def _parse_created_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        created_by = _parse_created_by(d.pop("created_by", UNSET))

        def _parse_hint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hint = _parse_hint(d.pop("hint", UNSET))

        def _parse_origin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        origin = _parse_origin(d.pop("origin", UNSET))

        credential_view = cls(
            created_at=created_at,
            id=id,
            name=name,
            provider=provider,
            rotated_at=rotated_at,
            tenant_id=tenant_id,
            updated_at=updated_at,
            used_by=used_by,
            created_by=created_by,
            hint=hint,
            origin=origin,
        )

        credential_view.additional_properties = d
        return credential_view

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
