from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plan_features import PlanFeatures


T = TypeVar("T", bound="UpdatePlanRequest")


@_attrs_define
class UpdatePlanRequest:
    """
    Attributes:
        currency (None | str | Unset):
        description (None | str | Unset):
        features (None | PlanFeatures | Unset):
        max_concurrent_jobs (int | None | Unset):
        max_users (int | None | Unset):
        name (None | str | Unset):
        overage_price_per_minute (None | str | Unset): Applies to billing periods closed from now on (docs/billing.md).
        price_monthly (None | str | Unset):
        price_yearly (None | str | Unset):
        processing_quota_minutes (int | None | Unset):
        retention_days (int | None | Unset): Applies at the next sweep, to what is stored already too; null: kept until
            deleted.
        storage_quota_mb (int | None | Unset):
    """

    currency: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    features: None | PlanFeatures | Unset = UNSET
    max_concurrent_jobs: int | None | Unset = UNSET
    max_users: int | None | Unset = UNSET
    name: None | str | Unset = UNSET
    overage_price_per_minute: None | str | Unset = UNSET
    price_monthly: None | str | Unset = UNSET
    price_yearly: None | str | Unset = UNSET
    processing_quota_minutes: int | None | Unset = UNSET
    retention_days: int | None | Unset = UNSET
    storage_quota_mb: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.plan_features import PlanFeatures  # noqa: PLC0415

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

        max_users: int | None | Unset
        if isinstance(self.max_users, Unset):
            max_users = UNSET
        else:
            max_users = self.max_users

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        overage_price_per_minute: None | str | Unset
        if isinstance(self.overage_price_per_minute, Unset):
            overage_price_per_minute = UNSET
        else:
            overage_price_per_minute = self.overage_price_per_minute

        price_monthly: None | str | Unset
        if isinstance(self.price_monthly, Unset):
            price_monthly = UNSET
        else:
            price_monthly = self.price_monthly

        price_yearly: None | str | Unset
        if isinstance(self.price_yearly, Unset):
            price_yearly = UNSET
        else:
            price_yearly = self.price_yearly

        processing_quota_minutes: int | None | Unset
        if isinstance(self.processing_quota_minutes, Unset):
            processing_quota_minutes = UNSET
        else:
            processing_quota_minutes = self.processing_quota_minutes

        retention_days: int | None | Unset
        if isinstance(self.retention_days, Unset):
            retention_days = UNSET
        else:
            retention_days = self.retention_days

        storage_quota_mb: int | None | Unset
        if isinstance(self.storage_quota_mb, Unset):
            storage_quota_mb = UNSET
        else:
            storage_quota_mb = self.storage_quota_mb

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if currency is not UNSET:
            field_dict["currency"] = currency
        if description is not UNSET:
            field_dict["description"] = description
        if features is not UNSET:
            field_dict["features"] = features
        if max_concurrent_jobs is not UNSET:
            field_dict["max_concurrent_jobs"] = max_concurrent_jobs
        if max_users is not UNSET:
            field_dict["max_users"] = max_users
        if name is not UNSET:
            field_dict["name"] = name
        if overage_price_per_minute is not UNSET:
            field_dict["overage_price_per_minute"] = overage_price_per_minute
        if price_monthly is not UNSET:
            field_dict["price_monthly"] = price_monthly
        if price_yearly is not UNSET:
            field_dict["price_yearly"] = price_yearly
        if processing_quota_minutes is not UNSET:
            field_dict["processing_quota_minutes"] = processing_quota_minutes
        if retention_days is not UNSET:
            field_dict["retention_days"] = retention_days
        if storage_quota_mb is not UNSET:
            field_dict["storage_quota_mb"] = storage_quota_mb

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_features import PlanFeatures  # noqa: PLC0415

        d = dict(src_dict)

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

        def _parse_max_users(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_users = _parse_max_users(d.pop("max_users", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_overage_price_per_minute(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        overage_price_per_minute = _parse_overage_price_per_minute(d.pop("overage_price_per_minute", UNSET))

        def _parse_price_monthly(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        price_monthly = _parse_price_monthly(d.pop("price_monthly", UNSET))

        def _parse_price_yearly(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        price_yearly = _parse_price_yearly(d.pop("price_yearly", UNSET))

        def _parse_processing_quota_minutes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        processing_quota_minutes = _parse_processing_quota_minutes(d.pop("processing_quota_minutes", UNSET))

        def _parse_retention_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        retention_days = _parse_retention_days(d.pop("retention_days", UNSET))

        def _parse_storage_quota_mb(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        storage_quota_mb = _parse_storage_quota_mb(d.pop("storage_quota_mb", UNSET))

        update_plan_request = cls(
            currency=currency,
            description=description,
            features=features,
            max_concurrent_jobs=max_concurrent_jobs,
            max_users=max_users,
            name=name,
            overage_price_per_minute=overage_price_per_minute,
            price_monthly=price_monthly,
            price_yearly=price_yearly,
            processing_quota_minutes=processing_quota_minutes,
            retention_days=retention_days,
            storage_quota_mb=storage_quota_mb,
        )

        return update_plan_request
