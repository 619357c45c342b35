"""A reviewer's day, end to end in a real browser, keyboard first (issue 14).

Named to run after the other browser tests: they expect an empty stack at their start, and this
one first finalizes (through the API) whatever they left in the review queue, so that the queue
holds only this test's invoices.

1. The dashboard shows the queue's length; "Review next" (reached with Tab, pressed with Enter)
   opens the oldest invoice. Three invoices are reviewed with the keyboard only: N jumps to the
   field that needs attention, `?` lists the shortcuts, F / Ctrl+Enter ask to finalize and Enter
   confirms (Escape cancels), J/K walk the queue, a missing vendor is typed and saved with Enter,
   and after each save or finalize the next invoice opens by itself (after the last one's save,
   nothing else waits: the screen says so and stays).
2. Bulk: three more invoices, filtered by search and status, selected with the page checkbox
   (Space), finalized in one go; each document's outcome is listed.
3. A copy of an invoice already finalized is flagged as a possible duplicate (dashboard badge,
   banner with a link); finalizing it is stopped until explicitly confirmed, and the confirmation
   is in its history.
4. axe-core on every screen (dashboard, review, sign-in, settings): no serious or critical
   violation.

Screenshots of each step: test-results/e2e/review-*.png (the demo).
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from .axe import assert_accessible
from .conftest import Stack, sign_in
from .test_web_flow import PROCESSING_TIMEOUT, UI_TIMEOUT, row, wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

QUEUE = ["coolblue1.pdf", "free_fiber.pdf", "saeco.pdf"]  # saeco.pdf: no vendor is found
BULK = ["NetpresseInvoice.pdf", "coolblue2.pdf", "oyo.pdf"]  # oyo.pdf: no check can run


def gql(stack: Stack, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{stack.api_url}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json", **stack.headers},
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        body = json.load(response)
    assert not body.get("errors"), body
    return body["data"]


def upload(stack: Stack, path: Path, name: str) -> str:
    """One file per request, so upload order (the queue's order) is the call order."""
    with path.open("rb") as f:
        response = httpx.post(
            f"{stack.api_url}/api/documents/upload",
            files=[("files", (name, f.read(), "application/pdf"))],
            headers=stack.headers,
            timeout=30,
        )
    assert response.status_code == 201, response.text
    return str(response.json()["documents"][0]["id"])


def wait_completed(stack: Stack, ids: list[str]) -> None:
    deadline = time.monotonic() + PROCESSING_TIMEOUT / 1000
    query = "query($id: ID!) { document(id: $id) { status } }"
    while True:
        statuses = [gql(stack, query, {"id": i})["document"]["status"] for i in ids]
        if all(s == "COMPLETED" for s in statuses):
            return
        assert not {"FAILED", "CANCELLED"} & set(statuses), statuses
        assert time.monotonic() < deadline, statuses
        time.sleep(0.5)


def empty_the_queue(stack: Stack) -> None:
    """Finalize what earlier tests left for review (REST, confirming possible duplicates)."""
    while True:
        found = gql(stack, "{ nextToReview { id } }")["nextToReview"]
        if found is None:
            return
        response = httpx.post(
            f"{stack.api_url}/api/documents/{found['id']}/finalize",
            params={"confirmDuplicate": "true"},
            headers=stack.headers,
            timeout=15,
        )
        assert response.status_code == 200, response.text


def tab_to(page: Page, test_id: str, limit: int = 60) -> None:
    """Press Tab until the element with ``test_id`` has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("(id) => document.activeElement?.dataset?.testid === id", test_id):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {test_id}")


def active_test_id(page: Page) -> str | None:
    return page.evaluate("() => document.activeElement?.dataset?.testid ?? null")


def expect_title(page: Page, name: str) -> None:
    expect(page.get_by_test_id("document-title")).to_have_text(name, timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("review-form")).to_be_visible(timeout=UI_TIMEOUT)


def confirm_with_keyboard(page: Page) -> None:
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("confirm")).to_be_focused()
    page.keyboard.press("Enter")


def test_reviewer_day_keyboard_bulk_duplicates_axe(
    stack: Stack,
    api_schema: None,
    browser: Browser,
    corpus: Path,
    results_dir: Path,
    tmp_path: Path,
) -> None:
    def shot(page: Page, name: str) -> None:
        page.screenshot(path=str(results_dir / f"review-{name}.png"), full_page=True)

    empty_the_queue(stack)
    queue_ids = [upload(stack, corpus / n, n) for n in QUEUE]
    wait_completed(stack, queue_ids)

    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    sign_in(ctx, stack)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # 1. The dashboard: the queue's length, then Review next with the keyboard.
    page.goto(stack.web_url + "/")
    wait_live(page)
    expect(page.get_by_test_id("queue-length")).to_have_attribute(
        "data-count", "3", timeout=UI_TIMEOUT
    )
    shot(page, "01-dashboard-queue")
    assert_accessible(page, results_dir, "dashboard")
    tab_to(page, "review-next")
    page.keyboard.press("Enter")

    # Invoice 1: N jumps to a field needing attention; ? lists the shortcuts; F, Enter finalizes.
    expect_title(page, QUEUE[0])
    first_url = page.url
    attention = page.get_by_test_id("attention-count")
    expect(attention).not_to_have_attribute("data-count", "0", timeout=UI_TIMEOUT)
    page.keyboard.press("n")
    focused = page.evaluate("() => document.activeElement?.getAttribute('data-attention')")
    assert focused, "N moves the focus to a field that needs attention"
    expect(page.get_by_test_id("pdf-page-1")).to_be_visible(timeout=UI_TIMEOUT)
    shot(page, "02-attention-field")
    assert_accessible(page, results_dir, "review")
    page.keyboard.press("Escape")  # leave the field: the letter keys are shortcuts again
    page.keyboard.press("?")
    expect(page.get_by_test_id("shortcuts-dialog")).to_be_visible()
    shot(page, "03-shortcuts")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("shortcuts-dialog")).to_be_hidden()
    page.keyboard.press("f")
    shot(page, "04-confirm-finalize")
    confirm_with_keyboard(page)

    # Invoice 2 opens by itself. J/K walk the queue; Ctrl+Enter, Escape cancels; again, Enter.
    expect_title(page, QUEUE[1])
    assert page.url != first_url
    page.keyboard.press("j")
    expect_title(page, QUEUE[2])
    page.keyboard.press("k")
    expect_title(page, QUEUE[1])
    page.keyboard.press("Control+Enter")
    expect(page.get_by_test_id("confirm-dialog")).to_be_visible(timeout=UI_TIMEOUT)
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("confirm-dialog")).to_be_hidden()
    expect(page.get_by_test_id("document-title")).to_have_text(QUEUE[1])
    page.keyboard.press("Control+Enter")
    confirm_with_keyboard(page)

    # Invoice 3: its vendor is missing; N lands there, type it, Enter saves, Ctrl+Enter finalizes.
    expect_title(page, QUEUE[2])
    expect(page.get_by_test_id("field-vendorName")).to_have_attribute(
        "data-attention", re.compile("missing")
    )
    page.keyboard.press("n")
    assert active_test_id(page) == "field-vendorName"
    page.keyboard.type("Saeco International Group")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("notice-saved")).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("field-vendorName")).not_to_have_attribute(
        "data-attention", re.compile(".")
    )
    # The save went for the next invoice: invoices 1 and 2 are finalized, this one is the last.
    expect(page.get_by_test_id("queue-message")).to_contain_text("No other", timeout=UI_TIMEOUT)
    expect_title(page, QUEUE[2])
    shot(page, "05-fixed-and-saved")
    page.keyboard.press("Control+Enter")
    confirm_with_keyboard(page)
    # The queue is empty now: the screen says so and stays.
    expect(page.get_by_test_id("queue-message")).to_contain_text("No other", timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("finalized-notice")).to_be_visible()
    shot(page, "06-queue-done")
    statuses = [
        gql(
            stack,
            "query($id: ID!) { document(id: $id) { status extraction { fields { vendorName } } } }",
            {"id": i},
        )["document"]
        for i in queue_ids
    ]
    assert [s["status"] for s in statuses] == ["FINALIZED"] * 3
    assert statuses[2]["extraction"]["fields"]["vendorName"] == "Saeco International Group"

    # 2. Bulk: three more, found by search and status, selected with the page checkbox.
    bulk_ids = []
    for name in BULK:
        copy = tmp_path / f"bulk-{name}"
        shutil.copy(corpus / name, copy)
        bulk_ids.append(upload(stack, copy, copy.name))
    wait_completed(stack, bulk_ids)
    page.goto(stack.web_url + "/?q=bulk&status=COMPLETED")
    wait_live(page)
    expect(page.get_by_test_id("document-row")).to_have_count(3, timeout=UI_TIMEOUT)
    page.get_by_test_id("select-page").focus()
    page.keyboard.press("Space")
    expect(page.get_by_test_id("selection-count")).to_have_attribute("data-count", "3")
    shot(page, "07-bulk-selected")
    page.get_by_test_id("bulk-finalize").focus()
    page.keyboard.press("Enter")
    results = page.get_by_test_id("bulk-result")
    expect(results).to_have_count(3, timeout=UI_TIMEOUT)
    shot(page, "08-bulk-results")
    outcomes = {
        results.nth(i).get_attribute("data-document-id"): (
            results.nth(i).get_attribute("data-ok"),
            results.nth(i).get_attribute("data-code"),
        )
        for i in range(3)
    }
    assert set(outcomes) == set(bulk_ids)
    for document_id, (ok, code) in outcomes.items():
        status = gql(stack, "query($id: ID!) { document(id: $id) { status } }", {"id": document_id})
        if ok == "true":
            assert status["document"]["status"] == "FINALIZED"
        else:
            assert code in {"CHECKS_FAILED", "DUPLICATE_SUSPECTED"}, code
            assert status["document"]["status"] == "COMPLETED"
    assert any(ok == "true" for ok, _ in outcomes.values()), outcomes

    # 3. A second copy of invoice 1: flagged, and finalizing it needs an explicit confirmation.
    copy = tmp_path / "again-coolblue1.pdf"
    shutil.copy(corpus / QUEUE[0], copy)
    twin = upload(stack, copy, copy.name)
    wait_completed(stack, [twin])
    page.goto(stack.web_url + "/?q=again")
    expect(row(page, copy.name).get_by_test_id("duplicate-badge")).to_be_visible(timeout=UI_TIMEOUT)
    shot(page, "09-duplicate-badge")
    page.goto(stack.web_url + f"/documents/{twin}")
    expect_title(page, copy.name)
    expect(page.get_by_test_id("possible-duplicates")).to_be_visible()
    expect(page.get_by_test_id("duplicate-link").first).to_have_attribute(
        "href", f"/documents/{queue_ids[0]}"
    )
    page.keyboard.press("f")
    confirm_with_keyboard(page)
    expect(page.get_by_test_id("duplicate-warning")).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("confirm")).to_have_text("Finalize anyway")
    shot(page, "10-stopped-by-duplicate")
    assert (
        gql(stack, "query($id: ID!) { document(id: $id) { status } }", {"id": twin})["document"][
            "status"
        ]
        == "COMPLETED"
    )
    confirm_with_keyboard(page)
    expect(page.get_by_test_id("confirm-dialog")).to_be_hidden(timeout=UI_TIMEOUT)
    history = gql(
        stack,
        "query($id: ID!) { document(id: $id) { status history { action changes { after } } } }",
        {"id": twin},
    )["document"]
    assert history["status"] == "FINALIZED"
    actions = [h["action"] for h in history["history"]]
    assert actions[-2:] == ["DUPLICATE_CONFIRMED", "FINALIZED"], actions
    assert queue_ids[0] in history["history"][-2]["changes"][0]["after"]

    # 4. axe on the remaining screens: settings, and sign-in (signed out).
    page.goto(stack.web_url + "/settings")
    expect(page.locator("h1").first).to_be_visible(timeout=UI_TIMEOUT)
    shot(page, "11-settings")
    assert_accessible(page, results_dir, "settings")
    anonymous = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    signin = anonymous.new_page()
    signin.goto(stack.web_url + "/signin")
    expect(signin.get_by_test_id("signin-email")).to_be_visible(timeout=UI_TIMEOUT)
    shot(signin, "12-signin")
    assert_accessible(signin, results_dir, "signin")
    anonymous.close()

    assert not errors, errors
    ctx.close()
