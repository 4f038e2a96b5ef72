from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plan_features import PlanFeatures


T = TypeVar("T", bound="PlanView")


@_attrs_define
class PlanView:
    """
    Attributes:
        created_at (datetime.datetime):
        currency (str): ISO 4217 code.
        features (PlanFeatures): What a plan lets its tenants use. Every field is optional: absent means no limit.
        id (UUID):
        max_concurrent_jobs (int):
        max_users (int):
        name (str):
        overage_price_per_minute (str): Price of each minute of billed audio beyond `processing_quota_minutes` in a
            billing
            period (exact, up to five decimals; metered by the millisecond; docs/billing.md). Example: 0.006.
        price_monthly (str):  Example: 19.00.
        price_yearly (str):  Example: 190.00.
        processing_quota_minutes (int):
        storage_quota_mb (int):
        updated_at (datetime.datetime):
        description (None | str | Unset):
        reseller_id (None | Unset | UUID): Null for system plans offered by the platform.
        retention_days (int | None | Unset): Days its tenants' uploaded files and job artifacts are kept before the
            sweeper purges
            them (docs/data-lifecycle.md); null: kept until deleted.
    """

    created_at: datetime.datetime
    currency: str
    features: PlanFeatures
    id: UUID
    max_concurrent_jobs: int
    max_users: int
    name: str
    overage_price_per_minute: str
    price_monthly: str
    price_yearly: str
    processing_quota_minutes: int
    storage_quota_mb: int
    updated_at: datetime.datetime
    description: None | str | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    retention_days: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        currency = self.currency

        features = self.features.to_dict()

        id = str(self.id)

        max_concurrent_jobs = self.max_concurrent_jobs

        max_users = self.max_users

        name = self.name

        overage_price_per_minute = self.overage_price_per_minute

        price_monthly = self.price_monthly

        price_yearly = self.price_yearly

        processing_quota_minutes = self.processing_quota_minutes

        storage_quota_mb = self.storage_quota_mb

        updated_at = self.updated_at.isoformat()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        reseller_id: None | str | Unset
        if isinstance(self.reseller_id, Unset):
            reseller_id = UNSET
        elif isinstance(self.reseller_id, UUID):
            reseller_id = str(self.reseller_id)
        else:
            reseller_id = self.reseller_id

        retention_days: int | None | Unset
        if isinstance(self.retention_days, Unset):
            retention_days = UNSET
        else:
            retention_days = self.retention_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "currency": currency,
                "features": features,
                "id": id,
                "max_concurrent_jobs": max_concurrent_jobs,
                "max_users": max_users,
                "name": name,
                "overage_price_per_minute": overage_price_per_minute,
                "price_monthly": price_monthly,
                "price_yearly": price_yearly,
                "processing_quota_minutes": processing_quota_minutes,
                "storage_quota_mb": storage_quota_mb,
                "updated_at": updated_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id
        if retention_days is not UNSET:
            field_dict["retention_days"] = retention_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_features import PlanFeatures  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        features = PlanFeatures.from_dict(d.pop("features"))

        id = UUID(d.pop("id"))

        max_concurrent_jobs = d.pop("max_concurrent_jobs")

        max_users = d.pop("max_users")

        name = d.pop("name")

        overage_price_per_minute = d.pop("overage_price_per_minute")

        price_monthly = d.pop("price_monthly")

        price_yearly = d.pop("price_yearly")

        processing_quota_minutes = d.pop("processing_quota_minutes")

        storage_quota_mb = d.pop("storage_quota_mb")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

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

        def _parse_retention_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        retention_days = _parse_retention_days(d.pop("retention_days", UNSET))

        plan_view = cls(
            created_at=created_at,
            currency=currency,
            features=features,
            id=id,
            max_concurrent_jobs=max_concurrent_jobs,
            max_users=max_users,
            name=name,
            overage_price_per_minute=overage_price_per_minute,
            price_monthly=price_monthly,
            price_yearly=price_yearly,
            processing_quota_minutes=processing_quota_minutes,
            storage_quota_mb=storage_quota_mb,
            updated_at=updated_at,
            description=description,
            reseller_id=reseller_id,
            retention_days=retention_days,
        )

        plan_view.additional_properties = d
        return plan_view

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
