from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InvoiceLineView")


@_attrs_define
class InvoiceLineView:
    """One line of an invoice.

    Attributes:
        amount (str): Exact decimal string in the invoice's currency. Example: 7.33.
        amount_cents (int): The same in hundredths (cents).
        description (str):  Example: Pro (monthly price, 11 of 30 days, 2026-11-01 00:00 – 2026-11-12 00:00 UTC).
        ends_at (datetime.datetime):
        kind (str): `plan` (plan time, prorated) or `overage` (billed audio beyond the included minutes). Example: plan.
        position (int): 1, 2, … in the invoice's order.
        starts_at (datetime.datetime):
        plan_id (None | Unset | UUID):
        quantity_ms (int | None | Unset): Overage lines: billed milliseconds beyond the included ones.
        unit_price_per_minute (None | str | Unset): Overage lines: the price of a minute (exact decimal, up to five
            decimals). Example: 0.006.
    """

    amount: str
    amount_cents: int
    description: str
    ends_at: datetime.datetime
    kind: str
    position: int
    starts_at: datetime.datetime
    plan_id: None | Unset | UUID = UNSET
    quantity_ms: int | None | Unset = UNSET
    unit_price_per_minute: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        amount_cents = self.amount_cents

        description = self.description

        ends_at = self.ends_at.isoformat()

        kind = self.kind

        position = self.position

        starts_at = self.starts_at.isoformat()

        plan_id: None | str | Unset
        if isinstance(self.plan_id, Unset):
            plan_id = UNSET
        elif isinstance(self.plan_id, UUID):
            plan_id = str(self.plan_id)
        else:
            plan_id = self.plan_id

        quantity_ms: int | None | Unset
        if isinstance(self.quantity_ms, Unset):
            quantity_ms = UNSET
        else:
            quantity_ms = self.quantity_ms

        unit_price_per_minute: None | str | Unset
        if isinstance(self.unit_price_per_minute, Unset):
            unit_price_per_minute = UNSET
        else:
            unit_price_per_minute = self.unit_price_per_minute

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "amount_cents": amount_cents,
                "description": description,
                "ends_at": ends_at,
                "kind": kind,
                "position": position,
                "starts_at": starts_at,
            }
        )
        if plan_id is not UNSET:
            field_dict["plan_id"] = plan_id
        if quantity_ms is not UNSET:
            field_dict["quantity_ms"] = quantity_ms
        if unit_price_per_minute is not UNSET:
            field_dict["unit_price_per_minute"] = unit_price_per_minute

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        amount_cents = d.pop("amount_cents")

        description = d.pop("description")

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        kind = d.pop("kind")

        position = d.pop("position")

        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))

        def _parse_plan_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                plan_id_type_0 = UUID(data)

                return plan_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        plan_id = _parse_plan_id(d.pop("plan_id", UNSET))

        def _parse_quantity_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        quantity_ms = _parse_quantity_ms(d.pop("quantity_ms", UNSET))

        def _parse_unit_price_per_minute(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit_price_per_minute = _parse_unit_price_per_minute(d.pop("unit_price_per_minute", UNSET))

        invoice_line_view = cls(
            amount=amount,
            amount_cents=amount_cents,
            description=description,
            ends_at=ends_at,
            kind=kind,
            position=position,
            starts_at=starts_at,
            plan_id=plan_id,
            quantity_ms=quantity_ms,
            unit_price_per_minute=unit_price_per_minute,
        )

        invoice_line_view.additional_properties = d
        return invoice_line_view

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
