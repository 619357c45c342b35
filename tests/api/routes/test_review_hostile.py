"""Hostile review input on both surfaces: a 422 (REST) or a ValidationError (GraphQL) with a code,
never 503 "a backing service is unavailable", never a traceback; logged without one."""

from __future__ import annotations

import logging

import httpx
import pytest

from api.context import AppContext
from tests.api.helpers import gql, make_document

REVIEW = """mutation($input: ReviewDocumentInput!) { reviewDocument(input: $input) {
  __typename ... on UserError { code message } } }"""


@pytest.mark.parametrize(
    ("fields", "version"),
    [
        ({"vendorName": "Acme\x00GmbH"}, 1),
        ({"invoiceNumber": "\x00" * 10}, 1),
        ({"vendorName": "Acme"}, 2**70),
        ({"vendorName": "Acme"}, -(2**70)),
        ({"vendorName": "Acme"}, 0),
        ({"totalAmount": "1e999999"}, 1),
        ({"invoiceDate": "9999-12-31T23:59:59-14:00"}, 1),
        ({"vendorName": "x" * 100_000}, 1),
    ],
    ids=[
        "nul",
        "only-nul",
        "version-2^70",
        "version-neg",
        "version-0",
        "huge-amount",
        "year-9999",
        "1mb",
    ],
)
async def test_rest_review_refuses_with_a_code(
    client: httpx.AsyncClient,
    ctx: AppContext,
    caplog: pytest.LogCaptureFixture,
    fields: dict,
    version: int,
) -> None:
    document = await make_document(ctx)
    with caplog.at_level(logging.INFO):
        response = await client.put(
            f"/api/documents/{document.id}/review",
            json={"fields": fields, "expectedVersion": version},
        )
    assert response.status_code == 422, response.text[:500]
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert len(response.text) < 2000 and "Traceback" not in response.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_graphql_review_refuses_with_a_code(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    document = await make_document(ctx)
    for fields, version in [({"vendorName": "Acme\x00GmbH"}, 1), ({"vendorName": "Acme"}, 2**70)]:
        body = await gql(
            client,
            REVIEW,
            {
                "input": {
                    "documentId": str(document.id),
                    "fields": fields,
                    "expectedVersion": version,
                }
            },
        )
        if body.get("errors"):
            # Int is 32-bit in GraphQL: 2**70 is refused while coercing the variables.
            assert "Int cannot represent" in body["errors"][0]["message"]
            assert len(body["errors"][0]["message"]) < 400
        else:
            result = body["data"]["reviewDocument"]
            assert result["__typename"] == "ValidationError", result
            assert result["code"]
