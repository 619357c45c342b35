"""The worker recognises exactly the e-invoice roots the upload accepts, from one definition
(``api.services.sniff.EINVOICE_ROOTS``): a root added or dropped there changes both sides."""

from __future__ import annotations

import pytest

from api.services.sniff import EINVOICE_ROOTS
from tests.services import REPO
from worker.extraction.einvoice import sniff_einvoice


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
