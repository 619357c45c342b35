"""The exported SDL is committed and current, and every type, field and argument is described."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType
from strawberry.printer import print_schema

from schema.schema import schema

SDL = Path(__file__).resolve().parents[2] / "codegen" / "schema.graphql"


def test_committed_sdl_is_current():
    assert SDL.read_text(encoding="utf-8") == print_schema(schema) + "\n", (
        "run `.venv/bin/python -m schema.export`"
    )


def test_everything_has_a_description():
    missing = []
    for name, kind in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in kind.values.items() if not value.description]
    assert not missing, missing


def test_contract_names():
    sdl = print_schema(schema)
    for needle in [
        "documents(",
        "  document(",
        "  job(",
        "): Document\n",
        "): Job\n",
        "documentCounts: [StatusCount!]!",
        "uploadDocuments(",
        "reviewDocument(",
        "finalizeDocument(",
        "retryJob(",
        "cancelJob(",
        "jobEvents(",
        "union ReviewDocumentResult = ReviewDocumentSuccess | NotFoundError | InvalidStateError | VersionConflictError | ValidationError",
        "interface UserError",
        "scalar Decimal",
        "scalar Upload",
    ]:
        assert needle in sdl, needle
