from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.quota_view import QuotaView


T = TypeVar("T", bound="TenantQuota")


@_attrs_define
class TenantQuota:
    """One tenant of a reseller report, with its quotas.

    Attributes:
        name (str):
        quota (QuotaView): A tenant's quotas now: the processing quota of the current calendar month (UTC), whatever
            range the report covers, and its storage.
        status (str): `active` or `suspended`.
        tenant_id (UUID):
    """

    name: str
    quota: QuotaView
    status: str
    tenant_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        quota = self.quota.to_dict()

        status = self.status

        tenant_id = str(self.tenant_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "quota": quota,
                "status": status,
                "tenant_id": tenant_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quota_view import QuotaView  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        quota = QuotaView.from_dict(d.pop("quota"))

        status = d.pop("status")

        tenant_id = UUID(d.pop("tenant_id"))

        tenant_quota = cls(
            name=name,
            quota=quota,
            status=status,
            tenant_id=tenant_id,
        )

        tenant_quota.additional_properties = d
        return tenant_quota

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
