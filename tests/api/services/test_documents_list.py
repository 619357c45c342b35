"""The one list model (``api.services.documents.ListQuery``/``ListFilter``) behind the REST list,
the REST bulk export and GraphQL's ``documents``: hostile filter values are the client's
validation error (422 / ``VALIDATION_ERROR`` naming the field), never a 503 or a 500, and never
echoed back at length. Malformed ids get the one error of ``api.ids`` on every surface."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from api.context import AppContext
from api.services.documents import ListFilter, ListQuery, SortField
from db.repositories.documents import SORT_COLUMNS
from tests.api.helpers import gql, make_document

# (REST query parameter, value, the field the error names); each also goes through GraphQL.
HOSTILE: list[tuple[str, str, str]] = [
    ("minTotal", "1e999999", "minTotal"),
    ("maxTotal", "-1e999999", "maxTotal"),
    ("minTotal", "NaN", "minTotal"),
    ("maxTotal", "Infinity", "maxTotal"),
    ("minTotal", "-Infinity", "minTotal"),
    ("minTotal", "10000000000000000", "minTotal"),  # 17 integer digits: beyond NUMERIC(18,2)
    ("maxTotal", "0.001", "maxTotal"),
    ("uploadedFrom", "9999-12-31T23:59:59-14:00", "uploadedFrom"),  # year 10000 in UTC
    ("uploadedTo", "0001-01-01T00:00:00+14:00", "uploadedTo"),  # year 0 in UTC
    ("search", "acme\x00", "search"),
    ("vendorName", "\x00", "vendorName"),
    ("currency", "EU\x00R", "currency"),
    ("vendorName", "v" * 5000, "vendorName"),
    ("currency", "C" * 5000, "currency"),
]

GRAPHQL_FILTER = {
    "minTotal": "minTotal",
    "maxTotal": "maxTotal",
    "uploadedFrom": "uploadedFrom",
    "uploadedTo": "uploadedTo",
    "vendorName": "vendorName",
    "currency": "currency",
}
LIST = """query($search: String, $filter: DocumentFilter) {
  documents(search: $search, filter: $filter) { totalCount }
}"""


def _rest_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 422, (response.status_code, response.text[:300])
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert len(response.text) < 1000, "the bad value is echoed back at length"
    return error


@pytest.mark.parametrize(("name", "value", "field"), HOSTILE)
async def test_hostile_filters_are_a_validation_error_on_every_surface(
    ctx: AppContext, client: httpx.AsyncClient, name: str, value: str, field: str
) -> None:
    await make_document(ctx, fields={"totalAmount": "10.00"}, finalize=True)

    listed = _rest_error(await client.get("/api/documents", params={name: value}))
    assert listed["field"] == field, listed
    for export in ("documents.json", "documents.csv", "line-items.csv"):
        exported = _rest_error(await client.get(f"/api/exports/{export}", params={name: value}))
        assert exported["field"] == field, exported

    variables: dict[str, Any] = (
        {"search": value} if name == "search" else {"filter": {GRAPHQL_FILTER[name]: value}}
    )
    body = await gql(client, LIST, variables)
    assert body["data"] is None, body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_ERROR", error
    assert error["extensions"]["field"] == field, error
    assert len(json.dumps(body)) < 1000


async def test_lone_surrogates_are_refused_not_a_server_error(client: httpx.AsyncClient) -> None:
    # Only JSON can carry one (a URL is UTF-8): GraphQL's variables.
    body = {"query": LIST, "variables": {"filter": {"vendorName": "ab"}}}
    raw = json.dumps(body).replace('"ab"', '"ab\\ud800"')
    response = await client.post(
        "/graphql", content=raw, headers={"Content-Type": "application/json"}
    )
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_ERROR", error
    assert error["extensions"]["field"] == "vendorName"


async def test_page_limits(client: httpx.AsyncClient) -> None:
    for limit in ("-1", "101", "1e9", "99999999999999999999999"):
        error = _rest_error(await client.get("/api/documents", params={"limit": limit}))
        assert error["field"] == "limit", error
    error = _rest_error(await client.get("/api/documents", params={"cursor": "c" * 5000}))
    assert error["field"] == "cursor"
    for first in (-1, 101, 2**31 - 1):
        body = await gql(
            client, "query($n: Int) { documents(first: $n) { totalCount } }", {"n": first}
        )
        assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR", body
        assert body["errors"][0]["extensions"]["field"] == "first"


async def test_the_filter_still_filters(ctx: AppContext, client: httpx.AsyncClient) -> None:
    cheap = await make_document(ctx, fields={"totalAmount": "10.00"})
    await make_document(ctx, fields={"totalAmount": "9999999999999999.99"})
    params = {"minTotal": "1", "maxTotal": "10.00", "uploadedFrom": "2000-01-01T00:00:00+14:00"}
    listed = (await client.get("/api/documents", params=params)).json()
    assert [i["id"] for i in listed["items"]] == [str(cheap.id)]
    body = await gql(
        client,
        LIST,
        {"filter": {"minTotal": "1", "maxTotal": "10.00", "uploadedFrom": params["uploadedFrom"]}},
    )
    assert body["data"]["documents"]["totalCount"] == 1, body
    naive = await client.get("/api/documents", params={"uploadedFrom": "2000-01-01T00:00:00"})
    assert naive.status_code == 200 and naive.json()["totalCount"] == 2


MALFORMED_IDS = ["not-a-uuid", "١" * 32, "{" + "0" * 32 + "}", "x" * 5000]


async def test_a_malformed_id_is_the_same_not_found_everywhere(client: httpx.AsyncClient) -> None:
    for bad in MALFORMED_IDS:
        for path in (f"/api/documents/{bad}", f"/api/jobs/{bad}"):
            response = await client.get(path)
            assert response.status_code == 404, (path[:60], response.text[:200])
            assert response.json()["error"]["code"] == "NOT_FOUND"
            assert len(response.text) < 400
        for query in (
            "query($id: ID!) { document(id: $id) { id } }",
            "query($id: ID!) { job(id: $id) { id } }",
        ):
            body = await gql(client, query, {"id": bad})
            assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", body
            assert len(json.dumps(body)) < 600
        for name in ("finalizeDocument", "retryJob", "cancelJob"):
            mutation = (
                f"mutation($id: ID!) {{ {name}(id: $id) "
                "{ __typename ... on UserError { code field } } }"
            )
            body = await gql(client, mutation, {"id": bad})
            result = body["data"][name]
            assert result == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "id"}, (
                body
            )


def test_graphql_filter_and_sort_map_onto_the_one_model() -> None:
    """GraphQL's ``DocumentFilter``/``DocumentSortField`` are its spelling of ``ListFilter`` and
    ``SortField``, which the repository's sort columns serve: a field added to one and not the
    others would be a filter REST or the export silently lacks."""
    from strawberry.types.base import get_object_definition

    from schema.inputs import DocumentFilter, DocumentSortField

    graphql_fields = {
        f.python_name for f in get_object_definition(DocumentFilter, strict=True).fields
    }
    assert graphql_fields | {"search"} == set(ListFilter.model_fields)
    assert set(ListQuery.model_fields) - set(ListFilter.model_fields) == {"sort", "order"}
    sorts = {field.value.upper() for field in SortField}
    assert {member.name for member in DocumentSortField} == sorts == set(SORT_COLUMNS)
