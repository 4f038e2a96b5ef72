from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.update_preset_request_params_type_0 import UpdatePresetRequestParamsType0


T = TypeVar("T", bound="UpdatePresetRequest")


@_attrs_define
class UpdatePresetRequest:
    """The kind is fixed; new `params` replace the old ones whole.

    Attributes:
        description (None | str | Unset):
        name (None | str | Unset):
        params (None | Unset | UpdatePresetRequestParamsType0):
    """

    description: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    params: None | Unset | UpdatePresetRequestParamsType0 = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.update_preset_request_params_type_0 import UpdatePresetRequestParamsType0  # noqa: PLC0415

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        params: dict[str, Any] | None | Unset
        if isinstance(self.params, Unset):
            params = UNSET
        elif isinstance(self.params, UpdatePresetRequestParamsType0):
            params = self.params.to_dict()
        else:
            params = self.params

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if name is not UNSET:
            field_dict["name"] = name
        if params is not UNSET:
            field_dict["params"] = params

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.update_preset_request_params_type_0 import UpdatePresetRequestParamsType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_params(data: object) -> None | Unset | UpdatePresetRequestParamsType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                params_type_0 = UpdatePresetRequestParamsType0.from_dict(data)

                return params_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UpdatePresetRequestParamsType0, data)

        params = _parse_params(d.pop("params", UNSET))

        update_preset_request = cls(
            description=description,
            name=name,
            params=params,
        )

        return update_preset_request
