"""``trucewatch agreements``, ``ledger`` and ``review``: the monitoring and verification commands."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from .. import agree, pipeline
from ..errors import ConfigError, ReviewError
from ..records import Agreement, Review, Violation, from_dict, to_dict
from ._common import Context, cli, handle_errors, pass_ctx


def _refresh(ctx: Context, kind: str, action: str = "") -> str:
    """Re-run what a decision on ``kind`` affects; returns a line for the user."""
    if action == "annotate":
        return ""
    if kind in ("incident", "quote", "claim"):
        fuse = getattr(pipeline, "fuse", None)
        if fuse is None:
            return "It takes effect at the next `trucewatch fuse`."
        fuse(ctx.settings, ctx.store)
        pipeline.agree(ctx.settings, ctx.store)
        return "Fusion and agreements were re-run with it."
    if kind == "agreement":
        ags, vs = pipeline.agree(ctx.settings, ctx.store)
        return f"Agreements re-derived: {len(ags)} agreement(s), {len(vs)} alleged violation(s)."
    return ""


# ---------------------------------------------------------------------------- agreements


def _agreements(ctx: Context) -> list[dict[str, Any]]:
    return ctx.store.fused("agreement")


@cli.group("agreements", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the agreement records as JSON.")
@click.option("--refresh", is_flag=True, help="Re-derive agreements and violations from the stored fusion first.")
@pass_ctx
@click.pass_context
@handle_errors
def agreements(cctx: click.Context, ctx: Context, as_json: bool, refresh: bool) -> None:
    """List agreements: parties, mediators, venue, dates, terms, conditions and status by outlet.

    Agreements are derived after every fusion; declare or correct one with
    `agreements add` / `agreements correct` (recorded in the review log) or in
    the YAML file named by TRUCEWATCH_AGREEMENTS_FILE (docs/agreements.md).

    \b
    Example:
        trucewatch agreements
        trucewatch agreements --json > agreements.json
    """
    if cctx.invoked_subcommand is not None:
        return
    if refresh:
        pipeline.agree(ctx.settings, ctx.store)
    rows = _agreements(ctx)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        ctx.console.print("No agreements found. Run `trucewatch fuse` (or `agreements --refresh`), or declare one with `trucewatch agreements add`.")
        return
    for a in rows:
        _print_agreement(ctx, a)


def _print_agreement(ctx: Context, a: dict[str, Any]) -> None:
    c = ctx.console
    flag = " [declared]" if a.get("declared") else ""
    c.print(f"[bold]{escape(a['id'])}[/bold]  {escape(a['kind'])}{flag}: {escape(' – '.join(a['parties']))}")
    c.print(f"  agreed {a.get('date_agreed') or '?'} (first reported {a.get('date_reported') or '?'})"
            f"{'  venue ' + escape(a['venue']) if a.get('venue') else ''}")
    if a.get("mediators"):
        c.print(f"  mediators/guarantors: {escape(', '.join(a['mediators']))}")
    for t in a.get("terms", []):
        c.print(f"  term: {escape(t)}")
    for party, cond in a.get("conditions", []):
        c.print(f"  condition ({escape(party)}): {escape(cond)}")
    for s in a.get("status_history", []):
        c.print(f"  {s.get('date') or '?'}  {escape(s['status']):<16} {escape(s.get('outlet') or '')}")
    for d in a.get("disputes", []):
        c.print(f"  [yellow]disputed:[/yellow] {escape(d['summary'])}")
    end = f"ended {a['date_ended']}" if a.get("date_ended") else "no undisputed collapse: violations counted to date"
    c.print(f"  status now: {escape(a.get('status') or '?')} ({end})\n")


def _declaration(parties, date_agreed, kind, mediators, venue, terms, statuses) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if parties:
        out["parties"] = [p.strip() for p in parties.split(",") if p.strip()]
    if date_agreed:
        out["date_agreed"] = date_agreed
    if kind:
        out["kind"] = kind
    if mediators:
        out["mediators"] = list(mediators)
    if venue:
        out["venue"] = venue
    if terms:
        out["terms"] = list(terms)
    if statuses:
        out["status"] = []
        for s in statuses:
            label, _, when = s.partition("@")
            out["status"].append({"status": label.strip(), "date": when.strip() or None})
    return out


_decl_options = [
    click.option("--parties", metavar="A,B", help="The parties, comma-separated (country names or ISO codes)."),
    click.option("--date", "date_agreed", metavar="YYYY-MM-DD", help="Date agreed."),
    click.option("--kind", help="ceasefire, truce, peace agreement, talks outcome ..."),
    click.option("--mediator", "mediators", multiple=True, metavar="NAME", help="A mediator or guarantor (repeatable)."),
    click.option("--venue", metavar="PLACE", help="Where it was agreed."),
    click.option("--term", "terms", multiple=True, metavar="TEXT", help="A term (repeatable; replaces extracted terms)."),
    click.option("--status", "statuses", multiple=True, metavar="STATUS@DATE", help="Add a status, e.g. collapsed@2026-04-02 (repeatable)."),
    click.option("--reason", required=True, help="Why (recorded in the audit log)."),
    click.option("--reviewer", default=None, help="Who decides (default: TRUCEWATCH_REVIEWER or the login name)."),
]


def _with_decl_options(fn):
    for opt in reversed(_decl_options):
        fn = opt(fn)
    return fn


@agreements.command("add")
@_with_decl_options
@pass_ctx
@handle_errors
def agreements_add(ctx: Context, parties, date_agreed, kind, mediators, venue, terms, statuses, reason, reviewer) -> None:
    """Declare an agreement the articles miss (or correct the one with the same parties and date).

    The declaration is stored append-only in the review log with who, when
    and why, and re-applied after every fusion.

    \b
    Example:
        trucewatch agreements add --parties Thailand,Cambodia --date 2026-03-23 \\
            --kind ceasefire --mediator Malaysia --reason "signed text seen by the monitors"
    """
    decl = _declaration(parties, date_agreed, kind, mediators, venue, terms, statuses)
    if not decl.get("parties"):
        raise ConfigError("A new agreement needs --parties (for example --parties Thailand,Cambodia).")
    target = "agr-user-" + agree.make_review("agreement", "new", "annotate", reason=reason).id[4:16]
    review = agree.make_review("agreement", target, "declare", value=json.dumps(decl, ensure_ascii=False),
                               reason=reason, reviewer=reviewer or ctx.settings.reviewer)
    agree.apply_review(ctx.store, review)
    ctx.console.print(f"Recorded {review.id} by {escape(review.reviewer)}. {_refresh(ctx, 'agreement')}")


@agreements.command("correct")
@click.argument("agreement_id")
@_with_decl_options
@pass_ctx
@handle_errors
def agreements_correct(ctx: Context, agreement_id, parties, date_agreed, kind, mediators, venue, terms, statuses, reason, reviewer) -> None:
    """Correct fields of an agreement (parties, date, kind, mediators, venue, terms) or add a status.

    \b
    Example:
        trucewatch agreements correct agr-1a2b3c4d5e6f7a8b --status collapsed@2026-04-02 \\
            --reason "both governments announced their withdrawal"
    """
    decl = _declaration(parties, date_agreed, kind, mediators, venue, terms, statuses)
    if not decl:
        raise ConfigError("Say what to correct: --parties, --date, --kind, --mediator, --venue, --term or --status.")
    review = agree.make_review("agreement", agreement_id, "correct", value=json.dumps(decl, ensure_ascii=False),
                               reason=reason, reviewer=reviewer or ctx.settings.reviewer)
    agree.apply_review(ctx.store, review)
    ctx.console.print(f"Recorded {review.id} by {escape(review.reviewer)}. {_refresh(ctx, 'agreement')}")


@agreements.command("drop")
@click.argument("agreement_id")
@click.option("--reason", required=True, help="Why it is not an agreement (recorded in the audit log).")
@click.option("--reviewer", default=None, help="Who decides (default: TRUCEWATCH_REVIEWER or the login name).")
@pass_ctx
@handle_errors
def agreements_drop(ctx: Context, agreement_id: str, reason: str, reviewer: str | None) -> None:
    """Drop a wrongly extracted agreement (its alleged violations go with it).

    \b
    Example:
        trucewatch agreements drop agr-1a2b3c4d5e6f7a8b --reason "only a proposal, never signed"
    """
    review = agree.make_review("agreement", agreement_id, "reject", reason=reason, reviewer=reviewer or ctx.settings.reviewer)
    agree.apply_review(ctx.store, review)
    ctx.console.print(f"Recorded {review.id} by {escape(review.reviewer)}. {_refresh(ctx, 'agreement')}")


# ---------------------------------------------------------------------------- ledger


def _violations(ctx: Context) -> list[Violation]:
    return [from_dict(Violation, d) for d in ctx.store.fused("violation")]


def ledger_csv(doc: dict[str, Any]) -> str:
    """The ledger as CSV: one row per party and period (period "all" is the total)."""
    cols = ["party", "period", "accused", "accuser", "corroborated", "single_source", "contested",
            "confirmed", "rejected", "unreviewed", "verified", "pending", "discounted", "attributed", "casualties", "points"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for party, row in doc["parties"].items():
        w.writerow([party, "all", *(row[c] for c in cols[2:])])
        for period, prow in row["by_period"].items():
            w.writerow([party, period, *(prow[c] for c in cols[2:])])
    return buf.getvalue()


@cli.command("ledger")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), default=None,
              help="Penalty rules YAML file (default: TRUCEWATCH_RULES_FILE, else built-in rules).")
@click.option("--period", type=click.Choice(["week", "month"]), default=None, help="Buckets over time (default: the rules' period).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, help="Write to this file instead of stdout.")
@pass_ctx
@handle_errors
def ledger(ctx: Context, fmt: str, rules_file: str | None, period: str | None, output: str | None) -> None:
    """The violation ledger per party and the penalty thresholds crossed.

    Counts alleged violations by accused and by accuser, corroborated /
    single-source / contested / confirmed by review, casualties attributed,
    per week or month, and the points under the penalty rules (docs/ledger.md).

    \b
    Example:
        trucewatch ledger
        trucewatch ledger --format csv -o ledger.csv --rules examples/rules.yaml
    """
    rules = agree.load_rules(rules_file or ctx.settings.rules_file)
    if period:
        rules = agree.Rules(rules.weights, rules.thresholds, period, rules.source)
    agreements = [from_dict(Agreement, d) for d in _agreements(ctx)]
    doc = agree.ledger(_violations(ctx), agreements, rules)
    if fmt == "json":
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = ledger_csv(doc)
    else:
        text = None
    if output:
        Path(output).write_text(text if text is not None else _ledger_text(doc), encoding="utf-8")
        ctx.console.print(f"Wrote {escape(output)}.")
        return
    if text is not None:
        click.echo(text, nl=False)
        return
    _print_ledger(ctx, doc)


def _ledger_text(doc: dict[str, Any]) -> str:
    from types import SimpleNamespace

    from rich.console import Console

    buf = io.StringIO()
    _print_ledger(SimpleNamespace(console=Console(file=buf, width=120, color_system=None)), doc)
    return buf.getvalue()


def _print_ledger(ctx: Context, doc: dict[str, Any]) -> None:
    c = ctx.console
    if not doc["parties"]:
        c.print("No agreements and no alleged violations in the store. Run `trucewatch fuse` first.")
        return
    t = Table(title="Alleged violations per party", show_lines=False)
    for col in ("party", "accused", "accuser", "corroborated", "single source", "contested", "verified", "pending",
                "discounted", "attributed", "casualties", "points"):
        t.add_column(col, justify="left" if col == "party" else "right")
    for party, r in doc["parties"].items():
        t.add_row(escape(party), str(r["accused"]), str(r["accuser"]), str(r["corroborated"]), str(r["single_source"]),
                  str(r["contested"]), str(r["verified"]), str(r["pending"]), str(r["discounted"]), str(r["attributed"]),
                  f"{r['casualties']:g}", f"{r['points']:g}")
    c.print(t)
    periods = sorted({p for r in doc["parties"].values() for p in r["by_period"]})
    if periods:
        t = Table(title=f"Accused, per {doc['rules']['period']}")
        t.add_column("party")
        for p in periods:
            t.add_column(p, justify="right")
        for party, r in doc["parties"].items():
            t.add_row(escape(party), *(str(r["by_period"].get(p, {}).get("accused", 0)) for p in periods))
        c.print(t)
    if doc["crossings"]:
        for x in doc["crossings"]:
            c.print(f"[bold red]{escape(x['party'])} crossed {escape(x['threshold'])} on {x['date']}[/bold red] "
                    f"({x['points']:g} points): {', '.join(x['violation_ids'])}")
    else:
        names = "; ".join(t["name"] for t in doc["rules"]["thresholds"])
        c.print(f"No party has crossed a penalty threshold ({escape(names)}; rules: {escape(doc['rules']['source'])}).")
    if doc["violations"]:
        t = Table(title="Alleged violations")
        t.add_column("id", overflow="fold", min_width=20)  # the full id: `review ID --confirm` needs it
        t.add_column("date", min_width=10)
        for col in ("type", "places", "accused", "accusers", "corroboration", "verification", "points"):
            t.add_column(col)
        for v in doc["violations"]:
            t.add_row(v["id"], v["date"] or "?", escape(v["type"] or ""), escape(", ".join(v["places"])),
                      escape(", ".join(v["accused"]) or "?"), escape(", ".join(v["accusers"]) or "-"),
                      escape(v["corroboration"] + (f" (denied by {', '.join(v['denied_by'])})" if v["denied_by"] else "")),
                      _verification(v), f"{v['points']:g}")
        c.print(t)


# ---------------------------------------------------------------------------- review


def _verification(v: dict[str, Any]) -> str:
    """A violation's verification state for tables: ``verified (attributed to X)``, ``under investigation`` ..."""
    state = v.get("verification") or "reported"
    if state == "verified" and v.get("attributed_to"):
        who = v["attributed_to"]
        return f"verified ({who if who == agree.UNATTRIBUTED else 'attributed to ' + who})"
    return state


