"""initial schema: raw inputs, articles, ingest log, analyses, fused records, reviews, tokens, FTS

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    from trucewatch.store import tables

    bind = op.get_bind()
    for table in (
        tables.raw_input,
        tables.article,
        tables.ingest_log,
        tables.analysis,
        tables.fused_record,
        tables.state,
        tables.review,
        tables.api_token,
    ):
        table.create(bind)
    if bind.dialect.name == "sqlite":
        # Full-text search over articles, kept in step by triggers.
        op.execute("CREATE VIRTUAL TABLE article_fts USING fts5(title, text, content='article', content_rowid='rowid')")
        op.execute(
            "CREATE TRIGGER article_fts_ai AFTER INSERT ON article BEGIN "
            "INSERT INTO article_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER article_fts_ad AFTER DELETE ON article BEGIN "
            "INSERT INTO article_fts(article_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER article_fts_au AFTER UPDATE ON article BEGIN "
            "INSERT INTO article_fts(article_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); "
            "INSERT INTO article_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"
        )
        # The review log is append-only.
        op.execute(
            "CREATE TRIGGER review_no_update BEFORE UPDATE ON review BEGIN "
            "SELECT RAISE(ABORT, 'the review log is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER review_no_delete BEFORE DELETE ON review BEGIN "
            "SELECT RAISE(ABORT, 'the review log is append-only'); END"
        )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION review_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'the review log is append-only'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER review_append_only BEFORE UPDATE OR DELETE ON review "
            "FOR EACH ROW EXECUTE FUNCTION review_append_only()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS article_fts")
    for name in ("api_token", "review", "state", "fused_record", "analysis", "ingest_log", "article", "raw_input"):
        op.drop_table(name)
    _ = sa
