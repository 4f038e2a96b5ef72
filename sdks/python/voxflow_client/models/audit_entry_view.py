from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_entry_view_details import AuditEntryViewDetails


T = TypeVar("T", bound="AuditEntryView")


@_attrs_define
class AuditEntryView:
    """
    Attributes:
        action (str): `<resource>.<verb>`, e.g. `user.create`. Example: user.create.
        at (datetime.datetime):
        details (AuditEntryViewDetails):
        id (UUID):
        target_type (str):
        actor_api_key_id (None | Unset | UUID):
        actor_user_id (None | Unset | UUID):
        ip (None | str | Unset):
        request_id (None | str | Unset):
        reseller_id (None | Unset | UUID):
        target_id (None | str | Unset):
        tenant_id (None | Unset | UUID):
    """

    action: str
    at: datetime.datetime
    details: AuditEntryViewDetails
    id: UUID
    target_type: str
    actor_api_key_id: None | Unset | UUID = UNSET
    actor_user_id: None | Unset | UUID = UNSET
    ip: None | str | Unset = UNSET
    request_id: None | str | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    target_id: None | str | Unset = UNSET
    tenant_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        at = self.at.isoformat()

        details = self.details.to_dict()

        id = str(self.id)

        target_type = self.target_type

        actor_api_key_id: None | str | Unset
        if isinstance(self.actor_api_key_id, Unset):
            actor_api_key_id = UNSET
        elif isinstance(self.actor_api_key_id, UUID):
            actor_api_key_id = str(self.actor_api_key_id)
        else:
            actor_api_key_id = self.actor_api_key_id

        actor_user_id: None | str | Unset
        if isinstance(self.actor_user_id, Unset):
            actor_user_id = UNSET
        elif isinstance(self.actor_user_id, UUID):
            actor_user_id = str(self.actor_user_id)
        else:
            actor_user_id = self.actor_user_id

        ip: None | str | Unset
        if isinstance(self.ip, Unset):
            ip = UNSET
        else:
            ip = self.ip

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        reseller_id: None | str | Unset
        if isinstance(self.reseller_id, Unset):
            reseller_id = UNSET
        elif isinstance(self.reseller_id, UUID):
            reseller_id = str(self.reseller_id)
        else:
            reseller_id = self.reseller_id

        target_id: None | str | Unset
        if isinstance(self.target_id, Unset):
            target_id = UNSET
        else:
            target_id = self.target_id

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        elif isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "at": at,
                "details": details,
                "id": id,
                "target_type": target_type,
            }
        )
        if actor_api_key_id is not UNSET:
            field_dict["actor_api_key_id"] = actor_api_key_id
        if actor_user_id is not UNSET:
            field_dict["actor_user_id"] = actor_user_id
        if ip is not UNSET:
            field_dict["ip"] = ip
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id
        if target_id is not UNSET:
            field_dict["target_id"] = target_id
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_entry_view_details import AuditEntryViewDetails  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        details = AuditEntryViewDetails.from_dict(d.pop("details"))

        id = UUID(d.pop("id"))

        target_type = d.pop("target_type")

        def _parse_actor_api_key_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                actor_api_key_id_type_0 = UUID(data)

                return actor_api_key_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        actor_api_key_id = _parse_actor_api_key_id(d.pop("actor_api_key_id", UNSET))

        def _parse_actor_user_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                actor_user_id_type_0 = UUID(data)

                return actor_user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        actor_user_id = _parse_actor_user_id(d.pop("actor_user_id", UNSET))

        def _parse_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ip = _parse_ip(d.pop("ip", UNSET))

        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("request_id", UNSET))

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

        def _parse_target_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_id = _parse_target_id(d.pop("target_id", UNSET))

        def _parse_tenant_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tenant_id_type_0 = UUID(data)

                return tenant_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        tenant_id = _parse_tenant_id(d.pop("tenant_id", UNSET))

        audit_entry_view = cls(
            action=action,
            at=at,
            details=details,
            id=id,
            target_type=target_type,
            actor_api_key_id=actor_api_key_id,
            actor_user_id=actor_user_id,
            ip=ip,
            request_id=request_id,
            reseller_id=reseller_id,
            target_id=target_id,
            tenant_id=tenant_id,
        )

        audit_entry_view.additional_properties = d
        return audit_entry_view

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