def _kind_and_action(confirm, reject, reopen, annotate, merge, split, speaker, figure, investigate=False, verify=None,
                     unattributed=False, discount=False) -> tuple[str | None, str | None, str | None]:
    chosen = [(k, a, v) for k, a, v, on in (
        ("violation", "investigate", None, investigate), ("violation", "verify", verify, verify),
        ("violation", "verify", "unattributed", unattributed), ("violation", "discount", None, discount),
        ("violation", "confirm", None, confirm), ("violation", "reject", None, reject),
        ("violation", "reopen", None, reopen), (None, "annotate", None, annotate),
        ("incident", "merge", merge, merge), ("incident", "split", split, split),
        ("quote", "set-speaker", speaker, speaker), ("claim", "set-figure", figure, figure),
    ) if on]
    if len(chosen) > 1:
        raise ReviewError("Give one decision at a time (--investigate, --verify, --unattributed, --discount, --confirm, "
                          "--reject, --reopen, --annotate, --merge, --split, --speaker or --figure).")
    return chosen[0] if chosen else (None, None, None)


@cli.command("review")
@click.argument("target_id", required=False)
@click.option("--investigate", is_flag=True, help="Start the investigation of the alleged violation TARGET_ID (reported -> under investigation).")
@click.option("--verify", metavar="PARTY", default=None, help="Verify the violation under investigation and attribute it to PARTY.")
@click.option("--unattributed", is_flag=True, help="Verify the violation under investigation as one that could not be attributed.")
@click.option("--discount", is_flag=True, help="Discount the violation under investigation (not a violation).")
@click.option("--confirm", is_flag=True, help="Confirm the alleged violation TARGET_ID.")
@click.option("--reject", is_flag=True, help="Reject the alleged violation TARGET_ID.")
@click.option("--reopen", is_flag=True, help="Set the violation back to unreviewed.")
@click.option("--annotate", is_flag=True, help="Add a note (the --reason) to TARGET_ID without a verdict.")
@click.option("--merge", metavar="INCIDENT_ID", help="Merge incident TARGET_ID with this incident.")
@click.option("--split", metavar="EVENT_ID|ARTICLE_ID", help="Detach these mentions (event or article ids) from incident TARGET_ID.")
@click.option("--speaker", metavar="NAME", help="Set the speaker of quote TARGET_ID.")
@click.option("--figure", metavar="NUMBER", help="Set the figure of claim TARGET_ID.")
@click.option("--kind", type=click.Choice(list(agree.ACTIONS)), default=None, help="What TARGET_ID is (for --annotate; default violation).")
@click.option("--reason", default=None, help="Why (required with a decision; recorded in the audit log).")
@click.option("--reviewer", default=None, help="Who decides (default: TRUCEWATCH_REVIEWER or the login name).")
@click.option("--list", "list_", is_flag=True, help="List alleged violations and their review status.")
@click.option("--log", "log", is_flag=True, help="Print the audit log (of TARGET_ID when given).")
@click.option("--interactive/--no-interactive", default=None, help="Walk through unreviewed violations (default when run in a terminal with no decision).")
@click.option("--json", "as_json", is_flag=True, help="With --list or --log: print JSON.")
@pass_ctx
@handle_errors
def review(ctx: Context, target_id, investigate, verify, unattributed, discount, confirm, reject, reopen, annotate, merge,
           split, speaker, figure, kind, reason, reviewer, list_, log, interactive, as_json) -> None:
    """Review alleged violations and fix incidents, speakers and figures (append-only audit log).

    Every decision is stored with who, when and why, shown with the record it
    is about, and re-applied after `analyze --force` and `fuse`. An alleged
    violation moves reported -> under investigation (--investigate) -> verified,
    attributed to a party (--verify PARTY) or not (--unattributed), or
    discounted (--discount); --reopen sets it back to reported.

    \b
    Example:
        trucewatch review                         # interactive, in a terminal
        trucewatch review --list
        trucewatch review vio-0123456789abcdef --investigate --reviewer "M. Dara" --reason "field team sent"
        trucewatch review vio-0123456789abcdef --verify Cambodia --reviewer "M. Dara" --reason "crater analysis"
        trucewatch review vio-0123456789abcdef --confirm --reason "JCVM report of 2 April"
        trucewatch review in_0123456789abcdef --merge in_fedcba9876543210 --reason "same shelling"
        trucewatch review QUOTE_ID --speaker "Chea Sokha" --reason "video of the briefing"
        trucewatch review --log
    """
    who = reviewer or ctx.settings.reviewer
    if log:
        entries = ctx.store.reviews(target_id) if target_id else ctx.store.reviews()
        _print_log(ctx, entries, as_json)
        return
    k, action, value = _kind_and_action(confirm, reject, reopen, annotate, merge, split, speaker, figure,
                                        investigate, verify, unattributed, discount)
    if action is None:
        if target_id:
            raise ReviewError("Say what to decide: --investigate, --verify, --unattributed, --discount, --confirm, --reject, "
                              "--reopen, --annotate, --merge, --split, --speaker or --figure.")
        if list_ or not (interactive if interactive is not None else sys.stdin.isatty()):
            _print_violations(ctx, _violations(ctx), as_json)
            return
        _interactive(ctx, who)
        return
    if not target_id:
        raise ReviewError(f"Give the id of what to {action}, e.g. `trucewatch review ID --{action} --reason ...`.")
    k = k or kind or "violation"
    if kind and kind != k:
        raise ReviewError(f"--{action} applies to a {k}, not a {kind}.")
    r = agree.make_review(k, target_id, action, value=value, reason=reason or "", reviewer=who)
    agree.apply_review(ctx.store, r)
    ctx.console.print(f"Recorded {r.id}: {escape(k)} {escape(target_id)} {escape(action)}"
                      f"{' ' + escape(value) if value else ''} by {escape(r.reviewer)} at {r.at}. {_refresh(ctx, k, action)}")


