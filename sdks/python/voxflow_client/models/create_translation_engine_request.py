from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

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
        api_key (None | str | Unset): Required for DeepL; optional for LibreTranslate (servers with `--api-keys`).
        base_url (None | str | Unset): Required for LibreTranslate; DeepL defaults to `https://api-free.deepl.com` for
            keys ending in `:fx`, else `https://api.deepl.com`.
    """

    kind: EngineKind
    name: str
    api_key: None | str | Unset = UNSET
    base_url: None | str | Unset = UNSET

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

        create_translation_engine_request = cls(
            kind=kind,
            name=name,
            api_key=api_key,
            base_url=base_url,
        )

        return create_translation_engine_request
