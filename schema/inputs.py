"""Input types and the query enums of the document list."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry

from api.services.fields import FIELDS, LIST_FIELDS, ListField
from schema.types import DocumentStatus, derived


@strawberry.input(description="Narrows the document list; all given conditions must hold.")
class DocumentFilter:
    status: list[DocumentStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    uploaded_from: datetime | None = strawberry.field(
        default=None, description="Uploaded at or after this instant."
    )
    uploaded_to: datetime | None = strawberry.field(
        default=None, description="Uploaded at or before this instant."
    )
    vendor_name: str | None = strawberry.field(
        default=None, description="Vendor name contains this text (case-insensitive)."
    )
    currency: str | None = strawberry.field(default=None, description="ISO 4217 code.")
    min_total: Decimal | None = strawberry.field(
        default=None, description="Total amount at least this."
    )
    max_total: Decimal | None = strawberry.field(
        default=None, description="Total amount at most this."
    )
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only these documents (at most 500): a picked selection."
    )


@strawberry.enum(description="What the document list is ordered by.")
class DocumentSortField(Enum):
    UPLOADED_AT = strawberry.enum_value("UPLOADED_AT", description="Upload time.")
    FILENAME = strawberry.enum_value("FILENAME", description="Original file name.")
    STATUS = strawberry.enum_value("STATUS", description="Document status (alphabetical).")
    FILE_SIZE = strawberry.enum_value("FILE_SIZE", description="Size in bytes.")
    INVOICE_DATE = strawberry.enum_value(
        "INVOICE_DATE", description="Invoice date (unknown dates last when ascending)."
    )
    TOTAL_AMOUNT = strawberry.enum_value(
        "TOTAL_AMOUNT", description="Total amount (unknown totals last when ascending)."
    )
    VENDOR_NAME = strawberry.enum_value(
        "VENDOR_NAME", description="Vendor name (unknown vendors last when ascending)."
    )


@strawberry.enum(description="Sort direction.")
class SortDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Smallest first.")
    DESC = strawberry.enum_value("DESC", description="Largest (newest) first.")


@strawberry.input(description="Order of the document list; the id breaks ties.")
class DocumentSort:
    field: DocumentSortField = strawberry.field(description="What to order by.")
    direction: SortDirection = strawberry.field(description="Which way.")


def _row_input(spec: ListField) -> type:
    @derived(
        spec.items,
        f"{spec.item_description} An omitted field is null.",
        as_input=True,
        name=f"{spec.item_type}Input",
    )
    class Row:
        pass

    return Row


ROW_INPUTS: dict[str, type] = {spec.name: _row_input(spec) for spec in LIST_FIELDS}


def _plain(value: Any) -> Any:
    return None if value is strawberry.UNSET else value


@derived(
    FIELDS,
    "Invoice fields to change: an omitted field stays as it is, null clears it; a list "
    "(taxBreakdown, lineItems) is replaced whole.",
    list_types=ROW_INPUTS,
    as_input=True,
)
class InvoiceFieldsInput:
    def patch(self) -> dict[str, object]:
        """The fields the client sent, camelCase keys (UNSET ones left out; list rows as
        camelCase dicts)."""
        patch: dict[str, object] = {}
        for spec in FIELDS:
            value = getattr(self, spec.attr)
            if value is strawberry.UNSET:
                continue
            if isinstance(spec, ListField) and value is not None:
                value = [
                    {item.name: _plain(getattr(row, item.attr)) for item in spec.items}
                    for row in value
                ]
            patch[spec.name] = value
        return patch


@strawberry.input(
    description="A review save: the changed fields and the version they are based on."
)
class ReviewDocumentInput:
    document_id: strawberry.ID = strawberry.field(description="The document to review.")
    fields: InvoiceFieldsInput = strawberry.field(description="The changes.")
    expected_version: int = strawberry.field(
        description="Extraction.version the edit started from; a stale one is a conflict."
    )
