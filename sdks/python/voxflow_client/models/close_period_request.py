from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ClosePeriodRequest")


@_attrs_define
class ClosePeriodRequest:
    """
    Attributes:
        period (str): The calendar month to close, `YYYY-MM` (UTC); it must have ended. Example: 2026-11.
    """

    period: str

    def to_dict(self) -> dict[str, Any]:
        period = self.period

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "period": period,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        period = d.pop("period")

        close_period_request = cls(
            period=period,
        )

        return close_period_request
