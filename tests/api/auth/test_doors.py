"""Every door, every role: for each REST route and GraphQL operation, no credentials → 401
UNAUTHENTICATED, a role without the right → 403 FORBIDDEN, a role with it → the operation runs.

The tables below must name every route and every root field: a new one without an entry fails
``test_every_route_is_in_the_table`` / ``test_every_operation_is_in_the_table``.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from api.auth.policy import POLICY, Permission
from api.context import AppContext
from api.services.documents import DocumentService
from db.models import Role
from schema.schema import schema
from tests.api.helpers import MINI_PDF, make_document
from tests.auth import make_identity

ROLES = [Role.ADMIN, Role.REVIEWER, Role.UPLOADER, Role.VIEWER]
OPEN = {"/healthz", "/readyz", "/api/auth/login", "/api/auth/logout", "/docs", "/docs/init.js"}


@dataclass
class World:
    """Documents and jobs in the states the routes need, made fresh for each test."""

    completed: str
    finalized: str
    failed_job: str
    queued_job: str
    completed_job: str
    version: int


async def make_world(ctx: AppContext) -> World:
    completed = await make_document(ctx)
    finalized = await make_document(ctx, finalize=True)
    failed = await make_document(ctx, state="FAILED")
    queued = await make_document(ctx, state="QUEUED")
    async with ctx.session() as session:
        found = await DocumentService(session).latest_jobs([completed.id, failed.id, queued.id])
    jobs = [job for job in found if job is not None]
    assert len(jobs) == 3
    return World(
        completed=str(completed.id),
        finalized=str(finalized.id),
        failed_job=str(jobs[1].id),
        queued_job=str(jobs[2].id),
        completed_job=str(jobs[0].id),
        version=1,
    )


# (method, path template, permission, request kwargs builder, status when allowed)
REST: list[tuple[str, str, Permission, Any, set[int]]] = [
    ("GET", "/api/documents", Permission.READ, None, {200}),
    ("GET", "/api/documents/{completed}", Permission.READ, None, {200}),
    ("GET", "/api/documents/{completed}/file", Permission.READ, None, {200}),
    (
        "PUT",
        "/api/documents/{completed}/review",
        Permission.REVIEW,
        lambda w: {"json": {"fields": {"vendorName": "Reviewed"}, "expectedVersion": w.version}},
        {200},
    ),
    ("POST", "/api/documents/{completed}/finalize", Permission.REVIEW, None, {200}),
    ("GET", "/api/documents/{finalized}/export/json", Permission.EXPORT, None, {200}),
    ("GET", "/api/documents/{finalized}/export/csv", Permission.EXPORT, None, {200}),
    (
        "POST",
        "/api/documents/upload",
        Permission.UPLOAD,
        lambda w: {"files": [("files", ("a.pdf", io.BytesIO(MINI_PDF), "application/pdf"))]},
        {201},
    ),
    ("GET", "/api/jobs/{completed_job}", Permission.READ, None, {200}),
    ("POST", "/api/jobs/{failed_job}/retry", Permission.REVIEW, None, {200}),
    ("POST", "/api/jobs/{queued_job}/cancel", Permission.REVIEW, None, {200}),
    ("GET", "/api/jobs/{completed_job}/events", Permission.READ, None, {200}),
    # The SSE stream's "works" case streams forever: tests/api/routes/test_jobs_stream.py.
    ("GET", "/api/jobs/{completed_job}/stream", Permission.READ, None, set()),
    ("GET", "/api/exports/documents.json", Permission.EXPORT, None, {200}),
    ("GET", "/api/exports/documents.csv", Permission.EXPORT, None, {200}),
    ("GET", "/api/exports/line-items.csv", Permission.EXPORT, None, {200}),
    ("GET", "/api/auth/me", Permission.READ, None, {200}),
]


def test_every_route_is_in_the_table(app: Any) -> None:
    listed = {(m, p.split("{")[0]) for m, p, *_ in REST}
    for route in app.routes:
        if not isinstance(route, APIRoute) or route.path in OPEN:
            continue
        for method in (route.methods or set()) - {"HEAD"}:
            prefix = route.path.split("{")[0]
            assert (method, prefix) in listed or any(
                m == method and p.startswith(prefix) and p.endswith(route.path.rsplit("}", 1)[-1])
                for m, p, *_ in REST
            ), f"{method} {route.path} has no authorization test"


def _cases() -> list[Any]:
    cases = []
    for method, path, permission, body, ok in REST:
        cases.append(pytest.param(method, path, permission, body, ok, None, id=f"{path}-anon"))
        for role in ROLES:
            if not ok and permission in POLICY[role]:
                continue
            cases.append(
                pytest.param(method, path, permission, body, ok, role, id=f"{path}-{role}")
            )
    return cases


@pytest.mark.parametrize(("method", "path", "permission", "body", "ok", "role"), _cases())
async def test_rest_door(
    app: Any,
    ctx: AppContext,
    anonymous: httpx.AsyncClient,
    method: str,
    path: str,
    permission: Permission,
    body: Any,
    ok: set[int],
    role: Role | None,
) -> None:
    world = await make_world(ctx)
    url = path.format(**world.__dict__)
    kwargs = body(world) if body else {}
    headers = {}
    if role is not None:
        headers = (await make_identity(ctx, role)).headers
    response = await anonymous.request(method, url, headers=headers, **kwargs)
    if role is None:
        assert response.status_code == 401, response.text
        assert response.json()["error"]["code"] == "UNAUTHENTICATED"
    elif permission not in POLICY[role]:
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "FORBIDDEN"
    else:
        assert response.status_code in ok, response.text


# --- GraphQL -------------------------------------------------------------------------------

QUERIES: dict[str, tuple[Permission, str]] = {
    "health": (Permission.READ, "{ health { ok } }"),
    "documents": (Permission.READ, "{ documents(first: 5) { totalCount } }"),
    "document": (Permission.READ, "query($d: ID!) { document(id: $d) { id history { action } } }"),
    "job": (Permission.READ, "query($j: ID!) { job(id: $j) { id } }"),
    "documentCounts": (Permission.READ, "{ documentCounts { status count } }"),
    "me": (Permission.READ, "{ me { id email role } }"),
    "users": (Permission.ADMIN, "{ users { id email } }"),
    "apiTokens": (Permission.READ, "{ apiTokens { id name } }"),
    "nextToReview": (Permission.READ, "{ nextToReview { id possibleDuplicates { id } } }"),
    "previousToReview": (Permission.READ, "{ previousToReview { id } }"),
    "reviewQueueLength": (Permission.READ, "{ reviewQueueLength }"),
    "reviewSettings": (Permission.READ, "{ reviewSettings { confidenceThreshold } }"),
}
MUTATIONS: dict[str, tuple[Permission, str]] = {
    "reviewDocument": (
        Permission.REVIEW,
        "mutation($d: ID!) { reviewDocument(input: {documentId: $d, expectedVersion: 1, "
        'fields: {vendorName: "X"}}) { __typename } }',
    ),
    "finalizeDocument": (
        Permission.REVIEW,
        "mutation($d: ID!) { finalizeDocument(id: $d) { __typename } }",
    ),
    "retryJob": (Permission.REVIEW, "mutation($f: ID!) { retryJob(id: $f) { __typename } }"),
    "cancelJob": (Permission.REVIEW, "mutation($q: ID!) { cancelJob(id: $q) { __typename } }"),
    "createUser": (
        Permission.ADMIN,
        'mutation { createUser(input: {email: "new@paperlane.test", role: VIEWER, '
        'password: "a long enough password"}) { __typename } }',
    ),
    "updateUser": (
        Permission.ADMIN,
        "mutation($u: ID!) { updateUser(input: {id: $u, role: VIEWER}) { __typename } }",
    ),
    "createApiToken": (
        Permission.READ,
        'mutation { createApiToken(input: {name: "ci"}) { __typename } }',
    ),
    "revokeApiToken": (
        Permission.READ,
        "mutation($t: ID!) { revokeApiToken(id: $t) { __typename } }",
    ),
    "bulkFinalize": (
        Permission.REVIEW,
        "mutation($d: ID!) { bulkFinalize(ids: [$d]) { __typename } }",
    ),
    "bulkRetry": (
        Permission.REVIEW,
        "mutation($f: ID!) { bulkRetry(ids: [$f]) { __typename } }",
    ),
    "bulkCancel": (
        Permission.REVIEW,
        "mutation($q: ID!) { bulkCancel(ids: [$q]) { __typename } }",
    ),
    # uploadDocuments is multipart: test_graphql_upload_door below.
}


def test_every_operation_is_in_the_table() -> None:
    graphql = schema._schema
    assert graphql.query_type is not None and graphql.mutation_type is not None
    assert set(graphql.query_type.fields) == set(QUERIES)
    assert set(graphql.mutation_type.fields) == {*MUTATIONS, "uploadDocuments"}


def _gql_cases() -> list[Any]:
    cases = []
    for name, (permission, text) in {**QUERIES, **MUTATIONS}.items():
        cases.append(pytest.param(name, permission, text, None, id=f"{name}-anon"))
        cases.extend(
            pytest.param(name, permission, text, role, id=f"{name}-{role}") for role in ROLES
        )
    return cases


@pytest.mark.parametrize(("name", "permission", "text", "role"), _gql_cases())
async def test_graphql_door(
    app: Any,
    ctx: AppContext,
    anonymous: httpx.AsyncClient,
    name: str,
    permission: Permission,
    text: str,
    role: Role | None,
) -> None:
    world = await make_world(ctx)
    victim = await make_identity(ctx, Role.VIEWER)
    headers: dict[str, str] = {}
    own_token = victim.token_id
    if role is not None:
        caller = await make_identity(ctx, role)
        headers = caller.headers
        own_token = caller.token_id
    variables = {
        "d": world.completed,
        "j": world.completed_job,
        "f": world.failed_job,
        "q": world.queued_job,
        "u": str(victim.user_id),
        "t": str(own_token),
    }
    used = {k: v for k, v in variables.items() if f"${k}" in text}
    response = await anonymous.post(
        "/graphql", json={"query": text, "variables": used}, headers=headers
    )
    body = response.json()
    if role is None:
        assert response.status_code == 401, body
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        return
    assert response.status_code == 200, body
    if permission not in POLICY[role]:
        assert body["data"] is None or body["data"].get(name) is None, body
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    else:
        assert not body.get("errors"), body
        value = body["data"][name]
        if isinstance(value, dict) and "__typename" in value:
            assert value["__typename"].endswith("Success"), body


@pytest.mark.parametrize("role", [None, *ROLES])
async def test_graphql_upload_door(
    app: Any, ctx: AppContext, anonymous: httpx.AsyncClient, role: Role | None
) -> None:
    operations = {
        "query": "mutation($files: [Upload!]!) { uploadDocuments(files: $files) "
        "{ documents { id } } }",
        "variables": {"files": [None]},
    }
    headers = {"Apollo-Require-Preflight": "true"}
    if role is not None:
        headers.update((await make_identity(ctx, role)).headers)
    response = await anonymous.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.files.0"]}),
        },
        files={"0": ("a.pdf", MINI_PDF, "application/pdf")},
        headers=headers,
    )
    body = response.json()
    if role is None:
        assert response.status_code == 401
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    elif Permission.UPLOAD in POLICY[role]:
        assert not body.get("errors"), body
        assert len(body["data"]["uploadDocuments"]["documents"]) == 1
    else:
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
