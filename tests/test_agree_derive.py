"""Agreements and alleged violations derived from hand-built records (tests/agree_fixtures.py)."""

from __future__ import annotations

import dataclasses
import random

import pytest

from agree_fixtures import build, event, place
from trucewatch import agree
from trucewatch.agree._cues import is_violating, normalize_status
from trucewatch.agree._text import countries_in, country_code, sentences
from trucewatch.records import Incident, IncidentMention


@pytest.fixture(scope="module")
def story():
    return build()


@pytest.fixture(scope="module")
def derived(story):
    return agree.derive(*story)


def _only(agreements):
    assert len(agreements) == 1, [a.id for a in agreements]
    return agreements[0]


def test_one_agreement_with_parties_mediators_venue_and_dates(derived):
    ag = _only(derived[0])
    assert ag.kind == "ceasefire"
    assert ag.parties == ("Ecuador", "Peru")
    assert ag.territory == ("EC", "PE")
    assert set(ag.mediators) == {"Brazil", "Chile"}
    assert ag.venue == "Brasilia"
    assert ag.date_agreed == "2025-05-10"
    assert ag.date_reported == "2025-05-10"
    assert ag.id.startswith("agr-")


def test_terms_are_read_from_the_list_under_agreed_to_and_labelled(derived, story):
    ag = _only(derived[0])
    assert ag.terms == (
        "maintain the ceasefire",
        "joint monitoring and verification mechanism",
        "penalties for the side that violates it",
        "no use of territory for attacks on the other side",
    )
    texts = {a.id: a.text for a in story[0]}
    assert len(ag.term_spans) == len(ag.terms)
    assert "penalties" in texts[ag.term_spans[2].article_id][ag.term_spans[2].start:ag.term_spans[2].end]
    # The condition quote and the background sentence after the list are not terms.
    assert not any("Vera" in t or "April" in t for t in ag.terms)


def test_conditions_per_party_from_a_quote_and_a_refusal_at_earlier_talks(derived):
    ag = _only(derived[0])
    conditions = dict((p, c) for p, c in ag.conditions)
    assert conditions["Ecuador"] == "holds only if Peru keeps its artillery silent"
    assert conditions["Peru"].startswith("refused to sign a written pledge")
    assert len(ag.condition_spans) == len(ag.conditions)


def test_status_history_per_outlet_and_a_status_dispute(derived):
    ag = _only(derived[0])
    got = [(s.date, s.status, s.outlet) for s in ag.status_history]
    assert got == [
        ("2025-05-10", "agreed", "Pacific Times"),
        ("2025-05-20", "strained", "Andes Courier"),
        ("2025-05-25", "collapsed", "Pacific Times"),
        ("2025-05-26", "in force", "Lima Daily"),
    ]
    assert len(ag.disputes) == 1
    d = ag.disputes[0]
    assert d.kind == "status"
    assert [s.value for s in d.sides] == ["collapsed", "in force"]
    assert [s.claimant for s in d.sides] == ["Pacific Times", "Lima Daily"]
    # A disputed collapse does not end the agreement.
    assert ag.date_ended is None
    assert ag.status == "in force"


def test_violations_only_after_the_agreement_and_in_the_parties_territory(derived):
    vs = derived[1]
    assert [v.incident_id for v in vs] == ["in-shell", "in-raid"]  # not the clash before it, not Colombia
    assert all(v.agreement_id == derived[0][0].id for v in vs)
    assert all(v.review_status == "unreviewed" and v.decisions == () for v in vs)


def test_a_users_event_types_say_whether_they_can_breach_a_ceasefire(story):
    """Types of a user's events_file carry their own ``violent`` flag; word rules do not know them."""
    articles, analyses, fusion = story
    shell = next(i for i in fusion.incidents if i.id == "in-shell")
    renamed = dataclasses.replace(fusion, incidents=tuple(
        dataclasses.replace(i, type="siege") if i is shell else i for i in fusion.incidents))
    assert not is_violating("siege")
    assert [v.incident_id for v in agree.derive(articles, analyses, renamed)[1]] == ["in-raid"]
    got = agree.derive(articles, analyses, renamed, violent={"siege": True})[1]
    assert [v.incident_id for v in got] == ["in-shell", "in-raid"]
    # and a user may say that one of their types never breaches one
    assert [v.incident_id for v in agree.derive(articles, analyses, fusion, violent={"shelling": False})[1]] == ["in-raid"]


