"""Web speed: review decisions bump the data version; a covering index for filtered incident pages

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

The web app caches aggregates and whole responses until ``data_version``
changes (web/cache.py). Pages and API answers show the review decisions that
target each record, so a recorded review must change the version too. The
review log is append-only, so only INSERT needs a trigger.

Filtered pages (incidents reported by an outlet, involving an actor ...) find
the matching ids through ``record_facet`` and then need each record's dates to
sort and filter; the index ``(kind, id, date_start, date_end)`` answers that
without reading the records' wide rows.
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_index("ix_fused_record_kind_id_dates", "fused_record", ["kind", "id", "date_start", "date_end"])
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER review_version_insert AFTER INSERT ON review "
            "BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END"
        )
    elif bind.dialect.name == "postgresql":  # trucewatch_bump_version() comes from 0004
        op.execute(
            "CREATE TRIGGER review_version AFTER INSERT ON review "
            "FOR EACH STATEMENT EXECUTE FUNCTION trucewatch_bump_version()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index("ix_fused_record_kind_id_dates", "fused_record")
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS review_version_insert")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS review_version ON review")
