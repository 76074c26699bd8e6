"""PostgreSQL parity: case-insensitive browse columns, full-text index, browse and data-version triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

SQLite stores need nothing here (0001 and 0003 made their FTS5 table and
triggers). On PostgreSQL this migration gives the store what the SQLite
features give the web app and search:

* a nondeterministic ICU collation named ``NOCASE`` (case-insensitive equality,
  like SQLite's NOCASE) on ``record_facet.value``, ``article_item.outlet`` and
  ``article_item.label``;
* a stored generated column ``article.fts`` = ``to_tsvector('simple', title || ' ' || text)``
  with a GIN index, for search (store/_pg.py; ranking reads the stored vector);
* PL/pgSQL triggers that fill ``record_facet`` and ``article_item`` from the JSON
  of ``fused_record`` and ``analysis`` rows (the same facets as the SQLite
  triggers of 0003, written with jsonb functions), and statement triggers that
  bump ``data_version``.
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: facet name -> (facet, SELECT yielding jsonb values ``v`` from the new row's JSON ``j``) — mirrors 0003.
_FACETS = {
    "article_ids": ("article", "SELECT e FROM trucewatch_elems(j->'article_ids') e"),
    "side_articles": ("article", "SELECT e2 FROM trucewatch_elems(j->'sides') s, trucewatch_elems(s->'article_ids') e2"),
    "mention_articles": ("article", "SELECT m->'article_id' FROM trucewatch_elems(j->'mentions') m"),
    "outlet": ("outlet", "SELECT to_jsonb(a.outlet) FROM trucewatch_elems(j->'article_ids') e JOIN article a ON a.id = e #>> '{}'"),
    "actor_ids": ("actor", "SELECT e FROM trucewatch_elems(j->'actor_ids') e"),
    "parties": ("actor", "SELECT e FROM trucewatch_elems(j->'parties') e"),
    "accused": ("actor", "SELECT e FROM trucewatch_elems(j->'accused') e"),
    "accusers": ("actor", "SELECT e FROM trucewatch_elems(j->'accusers') e"),
    "places": ("place", "SELECT p->k FROM trucewatch_elems(j->'places') p, "
                        "unnest(ARRAY['resolved_name', 'name', 'country', 'country_code', 'admin1']) k"),
    "casualty_claims": ("claim", "SELECT c2 FROM trucewatch_elems(j->'casualties') c, trucewatch_elems(c->'claim_ids') c2"),
    "claim_ids": ("claim", "SELECT e FROM trucewatch_elems(j->'claim_ids') e"),
    "quote_ids": ("quote", "SELECT e FROM trucewatch_elems(j->'quote_ids') e"),
    "incident_id": ("incident", "SELECT j->'incident_id'"),
    "incident_ids": ("incident", "SELECT e FROM trucewatch_elems(j->'incident_ids') e"),
    "cluster": ("cluster", "SELECT j->'quote_cluster_id'"),
    "member": ("member", "SELECT e FROM trucewatch_elems(j->'member_ids') e"),
    "follows": ("follows", "SELECT e FROM trucewatch_elems(j->'follows_from') e"),
    "name": ("name", "SELECT j->'name'"),
    "aliases": ("name", "SELECT e FROM trucewatch_elems(j->'aliases') e"),
    "speakers": ("speaker", "SELECT e FROM trucewatch_elems(j->'speakers') e"),
    # Zero-padded like SQLite's printf('%06d', ...), so a range on the text column compares as numbers.
    "n_articles": ("n_articles", "SELECT to_jsonb(lpad(n::text, greatest(6, length(n::text)), '0')) "
                                 "FROM (SELECT CASE WHEN jsonb_typeof(j->'article_ids') = 'array' "
                                 "THEN jsonb_array_length(j->'article_ids') ELSE 0 END AS n) cnt"),
    "claimants": ("claimant", "SELECT s->'claimant' FROM trucewatch_elems(j->'sides') s"),
}
_COMMON = ("article_ids", "outlet", "n_articles")
_KIND_FACETS = {
    "incident": _COMMON + ("mention_articles", "actor_ids", "places", "casualty_claims", "follows"),
    "dispute": _COMMON + ("side_articles", "claimants", "incident_id", "cluster"),
    "actor": _COMMON + ("name", "aliases", "member"),
    "story": _COMMON + ("incident_ids",),
    "copy": _COMMON,
    "quote_cluster": _COMMON + ("quote_ids", "speakers"),
    "agreement": tuple(_FACETS),
    "violation": tuple(_FACETS),
}
_MAPS = ("claim_incident", "quote_cluster", "actor_canonical")
_ITEMS = (("quote", "quotes", "speaker", "NULL"), ("claim", "claims", "claimant", "q->>'category'"))

#: The search document, kept in the generated column article.fts (searched by trucewatch.store._pg).
_FTS_DOC = "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || text)"


def _facet_insert(kind: str) -> str:
    union = " UNION ALL ".join(
        f"SELECT '{facet}' AS f, v FROM ({sql}) AS s{i}(v)"
        for i, (facet, sql) in enumerate(_FACETS[name] for name in _KIND_FACETS[kind])
    )
    return (
        "INSERT INTO record_facet(kind, facet, value, record_id) "
        f"SELECT NEW.kind, x.f, x.v #>> '{{}}', NEW.id FROM ({union}) x "
        "WHERE jsonb_typeof(x.v) = 'string' AND x.v #>> '{}' <> '' ON CONFLICT DO NOTHING;"
    )


def _item_insert(kind: str, key: str, label: str, category: str) -> str:
    # json (not jsonb) keeps each element's text exactly as stored, as SQLite's json_each does.
    return (
        "INSERT INTO article_item(kind, id, article_id, published, outlet, label, category, data_json) "
        f"SELECT DISTINCT ON (q->>'id') '{kind}', q->>'id', NEW.article_id, pub, outl, q->>'{label}', {category}, q::text "
        f"FROM trucewatch_json_elems(j->'{key}') q WHERE q->>'id' IS NOT NULL "
        "ON CONFLICT (kind, id) DO UPDATE SET article_id = EXCLUDED.article_id, published = EXCLUDED.published, "
        "outlet = EXCLUDED.outlet, label = EXCLUDED.label, category = EXCLUDED.category, data_json = EXCLUDED.data_json;"
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(
        "CREATE COLLATION IF NOT EXISTS \"NOCASE\" (provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
    )
    for table, column in (("record_facet", "value"), ("article_item", "outlet"), ("article_item", "label")):
        op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE text COLLATE "NOCASE"')
    op.execute(f"ALTER TABLE article ADD COLUMN fts tsvector GENERATED ALWAYS AS ({_FTS_DOC}) STORED")
    op.execute("CREATE INDEX ix_article_fts ON article USING gin (fts)")

    # The elements of a JSON array, the values of an object, or a scalar itself (SQLite's json_each).
    op.execute(
        "CREATE OR REPLACE FUNCTION trucewatch_elems(x jsonb) RETURNS SETOF jsonb LANGUAGE sql IMMUTABLE AS $$ "
        "SELECT e FROM jsonb_array_elements(CASE WHEN jsonb_typeof(x) = 'array' THEN x ELSE '[]'::jsonb END) e "
        "UNION ALL SELECT v FROM jsonb_each(CASE WHEN jsonb_typeof(x) = 'object' THEN x ELSE '{}'::jsonb END) AS t(k, v) "
        "UNION ALL SELECT x WHERE jsonb_typeof(x) IN ('string', 'number', 'boolean') $$"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION trucewatch_json_elems(x json) RETURNS SETOF json LANGUAGE sql IMMUTABLE AS $$ "
        "SELECT e FROM json_array_elements(CASE WHEN json_typeof(x) = 'array' THEN x ELSE '[]'::json END) e $$"
    )

    kinds = ", ".join(f"'{k}'" for k in _KIND_FACETS)
    maps = ", ".join(f"'{m}'" for m in _MAPS)
    branches = " ".join(
        f"{'IF' if i == 0 else 'ELSIF'} NEW.kind = '{kind}' THEN {_facet_insert(kind)}"
        for i, kind in enumerate(_KIND_FACETS)
    )
    map_insert = (
        "INSERT INTO record_facet(kind, facet, value, record_id) "
        "SELECT 'map', NEW.id, m.k, m.v #>> '{}' FROM jsonb_each(CASE WHEN jsonb_typeof(j->'map') = 'object' "
        "THEN j->'map' ELSE '{}'::jsonb END) AS m(k, v) WHERE jsonb_typeof(m.v) = 'string' ON CONFLICT DO NOTHING;"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION trucewatch_fused_facets() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE j jsonb; BEGIN "
        "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
        f"IF OLD.kind IN ({kinds}) THEN DELETE FROM record_facet WHERE kind = OLD.kind AND record_id = OLD.id; END IF; "
        "IF OLD.kind = 'fusion_map' THEN DELETE FROM record_facet WHERE kind = 'map' AND facet = OLD.id; END IF; "
        "END IF; "
        "IF TG_OP IN ('INSERT', 'UPDATE') THEN j := NEW.data_json::jsonb; "
        f"{branches} "
        f"ELSIF NEW.kind = 'fusion_map' AND NEW.id IN ({maps}) THEN {map_insert} "
        "END IF; END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER fused_record_facets AFTER INSERT OR UPDATE OR DELETE ON fused_record "
        "FOR EACH ROW EXECUTE FUNCTION trucewatch_fused_facets()"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION trucewatch_analysis_items() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE j json; pub text; outl text; BEGIN "
        "IF TG_OP IN ('UPDATE', 'DELETE') THEN DELETE FROM article_item WHERE article_id = OLD.article_id; END IF; "
        "IF TG_OP IN ('INSERT', 'UPDATE') THEN j := NEW.data_json::json; "
        "SELECT a.published, a.outlet INTO pub, outl FROM article a WHERE a.id = NEW.article_id; "
        + "".join(_item_insert(*item) for item in _ITEMS)
        + " END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER analysis_items AFTER INSERT OR UPDATE OR DELETE ON analysis "
        "FOR EACH ROW EXECUTE FUNCTION trucewatch_analysis_items()"
    )
    # A version number for caches, bumped once per writing statement.
    op.execute(
        "CREATE OR REPLACE FUNCTION trucewatch_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; RETURN NULL; END $$"
    )
    for table in ("article", "analysis", "fused_record"):
        op.execute(
            f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION trucewatch_bump_version()"
        )
    # Index what is already there.
    op.execute("UPDATE fused_record SET data_json = data_json")
    op.execute("UPDATE analysis SET data_json = data_json")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in ("article", "analysis", "fused_record"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
    op.execute("DROP TRIGGER IF EXISTS analysis_items ON analysis")
    op.execute("DROP TRIGGER IF EXISTS fused_record_facets ON fused_record")
    for fn in ("trucewatch_bump_version()", "trucewatch_analysis_items()", "trucewatch_fused_facets()",
               "trucewatch_json_elems(json)", "trucewatch_elems(jsonb)"):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.execute("DROP INDEX IF EXISTS ix_article_fts")
    op.execute("ALTER TABLE article DROP COLUMN IF EXISTS fts")
    for table, column in (("record_facet", "value"), ("article_item", "outlet"), ("article_item", "label")):
        op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE text COLLATE "default"')
    op.execute('DROP COLLATION IF EXISTS "NOCASE"')
