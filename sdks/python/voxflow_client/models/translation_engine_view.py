from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.engine_kind import EngineKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="TranslationEngineView")


@_attrs_define
class TranslationEngineView:
    """
    Attributes:
        base_url (str):  Example: https://api-free.deepl.com.
        created_at (datetime.datetime):
        has_api_key (bool): Whether an API key is stored (it is never returned).
        id (UUID):
        kind (EngineKind): The HTTP engine kinds a tenant can configure.
        name (str): What `translate.text` nodes put in their `engine` param. Example: team-deepl.
        tenant_id (UUID):
        updated_at (datetime.datetime):
        api_key_hint (None | str | Unset): The key's last four characters, to recognise it. Example: …3:fx.
        credential_id (None | Unset | UUID): The workspace credential holding the key (`/v1/credentials/{id}`).
    """

    base_url: str
    created_at: datetime.datetime
    has_api_key: bool
    id: UUID
    kind: EngineKind
    name: str
    tenant_id: UUID
    updated_at: datetime.datetime
    api_key_hint: None | str | Unset = UNSET
    credential_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_url = self.base_url

        created_at = self.created_at.isoformat()

        has_api_key = self.has_api_key

        id = str(self.id)

        kind = self.kind.value

        name = self.name

        tenant_id = str(self.tenant_id)

        updated_at = self.updated_at.isoformat()

        api_key_hint: None | str | Unset
        if isinstance(self.api_key_hint, Unset):
            api_key_hint = UNSET
        else:
            api_key_hint = self.api_key_hint

        credential_id: None | str | Unset
        if isinstance(self.credential_id, Unset):
            credential_id = UNSET
        elif isinstance(self.credential_id, UUID):
            credential_id = str(self.credential_id)
        else:
            credential_id = self.credential_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base_url": base_url,
                "created_at": created_at,
                "has_api_key": has_api_key,
                "id": id,
                "kind": kind,
                "name": name,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
            }
        )
        if api_key_hint is not UNSET:
            field_dict["api_key_hint"] = api_key_hint
        if credential_id is not UNSET:
            field_dict["credential_id"] = credential_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        base_url = d.pop("base_url")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        has_api_key = d.pop("has_api_key")

        id = UUID(d.pop("id"))

        kind = EngineKind(d.pop("kind"))

        name = d.pop("name")

        tenant_id = UUID(d.pop("tenant_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_api_key_hint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key_hint = _parse_api_key_hint(d.pop("api_key_hint", UNSET))

        def _parse_credential_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credential_id_type_0 = UUID(data)

                return credential_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        credential_id = _parse_credential_id(d.pop("credential_id", UNSET))

        translation_engine_view = cls(
            base_url=base_url,
            created_at=created_at,
            has_api_key=has_api_key,
            id=id,
            kind=kind,
            name=name,
            tenant_id=tenant_id,
            updated_at=updated_at,
            api_key_hint=api_key_hint,
            credential_id=credential_id,
        )

        translation_engine_view.additional_properties = d
        return translation_engine_view

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
