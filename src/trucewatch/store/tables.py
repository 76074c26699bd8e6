"""SQLAlchemy tables of the trucewatch store. The schema is versioned by the Alembic migrations beside this file."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

#: An explicit naming convention so migrations name constraints the same on every backend.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: One row per distinct input (content-hash identity); the raw bytes are kept zlib-compressed.
raw_input = Table(
    "raw_input",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("fmt", String(16), nullable=False),
    Column("url", Text),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("fields_json", Text, nullable=False, default="{}"),
    Column("article_id", String(32)),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
)

#: One row per cleaned article; ``id`` is the hash of the normalised clean text.
article = Table(
    "article",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("raw_sha256", String(64), nullable=False, index=True),
    Column("title", Text),
    Column("outlet", Text, index=True),
    Column("url", Text),
    Column("source_path", Text),
    Column("dateline", Text),
    Column("published", String(10), index=True),
    Column("published_inferred", Boolean, nullable=False, default=False),
    Column("published_origin", String(16), nullable=False, default="none"),
    Column("published_precision", String(8)),
    Column("published_start", String(10)),
    Column("published_end", String(10)),
    Column("language", String(8), nullable=False, default="und"),
    Column("fmt", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("debris_json", Text, nullable=False, default="[]"),
    Column("warnings_json", Text, nullable=False, default="[]"),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

#: What happened to each input of each ingest run (added, duplicate, skipped with a reason).
ingest_log = Table(
    "ingest_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("source", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("article_id", String(32)),
    Column("reason", Text),
)

#: The per-article analysis record as JSON, with the pipeline version that made it.
analysis = Table(
    "analysis",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("pipeline_version", String(64), nullable=False, index=True),
    Column("analyzed_at", DateTime(timezone=True), nullable=False),
    Column("data_json", Text, nullable=False),
)

#: Cross-article records (incidents, disputes, actors, stories, copies, quote clusters,
#: agreements, violations) as JSON, with a few columns pulled out for filtering.
fused_record = Table(
    "fused_record",
    metadata,
    Column("kind", String(24), primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("type", String(40)),
    Column("story_id", String(40)),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("data_json", Text, nullable=False),
    Index("ix_fused_record_kind_date", "kind", "date_start"),
    Index("ix_fused_record_kind_type", "kind", "type"),
    Index("ix_fused_record_kind_story", "kind", "story_id"),
)

#: Small key/value state (fusion fingerprints for incremental runs, schema facts).
state = Table(
    "state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

#: Human review decisions. Append-only: triggers refuse UPDATE and DELETE.
review = Table(
    "review",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("target_kind", String(24), nullable=False),
    Column("target_id", String(40), nullable=False, index=True),
    Column("action", String(24), nullable=False),
    Column("value", Text),
    Column("reviewer", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(40), nullable=False),
)

#: Write tokens for the HTTP API, stored as salted hashes.
api_token = Table(
    "api_token",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("token_hash", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: Case-insensitive text: SQLite's NOCASE collation; on PostgreSQL migration 0004 gives these
#: columns a nondeterministic ICU collation of the same name (plain text until then).
_NOCASE = Text(collation="NOCASE").with_variant(Text(), "postgresql")

#: Browse index (migration 0003, filled by SQLite triggers): one row per (record, facet value)
#: so the web app filters fused records by actor, place, outlet, article ... without reading JSON.
record_facet = Table(
    "record_facet",
    metadata,
    Column("kind", String(24), primary_key=True),
    Column("facet", String(16), primary_key=True),
    Column("value", _NOCASE, primary_key=True),
    Column("record_id", String(40), primary_key=True),
    Index("ix_record_facet_record", "kind", "record_id"),
    sqlite_with_rowid=False,
)

#: Browse index (migration 0003, filled by SQLite triggers): quotes and claims of every stored
#: analysis, one row each, with the columns the web app filters and sorts on.
article_item = Table(
    "article_item",
    metadata,
    Column("kind", String(8), primary_key=True),  # quote | claim
    Column("id", String(40), primary_key=True),
    Column("article_id", String(32), nullable=False),
    Column("published", String(10)),
    Column("outlet", _NOCASE),
    Column("label", _NOCASE),  # quote speaker / claim claimant
    Column("category", String(24)),  # claim category
    Column("data_json", Text, nullable=False),
    Index("ix_article_item_kind_published", "kind", "published", "id"),
    Index("ix_article_item_kind_label", "kind", "label"),
    Index("ix_article_item_article", "article_id", "kind"),
)

#: Browse index (migration 0003): one row whose ``n`` goes up whenever articles, analyses or
#: fused records change (triggers), so the web app can cache aggregates until the data changes.
data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
)
