"""Indexes for the list screen: status sort, substring search in invoice numbers (pg_trgm).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index("ix_documents_status", "documents", ["current_status", "id"])
    op.create_index(
        "ix_documents_invoice_number_trgm",
        "documents",
        ["invoice_number"],
        postgresql_using="gin",
        postgresql_ops={"invoice_number": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_documents_invoice_number_trgm", table_name="documents")
    op.drop_index("ix_documents_status", table_name="documents")
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
