from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, status_check, uuid_pk
from db.models.enums import DocumentStatus, values

if TYPE_CHECKING:
    from db.models.extracted_result import ExtractedResult
    from db.models.processing_job import ProcessingJob


INVOICE_NUMBER_KEY = "NULLIF(upper(regexp_replace(invoice_number, '[^[:alnum:]]+', '', 'g')), '')"


class Document(Base):
    """An uploaded file. ``current_status`` follows its latest job (see JobRepository).

    ``vendor_name``, ``invoice_number``, ``invoice_date``, ``total_amount``, ``currency`` and
    ``search_vector`` are copies of the effective invoice fields (reviewed, else extracted), kept
    here so the list screen filters, sorts and pages on indexed columns of a single table.
    """

    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint(status_check("current_status", values(DocumentStatus)), name="status"),
        CheckConstraint("file_size >= 0", name="file_size"),
        Index("ix_documents_status_uploaded", "current_status", "uploaded_at", "id"),
        Index("ix_documents_status", "current_status", "id"),
        Index("ix_documents_uploaded", "uploaded_at", "id"),
        Index("ix_documents_filename", "original_filename", "id"),
        Index("ix_documents_file_size", "file_size", "id"),
        Index("ix_documents_invoice_date", "invoice_date", "id"),
        Index("ix_documents_total_amount", "total_amount", "id"),
        Index("ix_documents_vendor_name", "vendor_name", "id"),
        Index("ix_documents_search", "search_vector", postgresql_using="gin"),
        # Possible duplicates: same invoice number and total (then vendor or VAT id compared).
        Index("ix_documents_duplicate_key", "invoice_number_key", "total_amount", "id"),
        # Substring search in invoice numbers ("0008" finds INV/2023/03/0008): pg_trgm.
        Index(
            "ix_documents_invoice_number_trgm",
            "invoice_number",
            postgresql_using="gin",
            postgresql_ops={"invoice_number": "gin_trgm_ops"},
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    original_filename: Mapped[str] = mapped_column(Text, nullable=False)
    stored_file_path: Mapped[str] = mapped_column(Text, nullable=False)
    mime_type: Mapped[str] = mapped_column(String(127), nullable=False)
    file_size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    page_count: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    current_status: Mapped[str] = mapped_column(
        String(16), nullable=False, default=DocumentStatus.QUEUED.value
    )
    duplicate_of_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    vendor_name: Mapped[str | None] = mapped_column(Text)
    invoice_number: Mapped[str | None] = mapped_column(Text)
    # The number as duplicates compare it: upper case, letters and digits only (migration 0006).
    invoice_number_key: Mapped[str | None] = mapped_column(
        Text, Computed(INVOICE_NUMBER_KEY, persisted=True)
    )
    invoice_date: Mapped[date | None] = mapped_column(Date)
    total_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    seller_vat_id: Mapped[str | None] = mapped_column(Text)
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR,
        nullable=False,
        server_default=text("''::tsvector"),
    )

    jobs: Mapped[list[ProcessingJob]] = relationship(back_populates="document", lazy="raise")
    result: Mapped[ExtractedResult | None] = relationship(back_populates="document", lazy="raise")
