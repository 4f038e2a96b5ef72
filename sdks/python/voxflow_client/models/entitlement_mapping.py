from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="EntitlementMapping")


@_attrs_define
class EntitlementMapping:
    """One entitlement → plan mapping.

    Attributes:
        entitlement_id (str): A RevenueCat entitlement identifier, as in the event's `entitlement_ids`.
        plan_id (UUID):
    """

    entitlement_id: str
    plan_id: UUID

    def to_dict(self) -> dict[str, Any]:
        entitlement_id = self.entitlement_id

        plan_id = str(self.plan_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "entitlement_id": entitlement_id,
                "plan_id": plan_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entitlement_id = d.pop("entitlement_id")

        plan_id = UUID(d.pop("plan_id"))

        entitlement_mapping = cls(
            entitlement_id=entitlement_id,
            plan_id=plan_id,
        )

        return entitlement_mapping
