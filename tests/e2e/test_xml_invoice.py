"""An e-invoice sent as XML, end to end in a real browser: upload it, open it, and review it
beside a rendering of the invoice built from its data (the XML itself is never shown), with its
line items in an editable table whose sum is checked as the reviewer types."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures import EINVOICES

from .conftest import Stack, sign_in
from .test_web_flow import PROCESSING_TIMEOUT, UI_TIMEOUT, row, upload_item, wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

NAME = "xrechnung-RE-2025-0042.xml"


def test_xml_invoice_upload_render_and_line_items(
    stack: Stack, api_schema: None, browser: Browser, results_dir: Path, tmp_path: Path
) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    sign_in(ctx, stack)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    invoice = tmp_path / NAME
    shutil.copy(EINVOICES / "cii-xrechnung.xml", invoice)
    page.goto(stack.web_url + "/upload")
    wait_live(page)
    page.get_by_test_id("upload-input").set_input_files([str(invoice)])
    badge = upload_item(page, NAME).get_by_test_id("status-badge")
    expect(badge).to_have_attribute("data-status", "COMPLETED", timeout=PROCESSING_TIMEOUT)

    page.get_by_test_id("nav-dashboard").click()
    row(page, NAME).get_by_test_id("row-link").click()

    # The rendering stands where the PDF viewer would be; no PDF page is drawn.
    rendering = page.get_by_test_id("invoice-rendering")
    expect(rendering).to_be_visible(timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("pdf-page-1")).to_have_count(0)
    expect(page.get_by_test_id("rendering-seller")).to_have_text("Datenschutz Nord GmbH")
    expect(page.get_by_test_id("rendering-number")).to_have_text("RE-2025-0042")
    expect(page.get_by_test_id("rendering-buyer")).to_have_text("Stadtverwaltung Musterstadt")
    expect(page.get_by_test_id("rendering-line")).to_have_count(2)
    expect(page.get_by_test_id("rendering-line").first).to_contain_text("Beratung Datenschutz")
    expect(page.get_by_test_id("rendering-total")).to_have_text("1534.79 EUR")
    expect(page.get_by_test_id("download-xml")).to_be_visible()

    # The fields and both tables, every check passing.
    expect(page.get_by_test_id("field-netAmount")).to_have_value("1299.80")
    expect(page.get_by_test_id("field-iban")).to_have_value("DE89370400440532013000")
    expect(page.get_by_test_id("lineItems-row")).to_have_count(2)
    expect(page.get_by_test_id("taxBreakdown-row")).to_have_count(2)
    expect(page.get_by_test_id("lineItems-1-description")).to_have_value("Fachbuch DSGVO")
    expect(page.get_by_test_id("check-BR-CO-15")).to_have_attribute("data-passed", "true")
    lines_check = page.get_by_test_id("check-LINES_SUM_TO_NET")
    expect(lines_check).to_have_attribute("data-passed", "true")
    page.screenshot(path=str(results_dir / "20-xml-invoice-review.png"), full_page=True)

    # A wrong line amount breaks the line sum at once and marks the table and the net amount.
    page.get_by_test_id("lineItems-1-netAmount").fill("98.80")
    expect(lines_check).to_have_attribute("data-passed", "false", timeout=UI_TIMEOUT)
    expect(page.get_by_test_id("check-mark-lineItems")).to_be_visible()
    expect(page.get_by_test_id("check-mark-netAmount")).to_contain_text("LINES_SUM_TO_NET")
    page.screenshot(path=str(results_dir / "21-xml-invoice-check-failed.png"), full_page=True)

    assert errors == [], f"uncaught errors in the page: {errors}"
    ctx.close()
