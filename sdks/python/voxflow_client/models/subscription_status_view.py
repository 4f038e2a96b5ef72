from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.revenue_cat_subscription_view import RevenueCatSubscriptionView


T = TypeVar("T", bound="SubscriptionStatusView")


@_attrs_define
class SubscriptionStatusView:
    """A tenant's subscription: its status and plan, whether new work is admitted, and what
    RevenueCat last said (absent when no RevenueCat event has reached it).

        Attributes:
            admits_new_work (bool): Whether admission's subscription step lets new work in now (reads always work).
            source (str): `revenuecat` when RevenueCat events drive it, else `manual`.
            subscription_status (str): `active`, `trial`, `past_due`, `expired` or `cancelled`.
            tenant_id (UUID):
            grace_ends_at (datetime.datetime | None | Unset): For `past_due`: when the grace period
                (`VOXFLOW_PAST_DUE_GRACE_DAYS`) ends.
            past_due_since (datetime.datetime | None | Unset):
            revenuecat (None | RevenueCatSubscriptionView | Unset):
            subscription_id (None | str | Unset):
            subscription_plan_id (None | Unset | UUID):
    """

    admits_new_work: bool
    source: str
    subscription_status: str
    tenant_id: UUID
    grace_ends_at: datetime.datetime | None | Unset = UNSET
    past_due_since: datetime.datetime | None | Unset = UNSET
    revenuecat: None | RevenueCatSubscriptionView | Unset = UNSET
    subscription_id: None | str | Unset = UNSET
    subscription_plan_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.revenue_cat_subscription_view import RevenueCatSubscriptionView  # noqa: PLC0415

        admits_new_work = self.admits_new_work

        source = self.source

        subscription_status = self.subscription_status

        tenant_id = str(self.tenant_id)

        grace_ends_at: None | str | Unset
        if isinstance(self.grace_ends_at, Unset):
            grace_ends_at = UNSET
        elif isinstance(self.grace_ends_at, datetime.datetime):
            grace_ends_at = self.grace_ends_at.isoformat()
        else:
            grace_ends_at = self.grace_ends_at

        past_due_since: None | str | Unset
        if isinstance(self.past_due_since, Unset):
            past_due_since = UNSET
        elif isinstance(self.past_due_since, datetime.datetime):
            past_due_since = self.past_due_since.isoformat()
        else:
            past_due_since = self.past_due_since

        revenuecat: dict[str, Any] | None | Unset
        if isinstance(self.revenuecat, Unset):
            revenuecat = UNSET
        elif isinstance(self.revenuecat, RevenueCatSubscriptionView):
            revenuecat = self.revenuecat.to_dict()
        else:
            revenuecat = self.revenuecat

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
                "admits_new_work": admits_new_work,
                "source": source,
                "subscription_status": subscription_status,
                "tenant_id": tenant_id,
            }
        )
        if grace_ends_at is not UNSET:
            field_dict["grace_ends_at"] = grace_ends_at
        if past_due_since is not UNSET:
            field_dict["past_due_since"] = past_due_since
        if revenuecat is not UNSET:
            field_dict["revenuecat"] = revenuecat
        if subscription_id is not UNSET:
            field_dict["subscription_id"] = subscription_id
        if subscription_plan_id is not UNSET:
            field_dict["subscription_plan_id"] = subscription_plan_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.revenue_cat_subscription_view import RevenueCatSubscriptionView  # noqa: PLC0415

        d = dict(src_dict)
        admits_new_work = d.pop("admits_new_work")

        source = d.pop("source")

        subscription_status = d.pop("subscription_status")

        tenant_id = UUID(d.pop("tenant_id"))

        def _parse_grace_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                grace_ends_at_type_0 = datetime.datetime.fromisoformat(data)

                return grace_ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        grace_ends_at = _parse_grace_ends_at(d.pop("grace_ends_at", UNSET))

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

        def _parse_revenuecat(data: object) -> None | RevenueCatSubscriptionView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                revenuecat_type_0 = RevenueCatSubscriptionView.from_dict(data)

                return revenuecat_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RevenueCatSubscriptionView | Unset, data)

        revenuecat = _parse_revenuecat(d.pop("revenuecat", UNSET))

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

        subscription_status_view = cls(
            admits_new_work=admits_new_work,
            source=source,
            subscription_status=subscription_status,
            tenant_id=tenant_id,
            grace_ends_at=grace_ends_at,
            past_due_since=past_due_since,
            revenuecat=revenuecat,
            subscription_id=subscription_id,
            subscription_plan_id=subscription_plan_id,
        )

        subscription_status_view.additional_properties = d
        return subscription_status_view

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
