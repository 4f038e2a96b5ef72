import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.usage_report import UsageReport
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    period: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    group_by: str | Unset = UNSET,
    format_: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["period"] = period

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["group_by"] = group_by

    params["format"] = format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/resellers/{id}/usage".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UsageReport | None:
    if response.status_code == 200:
        response_200 = UsageReport.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | UsageReport]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    period: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    group_by: str | Unset = UNSET,
    format_: str | Unset = UNSET,
) -> Response[Problem | UsageReport]:
    """Every tenant of a reseller: its usage (deleted tenants' included) and each live
    tenant's quotas; `group_by=tenant` for per-tenant figures. Its reseller admins and
    platform admins; another reseller is `reseller_not_found`.

    Args:
        id (UUID):
        period (str | Unset):
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        group_by (str | Unset):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UsageReport]
    """

    kwargs = _get_kwargs(
        id=id,
        period=period,
        from_=from_,
        to=to,
        group_by=group_by,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    period: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    group_by: str | Unset = UNSET,
    format_: str | Unset = UNSET,
) -> Problem | UsageReport | None:
    """Every tenant of a reseller: its usage (deleted tenants' included) and each live
    tenant's quotas; `group_by=tenant` for per-tenant figures. Its reseller admins and
    platform admins; another reseller is `reseller_not_found`.

    Args:
        id (UUID):
        period (str | Unset):
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        group_by (str | Unset):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UsageReport
    """

    return sync_detailed(
        id=id,
        client=client,
        period=period,
        from_=from_,
        to=to,
        group_by=group_by,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    period: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    group_by: str | Unset = UNSET,
    format_: str | Unset = UNSET,
) -> Response[Problem | UsageReport]:
    """Every tenant of a reseller: its usage (deleted tenants' included) and each live
    tenant's quotas; `group_by=tenant` for per-tenant figures. Its reseller admins and
    platform admins; another reseller is `reseller_not_found`.

    Args:
        id (UUID):
        period (str | Unset):
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        group_by (str | Unset):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UsageReport]
    """

    kwargs = _get_kwargs(
        id=id,
        period=period,
        from_=from_,
        to=to,
        group_by=group_by,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    period: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    group_by: str | Unset = UNSET,
    format_: str | Unset = UNSET,
) -> Problem | UsageReport | None:
    """Every tenant of a reseller: its usage (deleted tenants' included) and each live
    tenant's quotas; `group_by=tenant` for per-tenant figures. Its reseller admins and
    platform admins; another reseller is `reseller_not_found`.

    Args:
        id (UUID):
        period (str | Unset):
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        group_by (str | Unset):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UsageReport
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            period=period,
            from_=from_,
            to=to,
            group_by=group_by,
            format_=format_,
        )
    ).parsed
