from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="AppUserMapping")


@_attrs_define
class AppUserMapping:
    """One `app_user_id` → tenant mapping of an integration.

    Attributes:
        app_user_id (str): RevenueCat's App User ID (or one of its aliases).
        tenant_id (UUID):
    """

    app_user_id: str
    tenant_id: UUID

    def to_dict(self) -> dict[str, Any]:
        app_user_id = self.app_user_id

        tenant_id = str(self.tenant_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "app_user_id": app_user_id,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        app_user_id = d.pop("app_user_id")

        tenant_id = UUID(d.pop("tenant_id"))

        app_user_mapping = cls(
            app_user_id=app_user_id,
            tenant_id=tenant_id,
        )

        return app_user_mapping
