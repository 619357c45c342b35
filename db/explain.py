"""``Explain(stmt)``: ``EXPLAIN (FORMAT JSON)`` of a SQLAlchemy statement, bind parameters and all.

Used to read the planner's row estimate of a query without running it (``DocumentRepository.
count_or_estimate``). The statement is compiled by the same compiler as the statement itself, so
user input stays in bind parameters, never in the SQL text.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, Executable


class Explain(Executable, ClauseElement):
    inherit_cache = False

    def __init__(self, statement: Any):
        self.statement = statement


@compiles(Explain, "postgresql")
def _compile_explain(element: Explain, compiler: SQLCompiler, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def plan_rows(explain_output: Any) -> int:
    """The top plan node's row estimate from the output of ``Explain`` (text or parsed JSON)."""
    plan = json.loads(explain_output) if isinstance(explain_output, str) else explain_output
    return int(plan[0]["Plan"]["Plan Rows"])
