from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RevenueCatEventView")


@_attrs_define
class RevenueCatEventView:
    """One webhook as received.

    Attributes:
        detail (str):
        id (UUID):
        outcome (str): `applied`, `stale`, `recorded`, `test`, `unmapped`, `sandbox`, `unknown` or `malformed`.
        payload (str): The body exactly as received.
        received_at (datetime.datetime):
        tenant_ids (list[UUID]):
        app_user_id (None | str | Unset):
        environment (None | str | Unset):
        event_id (None | str | Unset): RevenueCat's event id (none for a malformed body).
        event_timestamp_ms (int | None | Unset):
        event_type (None | str | Unset):
    """

    detail: str
    id: UUID
    outcome: str
    payload: str
    received_at: datetime.datetime
    tenant_ids: list[UUID]
    app_user_id: None | str | Unset = UNSET
    environment: None | str | Unset = UNSET
    event_id: None | str | Unset = UNSET
    event_timestamp_ms: int | None | Unset = UNSET
    event_type: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        id = str(self.id)

        outcome = self.outcome

        payload = self.payload

        received_at = self.received_at.isoformat()

        tenant_ids = []
        for tenant_ids_item_data in self.tenant_ids:
            tenant_ids_item = str(tenant_ids_item_data)
            tenant_ids.append(tenant_ids_item)

        app_user_id: None | str | Unset
        if isinstance(self.app_user_id, Unset):
            app_user_id = UNSET
        else:
            app_user_id = self.app_user_id

        environment: None | str | Unset
        if isinstance(self.environment, Unset):
            environment = UNSET
        else:
            environment = self.environment

        event_id: None | str | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        else:
            event_id = self.event_id

        event_timestamp_ms: int | None | Unset
        if isinstance(self.event_timestamp_ms, Unset):
            event_timestamp_ms = UNSET
        else:
            event_timestamp_ms = self.event_timestamp_ms

        event_type: None | str | Unset
        if isinstance(self.event_type, Unset):
            event_type = UNSET
        else:
            event_type = self.event_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "id": id,
                "outcome": outcome,
                "payload": payload,
                "received_at": received_at,
                "tenant_ids": tenant_ids,
            }
        )
        if app_user_id is not UNSET:
            field_dict["app_user_id"] = app_user_id
        if environment is not UNSET:
            field_dict["environment"] = environment
        if event_id is not UNSET:
            field_dict["event_id"] = event_id
        if event_timestamp_ms is not UNSET:
            field_dict["event_timestamp_ms"] = event_timestamp_ms
        if event_type is not UNSET:
            field_dict["event_type"] = event_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        detail = d.pop("detail")

        id = UUID(d.pop("id"))

        outcome = d.pop("outcome")

        payload = d.pop("payload")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        tenant_ids = []
        _tenant_ids = d.pop("tenant_ids")
        for tenant_ids_item_data in _tenant_ids:
            tenant_ids_item = UUID(tenant_ids_item_data)

            tenant_ids.append(tenant_ids_item)

        def _parse_app_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        app_user_id = _parse_app_user_id(d.pop("app_user_id", UNSET))

        def _parse_environment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        environment = _parse_environment(d.pop("environment", UNSET))

        def _parse_event_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        event_id = _parse_event_id(d.pop("event_id", UNSET))

        def _parse_event_timestamp_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        event_timestamp_ms = _parse_event_timestamp_ms(d.pop("event_timestamp_ms", UNSET))

        def _parse_event_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        event_type = _parse_event_type(d.pop("event_type", UNSET))

        revenue_cat_event_view = cls(
            detail=detail,
            id=id,
            outcome=outcome,
            payload=payload,
            received_at=received_at,
            tenant_ids=tenant_ids,
            app_user_id=app_user_id,
            environment=environment,
            event_id=event_id,
            event_timestamp_ms=event_timestamp_ms,
            event_type=event_type,
        )

        revenue_cat_event_view.additional_properties = d
        return revenue_cat_event_view

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
