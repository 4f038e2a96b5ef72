from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RevenueCatWebhookAck")


@_attrs_define
class RevenueCatWebhookAck:
    """What one webhook did.

    Attributes:
        outcome (str): `applied`, `stale` (older than what the tenant's subscription already reflects),
            `recorded` (an event type that changes nothing here), `test`, `unmapped` (no tenant
            for its App User ID), `sandbox` (a sandbox event, not applied), `unknown` (an event
            type this service does not know), `malformed`, or `duplicate` (this event id was
            already received: nothing changed).
        received (bool): Always true: the webhook was received and stored (or was a replay).
        tenant_ids (list[UUID]): The tenants the event concerned.
        event_id (None | str | Unset): RevenueCat's event id, when the body had one.
    """

    outcome: str
    received: bool
    tenant_ids: list[UUID]
    event_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        outcome = self.outcome

        received = self.received

        tenant_ids = []
        for tenant_ids_item_data in self.tenant_ids:
            tenant_ids_item = str(tenant_ids_item_data)
            tenant_ids.append(tenant_ids_item)

        event_id: None | str | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        else:
            event_id = self.event_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "outcome": outcome,
                "received": received,
                "tenant_ids": tenant_ids,
            }
        )
        if event_id is not UNSET:
            field_dict["event_id"] = event_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        outcome = d.pop("outcome")

        received = d.pop("received")

        tenant_ids = []
        _tenant_ids = d.pop("tenant_ids")
        for tenant_ids_item_data in _tenant_ids:
            tenant_ids_item = UUID(tenant_ids_item_data)

            tenant_ids.append(tenant_ids_item)

        def _parse_event_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        event_id = _parse_event_id(d.pop("event_id", UNSET))

        revenue_cat_webhook_ack = cls(
            outcome=outcome,
            received=received,
            tenant_ids=tenant_ids,
            event_id=event_id,
        )

        revenue_cat_webhook_ack.additional_properties = d
        return revenue_cat_webhook_ack

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
