from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.invoice_summary_view import InvoiceSummaryView


T = TypeVar("T", bound="StatementView")


@_attrs_define
class StatementView:
    """A statement with the invoices it adds up.

    Attributes:
        commission (str): `revenue × commission_rate_bp / 10,000`, rounded half to even. Example: 185.18.
        commission_cents (int):
        commission_rate_bp (int): The reseller's rate when the period closed, in basis points (1500 = 15 %).
        currency (str):  Example: USD.
        id (UUID):
        invoice_count (int):
        issued_at (datetime.datetime):
        number (str): `COM-YYYY-MM-NNNNN`, unique. Example: COM-2026-11-00001.
        period (str):  Example: 2026-11.
        reseller_id (UUID):
        reseller_name (str):
        revenue (str): The invoices' subtotals (taxes excluded) added up. Example: 1234.56.
        revenue_cents (int):
        invoices (list[InvoiceSummaryView]):
    """

    commission: str
    commission_cents: int
    commission_rate_bp: int
    currency: str
    id: UUID
    invoice_count: int
    issued_at: datetime.datetime
    number: str
    period: str
    reseller_id: UUID
    reseller_name: str
    revenue: str
    revenue_cents: int
    invoices: list[InvoiceSummaryView]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        commission = self.commission

        commission_cents = self.commission_cents

        commission_rate_bp = self.commission_rate_bp

        currency = self.currency

        id = str(self.id)

        invoice_count = self.invoice_count

        issued_at = self.issued_at.isoformat()

        number = self.number

        period = self.period

        reseller_id = str(self.reseller_id)

        reseller_name = self.reseller_name

        revenue = self.revenue

        revenue_cents = self.revenue_cents

        invoices = []
        for invoices_item_data in self.invoices:
            invoices_item = invoices_item_data.to_dict()
            invoices.append(invoices_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "commission": commission,
                "commission_cents": commission_cents,
                "commission_rate_bp": commission_rate_bp,
                "currency": currency,
                "id": id,
                "invoice_count": invoice_count,
                "issued_at": issued_at,
                "number": number,
                "period": period,
                "reseller_id": reseller_id,
                "reseller_name": reseller_name,
                "revenue": revenue,
                "revenue_cents": revenue_cents,
                "invoices": invoices,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoice_summary_view import InvoiceSummaryView  # noqa: PLC0415

        d = dict(src_dict)
        commission = d.pop("commission")

        commission_cents = d.pop("commission_cents")

        commission_rate_bp = d.pop("commission_rate_bp")

        currency = d.pop("currency")

        id = UUID(d.pop("id"))

        invoice_count = d.pop("invoice_count")

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        number = d.pop("number")

        period = d.pop("period")

        reseller_id = UUID(d.pop("reseller_id"))

        reseller_name = d.pop("reseller_name")

        revenue = d.pop("revenue")

        revenue_cents = d.pop("revenue_cents")

        invoices = []
        _invoices = d.pop("invoices")
        for invoices_item_data in _invoices:
            invoices_item = InvoiceSummaryView.from_dict(invoices_item_data)

            invoices.append(invoices_item)

        statement_view = cls(
            commission=commission,
            commission_cents=commission_cents,
            commission_rate_bp=commission_rate_bp,
            currency=currency,
            id=id,
            invoice_count=invoice_count,
            issued_at=issued_at,
            number=number,
            period=period,
            reseller_id=reseller_id,
            reseller_name=reseller_name,
            revenue=revenue,
            revenue_cents=revenue_cents,
            invoices=invoices,
        )

        statement_view.additional_properties = d
        return statement_view

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
