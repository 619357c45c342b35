"""Input types and the query enums of the document list."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import strawberry

from schema.types import DocumentStatus


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


@strawberry.input(
    description="Invoice fields to change: an omitted field stays as it is, null clears it."
)
class InvoiceFieldsInput:
    vendor_name: str | None = strawberry.field(default=strawberry.UNSET, description="Vendor.")
    invoice_number: str | None = strawberry.field(
        default=strawberry.UNSET, description="Invoice number."
    )
    invoice_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="Date of issue."
    )
    due_date: date | None = strawberry.field(default=strawberry.UNSET, description="Due date.")
    total_amount: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Total; at most 2 decimal places."
    )
    tax_amount: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Tax; at most 2 decimal places."
    )
    currency: str | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 4217 code, e.g. EUR."
    )
    status: str | None = strawberry.field(
        default=strawberry.UNSET, description="Printed payment status: PAID, DUE, …"
    )

    def patch(self) -> dict[str, object]:
        """The fields the client sent, camelCase keys (UNSET ones left out)."""
        names = {
            "vendor_name": "vendorName",
            "invoice_number": "invoiceNumber",
            "invoice_date": "invoiceDate",
            "due_date": "dueDate",
            "total_amount": "totalAmount",
            "tax_amount": "taxAmount",
            "currency": "currency",
            "status": "status",
        }
        return {
            camel: getattr(self, snake)
            for snake, camel in names.items()
            if getattr(self, snake) is not strawberry.UNSET
        }


@strawberry.input(
    description="A review save: the changed fields and the version they are based on."
)
class ReviewDocumentInput:
    document_id: strawberry.ID = strawberry.field(description="The document to review.")
    fields: InvoiceFieldsInput = strawberry.field(description="The changes.")
    expected_version: int = strawberry.field(
        description="Extraction.version the edit started from; a stale one is a conflict."
    )
