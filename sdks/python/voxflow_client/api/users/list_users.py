from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.role import Role
from ...models.user_list import UserList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    tenant_id: UUID | Unset = UNSET,
    role: Role | Unset = UNSET,
    status: str | Unset = UNSET,
    email: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_tenant_id: str | Unset = UNSET
    if not isinstance(tenant_id, Unset):
        json_tenant_id = str(tenant_id)
    params["tenant_id"] = json_tenant_id

    json_role: str | Unset = UNSET
    if not isinstance(role, Unset):
        json_role = role.value

    params["role"] = json_role

    params["status"] = status

    params["email"] = email

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/users",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UserList | None:
    if response.status_code == 200:
        response_200 = UserList.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | UserList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    tenant_id: UUID | Unset = UNSET,
    role: Role | Unset = UNSET,
    status: str | Unset = UNSET,
    email: str | Unset = UNSET,
) -> Response[Problem | UserList]:
    """Lists users visible to the caller, newest first.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        tenant_id (UUID | Unset):
        role (Role | Unset): The five roles, from most to least powerful.
        status (str | Unset):
        email (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserList]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        tenant_id=tenant_id,
        role=role,
        status=status,
        email=email,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    tenant_id: UUID | Unset = UNSET,
    role: Role | Unset = UNSET,
    status: str | Unset = UNSET,
    email: str | Unset = UNSET,
) -> Problem | UserList | None:
    """Lists users visible to the caller, newest first.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        tenant_id (UUID | Unset):
        role (Role | Unset): The five roles, from most to least powerful.
        status (str | Unset):
        email (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserList
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        tenant_id=tenant_id,
        role=role,
        status=status,
        email=email,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    tenant_id: UUID | Unset = UNSET,
    role: Role | Unset = UNSET,
    status: str | Unset = UNSET,
    email: str | Unset = UNSET,
) -> Response[Problem | UserList]:
    """Lists users visible to the caller, newest first.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        tenant_id (UUID | Unset):
        role (Role | Unset): The five roles, from most to least powerful.
        status (str | Unset):
        email (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserList]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        tenant_id=tenant_id,
        role=role,
        status=status,
        email=email,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    tenant_id: UUID | Unset = UNSET,
    role: Role | Unset = UNSET,
    status: str | Unset = UNSET,
    email: str | Unset = UNSET,
) -> Problem | UserList | None:
    """Lists users visible to the caller, newest first.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        tenant_id (UUID | Unset):
        role (Role | Unset): The five roles, from most to least powerful.
        status (str | Unset):
        email (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserList
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            tenant_id=tenant_id,
            role=role,
            status=status,
            email=email,
        )
    ).parsed
