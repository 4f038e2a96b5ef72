from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tenant_revenue import TenantRevenue


T = TypeVar("T", bound="TopTenant")


@_attrs_define
class TopTenant:
    """A tenant among the reseller's top tenants.

    Attributes:
        billed_ms_this_month (int): Billed audio this month (job audio and OpenAI-route transcription), milliseconds.
        name (str):
        revenue_this_period (list[TenantRevenue]): The current period's estimated revenue from this tenant, per
            currency.
        subscription_status (str):
        tenant_id (UUID):
    """

    billed_ms_this_month: int
    name: str
    revenue_this_period: list[TenantRevenue]
    subscription_status: str
    tenant_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        billed_ms_this_month = self.billed_ms_this_month

        name = self.name

        revenue_this_period = []
        for revenue_this_period_item_data in self.revenue_this_period:
            revenue_this_period_item = revenue_this_period_item_data.to_dict()
            revenue_this_period.append(revenue_this_period_item)

        subscription_status = self.subscription_status

        tenant_id = str(self.tenant_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "billed_ms_this_month": billed_ms_this_month,
                "name": name,
                "revenue_this_period": revenue_this_period,
                "subscription_status": subscription_status,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tenant_revenue import TenantRevenue  # noqa: PLC0415

        d = dict(src_dict)
        billed_ms_this_month = d.pop("billed_ms_this_month")

        name = d.pop("name")

        revenue_this_period = []
        _revenue_this_period = d.pop("revenue_this_period")
        for revenue_this_period_item_data in _revenue_this_period:
            revenue_this_period_item = TenantRevenue.from_dict(revenue_this_period_item_data)

            revenue_this_period.append(revenue_this_period_item)

        subscription_status = d.pop("subscription_status")

        tenant_id = UUID(d.pop("tenant_id"))

        top_tenant = cls(
            billed_ms_this_month=billed_ms_this_month,
            name=name,
            revenue_this_period=revenue_this_period,
            subscription_status=subscription_status,
            tenant_id=tenant_id,
        )

        top_tenant.additional_properties = d
        return top_tenant

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
