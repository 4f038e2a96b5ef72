from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.branding_asset_form import BrandingAssetForm
from ...models.branding_asset_kind import BrandingAssetKind
from ...models.branding_configuration_view import BrandingConfigurationView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    id: UUID,
    kind: BrandingAssetKind,
    *,
    body: BrandingAssetForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/branding/configurations/{id}/assets/{kind}".format(
            id=quote(str(id), safe=""),
            kind=quote(str(kind), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BrandingConfigurationView | Problem | None:
    if response.status_code == 200:
        response_200 = BrandingConfigurationView.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BrandingConfigurationView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    kind: BrandingAssetKind,
    *,
    client: AuthenticatedClient | Client,
    body: BrandingAssetForm,
) -> Response[BrandingConfigurationView | Problem]:
    """Uploads the configuration's logo or favicon (multipart `file`), replacing the previous
    one. PNG, JPEG or WebP by the bytes (the name and content type sent are ignored); a logo
    at most 2048×2048 and 1 MiB, a favicon 512×512 and 256 KiB. SVG is refused.

    Args:
        id (UUID):
        kind (BrandingAssetKind): The two images a configuration has.
        body (BrandingAssetForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BrandingConfigurationView | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        kind=kind,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    kind: BrandingAssetKind,
    *,
    client: AuthenticatedClient | Client,
    body: BrandingAssetForm,
) -> BrandingConfigurationView | Problem | None:
    """Uploads the configuration's logo or favicon (multipart `file`), replacing the previous
    one. PNG, JPEG or WebP by the bytes (the name and content type sent are ignored); a logo
    at most 2048×2048 and 1 MiB, a favicon 512×512 and 256 KiB. SVG is refused.

    Args:
        id (UUID):
        kind (BrandingAssetKind): The two images a configuration has.
        body (BrandingAssetForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BrandingConfigurationView | Problem
    """

    return sync_detailed(
        id=id,
        kind=kind,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    kind: BrandingAssetKind,
    *,
    client: AuthenticatedClient | Client,
    body: BrandingAssetForm,
) -> Response[BrandingConfigurationView | Problem]:
    """Uploads the configuration's logo or favicon (multipart `file`), replacing the previous
    one. PNG, JPEG or WebP by the bytes (the name and content type sent are ignored); a logo
    at most 2048×2048 and 1 MiB, a favicon 512×512 and 256 KiB. SVG is refused.

    Args:
        id (UUID):
        kind (BrandingAssetKind): The two images a configuration has.
        body (BrandingAssetForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BrandingConfigurationView | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        kind=kind,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    kind: BrandingAssetKind,
    *,
    client: AuthenticatedClient | Client,
    body: BrandingAssetForm,
) -> BrandingConfigurationView | Problem | None:
    """Uploads the configuration's logo or favicon (multipart `file`), replacing the previous
    one. PNG, JPEG or WebP by the bytes (the name and content type sent are ignored); a logo
    at most 2048×2048 and 1 MiB, a favicon 512×512 and 256 KiB. SVG is refused.

    Args:
        id (UUID):
        kind (BrandingAssetKind): The two images a configuration has.
        body (BrandingAssetForm): Multipart schema for the OpenAPI document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BrandingConfigurationView | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            kind=kind,
            client=client,
            body=body,
        )
    ).parsed
