from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InvoiceSummaryView")


@_attrs_define
class InvoiceSummaryView:
    """An invoice, as listed (its lines are on `GET /v1/invoices/{id}`).

    Attributes:
        currency (str): ISO 4217 code (the plan's). Example: USD.
        id (UUID):
        issued_at (datetime.datetime):
        number (str): `INV-YYYY-MM-NNNNN`, unique. Example: INV-2026-11-00001.
        period (str):  Example: 2026-11.
        period_end (datetime.datetime):
        period_start (datetime.datetime):
        subtotal (str):  Example: 38.99.
        subtotal_cents (int):
        tax (str): Always `0.00`: see `tax_note`. Example: 0.00.
        tax_cents (int):
        tenant_id (UUID):
        tenant_name (str): The tenant's name when the invoice was issued.
        total (str):  Example: 38.99.
        total_cents (int):
        reseller_id (None | Unset | UUID): The reseller the tenant was sold by when the invoice was issued (null: the
            platform).
    """

    currency: str
    id: UUID
    issued_at: datetime.datetime
    number: str
    period: str
    period_end: datetime.datetime
    period_start: datetime.datetime
    subtotal: str
    subtotal_cents: int
    tax: str
    tax_cents: int
    tenant_id: UUID
    tenant_name: str
    total: str
    total_cents: int
    reseller_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        id = str(self.id)

        issued_at = self.issued_at.isoformat()

        number = self.number

        period = self.period

        period_end = self.period_end.isoformat()

        period_start = self.period_start.isoformat()

        subtotal = self.subtotal

        subtotal_cents = self.subtotal_cents

        tax = self.tax

        tax_cents = self.tax_cents

        tenant_id = str(self.tenant_id)

        tenant_name = self.tenant_name

        total = self.total

        total_cents = self.total_cents

        reseller_id: None | str | Unset
        if isinstance(self.reseller_id, Unset):
            reseller_id = UNSET
        elif isinstance(self.reseller_id, UUID):
            reseller_id = str(self.reseller_id)
        else:
            reseller_id = self.reseller_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "id": id,
                "issued_at": issued_at,
                "number": number,
                "period": period,
                "period_end": period_end,
                "period_start": period_start,
                "subtotal": subtotal,
                "subtotal_cents": subtotal_cents,
                "tax": tax,
                "tax_cents": tax_cents,
                "tenant_id": tenant_id,
                "tenant_name": tenant_name,
                "total": total,
                "total_cents": total_cents,
            }
        )
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        id = UUID(d.pop("id"))

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        number = d.pop("number")

        period = d.pop("period")

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))

        subtotal = d.pop("subtotal")

        subtotal_cents = d.pop("subtotal_cents")

        tax = d.pop("tax")

        tax_cents = d.pop("tax_cents")

        tenant_id = UUID(d.pop("tenant_id"))

        tenant_name = d.pop("tenant_name")

        total = d.pop("total")

        total_cents = d.pop("total_cents")

        def _parse_reseller_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reseller_id_type_0 = UUID(data)

                return reseller_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        reseller_id = _parse_reseller_id(d.pop("reseller_id", UNSET))

        invoice_summary_view = cls(
            currency=currency,
            id=id,
            issued_at=issued_at,
            number=number,
            period=period,
            period_end=period_end,
            period_start=period_start,
            subtotal=subtotal,
            subtotal_cents=subtotal_cents,
            tax=tax,
            tax_cents=tax_cents,
            tenant_id=tenant_id,
            tenant_name=tenant_name,
            total=total,
            total_cents=total_cents,
            reseller_id=reseller_id,
        )

        invoice_summary_view.additional_properties = d
        return invoice_summary_view

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
