from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.upcoming_invoice_view import UpcomingInvoiceView


T = TypeVar("T", bound="UpcomingInvoices")


@_attrs_define
class UpcomingInvoices:
    """The tenant's upcoming invoices (one per currency; usually one).

    Attributes:
        generated_at (datetime.datetime):
        invoices (list[UpcomingInvoiceView]): The plan time to the period's end as subscribed now; the usage metered so
            far.
        period (str):  Example: 2026-12.
        period_end (datetime.datetime):
        period_start (datetime.datetime):
        tax_note (str):
        tenant_id (UUID):
    """

    generated_at: datetime.datetime
    invoices: list[UpcomingInvoiceView]
    period: str
    period_end: datetime.datetime
    period_start: datetime.datetime
    tax_note: str
    tenant_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        generated_at = self.generated_at.isoformat()

        invoices = []
        for invoices_item_data in self.invoices:
            invoices_item = invoices_item_data.to_dict()
            invoices.append(invoices_item)

        period = self.period

        period_end = self.period_end.isoformat()

        period_start = self.period_start.isoformat()

        tax_note = self.tax_note

        tenant_id = str(self.tenant_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "generated_at": generated_at,
                "invoices": invoices,
                "period": period,
                "period_end": period_end,
                "period_start": period_start,
                "tax_note": tax_note,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.upcoming_invoice_view import UpcomingInvoiceView  # noqa: PLC0415

        d = dict(src_dict)
        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        invoices = []
        _invoices = d.pop("invoices")
        for invoices_item_data in _invoices:
            invoices_item = UpcomingInvoiceView.from_dict(invoices_item_data)

            invoices.append(invoices_item)

        period = d.pop("period")

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))

        tax_note = d.pop("tax_note")

        tenant_id = UUID(d.pop("tenant_id"))

        upcoming_invoices = cls(
            generated_at=generated_at,
            invoices=invoices,
            period=period,
            period_end=period_end,
            period_start=period_start,
            tax_note=tax_note,
            tenant_id=tenant_id,
        )

        upcoming_invoices.additional_properties = d
        return upcoming_invoices

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
