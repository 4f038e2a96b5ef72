from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CustomerCounts")


@_attrs_define
class CustomerCounts:
    """A reseller's customers by subscription status (deleted tenants left out).

    Attributes:
        active (int):
        cancelled (int):
        expired (int):
        past_due (int):
        suspended (int): Tenants suspended (whatever their subscription), also counted above.
        total (int):
        trial (int):
    """

    active: int
    cancelled: int
    expired: int
    past_due: int
    suspended: int
    total: int
    trial: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        cancelled = self.cancelled

        expired = self.expired

        past_due = self.past_due

        suspended = self.suspended

        total = self.total

        trial = self.trial

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "cancelled": cancelled,
                "expired": expired,
                "past_due": past_due,
                "suspended": suspended,
                "total": total,
                "trial": trial,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active = d.pop("active")

        cancelled = d.pop("cancelled")

        expired = d.pop("expired")

        past_due = d.pop("past_due")

        suspended = d.pop("suspended")

        total = d.pop("total")

        trial = d.pop("trial")

        customer_counts = cls(
            active=active,
            cancelled=cancelled,
            expired=expired,
            past_due=past_due,
            suspended=suspended,
            total=total,
            trial=trial,
        )

        customer_counts.additional_properties = d
        return customer_counts

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
