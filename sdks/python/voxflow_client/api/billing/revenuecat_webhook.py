from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.revenue_cat_webhook_ack import RevenueCatWebhookAck
from ...models.revenue_cat_webhook_body import RevenueCatWebhookBody
from ...types import Response


def _get_kwargs(
    *,
    body: RevenueCatWebhookBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/billing/revenuecat/webhook",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RevenueCatWebhookAck | None:
    if response.status_code == 200:
        response_200 = RevenueCatWebhookAck.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
) -> Response[Problem | RevenueCatWebhookAck]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RevenueCatWebhookBody,
) -> Response[Problem | RevenueCatWebhookAck]:
    """Receives a RevenueCat webhook. The `Authorization` header must be the value configured
    for a reseller's or the platform's integration (`401` otherwise, and nothing is stored).
    Every authenticated body is stored and answered `200` — unknown event types and
    malformed JSON included, so RevenueCat stops retrying; they are listed at
    `…/revenuecat/events?outcome=unknown,malformed`. A replayed event id changes nothing
    (`outcome: duplicate`); an event older than the one a tenant's subscription already
    reflects is recorded and not applied (`stale`).

    Args:
        body (RevenueCatWebhookBody): A webhook body as RevenueCat sends it (any JSON is accepted
            and stored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RevenueCatWebhookAck]
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
    body: RevenueCatWebhookBody,
) -> Problem | RevenueCatWebhookAck | None:
    """Receives a RevenueCat webhook. The `Authorization` header must be the value configured
    for a reseller's or the platform's integration (`401` otherwise, and nothing is stored).
    Every authenticated body is stored and answered `200` — unknown event types and
    malformed JSON included, so RevenueCat stops retrying; they are listed at
    `…/revenuecat/events?outcome=unknown,malformed`. A replayed event id changes nothing
    (`outcome: duplicate`); an event older than the one a tenant's subscription already
    reflects is recorded and not applied (`stale`).

    Args:
        body (RevenueCatWebhookBody): A webhook body as RevenueCat sends it (any JSON is accepted
            and stored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RevenueCatWebhookAck
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RevenueCatWebhookBody,
) -> Response[Problem | RevenueCatWebhookAck]:
    """Receives a RevenueCat webhook. The `Authorization` header must be the value configured
    for a reseller's or the platform's integration (`401` otherwise, and nothing is stored).
    Every authenticated body is stored and answered `200` — unknown event types and
    malformed JSON included, so RevenueCat stops retrying; they are listed at
    `…/revenuecat/events?outcome=unknown,malformed`. A replayed event id changes nothing
    (`outcome: duplicate`); an event older than the one a tenant's subscription already
    reflects is recorded and not applied (`stale`).

    Args:
        body (RevenueCatWebhookBody): A webhook body as RevenueCat sends it (any JSON is accepted
            and stored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RevenueCatWebhookAck]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RevenueCatWebhookBody,
) -> Problem | RevenueCatWebhookAck | None:
    """Receives a RevenueCat webhook. The `Authorization` header must be the value configured
    for a reseller's or the platform's integration (`401` otherwise, and nothing is stored).
    Every authenticated body is stored and answered `200` — unknown event types and
    malformed JSON included, so RevenueCat stops retrying; they are listed at
    `…/revenuecat/events?outcome=unknown,malformed`. A replayed event id changes nothing
    (`outcome: duplicate`); an event older than the one a tenant's subscription already
    reflects is recorded and not applied (`stale`).

    Args:
        body (RevenueCatWebhookBody): A webhook body as RevenueCat sends it (any JSON is accepted
            and stored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RevenueCatWebhookAck
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
