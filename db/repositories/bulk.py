"""Multi-row INSERTs as ONE constant statement (issue 16).

The rows travel as one array per column and come back out of ``unnest``, so the statement is the
same for any number of rows: SQLAlchemy builds, cache-keys and compiles it once per process. A
``insert(...).values([...])`` list is a new statement for every call (one bind per cell), and
compiling it again was ~10 % of the API's CPU in the upload benchmark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ARRAY, bindparam, func
from sqlalchemy.types import TypeEngine

Columns = Sequence[tuple[str, TypeEngine[Any]]]
# Execution options for such an INSERT … RETURNING an entity with the arrays as parameters: ORM
# rows back, without the "bulk" strategy the ORM picks when a statement comes with parameters.
ORM = {"dml_strategy": "orm"}


def unnest_rows(columns: Columns, *, ordinality: str | None = None) -> Any:
    """A derived table with one row per array element and ``columns`` as its columns (and
    ``ordinality``, from 1, when named), fed by the arrays ``rows_<column>``."""
    arrays = (bindparam(f"rows_{name}", type_=ARRAY(type_)) for name, type_ in columns)
    names = [name for name, _ in columns]
    return func.unnest(*arrays).table_valued(*names, with_ordinality=ordinality).render_derived()


def rows_params(columns: Columns, rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The arrays ``unnest_rows(columns)`` reads, from ``rows`` (one mapping per row; a column
    a row does not name is NULL)."""
    return {f"rows_{name}": [row.get(name) for row in rows] for name, _ in columns}
