from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TenantView")


@_attrs_define
class TenantView:
    """
    Attributes:
        billing_interval (str): `month` (pays the plan's monthly price) or `year` (its yearly price, spread evenly
            over the year; docs/billing.md). Example: month.
        created_at (datetime.datetime):
        id (UUID):
        name (str):
        status (str): `active` or `suspended`.
        subscription_status (str): `active`, `trial`, `past_due`, `expired` or `cancelled`.
        updated_at (datetime.datetime):
        domain (None | str | Unset):
        past_due_since (datetime.datetime | None | Unset): When the subscription became `past_due` (null otherwise): new
            work is admitted for
            `VOXFLOW_PAST_DUE_GRACE_DAYS` from then.
        processing_quota_minutes (int | None | Unset):
        reseller_id (None | Unset | UUID):
        retention_days (int | None | Unset): Days uploaded files and job artifacts are kept before the sweeper purges
            them,
            overriding the plan's `retention_days`; null means the plan's value applies
            (docs/data-lifecycle.md).
        storage_quota_mb (int | None | Unset): Overrides of the plan's quotas; null means the plan's value applies.
        subscription_id (None | str | Unset): External billing reference (e.g. a RevenueCat subscription id).
        subscription_plan_id (None | Unset | UUID):
    """

    billing_interval: str
    created_at: datetime.datetime
    id: UUID
    name: str
    status: str
    subscription_status: str
    updated_at: datetime.datetime
    domain: None | str | Unset = UNSET
    past_due_since: datetime.datetime | None | Unset = UNSET
    processing_quota_minutes: int | None | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    retention_days: int | None | Unset = UNSET
    storage_quota_mb: int | None | Unset = UNSET
    subscription_id: None | str | Unset = UNSET
    subscription_plan_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        billing_interval = self.billing_interval

        created_at = self.created_at.isoformat()

        id = str(self.id)

        name = self.name

        status = self.status

        subscription_status = self.subscription_status

        updated_at = self.updated_at.isoformat()

        domain: None | str | Unset
        if isinstance(self.domain, Unset):
            domain = UNSET
        else:
            domain = self.domain

        past_due_since: None | str | Unset
        if isinstance(self.past_due_since, Unset):
            past_due_since = UNSET
        elif isinstance(self.past_due_since, datetime.datetime):
            past_due_since = self.past_due_since.isoformat()
        else:
            past_due_since = self.past_due_since

        processing_quota_minutes: int | None | Unset
        if isinstance(self.processing_quota_minutes, Unset):
            processing_quota_minutes = UNSET
        else:
            processing_quota_minutes = self.processing_quota_minutes

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "billing_interval": billing_interval,
                "created_at": created_at,
                "id": id,
                "name": name,
                "status": status,
                "subscription_status": subscription_status,
                "updated_at": updated_at,
            }
        )
        if domain is not UNSET:
            field_dict["domain"] = domain
        if past_due_since is not UNSET:
            field_dict["past_due_since"] = past_due_since
        if processing_quota_minutes is not UNSET:
            field_dict["processing_quota_minutes"] = processing_quota_minutes
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id
        if retention_days is not UNSET:
            field_dict["retention_days"] = retention_days
        if storage_quota_mb is not UNSET:
            field_dict["storage_quota_mb"] = storage_quota_mb
        if subscription_id is not UNSET:
            field_dict["subscription_id"] = subscription_id
        if subscription_plan_id is not UNSET:
            field_dict["subscription_plan_id"] = subscription_plan_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        billing_interval = d.pop("billing_interval")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        name = d.pop("name")

        status = d.pop("status")

        subscription_status = d.pop("subscription_status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        domain = _parse_domain(d.pop("domain", UNSET))

        def _parse_past_due_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                past_due_since_type_0 = datetime.datetime.fromisoformat(data)

                return past_due_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        past_due_since = _parse_past_due_since(d.pop("past_due_since", UNSET))

        def _parse_processing_quota_minutes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        processing_quota_minutes = _parse_processing_quota_minutes(d.pop("processing_quota_minutes", UNSET))

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

        tenant_view = cls(
            billing_interval=billing_interval,
            created_at=created_at,
            id=id,
            name=name,
            status=status,
            subscription_status=subscription_status,
            updated_at=updated_at,
            domain=domain,
            past_due_since=past_due_since,
            processing_quota_minutes=processing_quota_minutes,
            reseller_id=reseller_id,
            retention_days=retention_days,
            storage_quota_mb=storage_quota_mb,
            subscription_id=subscription_id,
            subscription_plan_id=subscription_plan_id,
        )

        tenant_view.additional_properties = d
        return tenant_view

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
