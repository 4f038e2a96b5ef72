from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_event_view import JobEventView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ws",
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> JobEventView | Problem | None:
    if response.status_code == 101:
        response_101 = JobEventView.from_dict(response.json())

        return response_101

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[JobEventView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[JobEventView | Problem]:
    """Opens a WebSocket for job events (see the module docs for the protocol).

     Upgrade to a WebSocket for job events. Authenticate with `Sec-WebSocket-Protocol: voxflow.v1,
    bearer.<token>` or a first message `{"type":"auth","token":"…"}`; then
    `{"type":"subscribe","job_ids":[…],"since":N}` or `{"type":"subscribe","tenant":true}`. Every server
    message is a `JobEventView` envelope `{type, job_id, seq, time, data}`; control messages (`welcome`,
    `subscribed`, `error`, `resync`, `pong`) have null `job_id` and `seq`. The credential is checked
    again every `VOXFLOW_WS_RECHECK_SECS` and an access token at its expiry: a lapsed one gets `error`,
    then close code 4401 (expired or revoked credential) or 4403 (account suspended, tenant or reseller
    deleted; a suspended tenant or reseller is read-only and stays connected), with the problem code as
    the reason. A tenant over its session limit gets close code 4429.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobEventView | Problem]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> JobEventView | Problem | None:
    """Opens a WebSocket for job events (see the module docs for the protocol).

     Upgrade to a WebSocket for job events. Authenticate with `Sec-WebSocket-Protocol: voxflow.v1,
    bearer.<token>` or a first message `{"type":"auth","token":"…"}`; then
    `{"type":"subscribe","job_ids":[…],"since":N}` or `{"type":"subscribe","tenant":true}`. Every server
    message is a `JobEventView` envelope `{type, job_id, seq, time, data}`; control messages (`welcome`,
    `subscribed`, `error`, `resync`, `pong`) have null `job_id` and `seq`. The credential is checked
    again every `VOXFLOW_WS_RECHECK_SECS` and an access token at its expiry: a lapsed one gets `error`,
    then close code 4401 (expired or revoked credential) or 4403 (account suspended, tenant or reseller
    deleted; a suspended tenant or reseller is read-only and stays connected), with the problem code as
    the reason. A tenant over its session limit gets close code 4429.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobEventView | Problem
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[JobEventView | Problem]:
    """Opens a WebSocket for job events (see the module docs for the protocol).

     Upgrade to a WebSocket for job events. Authenticate with `Sec-WebSocket-Protocol: voxflow.v1,
    bearer.<token>` or a first message `{"type":"auth","token":"…"}`; then
    `{"type":"subscribe","job_ids":[…],"since":N}` or `{"type":"subscribe","tenant":true}`. Every server
    message is a `JobEventView` envelope `{type, job_id, seq, time, data}`; control messages (`welcome`,
    `subscribed`, `error`, `resync`, `pong`) have null `job_id` and `seq`. The credential is checked
    again every `VOXFLOW_WS_RECHECK_SECS` and an access token at its expiry: a lapsed one gets `error`,
    then close code 4401 (expired or revoked credential) or 4403 (account suspended, tenant or reseller
    deleted; a suspended tenant or reseller is read-only and stays connected), with the problem code as
    the reason. A tenant over its session limit gets close code 4429.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobEventView | Problem]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> JobEventView | Problem | None:
    """Opens a WebSocket for job events (see the module docs for the protocol).

     Upgrade to a WebSocket for job events. Authenticate with `Sec-WebSocket-Protocol: voxflow.v1,
    bearer.<token>` or a first message `{"type":"auth","token":"…"}`; then
    `{"type":"subscribe","job_ids":[…],"since":N}` or `{"type":"subscribe","tenant":true}`. Every server
    message is a `JobEventView` envelope `{type, job_id, seq, time, data}`; control messages (`welcome`,
    `subscribed`, `error`, `resync`, `pong`) have null `job_id` and `seq`. The credential is checked
    again every `VOXFLOW_WS_RECHECK_SECS` and an access token at its expiry: a lapsed one gets `error`,
    then close code 4401 (expired or revoked credential) or 4403 (account suspended, tenant or reseller
    deleted; a suspended tenant or reseller is read-only and stays connected), with the problem code as
    the reason. A tenant over its session limit gets close code 4429.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobEventView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
