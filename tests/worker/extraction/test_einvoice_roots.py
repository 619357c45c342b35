"""The worker recognises exactly the e-invoice roots the upload accepts, from one definition
(``api.services.sniff.EINVOICE_ROOTS``): a root added or dropped there changes both sides. And
the EN 16931 sums with a deduction and an addition (BR-CO-13, BR-CO-16) count what is present."""

from __future__ import annotations

from decimal import Decimal
from decimal import Decimal as D

import pytest

from api.services.sniff import EINVOICE_ROOTS
from tests.services import REPO
from worker.extraction.einvoice import en16931_checks, sniff_einvoice


@pytest.mark.parametrize(("namespace", "local"), sorted(EINVOICE_ROOTS))
def test_every_root_the_upload_accepts_is_an_einvoice_to_the_worker(
    namespace: str, local: str
) -> None:
    xml = f'<?xml version="1.0"?><x:{local} xmlns:x="{namespace}"/>'.encode()
    assert sniff_einvoice(xml) is not None


def test_a_root_outside_the_accepted_set_is_not() -> None:
    assert sniff_einvoice(b'<Invoice xmlns="urn:example:not-an-einvoice"/>') is None


def test_the_worker_does_not_spell_the_namespaces_out_again() -> None:
    """A second copy of the list would drift from the upload's; the worker imports it."""
    spelled = {
        str(path.relative_to(REPO)): namespace
        for path in sorted((REPO / "worker").rglob("*.py"))
        for namespace, _ in EINVOICE_ROOTS
        if namespace in path.read_text(encoding="utf-8")
    }
    assert spelled == {}


def _br_co(extra: dict[str, Decimal | None], net: str, total: str) -> dict[str, bool]:
    fields = {
        "lineItems": [],
        "taxBreakdown": [],
        "netAmount": Decimal(net),
        "taxAmount": None,
        "totalAmount": Decimal(total),
    }
    return {
        c["name"]: c["passed"]
        for c in en16931_checks(fields, {"lineTotal": None, "payable": None, **extra})
        if c["name"].startswith("BR-CO")
    }


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # line total - allowances + charges = net (BR-CO-13); total - prepaid + rounding = due.
        (dict(lineTotal=D("100"), allowances=D("10"), charges=D("5"), payable=D("110"),
              prepaid=D("5"), rounding=D("0.01")), {"BR-CO-13": True, "BR-CO-16": False}),
        (dict(lineTotal=D("95"), allowances=None, charges=None, payable=D("114.01"),
              prepaid=D("5"), rounding=D("0.01")), {"BR-CO-13": True, "BR-CO-16": True}),
        (dict(lineTotal=D("100"), allowances=D("5"), charges=None, payable=D("119"),
              prepaid=None, rounding=None), {"BR-CO-13": True, "BR-CO-16": True}),
        (dict(lineTotal=D("100"), allowances=None, charges=D("5"), payable=D("119"),
              prepaid=None, rounding=None), {"BR-CO-13": False, "BR-CO-16": True}),
    ],
)  # fmt: skip
def test_the_sums_with_deductions_and_additions(
    extra: dict[str, Decimal | None], expected: dict[str, bool]
) -> None:
    assert _br_co(extra, net="95", total="119") == expected
