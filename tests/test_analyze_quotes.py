"""Quotes: marks, partial/split/multi-paragraph quotes, speakers (same/previous sentence, pronouns, groups), indirect speech."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from analyze_helpers import article, resources

from trucewatch.analyze import analyze_article
from trucewatch.analyze.quotes import find_quote_marks


def quotes(text: str):
    a = analyze_article(article(text), resources())
    for q in a.quotes:
        assert text[q.start:q.end] == q.text
    return a.quotes


@pytest.mark.parametrize(
    "text, expected",
    [
        ('He said “we are ready,” and left.', ["we are ready"]),
        ('He said "we are ready" and left.', ["we are ready"]),
        ("She called it ‘a grave mistake’ and walked out.", ["a grave mistake"]),
        ("The soldiers’ families weren’t told.", []),
        ("“First part,” he said, “second part.”", ["First part", "second part."]),
    ],
    ids=["curly", "straight", "single-curly", "apostrophes-only", "split"],
)
def test_find_quote_marks(text, expected):
    assert [text[s:e] for s, e in find_quote_marks(text)] == expected


def test_a_quote_continues_into_the_next_paragraph_that_opens_with_a_mark():
    text = "“We waited for weeks. Nobody came,\n“and now it is too late,” the mayor said."
    spans = find_quote_marks(text)
    assert len(spans) == 1
    s, e = spans[0]
    assert text[s:e].startswith("We waited") and text[s:e].endswith("too late")


@given(st.text(alphabet=st.sampled_from(list("ab “”\"‘’'.\n,")), max_size=80))
@hsettings(max_examples=300, deadline=None)
def test_quote_spans_are_ordered_inside_the_text_and_never_start_or_end_with_space(text):
    spans = find_quote_marks(text)
    last = -1
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert s >= last
        assert not text[s].isspace() and not text[e - 1].isspace()
        last = e


def test_speaker_after_the_quote_with_role_and_partial_quote():
    qs = quotes("Interior Minister Dana Kell said the border would stay closed. "
                "Officials called the plan “a necessary step” on Monday.")
    direct = [q for q in qs if q.direct]
    assert direct[0].text == "a necessary step"
    assert direct[0].speaker == "Officials"


def test_split_quote_around_he_added_gives_both_parts_the_same_speaker():
    qs = quotes("Army spokesman Rafael Ortiz spoke to reporters. “We are not leaving,” he added, “not this year.”")
    direct = [q for q in qs if q.direct]
    assert [q.text for q in direct] == ["We are not leaving", "not this year."]
    assert {q.speaker for q in direct} == {"Rafael Ortiz"}
    assert {q.cue for q in direct} == {"added"}


def test_quote_only_paragraph_takes_the_previous_speaker():
    qs = quotes("“The talks failed,” Mara Linde said on Tuesday.\n\n“We will not return to the table soon.”")
    direct = [q for q in qs if q.direct]
    assert len(direct) == 2
    assert direct[1].speaker == "Mara Linde"


def test_pronoun_speaker_resolves_to_the_last_person_subject():
    qs = quotes("Foreign Minister Ilse Brandt met the envoy in the morning. Later she said: “Our position has not changed.”")
    direct = [q for q in qs if q.direct]
    assert direct[0].speaker == "Ilse Brandt"


def test_group_speakers_are_labels():
    qs = quotes("A security source told a news agency that “the attackers came from across the river.”")
    assert qs[0].speaker and "security source" in qs[0].speaker
    assert qs[0].speaker_actor_id is not None


def test_indirect_speech_is_marked_not_direct():
    qs = quotes("The governor said that the curfew would be lifted on Friday.")
    assert len(qs) == 1
    q = qs[0]
    assert q.direct is False
    assert q.text == "the curfew would be lifted on Friday"
    assert q.cue == "said"


def test_a_quoted_name_is_not_a_quote():
    qs = quotes("The army said the fighters belonged to “Black Banner”, a group it blames for the raids.")
    assert all(q.text != "Black Banner" for q in qs)


def test_british_single_quotes_with_apostrophes_around():
    text = "The soldiers' families said 'we want answers now' on Monday. It's the rock 'n' roll era."
    assert [text[s:e] for s, e in find_quote_marks(text)] == ["we want answers now"]


def test_a_headline_gives_no_indirect_quote():
    qs = quotes("Ministry says shelling kills four in border town\n\nShelling killed four people in the town, the ministry said.")
    assert [q.text for q in qs] == ["Shelling killed four people in the town"]


def test_quoted_as_saying_and_a_bare_role_resolve_to_the_person():
    qs = quotes("Interior Minister Ruth Abebe visited the border on Monday. "
                "The minister was quoted as saying that the border “will remain closed until further notice”.")
    (q,) = [q for q in qs if q.direct]
    assert q.speaker == "Ruth Abebe"


def test_according_to_a_statement_from_someone():
    qs = quotes("“The convoy was hit twice,” according to a statement from the aid agency.")
    assert qs[0].speaker == "aid agency" and qs[0].cue == "according to"


def test_pronoun_after_a_given_name_the_model_took_for_a_place_is_that_person():
    # "Camden" alone is tagged as a place; it is the subject, so the later "he" is Camden Hale, not the mediator.
    text = ("Defence Minister Camden Hale and the mediator, Deputy Foreign Minister Marta Kovacs, signed the accord on "
            "Monday. Camden made clear that the commitment had limits. The truce “lasts only while nobody fires across "
            "the line”, he told reporters.")
    assert [q.speaker for q in quotes(text)] == ["Camden Hale"]
