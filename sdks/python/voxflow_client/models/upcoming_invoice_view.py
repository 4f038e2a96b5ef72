from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.invoice_line_view import InvoiceLineView


T = TypeVar("T", bound="UpcomingInvoiceView")


@_attrs_define
class UpcomingInvoiceView:
    """What the current period would invoice if it closed now.

    Attributes:
        billed_ms (int): Billed audio so far in the period's billable time, and how much of it is included.
        currency (str):
        included_ms (int):
        lines (list[InvoiceLineView]):
        subtotal (str):  Example: 12.40.
        subtotal_cents (int):
        total (str):  Example: 12.40.
        total_cents (int):
    """

    billed_ms: int
    currency: str
    included_ms: int
    lines: list[InvoiceLineView]
    subtotal: str
    subtotal_cents: int
    total: str
    total_cents: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        billed_ms = self.billed_ms

        currency = self.currency

        included_ms = self.included_ms

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        subtotal = self.subtotal

        subtotal_cents = self.subtotal_cents

        total = self.total

        total_cents = self.total_cents

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "billed_ms": billed_ms,
                "currency": currency,
                "included_ms": included_ms,
                "lines": lines,
                "subtotal": subtotal,
                "subtotal_cents": subtotal_cents,
                "total": total,
                "total_cents": total_cents,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoice_line_view import InvoiceLineView  # noqa: PLC0415

        d = dict(src_dict)
        billed_ms = d.pop("billed_ms")

        currency = d.pop("currency")

        included_ms = d.pop("included_ms")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = InvoiceLineView.from_dict(lines_item_data)

            lines.append(lines_item)

        subtotal = d.pop("subtotal")

        subtotal_cents = d.pop("subtotal_cents")

        total = d.pop("total")

        total_cents = d.pop("total_cents")

        upcoming_invoice_view = cls(
            billed_ms=billed_ms,
            currency=currency,
            included_ms=included_ms,
            lines=lines,
            subtotal=subtotal,
            subtotal_cents=subtotal_cents,
            total=total,
            total_cents=total_cents,
        )

        upcoming_invoice_view.additional_properties = d
        return upcoming_invoice_view

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
