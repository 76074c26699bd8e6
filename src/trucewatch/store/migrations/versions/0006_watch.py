"""Watch state: sources, items, rounds, the change snapshot, changes, alerts and their deliveries

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

``trucewatch watch`` keeps everything it must not forget in the store (store/_watch.py,
docs/monitoring.md): each source's conditional-GET validators and back-off, each item seen (so
nothing is fetched twice), each finished round, the snapshot of incidents, violations and
disputes the next round compares with, every change found, the alerts among them and the
delivery of each alert to each target. The tables are spelled out here (not imported from
store/_watch.py) so that this revision stays what it was when later ones change them.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_source",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.String(32)),
        sa.Column("last_checked_at", sa.String(32)),
        sa.Column("last_ok_at", sa.String(32)),
        sa.Column("last_error", sa.Text),
    )
    op.create_table(
        "watch_item",
        sa.Column("source_id", sa.String(16), primary_key=True),
        sa.Column("key_hash", sa.String(16), primary_key=True),
        sa.Column("item_key", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("article_id", sa.String(32)),
        sa.Column("reason", sa.Text),
        sa.Column("first_seen_at", sa.String(32), nullable=False),
        sa.Column("last_tried_at", sa.String(32), nullable=False),
        sa.Column("fmt", sa.String(16)),
        sa.Column("data", sa.LargeBinary),
        sa.Column("fields_json", sa.Text),
    )
    op.create_table(
        "watch_round",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32), nullable=False),
        sa.Column("summary_json", sa.Text, nullable=False),
    )
    op.create_table(
        "watch_seen",
        sa.Column("kind", sa.String(24), primary_key=True),
        sa.Column("lineage", sa.String(40), primary_key=True),
        sa.Column("record_id", sa.String(40), nullable=False),
        sa.Column("digest_json", sa.Text, nullable=False),
    )
    op.create_table(
        "watch_change",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("record_kind", sa.String(24), nullable=False),
        sa.Column("record_id", sa.String(40), nullable=False),
        sa.Column("data_json", sa.Text, nullable=False),
    )
    op.create_index("ix_watch_change_round", "watch_change", ["round"])
    op.create_table(
        "alert",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("data_json", sa.Text, nullable=False),
    )
    op.create_index("ix_alert_at", "alert", ["at"])
    # The web app caches answers until data_version changes (migration 0003/0005): a new alert must
    # change it too, or the alerts feed and the "what changed" page would be served stale.
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("CREATE TRIGGER alert_version_insert AFTER INSERT ON alert "
                   "BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END")
    elif bind.dialect.name == "postgresql":  # trucewatch_bump_version() comes from 0004
        op.execute("CREATE TRIGGER alert_version AFTER INSERT ON alert "
                   "FOR EACH STATEMENT EXECUTE FUNCTION trucewatch_bump_version()")
    op.create_table(
        "alert_delivery",
        sa.Column("alert_id", sa.String(40), primary_key=True),
        sa.Column("target", sa.String(512), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("delivered_at", sa.String(32)),
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS alert_version_insert")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS alert_version ON alert")
    for name in ("alert_delivery", "alert", "watch_change", "watch_seen", "watch_round", "watch_item", "watch_source"):
        op.drop_table(name)
