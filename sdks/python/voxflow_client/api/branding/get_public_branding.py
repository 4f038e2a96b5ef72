from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.resolved_branding_view import ResolvedBrandingView
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    host: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    params: dict[str, Any] = {}

    params["host"] = host

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/branding/public",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | ResolvedBrandingView | None:
    if response.status_code == 200:
        response_200 = ResolvedBrandingView.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Problem | ResolvedBrandingView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    host: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | ResolvedBrandingView]:
    """Branding for a login page, without a credential: the tenant or reseller whose custom
    domain or subdomain `host` (default: the `Host` header) is; any other host gets the
    platform's (or the built-in) branding. It holds branding only — no ids.

    Args:
        host (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | ResolvedBrandingView]
    """

    kwargs = _get_kwargs(
        host=host,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    host: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | ResolvedBrandingView | None:
    """Branding for a login page, without a credential: the tenant or reseller whose custom
    domain or subdomain `host` (default: the `Host` header) is; any other host gets the
    platform's (or the built-in) branding. It holds branding only — no ids.

    Args:
        host (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | ResolvedBrandingView
    """

    return sync_detailed(
        client=client,
        host=host,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    host: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | ResolvedBrandingView]:
    """Branding for a login page, without a credential: the tenant or reseller whose custom
    domain or subdomain `host` (default: the `Host` header) is; any other host gets the
    platform's (or the built-in) branding. It holds branding only — no ids.

    Args:
        host (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | ResolvedBrandingView]
    """

    kwargs = _get_kwargs(
        host=host,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    host: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | ResolvedBrandingView | None:
    """Branding for a login page, without a credential: the tenant or reseller whose custom
    domain or subdomain `host` (default: the `Host` header) is; any other host gets the
    platform's (or the built-in) branding. It holds branding only — no ids.

    Args:
        host (str | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | ResolvedBrandingView
    """

    return (
        await asyncio_detailed(
            client=client,
            host=host,
            if_none_match=if_none_match,
        )
    ).parsed
