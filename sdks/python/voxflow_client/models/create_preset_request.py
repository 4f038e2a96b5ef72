from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_preset_request_params import CreatePresetRequestParams
    from ..models.preset_sharing_request import PresetSharingRequest


T = TypeVar("T", bound="CreatePresetRequest")


@_attrs_define
class CreatePresetRequest:
    """
    Attributes:
        kind (str): A node kind of the registry (`GET /v1/nodes`), e.g. `whisper.transcribe`.
        name (str):
        params (CreatePresetRequestParams): Params of `kind`, checked against its JSON Schema.
        description (None | str | Unset):
        sharing (None | PresetSharingRequest | Unset):
    """

    kind: str
    name: str
    params: CreatePresetRequestParams
    description: None | str | Unset = UNSET
    sharing: None | PresetSharingRequest | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.preset_sharing_request import PresetSharingRequest  # noqa: PLC0415

        kind = self.kind

        name = self.name

        params = self.params.to_dict()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        sharing: dict[str, Any] | None | Unset
        if isinstance(self.sharing, Unset):
            sharing = UNSET
        elif isinstance(self.sharing, PresetSharingRequest):
            sharing = self.sharing.to_dict()
        else:
            sharing = self.sharing

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "name": name,
                "params": params,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if sharing is not UNSET:
            field_dict["sharing"] = sharing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_preset_request_params import CreatePresetRequestParams  # noqa: PLC0415
        from ..models.preset_sharing_request import PresetSharingRequest  # noqa: PLC0415

        d = dict(src_dict)
        kind = d.pop("kind")

        name = d.pop("name")

        params = CreatePresetRequestParams.from_dict(d.pop("params"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_sharing(data: object) -> None | PresetSharingRequest | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sharing_type_0 = PresetSharingRequest.from_dict(data)

                return sharing_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PresetSharingRequest | Unset, data)

        sharing = _parse_sharing(d.pop("sharing", UNSET))

        create_preset_request = cls(
            kind=kind,
            name=name,
            params=params,
            description=description,
            sharing=sharing,
        )

        return create_preset_request
