from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.engine_languages_view import EngineLanguagesView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    engine: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/translation-engines/{engine}/languages".format(
            engine=quote(str(engine), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EngineLanguagesView | Problem | None:
    if response.status_code == 200:
        response_200 = EngineLanguagesView.from_dict(response.json())

        return response_200

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

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EngineLanguagesView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    engine: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[EngineLanguagesView | Problem]:
    """The language pairs an engine offers: `apertium` (the pairs installed on this server) or
    one of the tenant's engines by id (asked live from its server).

    Args:
        engine (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EngineLanguagesView | Problem]
    """

    kwargs = _get_kwargs(
        engine=engine,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    engine: str,
    *,
    client: AuthenticatedClient | Client,
) -> EngineLanguagesView | Problem | None:
    """The language pairs an engine offers: `apertium` (the pairs installed on this server) or
    one of the tenant's engines by id (asked live from its server).

    Args:
        engine (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EngineLanguagesView | Problem
    """

    return sync_detailed(
        engine=engine,
        client=client,
    ).parsed


async def asyncio_detailed(
    engine: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[EngineLanguagesView | Problem]:
    """The language pairs an engine offers: `apertium` (the pairs installed on this server) or
    one of the tenant's engines by id (asked live from its server).

    Args:
        engine (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EngineLanguagesView | Problem]
    """

    kwargs = _get_kwargs(
        engine=engine,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    engine: str,
    *,
    client: AuthenticatedClient | Client,
) -> EngineLanguagesView | Problem | None:
    """The language pairs an engine offers: `apertium` (the pairs installed on this server) or
    one of the tenant's engines by id (asked live from its server).

    Args:
        engine (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EngineLanguagesView | Problem
    """

    return (
        await asyncio_detailed(
            engine=engine,
            client=client,
        )
    ).parsed
