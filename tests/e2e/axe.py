"""Accessibility checks with axe-core in the Playwright page.

axe-core comes from the web app's own dev dependencies (``web/node_modules/axe-core``), injected
as a script: nothing is downloaded at run time. The contexts that run it are created with
``bypass_csp=True`` so the injected script is allowed by the app's Content-Security-Policy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import WEB_DIR

AXE_JS = WEB_DIR / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page: Any, results_dir: Path, name: str) -> list[dict[str, Any]]:
    """Run axe on the page as it is; write the full report to ``axe-<name>.json`` and return
    the serious and critical violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    report = page.evaluate(
        """async () => await window.axe.run(document, {
            resultTypes: ['violations'],
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        })"""
    )
    (results_dir / f"axe-{name}.json").write_text(json.dumps(report["violations"], indent=2))
    return [v for v in report["violations"] if v.get("impact") in BLOCKING]


def assert_accessible(page: Any, results_dir: Path, name: str) -> None:
    bad = axe_violations(page, results_dir, name)
    summary = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"axe found serious/critical violations on {name}:\n{summary}"
