"""web browse index: record facets and article items, kept in step with fused records and analyses by triggers

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22

The web app filters fused records (incidents, disputes, actors, stories, copies,
quote clusters, agreements, violations) by actor, place, outlet, article ... and
lists quotes and claims across every analysis. Reading each record's JSON per
request is too slow at 100k articles, so triggers copy the filterable values
into two narrow, indexed tables whenever ``fused_record`` or ``analysis`` rows
are written. Nothing else writes them; dropping and re-running this migration
rebuilds them from the JSON.
"""
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

# name -> (facet, SELECT yielding the facet's values from the new fused_record row as ``v``)
_FACETS = {
    "article_ids": ("article", "SELECT j.value AS v FROM json_each(new.data_json, '$.article_ids') j"),
    "side_articles": ("article", "SELECT j2.value AS v FROM json_each(new.data_json, '$.sides') s, json_each(s.value, '$.article_ids') j2"),
    "mention_articles": ("article", "SELECT json_extract(m.value, '$.article_id') AS v FROM json_each(new.data_json, '$.mentions') m"),
    "outlet": ("outlet", "SELECT a.outlet AS v FROM json_each(new.data_json, '$.article_ids') j JOIN article a ON a.id = j.value"),
    "actor_ids": ("actor", "SELECT j.value AS v FROM json_each(new.data_json, '$.actor_ids') j"),
    "parties": ("actor", "SELECT j.value AS v FROM json_each(new.data_json, '$.parties') j"),
    "accused": ("actor", "SELECT j.value AS v FROM json_each(new.data_json, '$.accused') j"),
    "accusers": ("actor", "SELECT j.value AS v FROM json_each(new.data_json, '$.accusers') j"),
    # One pass over the places, five names each: as written, gazetteer name, country, ISO code, admin1.
    "places": ("place", "SELECT json_extract(p.value, k.path) AS v FROM json_each(new.data_json, '$.places') p, "
                        "(SELECT '$.resolved_name' AS path UNION ALL SELECT '$.name' UNION ALL SELECT '$.country' "
                        "UNION ALL SELECT '$.country_code' UNION ALL SELECT '$.admin1') k"),
    "casualty_claims": ("claim", "SELECT c2.value AS v FROM json_each(new.data_json, '$.casualties') c, json_each(c.value, '$.claim_ids') c2"),
    "claim_ids": ("claim", "SELECT j.value AS v FROM json_each(new.data_json, '$.claim_ids') j"),
    "quote_ids": ("quote", "SELECT j.value AS v FROM json_each(new.data_json, '$.quote_ids') j"),
    "incident_id": ("incident", "SELECT json_extract(new.data_json, '$.incident_id') AS v"),
    "incident_ids": ("incident", "SELECT j.value AS v FROM json_each(new.data_json, '$.incident_ids') j"),
    "cluster": ("cluster", "SELECT json_extract(new.data_json, '$.quote_cluster_id') AS v"),
    "member": ("member", "SELECT j.value AS v FROM json_each(new.data_json, '$.member_ids') j"),
    "follows": ("follows", "SELECT j.value AS v FROM json_each(new.data_json, '$.follows_from') j"),
    "name": ("name", "SELECT json_extract(new.data_json, '$.name') AS v"),
    "aliases": ("name", "SELECT j.value AS v FROM json_each(new.data_json, '$.aliases') j"),
    "speakers": ("speaker", "SELECT j.value AS v FROM json_each(new.data_json, '$.speakers') j"),
    # Zero-padded so that a range on the text column compares as numbers (clusters in 2+ articles ...).
    "n_articles": ("n_articles", "SELECT printf('%06d', json_array_length(new.data_json, '$.article_ids')) AS v"),
    "claimants": ("claimant", "SELECT json_extract(s.value, '$.claimant') AS v FROM json_each(new.data_json, '$.sides') s"),
}
_COMMON = ("article_ids", "outlet", "n_articles")
#: Which facets each fused kind gets (fewer statements per row: fusion rewrites thousands of rows).
_KIND_FACETS = {
    "incident": _COMMON + ("mention_articles", "actor_ids", "places", "casualty_claims", "follows"),
    "dispute": _COMMON + ("side_articles", "claimants", "incident_id", "cluster"),
    "actor": _COMMON + ("name", "aliases", "member"),
    "story": _COMMON + ("incident_ids",),
    "copy": _COMMON,
    "quote_cluster": _COMMON + ("quote_ids", "speakers"),
    # Records of the agreements stage may carry any of these.
    "agreement": tuple(_FACETS),
    "violation": tuple(_FACETS),
}

#: Fused kinds whose records are indexed facet by facet (the big ``fusion_map`` rows are not).
_KINDS = tuple(_KIND_FACETS)
#: ``fusion_map`` rows (id -> {"map": {key: value}}) indexed as kind "map", facet = row id:
#: claim_incident (claim -> incident), quote_cluster (quote -> cluster), actor_canonical (actor -> canonical).
_MAPS = ("claim_incident", "quote_cluster", "actor_canonical")

_ITEMS = (
    ("quote", "$.quotes", "$.speaker", "NULL"),
    ("claim", "$.claims", "$.claimant", "json_extract(q.value, '$.category')"),
)