def test_accused_accusers_and_a_denial_make_a_contested_violation(derived):
    shell, raid = derived[1]
    assert shell.accused == ("Peru",)
    assert shell.accusers == ("Ecuador",)
    assert shell.denied_by == ("Peru",)
    assert shell.corroboration == "contested"
    assert shell.casualties == 3
    assert shell.place_names == ("Huaquillas",)
    assert "accused" in shell.summary
    assert raid.accused == ("Ecuador",)
    assert raid.accusers == ()
    assert raid.corroboration == "corroborated"
    assert raid.incident_type == "airstrike"


def test_an_undisputed_collapse_ends_the_active_span(story):
    arts, ans, fusion = story
    arts = [a for a in arts if a.id != "a5"]  # without the outlet that says it holds
    late = fusion.incidents[1]
    late = dataclasses.replace(late, id="in-late", date_start="2025-05-30", date_end="2025-05-30")
    fusion = dataclasses.replace(fusion, incidents=(*fusion.incidents, late))
    ags, vs = agree.derive(arts, ans, fusion)
    assert ags[0].date_ended == "2025-05-25"
    assert ags[0].disputes == ()
    assert [v.incident_id for v in vs] == ["in-shell", "in-raid"]  # the 05-30 shelling came after the collapse


def test_derive_is_order_independent(story, derived):
    arts, ans, fusion = story
    rnd = random.Random(7)
    for _ in range(3):
        a2, n2 = arts[:], ans[:]
        rnd.shuffle(a2)
        rnd.shuffle(n2)
        assert agree.derive(a2, n2, fusion) == derived


def test_failed_talks_alone_make_no_agreement(story):
    arts, ans, fusion = story
    ags, vs = agree.derive([a for a in arts if a.id == "a1"], [n for n in ans if n.article_id == "a1"], fusion)
    assert ags == [] and vs == []


def test_a_violent_incident_without_places_counts_when_a_party_acted(story):
    arts, ans, fusion = story
    inc = Incident("in-noplace", "attack", "2025-05-21", "2025-05-21", "day", acting=("ca-pe-army",),
                   mentions=(IncidentMention("a3", "x", 0, 1),), article_ids=("a3",))
    ags, vs = agree.derive(arts, ans, dataclasses.replace(fusion, incidents=(inc,)))
    assert [(v.incident_id, v.accused) for v in vs] == [("in-noplace", ("Peru",))]


def test_text_fallback_finds_accuser_and_denier_without_accusation_events(story):
    arts, ans, fusion = story
    # Drop the analysis' accusation and denial events: the sentence words still say who accuses and denies.
    a3 = next(n for n in ans if n.article_id == "a3")
    bare = dataclasses.replace(a3, events=tuple(e for e in a3.events if e.type not in ("accusation", "denial")))
    ans2 = [bare if n.article_id == "a3" else n for n in ans]
    _, vs = agree.derive(arts, ans2, fusion)
    shell = vs[0]
    assert shell.accusers == ("Ecuador",) and shell.accused == ("Peru",) and shell.denied_by == ("Peru",)


def test_one_sided_accusation_in_a_two_party_agreement_names_the_other_side(story):
    arts, ans, fusion = story
    text = arts[2].text
    ev = event("a3", text, "accused", "accusation")
    assert ev.sentence_start == 0
    inc = Incident("in-x", "shelling", "2025-05-19", "2025-05-19", "day", places=(place("Huaquillas", "EC"),),
                   mentions=(IncidentMention("a3", ev.id, ev.start, ev.end),), article_ids=("a3",))
    ags, vs = agree.derive(arts, ans, dataclasses.replace(fusion, incidents=(inc,)))
    assert vs[0].accusers == ("Ecuador",) and vs[0].accused == ("Peru",)


def test_an_incident_at_an_unresolved_place_counts_when_its_account_accuses_a_party(story):
    arts, ans, fusion = story
    text = arts[2].text
    ev = event("a3", text, "accused", "accusation")
    unresolved = dataclasses.replace(place("Quebrada Seca", "EC"), country_code=None, resolved_name=None)
    inc = Incident("in-unres", "shelling", "2025-05-19", "2025-05-19", "day", places=(unresolved,),
                   mentions=(IncidentMention("a3", ev.id, ev.start, ev.end),), article_ids=("a3",))
    _, vs = agree.derive(arts, ans, dataclasses.replace(fusion, incidents=(inc,)))
    assert [(v.incident_id, v.accused) for v in vs] == [("in-unres", ("Peru",))]
    # with nobody accusing or denying, countries merely named do not place the incident
    a3 = next(n for n in ans if n.article_id == "a3")
    bare = dataclasses.replace(a3, events=tuple(e for e in a3.events if e.type not in ("accusation", "denial")))
    ans2 = [bare if n.article_id == "a3" else n for n in ans]
    _, vs = agree.derive(arts, ans2, dataclasses.replace(fusion, incidents=(inc,)))
    assert vs == []


