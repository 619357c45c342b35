"""``paperlane extract FILE... [--json]``: the worker's parse and extract steps, without a database
or a queue. ``paperlane extract`` (``api.cli.commands``) runs this and calls :func:`run`."""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any

from api.errors import ProcessingError
from worker.extraction.fields import FIELD_NAMES, extract_fields
from worker.extraction.parse import parse_pdf


def extract_file(path: pathlib.Path) -> dict[str, Any]:
    """One file's result; an unreadable file yields an ``error`` object instead of raising."""
    result: dict[str, Any] = {
        "file": str(path),
        "pages": None,
        "fields": None,
        "evidence": [],
        "error": None,
    }
    try:
        doc = parse_pdf(path)
    except ProcessingError as exc:
        result["error"] = {"code": exc.code, "message": exc.message}
        return result
    except OSError as exc:  # missing file, permission denied
        result["error"] = {"code": "FILE_UNREADABLE", "message": exc.strerror or str(exc)}
        return result
    outcome = extract_fields(doc).to_json()
    result.update(pages=doc.page_count, fields=outcome["fields"], evidence=outcome["evidence"])
    return result


def _table(result: dict[str, Any]) -> str:
    lines = [f"{result['file']}"]
    if result["error"]:
        lines.append(f"  error  {result['error']['code']}: {result['error']['message']}")
        return "\n".join(lines)
    lines[0] += f"  ({result['pages']} page{'s' if result['pages'] != 1 else ''})"
    evidence = {e["field"]: e for e in result["evidence"]}
    for name in FIELD_NAMES:
        value = result["fields"][name]
        ev = evidence.get(name)
        where = (
            f"{ev['source']}, p.{ev['page']}, {ev['confidence']:.2f}"
            if ev and ev["page"]
            else ev["source"]
            if ev
            else ""
        )
        shown = "-" if value is None else value
        lines.append(f"  {name:<14} {shown:<40} {where}")
    return "\n".join(lines)


def run(files: list[pathlib.Path], as_json: bool) -> int:
    """Extract every file; print a table per file, or one JSON object per line. 1 if any failed."""
    failed = False
    for path in files:
        result = extract_file(path)
        failed = failed or result["error"] is not None
        if as_json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            print(_table(result))
        sys.stdout.flush()
    return 1 if failed else 0
