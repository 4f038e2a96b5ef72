from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.revenue_view import RevenueView


T = TypeVar("T", bound="PeriodRevenue")


@_attrs_define
class PeriodRevenue:
    """One period's revenue.

    Attributes:
        closed (bool): True: from the period's closed statements. False: estimated now, as the upcoming
            invoices are.
        period (str):  Example: 2026-11.
        revenue (list[RevenueView]):
    """

    closed: bool
    period: str
    revenue: list[RevenueView]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        closed = self.closed

        period = self.period

        revenue = []
        for revenue_item_data in self.revenue:
            revenue_item = revenue_item_data.to_dict()
            revenue.append(revenue_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "closed": closed,
                "period": period,
                "revenue": revenue,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.revenue_view import RevenueView  # noqa: PLC0415

        d = dict(src_dict)
        closed = d.pop("closed")

        period = d.pop("period")

        revenue = []
        _revenue = d.pop("revenue")
        for revenue_item_data in _revenue:
            revenue_item = RevenueView.from_dict(revenue_item_data)

            revenue.append(revenue_item)

        period_revenue = cls(
            closed=closed,
            period=period,
            revenue=revenue,
        )

        period_revenue.additional_properties = d
        return period_revenue

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
