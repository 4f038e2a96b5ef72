from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PlanFeatures")


@_attrs_define
class PlanFeatures:
    """What a plan lets its tenants use. Every field is optional: absent means no limit.

    Attributes:
        allowed_node_kinds (list[str] | None | Unset): Node kinds the tenants may run (e.g. `audio.decode`,
            `whisper.transcribe`); absent:
            every kind. Example: ['audio.decode', 'vad.silero', 'whisper.transcribe'].
        allowed_whisper_models (list[str] | None | Unset): Whisper models the tenants may use (catalog names such as
            `tiny.en`, `base`); a
            quantised file of an allowed model (`base-q8_0`) is allowed too. Absent: every model. Example: ['tiny.en',
            'base'].
        key_requests_per_minute (int | None | Unset): Requests per minute per API key (enforced by the rate limiter;
            absent: the server's
            default, 0: no limit).
        max_api_keys (int | None | Unset): API keys a tenant may hold (revoked and expired keys do not count).
        max_audio_seconds (int | None | Unset): Longest audio one job (or OpenAI request) may process, in seconds.
        max_concurrent_jobs (int | None | Unset): Jobs and requests a tenant runs at once: the same value as the plan's
            `max_concurrent_jobs` (setting either sets both).
        max_upload_bytes (int | None | Unset): Largest file a tenant may upload, in bytes (the server's
            `VOXFLOW_MAX_UPLOAD_BYTES`
            still applies when smaller).
        max_webhook_endpoints (int | None | Unset): Webhook endpoints a tenant may register (the server's
            `VOXFLOW_WEBHOOK_MAX_ENDPOINTS`
            still applies when smaller).
        requests_per_minute (int | None | Unset): Requests per minute per tenant (enforced by the rate limiter; absent:
            the server's
            default, 0: no limit).
        retention_days (int | None | Unset): Days uploaded files and job artifacts are kept: the plan's `retention_days`
            (one value).
        tenant_branding (bool | None | Unset): Whether tenant admins may edit their own branding (`false`: every
            branding write of
            a tenant admin is `403 not_in_plan`; absent: allowed).
    """

    allowed_node_kinds: list[str] | None | Unset = UNSET
    allowed_whisper_models: list[str] | None | Unset = UNSET
    key_requests_per_minute: int | None | Unset = UNSET
    max_api_keys: int | None | Unset = UNSET
    max_audio_seconds: int | None | Unset = UNSET
    max_concurrent_jobs: int | None | Unset = UNSET
    max_upload_bytes: int | None | Unset = UNSET
    max_webhook_endpoints: int | None | Unset = UNSET
    requests_per_minute: int | None | Unset = UNSET
    retention_days: int | None | Unset = UNSET
    tenant_branding: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        allowed_node_kinds: list[str] | None | Unset
        if isinstance(self.allowed_node_kinds, Unset):
            allowed_node_kinds = UNSET
        elif isinstance(self.allowed_node_kinds, list):
            allowed_node_kinds = self.allowed_node_kinds

        else:
            allowed_node_kinds = self.allowed_node_kinds

        allowed_whisper_models: list[str] | None | Unset
        if isinstance(self.allowed_whisper_models, Unset):
            allowed_whisper_models = UNSET
        elif isinstance(self.allowed_whisper_models, list):
            allowed_whisper_models = self.allowed_whisper_models

        else:
            allowed_whisper_models = self.allowed_whisper_models

        key_requests_per_minute: int | None | Unset
        if isinstance(self.key_requests_per_minute, Unset):
            key_requests_per_minute = UNSET
        else:
            key_requests_per_minute = self.key_requests_per_minute

        max_api_keys: int | None | Unset
        if isinstance(self.max_api_keys, Unset):
            max_api_keys = UNSET
        else:
            max_api_keys = self.max_api_keys

        max_audio_seconds: int | None | Unset
        if isinstance(self.max_audio_seconds, Unset):
            max_audio_seconds = UNSET
        else:
            max_audio_seconds = self.max_audio_seconds

        max_concurrent_jobs: int | None | Unset
        if isinstance(self.max_concurrent_jobs, Unset):
            max_concurrent_jobs = UNSET
        else:
            max_concurrent_jobs = self.max_concurrent_jobs

        max_upload_bytes: int | None | Unset
        if isinstance(self.max_upload_bytes, Unset):
            max_upload_bytes = UNSET
        else:
            max_upload_bytes = self.max_upload_bytes

        max_webhook_endpoints: int | None | Unset
        if isinstance(self.max_webhook_endpoints, Unset):
            max_webhook_endpoints = UNSET
        else:
            max_webhook_endpoints = self.max_webhook_endpoints

        requests_per_minute: int | None | Unset
        if isinstance(self.requests_per_minute, Unset):
            requests_per_minute = UNSET
        else:
            requests_per_minute = self.requests_per_minute

        retention_days: int | None | Unset
        if isinstance(self.retention_days, Unset):
            retention_days = UNSET
        else:
            retention_days = self.retention_days

        tenant_branding: bool | None | Unset
        if isinstance(self.tenant_branding, Unset):
            tenant_branding = UNSET
        else:
            tenant_branding = self.tenant_branding

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if allowed_node_kinds is not UNSET:
            field_dict["allowed_node_kinds"] = allowed_node_kinds
        if allowed_whisper_models is not UNSET:
            field_dict["allowed_whisper_models"] = allowed_whisper_models
        if key_requests_per_minute is not UNSET:
            field_dict["key_requests_per_minute"] = key_requests_per_minute
        if max_api_keys is not UNSET:
            field_dict["max_api_keys"] = max_api_keys
        if max_audio_seconds is not UNSET:
            field_dict["max_audio_seconds"] = max_audio_seconds
        if max_concurrent_jobs is not UNSET:
            field_dict["max_concurrent_jobs"] = max_concurrent_jobs
        if max_upload_bytes is not UNSET:
            field_dict["max_upload_bytes"] = max_upload_bytes
        if max_webhook_endpoints is not UNSET:
            field_dict["max_webhook_endpoints"] = max_webhook_endpoints
        if requests_per_minute is not UNSET:
            field_dict["requests_per_minute"] = requests_per_minute
        if retention_days is not UNSET:
            field_dict["retention_days"] = retention_days
        if tenant_branding is not UNSET:
            field_dict["tenant_branding"] = tenant_branding

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_allowed_node_kinds(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_node_kinds_type_0 = cast(list[str], data)

                return allowed_node_kinds_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_node_kinds = _parse_allowed_node_kinds(d.pop("allowed_node_kinds", UNSET))

        def _parse_allowed_whisper_models(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_whisper_models_type_0 = cast(list[str], data)

                return allowed_whisper_models_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_whisper_models = _parse_allowed_whisper_models(d.pop("allowed_whisper_models", UNSET))

        def _parse_key_requests_per_minute(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        key_requests_per_minute = _parse_key_requests_per_minute(d.pop("key_requests_per_minute", UNSET))

        def _parse_max_api_keys(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_api_keys = _parse_max_api_keys(d.pop("max_api_keys", UNSET))

        def _parse_max_audio_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_audio_seconds = _parse_max_audio_seconds(d.pop("max_audio_seconds", UNSET))

        def _parse_max_concurrent_jobs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_concurrent_jobs = _parse_max_concurrent_jobs(d.pop("max_concurrent_jobs", UNSET))

        def _parse_max_upload_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_upload_bytes = _parse_max_upload_bytes(d.pop("max_upload_bytes", UNSET))

        def _parse_max_webhook_endpoints(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_webhook_endpoints = _parse_max_webhook_endpoints(d.pop("max_webhook_endpoints", UNSET))

        def _parse_requests_per_minute(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        requests_per_minute = _parse_requests_per_minute(d.pop("requests_per_minute", UNSET))

        def _parse_retention_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        retention_days = _parse_retention_days(d.pop("retention_days", UNSET))

        def _parse_tenant_branding(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        tenant_branding = _parse_tenant_branding(d.pop("tenant_branding", UNSET))

        plan_features = cls(
            allowed_node_kinds=allowed_node_kinds,
            allowed_whisper_models=allowed_whisper_models,
            key_requests_per_minute=key_requests_per_minute,
            max_api_keys=max_api_keys,
            max_audio_seconds=max_audio_seconds,
            max_concurrent_jobs=max_concurrent_jobs,
            max_upload_bytes=max_upload_bytes,
            max_webhook_endpoints=max_webhook_endpoints,
            requests_per_minute=requests_per_minute,
            retention_days=retention_days,
            tenant_branding=tenant_branding,
        )

        return plan_features
