from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.file_upload_form import FileUploadForm
from ...models.file_view import FileView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: FileUploadForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/files",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FileView | Problem | None:
    if response.status_code == 201:
        response_201 = FileView.from_dict(response.json())

        return response_201

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 507:
        response_507 = Problem.from_dict(response.json())

        return response_507

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[FileView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FileUploadForm,
) -> Response[FileView | Problem]:
    """Uploads an audio file (tenant users).

     The size limit is the smallest of the server's upload limit, the plan's
    `max_upload_bytes` (`upload_too_large_for_plan`) and the tenant's remaining
    storage quota (its plan's `storage_quota_mb`, or the tenant's own override, else
    `default_storage_quota_mb`); files and job outputs both count against the quota, and so
    do the tenant's uploads in progress.

    Args:
        body (FileUploadForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FileView | Problem]
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
    body: FileUploadForm,
) -> FileView | Problem | None:
    """Uploads an audio file (tenant users).

     The size limit is the smallest of the server's upload limit, the plan's
    `max_upload_bytes` (`upload_too_large_for_plan`) and the tenant's remaining
    storage quota (its plan's `storage_quota_mb`, or the tenant's own override, else
    `default_storage_quota_mb`); files and job outputs both count against the quota, and so
    do the tenant's uploads in progress.

    Args:
        body (FileUploadForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FileView | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FileUploadForm,
) -> Response[FileView | Problem]:
    """Uploads an audio file (tenant users).

     The size limit is the smallest of the server's upload limit, the plan's
    `max_upload_bytes` (`upload_too_large_for_plan`) and the tenant's remaining
    storage quota (its plan's `storage_quota_mb`, or the tenant's own override, else
    `default_storage_quota_mb`); files and job outputs both count against the quota, and so
    do the tenant's uploads in progress.

    Args:
        body (FileUploadForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FileView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: FileUploadForm,
) -> FileView | Problem | None:
    """Uploads an audio file (tenant users).

     The size limit is the smallest of the server's upload limit, the plan's
    `max_upload_bytes` (`upload_too_large_for_plan`) and the tenant's remaining
    storage quota (its plan's `storage_quota_mb`, or the tenant's own override, else
    `default_storage_quota_mb`); files and job outputs both count against the quota, and so
    do the tenant's uploads in progress.

    Args:
        body (FileUploadForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FileView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
