from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.preset_list import PresetList
from ...models.preset_owner import PresetOwner
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    owner: PresetOwner | Unset = UNSET,
    q: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["kind"] = kind

    json_owner: str | Unset = UNSET
    if not isinstance(owner, Unset):
        json_owner = owner.value

    params["owner"] = json_owner

    params["q"] = q

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/presets",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PresetList | Problem | None:
    if response.status_code == 200:
        response_200 = PresetList.from_dict(response.json())

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
) -> Response[PresetList | Problem]:
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
    kind: str | Unset = UNSET,
    owner: PresetOwner | Unset = UNSET,
    q: str | Unset = UNSET,
) -> Response[PresetList | Problem]:
    """Lists the presets the caller may use, newest first: for a tenant, the platform's, those
    its reseller offers it and its own; for a reseller, its own and the platform's.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        kind (str | Unset):
        owner (PresetOwner | Unset): Who owns a preset (and so who is offered it).
        q (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PresetList | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        kind=kind,
        owner=owner,
        q=q,
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
    kind: str | Unset = UNSET,
    owner: PresetOwner | Unset = UNSET,
    q: str | Unset = UNSET,
) -> PresetList | Problem | None:
    """Lists the presets the caller may use, newest first: for a tenant, the platform's, those
    its reseller offers it and its own; for a reseller, its own and the platform's.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        kind (str | Unset):
        owner (PresetOwner | Unset): Who owns a preset (and so who is offered it).
        q (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PresetList | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        kind=kind,
        owner=owner,
        q=q,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    owner: PresetOwner | Unset = UNSET,
    q: str | Unset = UNSET,
) -> Response[PresetList | Problem]:
    """Lists the presets the caller may use, newest first: for a tenant, the platform's, those
    its reseller offers it and its own; for a reseller, its own and the platform's.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        kind (str | Unset):
        owner (PresetOwner | Unset): Who owns a preset (and so who is offered it).
        q (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PresetList | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        kind=kind,
        owner=owner,
        q=q,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    owner: PresetOwner | Unset = UNSET,
    q: str | Unset = UNSET,
) -> PresetList | Problem | None:
    """Lists the presets the caller may use, newest first: for a tenant, the platform's, those
    its reseller offers it and its own; for a reseller, its own and the platform's.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        kind (str | Unset):
        owner (PresetOwner | Unset): Who owns a preset (and so who is offered it).
        q (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PresetList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            kind=kind,
            owner=owner,
            q=q,
        )
    ).parsed
