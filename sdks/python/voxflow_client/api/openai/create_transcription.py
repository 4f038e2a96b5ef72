from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_transcription_response_200 import CreateTranscriptionResponse200
from ...models.open_ai_error_body import OpenAiErrorBody
from ...models.transcription_form import TranscriptionForm
from ...types import Response


def _get_kwargs(
    *,
    body: TranscriptionForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/audio/transcriptions",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateTranscriptionResponse200 | OpenAiErrorBody | None:
    if response.status_code == 200:
        response_200 = CreateTranscriptionResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = OpenAiErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OpenAiErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = OpenAiErrorBody.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = OpenAiErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = OpenAiErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = OpenAiErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = OpenAiErrorBody.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreateTranscriptionResponse200 | OpenAiErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TranscriptionForm,
) -> Response[CreateTranscriptionResponse200 | OpenAiErrorBody]:
    """Transcribes audio into its own language.

    Args:
        body (TranscriptionForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateTranscriptionResponse200 | OpenAiErrorBody]
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
    client: AuthenticatedClient | Client,
    body: TranscriptionForm,
) -> CreateTranscriptionResponse200 | OpenAiErrorBody | None:
    """Transcribes audio into its own language.

    Args:
        body (TranscriptionForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateTranscriptionResponse200 | OpenAiErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TranscriptionForm,
) -> Response[CreateTranscriptionResponse200 | OpenAiErrorBody]:
    """Transcribes audio into its own language.

    Args:
        body (TranscriptionForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateTranscriptionResponse200 | OpenAiErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TranscriptionForm,
) -> CreateTranscriptionResponse200 | OpenAiErrorBody | None:
    """Transcribes audio into its own language.

    Args:
        body (TranscriptionForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateTranscriptionResponse200 | OpenAiErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