def _print_log(ctx: Context, entries: list[Review], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([to_dict(r) for r in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        ctx.console.print("The review log is empty.")
        return
    t = Table(title="Review log (append-only)")
    for col in ("at", "reviewer", "kind", "target", "action", "value", "reason"):
        t.add_column(col)
    for r in entries:
        t.add_row(r.at, escape(r.reviewer), r.target_kind, r.target_id, r.action, escape(r.value or ""), escape(r.reason))
    ctx.console.print(t)


def _print_violations(ctx: Context, vs: list[Violation], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([to_dict(v) for v in vs], ensure_ascii=False, indent=2))
        return
    if not vs:
        ctx.console.print("No alleged violations in the store. Run `trucewatch fuse` first.")
        return
    t = Table(title="Alleged violations")
    t.add_column("id", overflow="fold", min_width=20)
    t.add_column("date", min_width=10)
    for col in ("type", "places", "accused", "accusers", "corroboration", "verification", "decisions"):
        t.add_column(col)
    for v in vs:
        t.add_row(v.id, v.date or "?", escape(v.incident_type or ""), escape(", ".join(v.place_names)),
                  escape(", ".join(v.accused) or "?"), escape(", ".join(v.accusers) or "-"),
                  escape(v.corroboration), escape(_verification(to_dict(v))), str(len(v.decisions)))
    ctx.console.print(t)


def _interactive(ctx: Context, who: str) -> None:
    pending = [v for v in _violations(ctx) if v.review_status == "unreviewed"]
    if not pending:
        ctx.console.print("Nothing to review: every alleged violation has a verdict (`trucewatch review --list`).")
        return
    ctx.console.print(f"{len(pending)} alleged violation(s) to review. Answer c(onfirm), r(eject), a(nnotate), s(kip) or q(uit).")
    actions = {"c": "confirm", "r": "reject", "a": "annotate"}
    for i, v in enumerate(pending, 1):
        ctx.console.rule(f"{i}/{len(pending)}  {v.id}")
        ctx.console.print(f"{v.date or '?'}  {escape(v.incident_type or '')} at {escape(', '.join(v.place_names) or '?')}")
        ctx.console.print(f"accused: {escape(', '.join(v.accused) or '?')}   accusers: {escape(', '.join(v.accusers) or '-')}")
        ctx.console.print(f"corroboration: {escape(v.corroboration)}"
                          f"{'   denied by ' + escape(', '.join(v.denied_by)) if v.denied_by else ''}"
                          f"   sources: {len(v.article_ids)} article(s)")
        if v.summary:
            ctx.console.print(f"[italic]{escape(v.summary)}[/italic]")
        for d in v.decisions:
            ctx.console.print(f"  note by {escape(d.reviewer)} ({d.at}): {escape(d.reason)}")
        choice = click.prompt("decision", type=click.Choice(["c", "r", "a", "s", "q"]), default="s")
        if choice == "q":
            break
        if choice == "s":
            continue
        reason = click.prompt("reason (recorded in the audit log)").strip()
        r = agree.make_review("violation", v.id, actions[choice], reason=reason, reviewer=who)
        agree.apply_review(ctx.store, r)
        ctx.console.print(f"Recorded {r.id} ({actions[choice]}) by {escape(r.reviewer)}.")
