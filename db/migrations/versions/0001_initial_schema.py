"""Initial schema: documents, processing_jobs, job_events, extracted_results.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 10:40:06.653215
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("original_filename", sa.Text(), nullable=False),
        sa.Column("stored_file_path", sa.Text(), nullable=False),
        sa.Column("mime_type", sa.String(length=127), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column(
            "uploaded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("current_status", sa.String(length=16), nullable=False),
        sa.Column("duplicate_of_id", sa.Uuid(), nullable=True),
        sa.Column("vendor_name", sa.Text(), nullable=True),
        sa.Column("invoice_number", sa.Text(), nullable=True),
        sa.Column("invoice_date", sa.Date(), nullable=True),
        sa.Column("total_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            server_default=sa.text("''::tsvector"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "current_status IN ('QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'FINALIZED')",
            name=op.f("ck_documents_status"),
        ),
        sa.CheckConstraint("file_size >= 0", name=op.f("ck_documents_file_size")),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["documents.id"],
            name=op.f("fk_documents_duplicate_of_id_documents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_index("ix_documents_file_size", "documents", ["file_size", "id"], unique=False)
    op.create_index("ix_documents_filename", "documents", ["original_filename", "id"], unique=False)
    op.create_index("ix_documents_invoice_date", "documents", ["invoice_date", "id"], unique=False)
    op.create_index(
        "ix_documents_search", "documents", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_index(op.f("ix_documents_sha256"), "documents", ["sha256"], unique=False)
    op.create_index(
        "ix_documents_status_uploaded",
        "documents",
        ["current_status", "uploaded_at", "id"],
        unique=False,
    )
    op.create_index("ix_documents_total_amount", "documents", ["total_amount", "id"], unique=False)
    op.create_index("ix_documents_uploaded", "documents", ["uploaded_at", "id"], unique=False)
    op.create_index("ix_documents_vendor_name", "documents", ["vendor_name", "id"], unique=False)
    op.create_table(
        "processing_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress_percentage", sa.Integer(), nullable=False),
        sa.Column("current_stage", sa.String(length=32), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("retry_count", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "queued_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED')",
            name=op.f("ck_processing_jobs_status"),
        ),
        sa.CheckConstraint(
            "progress_percentage BETWEEN 0 AND 100", name=op.f("ck_processing_jobs_progress")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_processing_jobs_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processing_jobs")),
    )
    op.create_index(
        "ix_processing_jobs_document_created",
        "processing_jobs",
        ["document_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_processing_jobs_status_lease",
        "processing_jobs",
        ["status", "lease_expires_at"],
        unique=False,
    )
    op.create_index(
        "ix_processing_jobs_status_queued", "processing_jobs", ["status", "queued_at"], unique=False
    )
    op.create_table(
        "extracted_results",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.Column(
            "structured_output_json", postgresql.JSONB(astext_type=sa.Text()), nullable=False
        ),
        sa.Column("reviewed_output_json", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("is_finalized", sa.Boolean(), nullable=False),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_extracted_results_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["processing_jobs.id"],
            name=op.f("fk_extracted_results_job_id_processing_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extracted_results")),
        sa.UniqueConstraint("document_id", name=op.f("uq_extracted_results_document_id")),
    )
    op.create_table(
        "job_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED')",
            name=op.f("ck_job_events_status"),
        ),
        sa.CheckConstraint(
            "type IN ('job_queued', 'job_started', 'document_parsing_started', 'document_parsing_completed', 'field_extraction_started', 'field_extraction_completed', 'job_completed', 'job_failed', 'job_cancelled')",
            name=op.f("ck_job_events_type"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_job_events_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["processing_jobs.id"],
            name=op.f("fk_job_events_job_id_processing_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_events")),
    )
    op.create_index("ix_job_events_document_id", "job_events", ["document_id", "id"], unique=False)
    op.create_index("ix_job_events_job_id", "job_events", ["job_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_job_events_job_id", table_name="job_events")
    op.drop_index("ix_job_events_document_id", table_name="job_events")
    op.drop_table("job_events")
    op.drop_table("extracted_results")
    op.drop_index("ix_processing_jobs_status_queued", table_name="processing_jobs")
    op.drop_index("ix_processing_jobs_status_lease", table_name="processing_jobs")
    op.drop_index("ix_processing_jobs_document_created", table_name="processing_jobs")
    op.drop_table("processing_jobs")
    op.drop_index("ix_documents_vendor_name", table_name="documents")
    op.drop_index("ix_documents_uploaded", table_name="documents")
    op.drop_index("ix_documents_total_amount", table_name="documents")
    op.drop_index("ix_documents_status_uploaded", table_name="documents")
    op.drop_index(op.f("ix_documents_sha256"), table_name="documents")
    op.drop_index("ix_documents_search", table_name="documents", postgresql_using="gin")
    op.drop_index("ix_documents_invoice_date", table_name="documents")
    op.drop_index("ix_documents_filename", table_name="documents")
    op.drop_index("ix_documents_file_size", table_name="documents")
    op.drop_table("documents")