def _facet_insert(kind: str) -> str:
    """One INSERT of every facet value of a new ``kind`` row (one statement: SQLite reuses the JSON parse)."""
    union = " UNION ALL ".join(
        f"SELECT '{facet}' AS f, v FROM ({sql})" for facet, sql in (_FACETS[name] for name in _KIND_FACETS[kind])
    )
    return (
        "INSERT OR IGNORE INTO record_facet(kind, facet, value, record_id) "
        f"SELECT new.kind, f, v, new.id FROM ({union}) WHERE v IS NOT NULL AND typeof(v) = 'text' AND v != ''; "
    )


def _item_inserts() -> str:
    return "".join(
        "INSERT OR REPLACE INTO article_item(kind, id, article_id, published, outlet, label, category, data_json) "
        f"SELECT '{kind}', json_extract(q.value, '$.id'), new.article_id, "
        "(SELECT published FROM article WHERE id = new.article_id), (SELECT outlet FROM article WHERE id = new.article_id), "
        f"json_extract(q.value, '{label}'), {category}, q.value "
        f"FROM json_each(new.data_json, '{path}') q WHERE json_extract(q.value, '$.id') IS NOT NULL; "
        for kind, path, label, category in _ITEMS
    )


def upgrade() -> None:
    from trucewatch.store import tables

    bind = op.get_bind()
    tables.record_facet.create(bind)
    tables.article_item.create(bind)
    tables.data_version.create(bind)
    op.execute("INSERT INTO data_version (id, n) VALUES (1, 0)")
    # Covering indexes for paging in date order (ids first, then one page of rows).
    op.create_index("ix_fused_record_kind_date_id", "fused_record", ["kind", "date_start", "id"])
    op.create_index("ix_article_published_id", "article", ["published", "id"])
    op.create_index("ix_article_outlet_published_id", "article", ["outlet", "published", "id"])
    if bind.dialect.name != "sqlite":
        return  # the triggers use SQLite's JSON1 functions; other backends read the JSON directly
    kinds = ", ".join(f"'{k}'" for k in _KINDS)
    maps = ", ".join(f"'{m}'" for m in _MAPS)
    drop_facets = "DELETE FROM record_facet WHERE kind = old.kind AND record_id = old.id; "
    for kind in _KINDS:
        op.execute(
            f"CREATE TRIGGER fused_record_facet_ai_{kind} AFTER INSERT ON fused_record WHEN new.kind = '{kind}' "
            f"BEGIN {_facet_insert(kind)}END"
        )
        op.execute(
            f"CREATE TRIGGER fused_record_facet_au_{kind} AFTER UPDATE ON fused_record WHEN new.kind = '{kind}' "
            f"BEGIN {drop_facets}{_facet_insert(kind)}END"
        )
    op.execute(
        f"CREATE TRIGGER fused_record_facet_ad AFTER DELETE ON fused_record WHEN old.kind IN ({kinds}) "
        f"BEGIN {drop_facets}END"
    )
    map_insert = (
        "INSERT OR IGNORE INTO record_facet(kind, facet, value, record_id) "
        "SELECT 'map', new.id, j.key, j.value FROM json_each(new.data_json, '$.map') j "
        "WHERE typeof(j.value) = 'text'; "
    )
    drop_map = "DELETE FROM record_facet WHERE kind = 'map' AND facet = old.id; "
    map_new = f"WHEN new.kind = 'fusion_map' AND new.id IN ({maps})"
    op.execute(f"CREATE TRIGGER fused_record_map_ai AFTER INSERT ON fused_record {map_new} BEGIN {map_insert}END")
    op.execute(f"CREATE TRIGGER fused_record_map_ad AFTER DELETE ON fused_record WHEN old.kind = 'fusion_map' BEGIN {drop_map}END")
    op.execute(f"CREATE TRIGGER fused_record_map_au AFTER UPDATE ON fused_record {map_new} BEGIN {drop_map}{map_insert}END")
    drop_items = "DELETE FROM article_item WHERE article_id = old.article_id; "
    op.execute(f"CREATE TRIGGER analysis_item_ai AFTER INSERT ON analysis BEGIN {_item_inserts()}END")
    op.execute(f"CREATE TRIGGER analysis_item_ad AFTER DELETE ON analysis BEGIN {drop_items}END")
    op.execute(f"CREATE TRIGGER analysis_item_au AFTER UPDATE ON analysis BEGIN {drop_items}{_item_inserts()}END")
    # A version number for caches: bumped by every write to the tables pages are built from.
    for table in ("article", "analysis", "fused_record"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_version_{event.lower()} AFTER {event} ON {table} "
                "BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END"
            )
    # Index what is already there (the UPDATE triggers do the work).
    op.execute("UPDATE fused_record SET data_json = data_json")
    op.execute("UPDATE analysis SET data_json = data_json")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in (
            "fused_record_facet_ad", "fused_record_map_ai", "fused_record_map_ad", "fused_record_map_au",
            *(f"fused_record_facet_{op_}_{kind}" for kind in _KINDS for op_ in ("ai", "au")),
            "analysis_item_ai", "analysis_item_ad", "analysis_item_au",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table in ("article", "analysis", "fused_record"):
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_version_{event}")
    op.drop_table("data_version")
    op.drop_index("ix_article_outlet_published_id", "article")
    op.drop_index("ix_article_published_id", "article")
    op.drop_index("ix_fused_record_kind_date_id", "fused_record")
    op.drop_table("article_item")
    op.drop_table("record_facet")
