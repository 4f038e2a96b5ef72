from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.created_invitation_view import CreatedInvitationView
from ...models.invite_request import InviteRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    id: UUID,
    *,
    body: InviteRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tenants/{id}/invitations".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreatedInvitationView | Problem | None:
    if response.status_code == 201:
        response_201 = CreatedInvitationView.from_dict(response.json())

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
) -> Response[CreatedInvitationView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: InviteRequest,
) -> Response[CreatedInvitationView | Problem]:
    """Invites someone to the tenant by email, with a role.

     Answers the invitation with its single-use token, once (only its SHA-256 is stored); it can
    be accepted until `expires_at` (`VOXFLOW_INVITATION_TTL_SECS`, 7 days) with
    `POST /v1/invitations/accept`. No email is sent yet: pass the token on. A new invitation for
    the same email replaces the open one. Needs an access token: accepting may create an account
    that signs in with the invitation's whole role, beyond an API key's permissions.

    Args:
        id (UUID):
        body (InviteRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedInvitationView | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: InviteRequest,
) -> CreatedInvitationView | Problem | None:
    """Invites someone to the tenant by email, with a role.

     Answers the invitation with its single-use token, once (only its SHA-256 is stored); it can
    be accepted until `expires_at` (`VOXFLOW_INVITATION_TTL_SECS`, 7 days) with
    `POST /v1/invitations/accept`. No email is sent yet: pass the token on. A new invitation for
    the same email replaces the open one. Needs an access token: accepting may create an account
    that signs in with the invitation's whole role, beyond an API key's permissions.

    Args:
        id (UUID):
        body (InviteRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedInvitationView | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: InviteRequest,
) -> Response[CreatedInvitationView | Problem]:
    """Invites someone to the tenant by email, with a role.

     Answers the invitation with its single-use token, once (only its SHA-256 is stored); it can
    be accepted until `expires_at` (`VOXFLOW_INVITATION_TTL_SECS`, 7 days) with
    `POST /v1/invitations/accept`. No email is sent yet: pass the token on. A new invitation for
    the same email replaces the open one. Needs an access token: accepting may create an account
    that signs in with the invitation's whole role, beyond an API key's permissions.

    Args:
        id (UUID):
        body (InviteRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedInvitationView | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: InviteRequest,
) -> CreatedInvitationView | Problem | None:
    """Invites someone to the tenant by email, with a role.

     Answers the invitation with its single-use token, once (only its SHA-256 is stored); it can
    be accepted until `expires_at` (`VOXFLOW_INVITATION_TTL_SECS`, 7 days) with
    `POST /v1/invitations/accept`. No email is sent yet: pass the token on. A new invitation for
    the same email replaces the open one. Needs an access token: accepting may create an account
    that signs in with the invitation's whole role, beyond an API key's permissions.

    Args:
        id (UUID):
        body (InviteRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedInvitationView | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
