"""``paperlane export-schema``: write codegen/schema.graphql, the web app's source of truth."""

from __future__ import annotations

import sys
from pathlib import Path

from strawberry.printer import print_schema

from schema.schema import schema

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "codegen" / "schema.graphql"


def main(path: Path = DEFAULT_PATH) -> None:
    path.write_text(print_schema(schema) + "\n", encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
