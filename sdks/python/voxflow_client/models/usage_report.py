from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.grouping import Grouping
from ..models.period import Period
from ..models.report_scope import ReportScope
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.quota_view import QuotaView
    from ..models.tenant_quota import TenantQuota
    from ..models.usage_item import UsageItem
    from ..models.usage_total import UsageTotal


T = TypeVar("T", bound="UsageReport")


@_attrs_define
class UsageReport:
    """A usage report (docs/usage.md).

    Attributes:
        from_ (datetime.date): First day covered (UTC), included. Example: 2026-12-01.
        generated_at (datetime.datetime):
        group_by (list[Grouping]):
        items (list[UsageItem]): Buckets with usage, oldest first (a bucket without any is left out).
        period (Period): How a report cuts its range.
        scope (ReportScope): Whose usage a report shows.
        to (datetime.date): Day after the last covered (UTC), excluded. Example: 2027-01-01.
        totals (list[UsageTotal]): Per resource (and node kind), over the whole range.
        quota (None | QuotaView | Unset):
        reseller_id (None | Unset | UUID): Reseller reports.
        tenant_id (None | Unset | UUID): Tenant reports.
        tenants (list[TenantQuota] | None | Unset): Reseller reports: each of its tenants (deleted ones left out) with
            its quotas now.
    """

    from_: datetime.date
    generated_at: datetime.datetime
    group_by: list[Grouping]
    items: list[UsageItem]
    period: Period
    scope: ReportScope
    to: datetime.date
    totals: list[UsageTotal]
    quota: None | QuotaView | Unset = UNSET
    reseller_id: None | Unset | UUID = UNSET
    tenant_id: None | Unset | UUID = UNSET
    tenants: list[TenantQuota] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.quota_view import QuotaView  # noqa: PLC0415

        from_ = self.from_.isoformat()

        generated_at = self.generated_at.isoformat()

        group_by = []
        for group_by_item_data in self.group_by:
            group_by_item = group_by_item_data.value
            group_by.append(group_by_item)

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        period = self.period.value

        scope = self.scope.value

        to = self.to.isoformat()

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        quota: dict[str, Any] | None | Unset
        if isinstance(self.quota, Unset):
            quota = UNSET
        elif isinstance(self.quota, QuotaView):
            quota = self.quota.to_dict()
        else:
            quota = self.quota

        reseller_id: None | str | Unset
        if isinstance(self.reseller_id, Unset):
            reseller_id = UNSET
        elif isinstance(self.reseller_id, UUID):
            reseller_id = str(self.reseller_id)
        else:
            reseller_id = self.reseller_id

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        elif isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        tenants: list[dict[str, Any]] | None | Unset
        if isinstance(self.tenants, Unset):
            tenants = UNSET
        elif isinstance(self.tenants, list):
            tenants = []
            for tenants_type_0_item_data in self.tenants:
                tenants_type_0_item = tenants_type_0_item_data.to_dict()
                tenants.append(tenants_type_0_item)

        else:
            tenants = self.tenants

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "generated_at": generated_at,
                "group_by": group_by,
                "items": items,
                "period": period,
                "scope": scope,
                "to": to,
                "totals": totals,
            }
        )
        if quota is not UNSET:
            field_dict["quota"] = quota
        if reseller_id is not UNSET:
            field_dict["reseller_id"] = reseller_id
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id
        if tenants is not UNSET:
            field_dict["tenants"] = tenants

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quota_view import QuotaView  # noqa: PLC0415
        from ..models.tenant_quota import TenantQuota  # noqa: PLC0415
        from ..models.usage_item import UsageItem  # noqa: PLC0415
        from ..models.usage_total import UsageTotal  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        group_by = []
        _group_by = d.pop("group_by")
        for group_by_item_data in _group_by:
            group_by_item = Grouping(group_by_item_data)

            group_by.append(group_by_item)

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = UsageItem.from_dict(items_item_data)

            items.append(items_item)

        period = Period(d.pop("period"))

        scope = ReportScope(d.pop("scope"))

        to = datetime.date.fromisoformat(d.pop("to"))

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = UsageTotal.from_dict(totals_item_data)

            totals.append(totals_item)

        def _parse_quota(data: object) -> None | QuotaView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quota_type_0 = QuotaView.from_dict(data)

                return quota_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuotaView | Unset, data)

        quota = _parse_quota(d.pop("quota", UNSET))

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

        def _parse_tenants(data: object) -> list[TenantQuota] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tenants_type_0 = []
                _tenants_type_0 = data
                for tenants_type_0_item_data in _tenants_type_0:
                    tenants_type_0_item = TenantQuota.from_dict(tenants_type_0_item_data)

                    tenants_type_0.append(tenants_type_0_item)

                return tenants_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TenantQuota] | None | Unset, data)

        tenants = _parse_tenants(d.pop("tenants", UNSET))

        usage_report = cls(
            from_=from_,
            generated_at=generated_at,
            group_by=group_by,
            items=items,
            period=period,
            scope=scope,
            to=to,
            totals=totals,
            quota=quota,
            reseller_id=reseller_id,
            tenant_id=tenant_id,
            tenants=tenants,
        )

        usage_report.additional_properties = d
        return usage_report

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
