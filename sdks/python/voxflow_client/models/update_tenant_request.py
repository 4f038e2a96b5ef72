from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateTenantRequest")


@_attrs_define
class UpdateTenantRequest:
    """
    Attributes:
        billing_interval (None | str | Unset): `month` or `year` (platform and reseller admins).
        domain (None | str | Unset):
        name (None | str | Unset):
        processing_quota_minutes (int | None | Unset):
        retention_days (int | None | Unset): Overrides the plan's `retention_days` (platform and reseller admins); null:
            the
            plan's value applies again.
        status (None | str | Unset): `active` or `suspended` (platform and reseller admins). A suspended tenant is
            read-only: reads and downloads work, every change answers `tenant_suspended`.
        storage_quota_mb (int | None | Unset):
        subscription_id (None | str | Unset):
        subscription_plan_id (None | Unset | UUID):
        subscription_status (None | str | Unset):
    """

    billing_interval: None | str | Unset = UNSET
    domain: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    processing_quota_minutes: int | None | Unset = UNSET
    retention_days: int | None | Unset = UNSET
    status: None | str | Unset = UNSET
    storage_quota_mb: int | None | Unset = UNSET
    subscription_id: None | str | Unset = UNSET
    subscription_plan_id: None | Unset | UUID = UNSET
    subscription_status: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        billing_interval: None | str | Unset
        if isinstance(self.billing_interval, Unset):
            billing_interval = UNSET
        else:
            billing_interval = self.billing_interval

        domain: None | str | Unset
        if isinstance(self.domain, Unset):
            domain = UNSET
        else:
            domain = self.domain

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

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

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        storage_quota_mb: int | None | Unset
        if isinstance(self.storage_quota_mb, Unset):
            storage_quota_mb = UNSET
        else:
            storage_quota_mb = self.storage_quota_mb

        subscription_id: None | str | Unset
        if isinstance(self.subscription_id, Unset):
            subscription_id = UNSET
        else:
            subscription_id = self.subscription_id

        subscription_plan_id: None | str | Unset
        if isinstance(self.subscription_plan_id, Unset):
            subscription_plan_id = UNSET
        elif isinstance(self.subscription_plan_id, UUID):
            subscription_plan_id = str(self.subscription_plan_id)
        else:
            subscription_plan_id = self.subscription_plan_id

        subscription_status: None | str | Unset
        if isinstance(self.subscription_status, Unset):
            subscription_status = UNSET
        else:
            subscription_status = self.subscription_status

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if billing_interval is not UNSET:
            field_dict["billing_interval"] = billing_interval
        if domain is not UNSET:
            field_dict["domain"] = domain
        if name is not UNSET:
            field_dict["name"] = name
        if processing_quota_minutes is not UNSET:
            field_dict["processing_quota_minutes"] = processing_quota_minutes
        if retention_days is not UNSET:
            field_dict["retention_days"] = retention_days
        if status is not UNSET:
            field_dict["status"] = status
        if storage_quota_mb is not UNSET:
            field_dict["storage_quota_mb"] = storage_quota_mb
        if subscription_id is not UNSET:
            field_dict["subscription_id"] = subscription_id
        if subscription_plan_id is not UNSET:
            field_dict["subscription_plan_id"] = subscription_plan_id
        if subscription_status is not UNSET:
            field_dict["subscription_status"] = subscription_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_billing_interval(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billing_interval = _parse_billing_interval(d.pop("billing_interval", UNSET))

        def _parse_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        domain = _parse_domain(d.pop("domain", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

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

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_storage_quota_mb(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        storage_quota_mb = _parse_storage_quota_mb(d.pop("storage_quota_mb", UNSET))

        def _parse_subscription_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subscription_id = _parse_subscription_id(d.pop("subscription_id", UNSET))

        def _parse_subscription_plan_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                subscription_plan_id_type_0 = UUID(data)

                return subscription_plan_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        subscription_plan_id = _parse_subscription_plan_id(d.pop("subscription_plan_id", UNSET))

        def _parse_subscription_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subscription_status = _parse_subscription_status(d.pop("subscription_status", UNSET))

        update_tenant_request = cls(
            billing_interval=billing_interval,
            domain=domain,
            name=name,
            processing_quota_minutes=processing_quota_minutes,
            retention_days=retention_days,
            status=status,
            storage_quota_mb=storage_quota_mb,
            subscription_id=subscription_id,
            subscription_plan_id=subscription_plan_id,
            subscription_status=subscription_status,
        )

        return update_tenant_request
