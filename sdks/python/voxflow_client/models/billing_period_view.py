from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BillingPeriodView")


@_attrs_define
class BillingPeriodView:
    """A closed billing period.

    Attributes:
        closed_at (datetime.datetime):
        invoice_count (int):
        period (str): `YYYY-MM`: a calendar month (UTC). Example: 2026-11.
        period_end (datetime.datetime): The next month's first instant (excluded).
        period_start (datetime.datetime):
        skipped (list[str]): On the answer to a close that wrote it: what could not be billed (a stretch of plan
            time whose plan was deleted). Empty otherwise.
        statement_count (int):
        closed_by (None | Unset | UUID): The platform admin who closed it (null: the `voxflow billing close` command).
    """

    closed_at: datetime.datetime
    invoice_count: int
    period: str
    period_end: datetime.datetime
    period_start: datetime.datetime
    skipped: list[str]
    statement_count: int
    closed_by: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        closed_at = self.closed_at.isoformat()

        invoice_count = self.invoice_count

        period = self.period

        period_end = self.period_end.isoformat()

        period_start = self.period_start.isoformat()

        skipped = self.skipped

        statement_count = self.statement_count

        closed_by: None | str | Unset
        if isinstance(self.closed_by, Unset):
            closed_by = UNSET
        elif isinstance(self.closed_by, UUID):
            closed_by = str(self.closed_by)
        else:
            closed_by = self.closed_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "closed_at": closed_at,
                "invoice_count": invoice_count,
                "period": period,
                "period_end": period_end,
                "period_start": period_start,
                "skipped": skipped,
                "statement_count": statement_count,
            }
        )
        if closed_by is not UNSET:
            field_dict["closed_by"] = closed_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        closed_at = datetime.datetime.fromisoformat(d.pop("closed_at"))

        invoice_count = d.pop("invoice_count")

        period = d.pop("period")

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))

        skipped = cast(list[str], d.pop("skipped"))

        statement_count = d.pop("statement_count")

        def _parse_closed_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_by_type_0 = UUID(data)

                return closed_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        closed_by = _parse_closed_by(d.pop("closed_by", UNSET))

        billing_period_view = cls(
            closed_at=closed_at,
            invoice_count=invoice_count,
            period=period,
            period_end=period_end,
            period_start=period_start,
            skipped=skipped,
            statement_count=statement_count,
            closed_by=closed_by,
        )

        billing_period_view.additional_properties = d
        return billing_period_view

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
