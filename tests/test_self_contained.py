"""A clone with nothing beside it tests itself: no test, sample, benchmark or build file reads a
folder outside the repository (a corpus beside the checkout is not there for a new user)."""

from __future__ import annotations

import re
import subprocess

from tests.fixtures import INVOICE2DATA
from tests.services import REPO

# Built from parts so that this file does not match itself.
OUTSIDE = re.compile(r"\.\./" + "shared" + r"|/work/" + "shared")


def test_nothing_refers_to_a_folder_outside_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "tests", "samples", "Makefile", ".ci", "web/src", "docs"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    offenders = [
        name
        for name in tracked
        if (REPO / name).is_file()
        and not name.endswith((".pdf", ".png", ".gif", ".mp4", ".jpg"))
        and OUTSIDE.search((REPO / name).read_text(errors="ignore"))
    ]
    assert offenders == []


def test_the_invoice2data_corpus_is_in_the_repository() -> None:
    pdfs = sorted(INVOICE2DATA.glob("*.pdf"))
    assert len(pdfs) == 11
    assert (INVOICE2DATA / "expected.json").is_file()
    assert "MIT" in (INVOICE2DATA / "LICENSE.md").read_text()
