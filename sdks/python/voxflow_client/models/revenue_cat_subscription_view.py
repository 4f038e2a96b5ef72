from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RevenueCatSubscriptionView")


@_attrs_define
class RevenueCatSubscriptionView:
    """What RevenueCat last said about a tenant.

    Attributes:
        app_user_id (str):
        entitlement_ids (list[str]):
        last_event_id (str):
        last_event_type (str):
        updated_at (datetime.datetime):
        auto_resume_at (datetime.datetime | None | Unset): When a paused (Google Play) subscription resumes.
        environment (None | str | Unset):
        expires_at (datetime.datetime | None | Unset):
        last_event_at (datetime.datetime | None | Unset):
        original_transaction_id (None | str | Unset):
        pending_product_id (None | str | Unset): The product a PRODUCT_CHANGE announced, until a renewal or purchase
            carries it.
        period_type (None | str | Unset): `NORMAL`, `TRIAL`, `INTRO`, … as RevenueCat sent it.
        product_id (None | str | Unset):
        store (None | str | Unset):
        will_renew (bool | None | Unset): False after a CANCELLATION (or EXPIRATION), true after an UNCANCELLATION or
            renewal.
    """

    app_user_id: str
    entitlement_ids: list[str]
    last_event_id: str
    last_event_type: str
    updated_at: datetime.datetime
    auto_resume_at: datetime.datetime | None | Unset = UNSET
    environment: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    last_event_at: datetime.datetime | None | Unset = UNSET
    original_transaction_id: None | str | Unset = UNSET
    pending_product_id: None | str | Unset = UNSET
    period_type: None | str | Unset = UNSET
    product_id: None | str | Unset = UNSET
    store: None | str | Unset = UNSET
    will_renew: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        app_user_id = self.app_user_id

        entitlement_ids = self.entitlement_ids

        last_event_id = self.last_event_id

        last_event_type = self.last_event_type

        updated_at = self.updated_at.isoformat()

        auto_resume_at: None | str | Unset
        if isinstance(self.auto_resume_at, Unset):
            auto_resume_at = UNSET
        elif isinstance(self.auto_resume_at, datetime.datetime):
            auto_resume_at = self.auto_resume_at.isoformat()
        else:
            auto_resume_at = self.auto_resume_at

        environment: None | str | Unset
        if isinstance(self.environment, Unset):
            environment = UNSET
        else:
            environment = self.environment

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        last_event_at: None | str | Unset
        if isinstance(self.last_event_at, Unset):
            last_event_at = UNSET
        elif isinstance(self.last_event_at, datetime.datetime):
            last_event_at = self.last_event_at.isoformat()
        else:
            last_event_at = self.last_event_at

        original_transaction_id: None | str | Unset
        if isinstance(self.original_transaction_id, Unset):
            original_transaction_id = UNSET
        else:
            original_transaction_id = self.original_transaction_id

        pending_product_id: None | str | Unset
        if isinstance(self.pending_product_id, Unset):
            pending_product_id = UNSET
        else:
            pending_product_id = self.pending_product_id

        period_type: None | str | Unset
        if isinstance(self.period_type, Unset):
            period_type = UNSET
        else:
            period_type = self.period_type

        product_id: None | str | Unset
        if isinstance(self.product_id, Unset):
            product_id = UNSET
        else:
            product_id = self.product_id

        store: None | str | Unset
        if isinstance(self.store, Unset):
            store = UNSET
        else:
            store = self.store

        will_renew: bool | None | Unset
        if isinstance(self.will_renew, Unset):
            will_renew = UNSET
        else:
            will_renew = self.will_renew

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "app_user_id": app_user_id,
                "entitlement_ids": entitlement_ids,
                "last_event_id": last_event_id,
                "last_event_type": last_event_type,
                "updated_at": updated_at,
            }
        )
        if auto_resume_at is not UNSET:
            field_dict["auto_resume_at"] = auto_resume_at
        if environment is not UNSET:
            field_dict["environment"] = environment
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if last_event_at is not UNSET:
            field_dict["last_event_at"] = last_event_at
        if original_transaction_id is not UNSET:
            field_dict["original_transaction_id"] = original_transaction_id
        if pending_product_id is not UNSET:
            field_dict["pending_product_id"] = pending_product_id
        if period_type is not UNSET:
            field_dict["period_type"] = period_type
        if product_id is not UNSET:
            field_dict["product_id"] = product_id
        if store is not UNSET:
            field_dict["store"] = store
        if will_renew is not UNSET:
            field_dict["will_renew"] = will_renew

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        app_user_id = d.pop("app_user_id")

        entitlement_ids = cast(list[str], d.pop("entitlement_ids"))

        last_event_id = d.pop("last_event_id")

        last_event_type = d.pop("last_event_type")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_auto_resume_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                auto_resume_at_type_0 = datetime.datetime.fromisoformat(data)

                return auto_resume_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        auto_resume_at = _parse_auto_resume_at(d.pop("auto_resume_at", UNSET))

        def _parse_environment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        environment = _parse_environment(d.pop("environment", UNSET))

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_last_event_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_event_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_event_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_event_at = _parse_last_event_at(d.pop("last_event_at", UNSET))

        def _parse_original_transaction_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        original_transaction_id = _parse_original_transaction_id(d.pop("original_transaction_id", UNSET))

        def _parse_pending_product_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pending_product_id = _parse_pending_product_id(d.pop("pending_product_id", UNSET))

        def _parse_period_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        period_type = _parse_period_type(d.pop("period_type", UNSET))

        def _parse_product_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        product_id = _parse_product_id(d.pop("product_id", UNSET))

        def _parse_store(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store = _parse_store(d.pop("store", UNSET))

        def _parse_will_renew(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        will_renew = _parse_will_renew(d.pop("will_renew", UNSET))

        revenue_cat_subscription_view = cls(
            app_user_id=app_user_id,
            entitlement_ids=entitlement_ids,
            last_event_id=last_event_id,
            last_event_type=last_event_type,
            updated_at=updated_at,
            auto_resume_at=auto_resume_at,
            environment=environment,
            expires_at=expires_at,
            last_event_at=last_event_at,
            original_transaction_id=original_transaction_id,
            pending_product_id=pending_product_id,
            period_type=period_type,
            product_id=product_id,
            store=store,
            will_renew=will_renew,
        )

        revenue_cat_subscription_view.additional_properties = d
        return revenue_cat_subscription_view

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
