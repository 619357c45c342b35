"""Job event ids become feed positions computed from the writing transaction's id, so event
writers no longer take one global lock (``db/repositories/events.py``).

The identity is dropped: new ids are ``pg_current_xact_id() << 20`` and up, far above every
existing id, so the stored events keep their order and their ids stay valid resume cursors.
Downgrade gives the column its identity back, starting after the highest id.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE job_events ALTER COLUMN id DROP IDENTITY IF EXISTS")


def downgrade() -> None:
    op.execute("ALTER TABLE job_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY")
    op.execute(
        "SELECT setval(pg_get_serial_sequence('job_events', 'id'), "
        "(SELECT coalesce(max(id), 0) + 1 FROM job_events), false)"
    )
