from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RevenueView")


@_attrs_define
class RevenueView:
    """Revenue and commission in one currency.

    Attributes:
        commission (str):  Example: 185.18.
        commission_cents (int):
        currency (str):  Example: USD.
        invoice_count (int):
        revenue (str):  Example: 1234.56.
        revenue_cents (int):
    """

    commission: str
    commission_cents: int
    currency: str
    invoice_count: int
    revenue: str
    revenue_cents: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        commission = self.commission

        commission_cents = self.commission_cents

        currency = self.currency

        invoice_count = self.invoice_count

        revenue = self.revenue

        revenue_cents = self.revenue_cents

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "commission": commission,
                "commission_cents": commission_cents,
                "currency": currency,
                "invoice_count": invoice_count,
                "revenue": revenue,
                "revenue_cents": revenue_cents,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        commission = d.pop("commission")

        commission_cents = d.pop("commission_cents")

        currency = d.pop("currency")

        invoice_count = d.pop("invoice_count")

        revenue = d.pop("revenue")

        revenue_cents = d.pop("revenue_cents")

        revenue_view = cls(
            commission=commission,
            commission_cents=commission_cents,
            currency=currency,
            invoice_count=invoice_count,
            revenue=revenue,
            revenue_cents=revenue_cents,
        )

        revenue_view.additional_properties = d
        return revenue_view

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
