from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.accept_invitation_request import AcceptInvitationRequest
from ...models.accepted_invitation_view import AcceptedInvitationView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: AcceptInvitationRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/invitations/accept",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AcceptedInvitationView | Problem | None:
    if response.status_code == 200:
        response_200 = AcceptedInvitationView.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

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
) -> Response[AcceptedInvitationView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AcceptInvitationRequest,
) -> Response[AcceptedInvitationView | Problem]:
    """Accepts an invitation (no credential: the token is the proof).

     When no account uses the invitation's email, one is created with `password` (and the
    names), a member of the tenant with the invitation's role, and the answer carries a session
    in that tenant. When one does, the membership is added to it and it signs in as usual; its
    password is not changed. The token works once: `404 invitation_not_found` for a wrong or
    withdrawn one, `409 invitation_used` once accepted, `410 invitation_expired` after
    `expires_at`.

    Args:
        body (AcceptInvitationRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AcceptedInvitationView | Problem]
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
    body: AcceptInvitationRequest,
) -> AcceptedInvitationView | Problem | None:
    """Accepts an invitation (no credential: the token is the proof).

     When no account uses the invitation's email, one is created with `password` (and the
    names), a member of the tenant with the invitation's role, and the answer carries a session
    in that tenant. When one does, the membership is added to it and it signs in as usual; its
    password is not changed. The token works once: `404 invitation_not_found` for a wrong or
    withdrawn one, `409 invitation_used` once accepted, `410 invitation_expired` after
    `expires_at`.

    Args:
        body (AcceptInvitationRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AcceptedInvitationView | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AcceptInvitationRequest,
) -> Response[AcceptedInvitationView | Problem]:
    """Accepts an invitation (no credential: the token is the proof).

     When no account uses the invitation's email, one is created with `password` (and the
    names), a member of the tenant with the invitation's role, and the answer carries a session
    in that tenant. When one does, the membership is added to it and it signs in as usual; its
    password is not changed. The token works once: `404 invitation_not_found` for a wrong or
    withdrawn one, `409 invitation_used` once accepted, `410 invitation_expired` after
    `expires_at`.

    Args:
        body (AcceptInvitationRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AcceptedInvitationView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AcceptInvitationRequest,
) -> AcceptedInvitationView | Problem | None:
    """Accepts an invitation (no credential: the token is the proof).

     When no account uses the invitation's email, one is created with `password` (and the
    names), a member of the tenant with the invitation's role, and the answer carries a session
    in that tenant. When one does, the membership is added to it and it signs in as usual; its
    password is not changed. The token works once: `404 invitation_not_found` for a wrong or
    withdrawn one, `409 invitation_used` once accepted, `410 invitation_expired` after
    `expires_at`.

    Args:
        body (AcceptInvitationRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AcceptedInvitationView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