# ---------------------------------------------------------------------------- text helpers


@pytest.mark.parametrize(
    "text,codes",
    [
        ("Thailand accused Cambodian troops", ["TH", "KH"]),
        ("Pakistani and Afghan forces", ["PK", "AF"]),
        ("Turkish and Türkiye and Turkey", ["TR", "TR", "TR"]),
        ("Phnom Penh denied it", ["KH"]),
    ],
    ids=["demonym", "istan-demonyms", "spellings", "capital"],
)
def test_countries_in_text_from_general_country_lists(text, codes):
    assert [c.code for c in countries_in(text)] == codes


def test_locative_country_mentions_are_marked():
    found = countries_in("Talks in Kuala Lumpur between Thailand and Cambodia")
    assert [(c.code, c.locative) for c in found] == [("MY", True), ("TH", False), ("KH", False)]


def test_sentences_skip_title_abbreviations():
    text = "Gen. Keo Rithisak said so. Then he left.\nA new line"
    assert [text[a:b] for a, b in sentences(text)] == ["Gen. Keo Rithisak said so.", "Then he left.", "A new line"]


def test_country_code_accepts_names_codes_and_demonyms():
    assert country_code("TH") == "TH" and country_code("Thai") == "TH" and country_code("Cambodia") == "KH"
    assert country_code("Nowhere-land") is None


@pytest.mark.parametrize(
    "word,label",
    [("signed", "agreed"), ("holds", "in force"), ("holding", "in force"), ("collapsed", "collapsed"),
     ("suspended", "talks suspended"), ("strained", "strained"), ("banana", None)],
    ids=["signed", "holds", "holding", "collapsed", "suspended", "strained", "not-a-status"],
)
def test_status_words_are_normalised(word, label):
    assert normalize_status(word) == label


def test_violating_types_follow_the_taxonomy_and_word_rules():
    assert all(is_violating(t) for t in ("armed_clash", "airstrike", "shelling", "attack", "cross_border_fire", "explosion"))
    assert not any(is_violating(t) for t in ("talks", "ceasefire", "accusation", "denial", "border_closure", "threat"))


def test_public_api_is_listed_sorted_and_importable():
    assert agree.__all__ == sorted(agree.__all__)
    for name in agree.__all__:
        assert getattr(agree, name) is not None, name


def test_talks_breaking_off_after_the_agreement_is_a_status_but_not_a_collapse(story):
    from agree_fixtures import actor
    from trucewatch.records import Analysis, Article

    arts, ans, fusion = story
    text = "QUITO — Follow-up talks between Ecuador and Peru on the border commission were suspended on Thursday."
    base = arts[0]
    a6 = dataclasses.replace(base, id="a6", outlet="Quito Wire", published="2025-05-29", text=text)
    ec, pe = actor("a6", "Ecuador", "country", "EC", text), actor("a6", "Peru", "country", "PE", text)
    an6 = Analysis("a6", "t", actors=(ec, pe), events=(event("a6", text, "talks", "talks", acting=(ec, pe)),))
    ag = agree.derive([*arts, a6], [*ans, an6], fusion)[0][0]
    assert ("2025-05-29", "talks suspended", "Quito Wire") in [(s.date, s.status, s.outlet) for s in ag.status_history]
    assert ag.status == "in force" and ag.date_ended is None
    assert len(ag.disputes) == 1  # only the collapsed / in force dispute
    assert isinstance(a6, Article)


@pytest.mark.parametrize(
    "sentence,background",
    [
        ("The accord, signed between the two capitals years ago, had included a clause on refugees.", True),
        ("Officials said both delegations had agreed to keep talking.", False),
        ("Ecuador and Peru signed a truce on Saturday.", False),
    ],
    ids=["past-perfect", "reported-speech", "news"],
)
def test_undated_background_signings_are_told_apart(sentence, background):
    from trucewatch.agree._cues import is_background

    assert is_background(sentence) is background
