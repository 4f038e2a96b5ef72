from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.switch_tenant_request import SwitchTenantRequest
from ...models.token_response import TokenResponse
from ...types import Response


def _get_kwargs(
    *,
    body: SwitchTenantRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/auth/switch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TokenResponse | None:
    if response.status_code == 200:
        response_200 = TokenResponse.from_dict(response.json())

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

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TokenResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SwitchTenantRequest,
) -> Response[Problem | TokenResponse]:
    """Starts a session in another of the caller's tenants.

     Answers a new token pair whose access token's `tenant` and `role` are those of the caller's
    membership in `tenant_id`; its refresh token belongs to that membership only. The session
    the caller came from stays valid (sign it out with `POST /v1/auth/logout` if it is no longer
    wanted). Needs an access token: API keys are bound to their tenant and answer `403`.

    Args:
        body (SwitchTenantRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SwitchTenantRequest,
) -> Problem | TokenResponse | None:
    """Starts a session in another of the caller's tenants.

     Answers a new token pair whose access token's `tenant` and `role` are those of the caller's
    membership in `tenant_id`; its refresh token belongs to that membership only. The session
    the caller came from stays valid (sign it out with `POST /v1/auth/logout` if it is no longer
    wanted). Needs an access token: API keys are bound to their tenant and answer `403`.

    Args:
        body (SwitchTenantRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SwitchTenantRequest,
) -> Response[Problem | TokenResponse]:
    """Starts a session in another of the caller's tenants.

     Answers a new token pair whose access token's `tenant` and `role` are those of the caller's
    membership in `tenant_id`; its refresh token belongs to that membership only. The session
    the caller came from stays valid (sign it out with `POST /v1/auth/logout` if it is no longer
    wanted). Needs an access token: API keys are bound to their tenant and answer `403`.

    Args:
        body (SwitchTenantRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SwitchTenantRequest,
) -> Problem | TokenResponse | None:
    """Starts a session in another of the caller's tenants.

     Answers a new token pair whose access token's `tenant` and `role` are those of the caller's
    membership in `tenant_id`; its refresh token belongs to that membership only. The session
    the caller came from stays valid (sign it out with `POST /v1/auth/logout` if it is no longer
    wanted). Needs an access token: API keys are bound to their tenant and answer `403`.

    Args:
        body (SwitchTenantRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
