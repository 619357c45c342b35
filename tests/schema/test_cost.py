"""GraphQL amplification (schema.cost): aliases and heavy fields cost, raw text is paged and
budgeted, and the 30-alias attack on a 27.6 MB text neither answers 828 MB nor grows the API."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from unittest.mock import patch

import httpx
from graphql import OperationDefinitionNode, parse, validate

from api.context import AppContext
from api.settings import get_settings
from schema.cost import CostLimit
from schema.schema import schema
from tests.api.helpers import gql, gql_data, make_document

WEB_SRC = Path(__file__).resolve().parents[2] / "web" / "src"

MiB = 1024 * 1024
RAW = "document(id: $id) { extraction { rawText } }"


def aliases(count: int, selection: str = RAW) -> str:
    body = " ".join(f"a{i}: {selection}" for i in range(count))
    return f"query($id: ID!) {{ {body} }}"


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096


class PeakRss:
    """The highest resident memory of this process while the block runs (sampled every 5 ms)."""

    def __enter__(self) -> PeakRss:
        self.base = _rss()
        self.peak = self.base
        self._stop = threading.Event()

        def sample() -> None:
            while not self._stop.is_set():
                self.peak = max(self.peak, _rss())
                time.sleep(0.005)

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> float:
        return (self.peak - self.base) / MiB


async def test_thirty_raw_text_aliases_on_a_huge_text_are_refused_cheaply(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    text = ("Rechnung Nummer 4711 Betrag 119,00 EUR " * 710_000)[:27_600_000]
    document = await make_document(ctx, raw_text=text)
    del text
    variables = {"id": str(document.id)}
    with PeakRss() as memory:
        started = time.perf_counter()
        response = await client.post(
            "/graphql", json={"query": aliases(30), "variables": variables}
        )
        elapsed = time.perf_counter() - started
    body = response.json()
    assert body.get("data") is None, "refused before execution"
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert "limit of 1000" in error["message"]
    assert len(response.content) < 2000
    print(f"30 aliases: {elapsed * 1000:.0f} ms, API memory +{memory.growth:.1f} MiB")
    assert memory.growth <= 50

    # Within the cost limit (5 × rawText): each field is capped, the request has a budget.
    with PeakRss() as memory:
        response = await client.post("/graphql", json={"query": aliases(5), "variables": variables})
    body = response.json()
    served = [body["data"][f"a{i}"] for i in range(5)]
    texts = [s["extraction"]["rawText"] for s in served if s and s["extraction"]]
    assert [len(t) for t in texts] == [1_000_000] * 4, "four fields of 1,000,000 fill the budget"
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"RESPONSE_TOO_LARGE"}
    print(f"5 aliases: {len(response.content) / MiB:.1f} MB answered, +{memory.growth:.1f} MiB")
    assert memory.growth <= 50


async def test_raw_text_pages(client: httpx.AsyncClient, ctx: AppContext) -> None:
    text = "".join(chr(0x41 + i % 26) for i in range(5000)) + "ÄÖÜ€"
    document = await make_document(ctx, raw_text=text)
    query = (
        "query($id: ID!, $o: Int!, $l: Int) { document(id: $id) { extraction { "
        "rawTextLength rawText(offset: $o, limit: $l) } } }"
    )

    async def page(offset: int, limit: int | None) -> dict:
        variables = {"id": str(document.id), "o": offset, "l": limit}
        return await gql(client, query, variables)

    whole = await gql_data(
        client,
        "query($id: ID!) { document(id: $id) { extraction { rawText } } }",
        {"id": str(document.id)},
    )
    assert whole["document"]["extraction"]["rawText"] == text, "rawText: String! still works"
    first = (await page(0, 100))["data"]["document"]["extraction"]
    assert first == {"rawTextLength": 5004, "rawText": text[:100]}
    tail = (await page(5000, 100))["data"]["document"]["extraction"]["rawText"]
    assert tail == "ÄÖÜ€", "offsets count characters, not bytes"
    assert (await page(9000, 10))["data"]["document"]["extraction"]["rawText"] == ""
    for offset, limit, field in [(-1, 10, "offset"), (0, 0, "limit"), (0, 1_000_001, "limit")]:
        body = await page(offset, limit)
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "VALIDATION_ERROR", body
        assert error["extensions"]["field"] == field


async def test_fragments_and_nesting_are_counted(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    document = await make_document(ctx)
    fragment = "fragment T on Document { extraction { rawText } }"
    spreads = " ".join(f"d{i}: document(id: $id) {{ ...T }}" for i in range(12))
    body = await gql(
        client, f"query($id: ID!) {{ {spreads} }} {fragment}", {"id": str(document.id)}
    )
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    # An ordinary page of the dashboard stays far below the limit.
    data = await gql_data(
        client,
        "{ documents(first: 100) { edges { node { id originalFilename status latestJob { id "
        "status progress } extraction { fields { vendorName totalAmount currency } } } } } }",
    )
    assert data["documents"]["edges"]


def test_the_web_apps_operations_cost_well_below_the_limit() -> None:
    """Every operation the web app sends (its graphql`…` documents, fragments resolved across
    files) passes the cost rule with room to spare."""
    sources = [
        match.group(1)
        for path in sorted(WEB_SRC.rglob("*.ts*"))
        if "gql" not in path.parts
        for match in re.finditer(r"graphql\(\s*`(.*?)`", path.read_text(), re.S)
    ]
    assert sources, "the web app's operations were not found"
    document = parse("\n".join(sources))
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) >= 5
    limit = get_settings().graphql_max_cost
    with_half = get_settings().model_copy(update={"graphql_max_cost": limit // 2})
    with patch("schema.cost.get_settings", return_value=with_half):
        errors = validate(schema._schema, document, [CostLimit])
    assert not errors, [e.message for e in errors]
