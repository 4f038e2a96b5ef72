from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plan_features import PlanFeatures


T = TypeVar("T", bound="CreatePlanRequest")


@_attrs_define
class CreatePlanRequest:
    """
    Attributes:
        max_users (int):
        name (str):
        price_monthly (str):  Example: 19.00.
        price_yearly (str):  Example: 190.00.
        processing_quota_minutes (int):
        storage_quota_mb (int):
        currency (None | str | Unset): ISO 4217 code; default `USD`.
        description (None | str | Unset):
        features (None | PlanFeatures | Unset):
        max_concurrent_jobs (int | None | Unset): Jobs a tenant may run at once (default 2).
        overage_price_per_minute (None | str | Unset): Price of a minute beyond the included ones (up to five decimals);
            default `0`. Example: 0.006.
        reseller_id (None | Unset | UUID): Platform admins only: the reseller owning the plan (none: a system plan).
        retention_days (int | None | Unset): Days files and job artifacts are kept (1 to 36500); absent: kept until
            deleted.
    """

    max_users: int
    name: str
    price_monthly: str
    price_yearly: str
    processing_quota_minutes: int
    storage_quota_mb: int
    currency: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    features: None | PlanFeatures | Unset = UNSET
    max_concurrent_jobs: int | None | Unset = UNSET
    overage_price_per_minute: None | str | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    retention_days: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.plan_features import PlanFeatures  # noqa: PLC0415

        max_users = self.max_users

        name = self.name

        price_monthly = self.price_monthly

        price_yearly = self.price_yearly

        processing_quota_minutes = self.processing_quota_minutes

        storage_quota_mb = self.storage_quota_mb

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        features: dict[str, Any] | None | Unset
        if isinstance(self.features, Unset):
            features = UNSET
        elif isinstance(self.features, PlanFeatures):
            features = self.features.to_dict()
        else:
            features = self.features

        max_concurrent_jobs: int | None | Unset
        if isinstance(self.max_concurrent_jobs, Unset):
            max_concurrent_jobs = UNSET
        else:
            max_concurrent_jobs = self.max_concurrent_jobs

        overage_price_per_minute: None | str | Unset
        if isinstance(self.overage_price_per_minute, Unset):
            overage_price_per_minute = UNSET
        else:
            overage_price_per_minute = self.overage_price_per_minute

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

        field_dict.update(
            {
                "max_users": max_users,
                "name": name,
                "price_monthly": price_monthly,
                "price_yearly": price_yearly,
                "processing_quota_minutes": processing_quota_minutes,
                "storage_quota_mb": storage_quota_mb,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency
        if description is not UNSET:
            field_dict["description"] = description
        if features is not UNSET:
            field_dict["features"] = features
        if max_concurrent_jobs is not UNSET:
            field_dict["max_concurrent_jobs"] = max_concurrent_jobs
        if overage_price_per_minute is not UNSET:
            field_dict["overage_price_per_minute"] = overage_price_per_minute
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id
        if retention_days is not UNSET:
            field_dict["retention_days"] = retention_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_features import PlanFeatures  # noqa: PLC0415

        d = dict(src_dict)
        max_users = d.pop("max_users")

        name = d.pop("name")

        price_monthly = d.pop("price_monthly")

        price_yearly = d.pop("price_yearly")

        processing_quota_minutes = d.pop("processing_quota_minutes")

        storage_quota_mb = d.pop("storage_quota_mb")

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_features(data: object) -> None | PlanFeatures | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                features_type_0 = PlanFeatures.from_dict(data)

                return features_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlanFeatures | Unset, data)

        features = _parse_features(d.pop("features", UNSET))

        def _parse_max_concurrent_jobs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_concurrent_jobs = _parse_max_concurrent_jobs(d.pop("max_concurrent_jobs", UNSET))

        def _parse_overage_price_per_minute(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        overage_price_per_minute = _parse_overage_price_per_minute(d.pop("overage_price_per_minute", UNSET))

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

        create_plan_request = cls(
            max_users=max_users,
            name=name,
            price_monthly=price_monthly,
            price_yearly=price_yearly,
            processing_quota_minutes=processing_quota_minutes,
            storage_quota_mb=storage_quota_mb,
            currency=currency,
            description=description,
            features=features,
            max_concurrent_jobs=max_concurrent_jobs,
            overage_price_per_minute=overage_price_per_minute,
            reseller_id=reseller_id,
            retention_days=retention_days,
        )

        return create_plan_request
