from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.provider import Provider
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateCredentialRequest")


@_attrs_define
class CreateCredentialRequest:
    """
    Attributes:
        name (str): 1–100 characters. Example: DeepL team account.
        provider (Provider): Whose secret it is; translation engines use only their own kind's.
        value (str): The secret. DeepL and LibreTranslate keys: 1–500 characters without spaces; generic
            values: 1–8192 characters without control characters.
        origin (None | str | Unset): An `http(s)` URL whose origin the value may be sent to (path ignored). Absent:
            bound
            by the first translation engine that uses it. Example: https://api-free.deepl.com.
    """

    name: str
    provider: Provider
    value: str
    origin: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        provider = self.provider.value

        value = self.value

        origin: None | str | Unset
        if isinstance(self.origin, Unset):
            origin = UNSET
        else:
            origin = self.origin

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "provider": provider,
                "value": value,
            }
        )
        if origin is not UNSET:
            field_dict["origin"] = origin

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        provider = Provider(d.pop("provider"))

        value = d.pop("value")

        def _parse_origin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        origin = _parse_origin(d.pop("origin", UNSET))

        create_credential_request = cls(
            name=name,
            provider=provider,
            value=value,
            origin=origin,
        )

        return create_credential_request
