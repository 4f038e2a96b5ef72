from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.open_ai_error_body import OpenAiErrorBody
from ...models.open_ai_model_list import OpenAiModelList
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/models",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OpenAiErrorBody | OpenAiModelList | None:
    if response.status_code == 200:
        response_200 = OpenAiModelList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = OpenAiErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = OpenAiErrorBody.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OpenAiErrorBody | OpenAiModelList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[OpenAiErrorBody | OpenAiModelList]:
    """Lists the installed Whisper models (and `whisper-1`, the default) that the caller's plan
    allows, OpenAI style.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OpenAiErrorBody | OpenAiModelList]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> OpenAiErrorBody | OpenAiModelList | None:
    """Lists the installed Whisper models (and `whisper-1`, the default) that the caller's plan
    allows, OpenAI style.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OpenAiErrorBody | OpenAiModelList
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[OpenAiErrorBody | OpenAiModelList]:
    """Lists the installed Whisper models (and `whisper-1`, the default) that the caller's plan
    allows, OpenAI style.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OpenAiErrorBody | OpenAiModelList]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> OpenAiErrorBody | OpenAiModelList | None:
    """Lists the installed Whisper models (and `whisper-1`, the default) that the caller's plan
    allows, OpenAI style.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OpenAiErrorBody | OpenAiModelList
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
