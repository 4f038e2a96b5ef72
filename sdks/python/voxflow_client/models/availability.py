from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.availability_reason import AvailabilityReason
from ..types import UNSET, Unset

T = TypeVar("T", bound="Availability")


@_attrs_define
class Availability:
    """Whether the caller can run a node kind now: the server has what it needs, and the
    caller's plan includes it.

        Attributes:
            available (bool):
            detail (None | str | Unset): Why not, and how to fix it; absent when available.
            models_in_plan (list[str] | None | Unset): `whisper.transcribe` only, when the plan restricts models: the
                Whisper models it
                allows (a quantised file of one, e.g. `base-q8_0`, too); any other model is not in
                the plan. Absent: every model.
            reason (AvailabilityReason | None | Unset):
    """

    available: bool
    detail: None | str | Unset = UNSET
    models_in_plan: list[str] | None | Unset = UNSET
    reason: AvailabilityReason | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        available = self.available

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        models_in_plan: list[str] | None | Unset
        if isinstance(self.models_in_plan, Unset):
            models_in_plan = UNSET
        elif isinstance(self.models_in_plan, list):
            models_in_plan = self.models_in_plan

        else:
            models_in_plan = self.models_in_plan

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, AvailabilityReason):
            reason = self.reason.value
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail
        if models_in_plan is not UNSET:
            field_dict["models_in_plan"] = models_in_plan
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        available = d.pop("available")

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        def _parse_models_in_plan(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                models_in_plan_type_0 = cast(list[str], data)

                return models_in_plan_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        models_in_plan = _parse_models_in_plan(d.pop("models_in_plan", UNSET))

        def _parse_reason(data: object) -> AvailabilityReason | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = AvailabilityReason(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AvailabilityReason | None | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        availability = cls(
            available=available,
            detail=detail,
            models_in_plan=models_in_plan,
            reason=reason,
        )

        availability.additional_properties = d
        return availability

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
