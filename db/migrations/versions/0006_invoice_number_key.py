"""Possible duplicates match invoice numbers as people read them: ``INV-2024/001``, ``inv 2024
001`` and ``INV2024001`` are one number. ``documents.invoice_number_key`` (generated: upper case,
letters and digits only) replaces ``invoice_number`` in ``ix_documents_duplicate_key``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "NULLIF(upper(regexp_replace(invoice_number, '[^[:alnum:]]+', '', 'g')), '')"


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("invoice_number_key", sa.Text(), sa.Computed(KEY, persisted=True)),
    )
    op.drop_index("ix_documents_duplicate_key", table_name="documents")
    op.create_index(
        "ix_documents_duplicate_key", "documents", ["invoice_number_key", "total_amount", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_documents_duplicate_key", table_name="documents")
    op.create_index(
        "ix_documents_duplicate_key", "documents", ["invoice_number", "total_amount", "id"]
    )
    op.drop_column("documents", "invoice_number_key")
