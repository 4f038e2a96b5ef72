from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.revenue_cat_webhook_body_event import RevenueCatWebhookBodyEvent


T = TypeVar("T", bound="RevenueCatWebhookBody")


@_attrs_define
class RevenueCatWebhookBody:
    """A webhook body as RevenueCat sends it (any JSON is accepted and stored).

    Attributes:
        event (RevenueCatWebhookBodyEvent): The event: `id`, `type`, `app_user_id`, `event_timestamp_ms`, `product_id`,
            `entitlement_ids`, … (RevenueCat's "Event Types and Fields").
        api_version (None | str | Unset):  Example: 1.0.
    """

    event: RevenueCatWebhookBodyEvent
    api_version: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event.to_dict()

        api_version: None | str | Unset
        if isinstance(self.api_version, Unset):
            api_version = UNSET
        else:
            api_version = self.api_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
            }
        )
        if api_version is not UNSET:
            field_dict["api_version"] = api_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.revenue_cat_webhook_body_event import RevenueCatWebhookBodyEvent  # noqa: PLC0415

        d = dict(src_dict)
        event = RevenueCatWebhookBodyEvent.from_dict(d.pop("event"))

        def _parse_api_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_version = _parse_api_version(d.pop("api_version", UNSET))

        revenue_cat_webhook_body = cls(
            event=event,
            api_version=api_version,
        )

        revenue_cat_webhook_body.additional_properties = d
        return revenue_cat_webhook_body

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
