"""The plain-text debris cleaner: general rules, headline handling, and its invariants (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from trucewatch.ingest.clean import classify_line, clean_text, is_heading_like, shorter_forms

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

PARAGRAPH = (
    "The council said on Tuesday that the ferry would run again from next week, after engineers "
    "finished checking the landing ramps on both banks of the river."
)


@pytest.mark.parametrize(
    "line, reason",
    [
        ("12 Shares", "share counter"),
        ("1.2K shares   48 Comments", "share counter"),
        ("7", "share counter"),
        ("Share on Facebook", "share buttons"),
        ("Share on Facebook   Share on X   Copy link", "share buttons"),
        ("Tweet", "share buttons"),
        ("WhatsApp | Telegram | Email | Print", "share buttons"),
        ("ALSO READ: Ferry fares rise again", "also-read teaser"),
        ("Read more: Why the river keeps moving", "also-read teaser"),
        ("Related: Harbour strike ends", "also-read teaser"),
        ("Related stories", "also-read teaser"),
        ("You may also like", "also-read teaser"),
        ("Leave a comment", "comment prompt"),
        ("LEAVE A REPLY", "comment prompt"),
        ("Comments (3)", "comment prompt"),
        ("Post a comment", "comment prompt"),
        ("Please enter your name here", "comment prompt"),
        ("Comment As:", "comment prompt"),
        ("Subscribe to our newsletter", "newsletter prompt"),
        ("Sign up for our daily briefing and get it in your inbox", "newsletter prompt"),
        ("We use cookies to improve your experience on our site.", "cookie notice"),
        ("This website uses cookies. Accept", "cookie notice"),
        ("Advertisement", "advertisement"),
        ("© 2024 The Example Times. All rights reserved.", "copyright footer"),
        ("By Jane Doe and Ahmed Karimi", "byline"),
        ("(Reporting by A. Writer; Editing by B. Editor)", "byline"),
        ("Photo: Staff photographer", "photo credit"),
        ("Tags: river, ferry, strike", "tags"),
        ("Home > World > Asia", "navigation links"),
        ("About us | Contact | Privacy", "navigation links"),
        ("Published: March 3, 2024", "metadata line"),
        ("date 2024-03-03", "metadata line"),
        ("Tuesday, March 5, 2024 10:42 AM", "date line"),
        ("5 min read", "reading time"),
        ("Share this:", "share buttons"),
        ("Advertisement - Scroll to continue", "advertisement"),
        ("Image caption, Crowds outside the station", "photo credit"),
        ("Sign in", "navigation links"),
        ("Click here to join our channel for updates", "newsletter prompt"),
        ("Follow us on Google News", "newsletter prompt"),
        ("Join our WhatsApp channel for the latest news", "newsletter prompt"),
        ("Subscribe now", "newsletter prompt"),
        ("Newsletter", "newsletter prompt"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_debris_line_is_recognised(line, reason):
    hit = classify_line(line)
    assert hit is not None, line
    assert hit[0] == reason


@pytest.mark.parametrize(
    "line",
    [
        PARAGRAPH,
        "Related talks are planned for the spring, the ministry said, but no date has been set for them.",
        "Readers who want to comment can write to the council, the mayor said at the meeting on Friday.",
        "By the time the ferry arrived, more than 200 people were waiting on the quay in the rain.",
        "Subscribers to the local water scheme will pay less from April, officials told reporters.",
        "Background",
        "Talks End In Deadlock",
        "12 soldiers were wounded in the attack, the army said.",
        "ISLAMABAD / KABUL — Oct 29:",
        "The newsletter published by the ministry said 40 families had been moved to the school.",
        "Subscribers say the new price is too high, a consumer group said.",
        "Search teams found two more survivors under the rubble on Sunday, rescuers said.",
        "Close to 400 families have left the valley since the shelling began, aid workers said.",
    ],
)
def test_real_text_is_not_debris(line):
    assert classify_line(line) is None


def test_debris_fixture_is_cleaned_and_every_removal_explained():
    text = (FIXTURES / "debris-article.txt").read_text()
    c = clean_text(text)
    assert c.title == "Miraval patrol boats seize Elaran trawlers near Tessel sandbank"
    assert c.outlet == "The Coastal Courier"
    assert ("2024-02-15", "metadata") in c.meta_dates
    reasons = {d.reason for d in c.debris}
    assert {"metadata prefix", "repeated headline", "share counter", "share buttons", "cookie notice",
            "also-read teaser", "comment prompt", "newsletter prompt", "copyright footer", "byline",
            "photo credit", "navigation links"} <= reasons
    for gone in ("Shares", "Share on Facebook", "ALSO READ", "Related:", "Leave a comment", "newsletter", "©", "cookies"):
        assert gone not in c.text, gone
    # the body is intact, dateline included
    assert c.text.startswith("PORT ELARA / MIRAVAL — Feb 14:")
    assert "Harbour pilots in Port Elara refused to guide ships" in c.text
    assert c.text.rstrip().endswith("at the next joint commission meeting.")
    lines = text.split("\n")
    for d in c.debris:
        assert d.text in lines[d.line - 1], d


def test_repeated_headline_keeps_first_as_title_and_drops_repeats():
    text = f"River ferry returns\nExample Daily\n\nRiver ferry returns\n\n{PARAGRAPH}\n\nRiver ferry returns\n"
    c = clean_text(text)
    assert c.title == "River ferry returns"
    assert c.text == PARAGRAPH
    assert [d.reason for d in c.debris].count("repeated headline") == 2
    assert any(d.reason.startswith("page header") and d.text == "Example Daily" for d in c.debris)


def test_known_title_is_removed_from_the_top_and_subheadings_stay():
    text = f"River Ferry Returns!\n{PARAGRAPH}\nWhat comes next\n{PARAGRAPH.replace('Tuesday', 'Friday')}"
    c = clean_text(text, title="River ferry returns")
    assert c.title == "River ferry returns"
    assert "What comes next" in c.text
    assert c.text.count("ferry would run again") == 2


def test_shorter_form_of_a_headline_at_the_top_is_removed():
    text = f"Ferry strike ends after pay deal, union says\nFerry strike ends\n\n{PARAGRAPH}"
    c = clean_text(text)
    assert c.title == "Ferry strike ends after pay deal, union says"
    assert c.text == PARAGRAPH
    assert [d.reason for d in c.debris] == ["headline (kept as title)", "repeated headline (shorter form)"]


def test_heading_like():
    assert is_heading_like("Talks End In Deadlock")
    assert not is_heading_like(PARAGRAPH)
    assert not is_heading_like("ISLAMABAD:")
    assert not is_heading_like("He said so.")


# ----------------------------------------------------------------------------- properties

DEBRIS_LINES = ["12 Shares", "Share on Facebook", "Tweet", "ALSO READ: Something else", "Leave a comment",
                "Comments (4)", "Subscribe to our newsletter", "We use cookies on this site. Accept", "Read more »",
                "Related: Another story", "© 2024 Example News", "Home > World", "By Jane Doe"]
SENTENCES = [
    PARAGRAPH,
    "Officials said 14 people were hurt when the roof of the market collapsed in heavy rain on Sunday night.",
    "\"We will not accept this,\" the minister told reporters outside parliament, adding that talks would go on.",
    "The agreement, signed in the capital, sets up a joint commission that will meet every three months.",
]
line_st = st.one_of(
    st.sampled_from(DEBRIS_LINES),
    st.sampled_from(SENTENCES),
    st.sampled_from(["", "Background", "River ferry returns", "PORT ELARA — Feb 14:"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60),
)
doc_st = st.lists(line_st, max_size=25).map("\n".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(doc_st)
def test_cleaning_never_adds_text_and_every_debris_comes_from_the_input(text):
    c = clean_text(text)
    in_lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    for line in c.text.split("\n"):
        assert line == "" or any(line in src for src in in_lines), line
    assert len(c.text) <= len(text)
    for d in c.debris:
        assert d.text and d.text in in_lines[d.line - 1]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(doc_st)
def test_cleaning_is_idempotent(text):
    c = clean_text(text)
    again = clean_text(c.text, title=c.title, find_title=False)
    assert again.text == c.text
    assert [d for d in again.debris if d.reason != "repeated headline"] == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=8), st.lists(st.sampled_from(DEBRIS_LINES), max_size=8))
def test_real_paragraphs_always_survive(paragraphs, junk):
    lines = []
    for i, p in enumerate(paragraphs):
        lines.append(p)
        if i < len(junk):
            lines.append(junk[i])
    c = clean_text("\n".join(lines + junk[len(paragraphs):]))
    for p in paragraphs:
        assert p in c.text
    for j in junk:
        assert j not in c.text.split("\n")


def _shorter_forms_pairwise(heads, title_fold=""):
    """The rule as first written: each heading against every other (quadratic), the reference for the index."""
    out = []
    for i, f in heads:
        longer = [g for j, g in heads if j != i and len(g) > len(f)] + ([title_fold] if len(title_fold) > len(f) else [])
        if f and any(g.startswith(f + " ") for g in longer):
            out.append(i)
    return out


# Few distinct words, so that headings often are the first words of others (and of the title).
_folded = st.lists(st.sampled_from(["talks", "resume", "in", "the", "capital", "ferry", "2"]), max_size=5).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_folded, max_size=12), _folded)
def test_shorter_forms_index_agrees_with_pairwise_comparison(folds, title_fold):
    heads = list(enumerate(folds))
    assert shorter_forms(heads, title_fold) == _shorter_forms_pairwise(heads, title_fold)


def test_many_headings_are_cleaned_like_few():
    """16,000 heading-like lines (each the first words of the next): every shorter form goes, the longest stays."""
    words = [f"w{k}" for k in range(16)]
    lines = [" ".join(["Talks"] + words[: 1 + i % 16]) + f" round{i // 16}" for i in range(16_000)]
    lines += [" ".join(["Talks"] + words[:3]), PARAGRAPH]
    c = clean_text("\n".join(lines), title="Unrelated title")
    reasons = [d.reason for d in c.debris]
    assert reasons.count("repeated headline (shorter form)") == 1  # "Talks w0 w1 w2" is the start of line 3
    assert c.text.endswith(PARAGRAPH) and len(c.text.split("\n")) == 16_001
