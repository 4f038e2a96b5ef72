from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="ProductMapping")


@_attrs_define
class ProductMapping:
    """One product → plan mapping.

    Attributes:
        plan_id (UUID):
        product_id (str): A store product identifier, as in the event's `product_id`.
    """

    plan_id: UUID
    product_id: str

    def to_dict(self) -> dict[str, Any]:
        plan_id = str(self.plan_id)

        product_id = self.product_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "plan_id": plan_id,
                "product_id": product_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        plan_id = UUID(d.pop("plan_id"))

        product_id = d.pop("product_id")

        product_mapping = cls(
            plan_id=plan_id,
            product_id=product_id,
        )

        return product_mapping
