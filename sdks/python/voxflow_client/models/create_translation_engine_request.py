from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.engine_kind import EngineKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateTranslationEngineRequest")


@_attrs_define
class CreateTranslationEngineRequest:
    """
    Attributes:
        kind (EngineKind): The HTTP engine kinds a tenant can configure.
        name (str): Lower-case letters, digits, `-`, `_`, `.`; 1–64 characters; not `apertium`. Example: team-deepl.
        api_key (None | str | Unset): Required for DeepL (or `credential_id`); optional for LibreTranslate (servers with
            `--api-keys`). Stored as a new workspace credential named after the engine.
        base_url (None | str | Unset): Required for LibreTranslate; DeepL defaults to `https://api-free.deepl.com` for
            keys ending in `:fx`, else `https://api.deepl.com`.
        credential_id (None | Unset | UUID): A workspace credential of the same provider to use instead of `api_key`
            (needs
            `credentials:read`; one not yet bound to an origin is bound to this engine's, which
            needs `credentials:write`).
    """

    kind: EngineKind
    name: str
    api_key: None | str | Unset = UNSET
    base_url: None | str | Unset = UNSET
    credential_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        name = self.name

        api_key: None | str | Unset
        if isinstance(self.api_key, Unset):
            api_key = UNSET
        else:
            api_key = self.api_key

        base_url: None | str | Unset
        if isinstance(self.base_url, Unset):
            base_url = UNSET
        else:
            base_url = self.base_url

        credential_id: None | str | Unset
        if isinstance(self.credential_id, Unset):
            credential_id = UNSET
        elif isinstance(self.credential_id, UUID):
            credential_id = str(self.credential_id)
        else:
            credential_id = self.credential_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "name": name,
            }
        )
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if base_url is not UNSET:
            field_dict["base_url"] = base_url
        if credential_id is not UNSET:
            field_dict["credential_id"] = credential_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = EngineKind(d.pop("kind"))

        name = d.pop("name")

        def _parse_api_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key = _parse_api_key(d.pop("api_key", UNSET))

        def _parse_base_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base_url = _parse_base_url(d.pop("base_url", UNSET))

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

        create_translation_engine_request = cls(
            kind=kind,
            name=name,
            api_key=api_key,
            base_url=base_url,
            credential_id=credential_id,
        )

        return create_translation_engine_request
