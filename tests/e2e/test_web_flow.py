"""The web app end to end, in a real browser against the real stack.

Upload three corpus invoices and one truncated PDF; watch their statuses change live (no reload)
on the upload screen, the dashboard, and a second browser context that was already open; the
truncated one fails with its reason and Retry re-queues it; correct an invoice's total, save,
finalize; export CSV (single record and bulk with the dashboard's filter) and check the row.
Screenshots of each screen land in test-results/e2e/.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import Stack, sign_in, sign_in_through_page

# Session setup builds the web app and starts the whole stack: more than the default 300 s budget.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

INVOICES = ["AzureInterior.pdf", "NetpresseInvoice.pdf", "QualityHosting.pdf"]
BROKEN = "truncated-invoice.pdf"
EMPTY = "empty.pdf"
PROCESSING_TIMEOUT = 90_000  # ms: one worker, four documents, a cold Celery start
UI_TIMEOUT = 15_000

# Records every status a document row shows, so the test can tell live progress from a reload.
STATUS_RECORDER = """
window.__statusLog = [];
const record = (row) => window.__statusLog.push(
  row.getAttribute('data-filename') + ':' + row.getAttribute('data-status'));
const ROW = '[data-testid=document-row]';
new MutationObserver((mutations) => {
  for (const m of mutations) {
    if (m.type === 'attributes' && m.target.matches?.(ROW)) record(m.target);
    for (const node of m.addedNodes || []) {
      if (node.nodeType !== 1) continue;
      if (node.matches(ROW)) record(node);
      node.querySelectorAll?.(ROW).forEach(record);
    }
  }
}).observe(document, {
  subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'],
});
"""


def row(page: Page, filename: str) -> Locator:
    return page.locator(f'[data-testid="document-row"][data-filename="{filename}"]')


def wait_live(page: Page) -> None:
    status = page.get_by_test_id("connection-status")
    hint = (
        "the page's GraphQL WebSocket did not connect: the API must accept the web app's origin"
        " on WebSockets too (Strawberry's allowed_origins), see test-results/e2e/logs"
    )
    expect(status, hint).to_have_attribute("data-state", "connected", timeout=UI_TIMEOUT)


def upload_item(page: Page, filename: str) -> Locator:
    return page.locator(f'[data-testid="upload-item"][data-filename="{filename}"]')


def truncated_pdf(corpus: Path, target: Path) -> Path:
    data = (corpus / "AzureInterior.pdf").read_bytes()
    target.write_bytes(data[: len(data) // 2])  # starts with %PDF-, ends before %%EOF
    return target


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def evidence_box_of(stack: Stack, document_id: str, field: str) -> bool:
    """Whether the API reports a page and a bounding box for the field's value."""
    query = "query($id: ID!) { document(id: $id) { extraction { evidence { field page bbox } } } }"
    request = urllib.request.Request(
        f"{stack.api_url}/graphql",
        data=json.dumps({"query": query, "variables": {"id": document_id}}).encode(),
        headers={"Content-Type": "application/json", **stack.headers},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    evidence = body["data"]["document"]["extraction"]["evidence"]
    return any(e["field"] == field and e["page"] and e["bbox"] for e in evidence)


def download(page: Page, link: Locator, results_dir: Path, name: str) -> Path:
    with page.expect_download(timeout=UI_TIMEOUT) as info:
        link.click()
    target = results_dir / name
    info.value.save_as(target)
    return target


def test_upload_watch_retry_review_finalize_export(
    stack: Stack,
    api_schema: None,
    browser: Browser,
    corpus: Path,
    results_dir: Path,
    tmp_path: Path,
) -> None:
    def shot(page: Page, name: str) -> None:
        page.screenshot(path=str(results_dir / f"{name}.png"), full_page=True)

    # A second browser context, already on the dashboard before anything is uploaded.
    watcher_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    sign_in(watcher_ctx, stack)
    watcher_ctx.add_init_script(STATUS_RECORDER)
    watcher = watcher_ctx.new_page()
    watcher.goto(stack.web_url + "/")
    wait_live(watcher)
    expect(watcher.get_by_test_id("empty-state")).to_be_visible(timeout=UI_TIMEOUT)
    shot(watcher, "00-dashboard-empty")

    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # 0. Signed out, the app sends the browser to the sign-in page; a wrong password is refused
    #    there with its reason, the right one leads back to where the user was going.
    admin_email, admin_password = stack.admin_credentials()
    page.goto(stack.web_url + "/upload")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fupload$"), timeout=UI_TIMEOUT)
    page.get_by_test_id("signin-email").fill(admin_email)
    page.get_by_test_id("signin-password").fill(admin_password + "-wrong")
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("signin-error")).to_have_attribute(
        "data-code", "INVALID_CREDENTIALS", timeout=UI_TIMEOUT
    )
    shot(page, "00-signin-refused")
    sign_in_through_page(page, stack, admin_email, admin_password, "/upload")
    expect(page.get_by_test_id("nav-user")).to_have_attribute("data-role", "ADMIN")

    # 1. Upload: three invoices, a truncated PDF (accepted, fails in the worker) and an empty file
    #    (rejected by the API with its reason, without blocking the others).
    wait_live(page)
    broken = truncated_pdf(corpus, tmp_path / BROKEN)
    empty = tmp_path / EMPTY
    empty.write_bytes(b"")
    page.get_by_test_id("upload-input").set_input_files(
        [str(corpus / n) for n in INVOICES] + [str(broken), str(empty)]
    )
    items = page.get_by_test_id("upload-item")
    expect(items).to_have_count(5, timeout=UI_TIMEOUT)
    shot(page, "01-upload-started")
    expect(upload_item(page, EMPTY)).to_have_attribute("data-phase", "rejected", timeout=UI_TIMEOUT)
    reason_el = upload_item(page, EMPTY).get_by_test_id("upload-reason")
    expect(reason_el).to_have_attribute("data-code", "EMPTY_FILE")
    for name in [*INVOICES, BROKEN]:
        expect(upload_item(page, name)).to_have_attribute(
            "data-phase", "uploaded", timeout=UI_TIMEOUT
        )
    for name in INVOICES:
        badge = upload_item(page, name).get_by_test_id("status-badge")
        expect(badge).to_have_attribute("data-status", "COMPLETED", timeout=PROCESSING_TIMEOUT)
    broken_badge = upload_item(page, BROKEN).get_by_test_id("status-badge")
    expect(broken_badge).to_have_attribute("data-status", "FAILED", timeout=PROCESSING_TIMEOUT)
    shot(page, "02-upload-done")

    # 2. Dashboard (client-side navigation, no reload): final statuses, the failure's reason.
    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_test_id("document-row")).to_have_count(4, timeout=UI_TIMEOUT)
    for name in INVOICES:
        expect(row(page, name)).to_have_attribute("data-status", "COMPLETED")
        expect(row(page, name).get_by_test_id("progress-bar")).to_have_attribute(
            "data-value", "100"
        )
    failed = row(page, BROKEN)
    expect(failed).to_have_attribute("data-status", "FAILED")
    reason = failed.get_by_test_id("row-error").inner_text().strip()
    assert reason, "a failed row shows the API's reason"
    expect(page.get_by_test_id("filter-FAILED").get_by_test_id("status-count")).to_have_text("1")
    shot(page, "03-dashboard")

    # 3. The second context saw the uploads appear and move without reloading.
    for name in INVOICES:
        expect(row(watcher, name)).to_have_attribute(
            "data-status", "COMPLETED", timeout=PROCESSING_TIMEOUT
        )
    expect(row(watcher, BROKEN)).to_have_attribute(
        "data-status", "FAILED", timeout=PROCESSING_TIMEOUT
    )
    for name in INVOICES:
        bar = row(watcher, name).get_by_test_id("progress-bar")
        expect(bar).to_have_attribute("data-value", "100")
    expect(watcher.get_by_test_id("document-row")).to_have_count(4)
    seen: list[str] = watcher.evaluate("window.__statusLog")
    assert seen, "the watcher's rows were added live (its page was never reloaded)"
    shot(watcher, "04-second-context")

    # 4. Retry re-queues the failed job; it fails again (same bytes) with the attempt counted.
    failed.get_by_test_id("retry-button").click()
    expect(failed).to_have_attribute("data-retries", "1", timeout=UI_TIMEOUT)
    expect(failed).to_have_attribute("data-status", "FAILED", timeout=PROCESSING_TIMEOUT)
    expect(failed.get_by_test_id("retry-button")).to_be_visible()
    expect(row(watcher, BROKEN)).to_have_attribute("data-retries", "1", timeout=UI_TIMEOUT)
    shot(page, "05-dashboard-after-retry")

    # 5. Review: the PDF beside its fields; correct the total and save.
    row(page, "AzureInterior.pdf").get_by_test_id("row-link").click()
    total = page.get_by_test_id("field-totalAmount")
    expect(total).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("pdf-page-1")).to_be_visible(timeout=UI_TIMEOUT)
    # Focusing a field outlines its evidence on the page, when the API located it.
    document_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    total.focus()
    if evidence_box_of(stack, document_id, "totalAmount"):
        expect(page.get_by_test_id("evidence-box")).to_be_visible(timeout=UI_TIMEOUT)
    extracted_total = total.input_value()
    corrected = "279.84" if extracted_total != "279.84" else "280.00"
    total.fill(corrected)
    page.get_by_test_id("field-invoiceNumber").focus()
    expect(page.get_by_test_id("extracted-totalAmount")).to_contain_text(
        extracted_total or "(empty)"
    )
    total.focus()
    shot(page, "06-review-edited")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice-saved")).to_be_visible(timeout=UI_TIMEOUT)
    assert Decimal(total.input_value()) == Decimal(corrected)

    # 6. Finalize, behind a confirmation; the record becomes read-only.
    page.get_by_test_id("finalize-button").click()
    expect(page.get_by_test_id("confirm-dialog")).to_be_visible()
    shot(page, "07-finalize-confirm")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("finalized-notice")).to_be_visible(timeout=UI_TIMEOUT)
    expect(total).to_have_attribute("readonly", "")
    expect(page.get_by_test_id("save-button")).to_have_count(0)
    expect(page.get_by_test_id("timeline-event").first).to_be_visible()
    # The document's history names who reviewed (with the total's before → after) and finalized.
    history = page.get_by_test_id("history-entry")
    expect(page.locator('[data-testid="history-entry"][data-action="FINALIZED"]')).to_be_visible(
        timeout=UI_TIMEOUT
    )
    reviewed = page.locator('[data-testid="history-entry"][data-action="REVIEWED"]').first
    expect(reviewed).to_contain_text(admin_email)
    expect(reviewed.locator('[data-field="totalAmount"]')).to_contain_text(corrected)
    expect(history.first).to_have_attribute("data-action", "UPLOADED")
    shot(page, "08-review-finalized")

    # 7. Export this record as CSV.
    export_link = page.get_by_test_id("export-csv")
    single = read_csv(download(page, export_link, results_dir, "azure-interior.csv"))
    assert len(single) == 1
    assert single[0]["original_filename"] == "AzureInterior.pdf"
    assert Decimal(single[0]["total_amount"]) == Decimal(corrected)

    # 8. Bulk export from the dashboard with its current filter (finalized only).
    page.get_by_test_id("nav-dashboard").click()
    page.get_by_test_id("filter-FINALIZED").click()
    expect(page.get_by_test_id("document-row")).to_have_count(1, timeout=UI_TIMEOUT)
    expect(row(page, "AzureInterior.pdf")).to_have_attribute("data-status", "FINALIZED")
    href = page.get_by_test_id("export-csv").get_attribute("href") or ""
    assert "status=FINALIZED" in href, href
    shot(page, "09-dashboard-finalized")
    bulk = read_csv(download(page, page.get_by_test_id("export-csv"), results_dir, "documents.csv"))
    assert [r["original_filename"] for r in bulk] == ["AzureInterior.pdf"]
    assert bulk[0]["document_id"] == single[0]["document_id"]
    assert Decimal(bulk[0]["total_amount"]) == Decimal(corrected)

    # 9. Settings: an API token, its secret shown once, usable as a Bearer token, then revoked.
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("token-name").fill("e2e-sync")
    page.get_by_test_id("token-role").select_option("VIEWER")
    page.get_by_test_id("token-expiry").fill("30")
    page.get_by_test_id("token-create").click()
    secret = page.get_by_test_id("token-secret").inner_text(timeout=UI_TIMEOUT).strip()
    assert len(secret) >= 20, secret
    token_row = page.locator('[data-testid="token-row"][data-name="e2e-sync"]')
    expect(token_row).to_have_attribute("data-state", "active", timeout=UI_TIMEOUT)
    shot(page, "10-settings-token-created")
    assert api_me(stack, secret)["role"] == "viewer"
    page.reload()
    expect(token_row).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("token-secret")).to_have_count(0)
    assert secret not in page.content(), "the secret is shown only once"
    token_row.get_by_test_id("token-revoke").click()
    token_row.get_by_test_id("token-revoke-yes").click()
    expect(token_row).to_have_attribute("data-state", "revoked", timeout=UI_TIMEOUT)
    assert api_me_status(stack, secret) == 401

    # 10. Settings (admin): a viewer account.
    page.get_by_test_id("user-email").fill(VIEWER_EMAIL)
    page.get_by_test_id("user-role").select_option("VIEWER")
    page.get_by_test_id("user-password").fill(VIEWER_PASSWORD)
    page.get_by_test_id("user-create").click()
    viewer_row = page.locator(f'[data-testid="user-row"][data-email="{VIEWER_EMAIL}"]')
    expect(viewer_row).to_have_attribute("data-role", "VIEWER", timeout=UI_TIMEOUT)
    shot(page, "11-settings-users")

    # 11. Sign out lands on the sign-in page; the app is closed again.
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(re.compile(r"/signin$"), timeout=UI_TIMEOUT)
    page.goto(stack.web_url + "/settings")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fsettings$"), timeout=UI_TIMEOUT)

    # 12. The viewer reads and exports, but sees no upload, retry, save or finalize.
    sign_in_through_page(page, stack, VIEWER_EMAIL, VIEWER_PASSWORD, "/")
    expect(page.get_by_test_id("nav-user")).to_have_attribute("data-role", "VIEWER")
    wait_live(page)
    expect(page.get_by_test_id("document-row")).to_have_count(4, timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("nav-upload")).to_have_count(0)
    expect(page.get_by_test_id("retry-button")).to_have_count(0)
    expect(page.get_by_test_id("export-csv")).to_be_visible()
    shot(page, "12-viewer-dashboard")
    page.goto(f"{stack.web_url}/documents/{document_id}")
    expect(page.get_by_test_id("field-totalAmount")).to_have_attribute(
        "readonly", "", timeout=UI_TIMEOUT
    )
    expect(page.get_by_test_id("finalize-button")).to_have_count(0)
    expect(page.get_by_test_id("save-button")).to_have_count(0)
    page.goto(f"{stack.web_url}/upload")
    expect(page.get_by_test_id("not-allowed")).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("upload-input")).to_have_count(0)
    page.goto(f"{stack.web_url}/settings")
    expect(page.get_by_test_id("token-form")).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("users-section")).to_have_count(0)
    shot(page, "13-viewer-settings")

    assert errors == [], f"uncaught errors in the page: {errors}"
    watcher_ctx.close()
    ctx.close()


VIEWER_EMAIL = "viewer@example.com"
VIEWER_PASSWORD = "viewer-password-e2e"


def api_me_status(stack: Stack, token: str) -> int:
    request = urllib.request.Request(
        f"{stack.api_url}/api/auth/me", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def api_me(stack: Stack, token: str) -> dict[str, str]:
    request = urllib.request.Request(
        f"{stack.api_url}/api/auth/me", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body: dict[str, str] = json.load(response)
    return body
