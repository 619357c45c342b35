"""Duplicates beyond identical bytes: the seller's VAT id on the document, and an index on the
invoice's identity (invoice number, total) that ``possibleDuplicates`` looks up.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("seller_vat_id", sa.Text(), nullable=True))
    # Existing documents: the effective fields (reviewed, else extracted) as the API reads them.
    op.execute(
        """
        UPDATE documents AS d
        SET seller_vat_id = NULLIF(
            COALESCE(r.reviewed_output_json, r.structured_output_json -> 'fields')
                ->> 'sellerVatId', '')
        FROM extracted_results AS r
        WHERE r.document_id = d.id
        """
    )
    op.create_index(
        "ix_documents_duplicate_key", "documents", ["invoice_number", "total_amount", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_documents_duplicate_key", table_name="documents")
    op.drop_column("documents", "seller_vat_id")
