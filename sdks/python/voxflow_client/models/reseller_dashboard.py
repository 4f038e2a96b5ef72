from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.customer_counts import CustomerCounts
    from ..models.period_revenue import PeriodRevenue
    from ..models.top_tenant import TopTenant


T = TypeVar("T", bound="ResellerDashboard")


@_attrs_define
class ResellerDashboard:
    """A reseller's business at a glance.

    Attributes:
        billed_ms_this_month (int): Billed audio of all its tenants this month, milliseconds.
        commission_rate_bp (int):
        current_period (PeriodRevenue): One period's revenue.
        customers (CustomerCounts): A reseller's customers by subscription status (deleted tenants left out).
        generated_at (datetime.datetime):
        last_period (PeriodRevenue): One period's revenue.
        name (str):
        reseller_id (UUID):
        tax_note (str):
        top_tenants (list[TopTenant]): Up to ten tenants, by this period's estimated revenue, then by this month's
            usage.
    """

    billed_ms_this_month: int
    commission_rate_bp: int
    current_period: PeriodRevenue
    customers: CustomerCounts
    generated_at: datetime.datetime
    last_period: PeriodRevenue
    name: str
    reseller_id: UUID
    tax_note: str
    top_tenants: list[TopTenant]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        billed_ms_this_month = self.billed_ms_this_month

        commission_rate_bp = self.commission_rate_bp

        current_period = self.current_period.to_dict()

        customers = self.customers.to_dict()

        generated_at = self.generated_at.isoformat()

        last_period = self.last_period.to_dict()

        name = self.name

        reseller_id = str(self.reseller_id)

        tax_note = self.tax_note

        top_tenants = []
        for top_tenants_item_data in self.top_tenants:
            top_tenants_item = top_tenants_item_data.to_dict()
            top_tenants.append(top_tenants_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "billed_ms_this_month": billed_ms_this_month,
                "commission_rate_bp": commission_rate_bp,
                "current_period": current_period,
                "customers": customers,
                "generated_at": generated_at,
                "last_period": last_period,
                "name": name,
                "reseller_id": reseller_id,
                "tax_note": tax_note,
                "top_tenants": top_tenants,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_counts import CustomerCounts  # noqa: PLC0415
        from ..models.period_revenue import PeriodRevenue  # noqa: PLC0415
        from ..models.top_tenant import TopTenant  # noqa: PLC0415

        d = dict(src_dict)
        billed_ms_this_month = d.pop("billed_ms_this_month")

        commission_rate_bp = d.pop("commission_rate_bp")

        current_period = PeriodRevenue.from_dict(d.pop("current_period"))

        customers = CustomerCounts.from_dict(d.pop("customers"))

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        last_period = PeriodRevenue.from_dict(d.pop("last_period"))

        name = d.pop("name")

        reseller_id = UUID(d.pop("reseller_id"))

        tax_note = d.pop("tax_note")

        top_tenants = []
        _top_tenants = d.pop("top_tenants")
        for top_tenants_item_data in _top_tenants:
            top_tenants_item = TopTenant.from_dict(top_tenants_item_data)

            top_tenants.append(top_tenants_item)

        reseller_dashboard = cls(
            billed_ms_this_month=billed_ms_this_month,
            commission_rate_bp=commission_rate_bp,
            current_period=current_period,
            customers=customers,
            generated_at=generated_at,
            last_period=last_period,
            name=name,
            reseller_id=reseller_id,
            tax_note=tax_note,
            top_tenants=top_tenants,
        )

        reseller_dashboard.additional_properties = d
        return reseller_dashboard

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
