"""The match engine on the starter rules (no database): what fires, with which span and strand, and
what must not fire — counter-speech, reclaimed in-group use, negation and neutral mentions.

CONTENT WARNING: the examples quote slurs, because the engine must recognise them.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umbrella.indicators.matching import (
    IndicatorMatch,
    Matcher,
    RuleSpec,
    builtin_matcher,
    normalise,
)
from umbrella.indicators.starter import STARTER_RULES

MATCHER = builtin_matcher()


def fired(text: str, **context: object) -> list[IndicatorMatch]:
    return MATCHER.match(text, **context)  # type: ignore[arg-type]


def only_text(matches: list[IndicatorMatch]) -> list[IndicatorMatch]:
    return [m for m in matches if m.kind != "context"]


# --- what fires -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word", "strand", "sub_category"),
    [
        ("The man on the bus called him a paki and spat at him.", "paki", "race", "anti_asian"),
        ("She was told she was a dirty pikey by the neighbour.", "pikey", "race", "anti_gypsy_roma_traveller"),
        ("He shouted 'kike' at the rabbi outside the synagogue.", "kike", "religion", "antisemitic"),
        ("A group of youths shouted raghead at the victim.", "raghead", "religion", "anti_muslim"),
        ("The suspect yelled faggot across the street.", "faggot", "sexual_orientation", "homophobic"),
        ("The driver called her a tranny twice.", "tranny", "transgender", ""),
        ("They kept calling my son a retard in the park.", "retard", "disability", ""),
        ("He shouted 'coffin dodger' at the pensioner.", "coffin dodger", "age", ""),
        ("The man called her a hooker as she walked past.", "hooker", "sex_workers", ""),
        ("They shouted 'greebo' and threw a bottle at him.", "greebo", "alternative_subculture", ""),
        ("He called the victim a slag and a slut.", "slag", "sex_misogyny", ""),
        ("The suspect called him a towelhead because of his turban.", "towelhead", "religion", "anti_sikh"),
        ("He called the family pajeets and laughed.", "pajeets", "religion", "anti_hindu"),
        ("He called the victim a bible basher.", "bible basher", "religion", "anti_christian"),
        ("The man called the worker a polack.", "polack", "race", "xenophobic"),
        ("He called her a golliwog.", "golliwog", "race", "anti_black"),
    ],
)
def test_a_slur_fires_with_its_span_and_strand(text: str, word: str, strand: str, sub_category: str) -> None:
    matches = [m for m in fired(text) if m.strand == strand and m.sub_category == sub_category]
    assert matches, f"nothing for {strand}/{sub_category} in {text!r}"
    hit = matches[0]
    start = text.lower().index(word)
    assert (hit.start, hit.end) == (start, start + len(word))
    assert hit.matched_text == text[hit.start:hit.end]
    assert hit.kind == "term" and hit.is_slur and hit.weight > 0
    # The reason names who was targeted, never the word itself.
    assert hit.reason.startswith("slur targeting") and word not in hit.reason


def test_plurals_and_case_are_found() -> None:
    (hit,) = only_text(fired("They called us FAGGOTS."))
    assert hit.matched_text == "FAGGOTS" and hit.strand == "sexual_orientation"


@pytest.mark.parametrize(
    ("text", "phrase", "strand"),
    [
        ("He shouted 'go back to your own country' at her.", "go back to your own country", "race"),
        ("The woman told him to go back to where you came from.", "go back to where you came from", "race"),
        ("He said 'your kind are not welcome here' to my wife.", "your kind", "other"),
        ("The neighbour shouted 'you people are animals' at us.", "you people are animals", "other"),
        ("The man said that all of them should be exterminated.", "should be exterminated", "other"),
        ("He told her to get back in the kitchen.", "get back in the kitchen", "sex_misogyny"),
        ("They shouted gas the jews outside the school.", "gas the jews", "religion"),
    ],
)
def test_a_hostile_phrase_fires(text: str, phrase: str, strand: str) -> None:
    hits = [m for m in fired(text) if m.strand == strand]
    assert hits, text
    spans = {m.matched_text.lower() for m in hits}
    assert any(phrase in span for span in spans), spans


def test_a_phrase_matches_across_line_breaks_and_double_spaces() -> None:
    text = "He shouted go back  to your\nown country at the victim."
    (hit,) = [m for m in fired(text) if m.strand == "race"]
    assert hit.matched_text == "go back  to your\nown country"


def test_a_dehumanising_comparison_has_its_own_reason() -> None:
    hits = fired("The suspect shouted that they are all vermin.")
    assert any(m.reason == "dehumanising comparison" for m in hits)


@pytest.mark.parametrize(
    ("text", "disguised", "strand"),
    [
        ("He posted f@gg0t under her photo.", "f@gg0t", "sexual_orientation"),
        ("The message called him a ffaaggg.", "ffaaggg", "sexual_orientation"),
        ("Someone wrote P4KI on the shop shutter.", "P4KI", "race"),
        ("He kept calling her a tr4nny online.", "tr4nny", "transgender"),
        ("They called him a r3tard in the group chat.", "r3tard", "disability"),
        ("He wrote k1ke on the wall.", "k1ke", "religion"),
        ("They sent me n1gg3r in a message.", "n1gg3r", "race"),
    ],
)
def test_leetspeak_and_disguised_spellings_fire(text: str, disguised: str, strand: str) -> None:
    hits = [m for m in fired(text) if m.strand == strand]
    assert hits, text
    assert any(m.matched_text == disguised for m in hits), [m.matched_text for m in hits]


def test_fullwidth_and_zero_width_tricks_are_folded_and_spans_stay_in_the_original() -> None:
    text = "He shouted ＦＡＧ and then f\u200ba\u200bg at me."
    hits = only_text(fired(text))
    assert [m.matched_text for m in hits] == ["ＦＡＧ", "f\u200ba\u200bg"]
    for m in hits:
        assert text[m.start:m.end] == m.matched_text


def test_description_of_hostility_in_a_police_narrative_fires() -> None:
    text = "The victim was subjected to homophobic abuse by a male in a grey tracksuit."
    (hit,) = only_text(fired(text))
    assert hit.strand == "sexual_orientation" and hit.reason == "description of homophobic abuse"


# --- context ----------------------------------------------------------------------------------


def test_a_place_of_worship_is_context_for_religion() -> None:
    hits = fired("Windows were smashed overnight.", location_type="place_of_worship")
    assert [(m.strand, m.kind, m.start, m.end, m.matched_text) for m in hits] == [("religion", "context", 0, 0, "")]
    assert hits[0].reason == "happened at a place of worship"


def test_an_lgbt_venue_is_context_for_sexual_orientation_and_transgender() -> None:
    strands = {m.strand for m in fired("A bottle was thrown.", location_type="lgbt_venue")}
    assert strands == {"sexual_orientation", "transgender"}


def test_a_date_near_a_trigger_event_raises_nothing() -> None:
    """The same words score the same whatever day they were said: events inform people through
    alerts (umbrella.tension), never a strand's score."""
    assert fired("Leaflets were pushed through the door.", occurred_on=date(2023, 10, 20)) == []
    assert fired("Abuse in the street.", occurred_on=date(2016, 6, 30)) == []


def test_place_of_worship_adds_to_a_slur_in_features_and_the_date_adds_nothing() -> None:
    for day in (date(2024, 8, 3), date(2022, 2, 3)):
        features = MATCHER.features(
            "The suspect shouted raghead at the worshippers.", location_type="place_of_worship", occurred_on=day,
        )
        # Slur (1.0) + place of worship (0.3), on the day of the Southport disorder or any other.
        assert features["religion"] == pytest.approx(1.3)
        assert features["any"] == pytest.approx(1.0)
        assert features["online_context"] == 0.0


def test_an_online_platform_feeds_the_online_context_feature_only() -> None:
    features = MATCHER.features("Nice weather today.", online_platform="social_media")
    assert features["online_context"] > 0
    assert features["any"] == 0 and all(features[s] == 0 for s in MATCHER.strands)


def test_features_have_fixed_keys() -> None:
    assert set(MATCHER.features("")) == {*MATCHER.strands, "any", "online_context"}
    assert set(MATCHER.feature_names()) == set(MATCHER.features("anything at all"))


# --- what must NOT fire -----------------------------------------------------------------------


def _suppressed(text: str) -> list[str]:
    return [s.why for s in MATCHER.explain(text).suppressed]


COUNTER_SPEECH = [
    "We condemn the use of the word wog in any form.",
    "Calling someone a retard is unacceptable and our school will challenge it.",
    "There is no place for 'go back to your own country' rhetoric in our city.",
    "Our club stands against homophobic abuse; words like faggot have no place on the terraces.",
    "Speaking out against antisemitism: jokes about a 'dirty jew' are never okay.",
    "The council leader said that telling people to go back to their own country is unacceptable.",
    "We oppose anyone using tranny as an insult.",
]


@pytest.mark.parametrize("text", COUNTER_SPEECH)
def test_counter_speech_does_not_fire(text: str) -> None:
    assert only_text(fired(text)) == []
    assert "counter-speech" in _suppressed(text), "the reviewer should see why it did not fire"


@pytest.mark.parametrize(
    "text",
    [
        "He called me a paki and that is disgusting.",
        "We condemn what happened: the suspect shouted kike at the children.",
        "It is unacceptable that a group of men chanted faggot at us.",
        "I was called a retard on the bus and I will not accept it.",
        "They called us dirty gypsies, which is appalling.",
    ],
)
def test_a_hostile_utterance_attributed_to_an_offender_fires_even_beside_condemnation(text: str) -> None:
    assert only_text(fired(text)), f"reported speech of an offender is evidence: {text!r}"


RECLAIMED = [
    "As a queer woman I love our queer choir.",
    "We're the yid army and proud of it.",
    "My crip friends and I run a disability arts night; we're proud crips.",
    "As a proud dyke I marched with Dykes on Bikes.",
    "I'm a proud old git and I don't care who knows.",
    "As gay men we call ourselves poofs with affection.",
]


@pytest.mark.parametrize("text", RECLAIMED)
def test_reclaimed_in_group_use_does_not_fire(text: str) -> None:
    assert only_text(fired(text)) == []


def test_reclaimed_suppression_is_reported() -> None:
    assert _suppressed("We're the yid army and proud of it.") == ["reclaimed in-group use"]


def test_in_group_words_do_not_shield_an_offenders_slur() -> None:
    assert only_text(fired("As a gay man I was shocked when he called me a faggot."))


NEGATED = [
    "He did not say anything about my religion.",
    "The suspect never called her a tranny.",
    "She didn't tell me to go back to my own country, she was just rude.",
    "No one used the word spastic.",
    "At no point was the word yid used.",
    "They did not shout 'you people are animals' at anyone.",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negated_statements_do_not_fire(text: str) -> None:
    assert only_text(fired(text)) == []


def test_negation_is_reported_and_limited_to_its_clause() -> None:
    assert _suppressed("The suspect never called her a tranny.") == ["negated"]
    # A negation in an earlier clause does not reach the slur.
    assert only_text(fired("He didn't stop there, he called her a tranny."))


NEUTRAL = [
    "The mosque opened a food bank.",
    "My Muslim neighbour helped me carry the shopping.",
    "The synagogue hosted an interfaith evening with the gurdwara and the Hindu temple.",
    "A gay couple and their disabled son visited the Traveller site.",
    "The transgender support group meets at the community centre on Tuesdays.",
    "Black History Month events were held at the Asian women's centre.",
    "An elderly woman in a wheelchair was helped by a Sikh taxi driver.",
    "The queer film festival and the lesbian book club shared a stall.",
    "Polish and Romanian shops opened on the high street; immigrants run half of them.",
]


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_mentions_of_identity_groups_do_not_fire(text: str) -> None:
    assert fired(text) == []
    assert MATCHER.explain(text).suppressed == [], "identity words are not indicators at all"


# --- spans always index the original text -------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ.,!?'\n0134@$") + ["ß", "İ", "ﬁ", "Ｆ", "\u200b", "é", "’", "—", "ǅ"]
)
_WORDS = st.sampled_from(["fag", "paki", "go back to your own country", "not", "we're", "he called me", "retard",
                          "f@g", "ＦＡＧ", "you people are animals", "condemn", "As a", "kike", "queer"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.text(_ALPHABET, max_size=6)), max_size=12).map(" ".join))
def test_spans_always_index_the_original_text(text: str) -> None:
    result = MATCHER.explain(text, location_type="place_of_worship")
    for m in [*result.matches, *(s.match for s in result.suppressed)]:
        assert 0 <= m.start <= m.end <= len(text)
        assert m.matched_text == text[m.start:m.end]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_normalise_maps_every_folded_character_back(text: str) -> None:
    folded, index = normalise(text)
    if index is None:
        assert len(folded) == len(text)
    else:
        assert len(index) == len(folded) + 1
        assert all(0 <= i <= len(text) for i in index)
        assert index == sorted(index)


# --- the starter data ---------------------------------------------------------------------------

STRANDS = ("race", "religion", "sexual_orientation", "transgender", "disability", "sex_misogyny",
           "alternative_subculture", "sex_workers", "age")
SUB_CATEGORIES = ("anti_black", "anti_asian", "anti_gypsy_roma_traveller", "xenophobic", "antisemitic",
                  "anti_muslim", "anti_christian", "anti_sikh", "anti_hindu")


def test_the_starter_set_has_slurs_for_every_strand_and_named_sub_category() -> None:
    slurs = {(r.strand, r.sub_category) for r in STARTER_RULES if r.is_slur and r.kind == "term"}
    assert {s for s, _ in slurs} >= set(STRANDS)
    assert {c for _, c in slurs} >= set(SUB_CATEGORIES)
    kinds = {r.kind for r in STARTER_RULES}
    assert kinds == {"term", "phrase", "pattern", "context"}


def test_starter_codes_exist_in_the_reference_seed() -> None:
    from umbrella.reference.seed import (
        _location_types,
        _online_platforms,
        _strands,
        _sub_categories,
    )

    strands = {c.code for c in _strands()} | {"online"}
    subs = {c.code for c in _sub_categories()}
    locations = {c.code for c in _location_types()}
    platforms = {c.code for c in _online_platforms()}
    for rule in STARTER_RULES:
        assert rule.strand in strands, rule
        assert not rule.sub_category or rule.sub_category in subs, rule
        if rule.value.startswith("location_type:"):
            assert rule.value.split(":", 1)[1] in locations
        if rule.value.startswith("online_platform:"):
            assert rule.value.split(":", 1)[1] in platforms


def test_a_custom_rule_set_compiles_and_patterns_that_cannot_be_prefiltered_still_run() -> None:
    matcher = Matcher([
        RuleSpec(1, "race", "", "pattern", r"(?i)\w*zzq\w*", 1.0, reason="test pattern"),
        RuleSpec(2, "religion", "", "phrase", "hello there", 0.5),
    ], version="test")
    hits = matcher.match("He said: Hello   there, AZZQB!")
    assert [(m.rule_id, m.matched_text) for m in hits] == [(2, "Hello   there"), (1, "AZZQB")]
    assert matcher.version == "test"


@pytest.mark.parametrize(
    "text",
    [
        "Disgusting graffiti saying go back to your own country appeared on our wall.",
        "The victim received messages calling her a tranny, which is unacceptable.",
        "The suspect's remarks calling the victim a paki were offensive.",
    ],
)
def test_a_hostile_artefact_or_offensive_remark_is_evidence_not_counter_speech(text: str) -> None:
    assert only_text(fired(text)), text


def test_features_of_matches_equals_features_of_text() -> None:
    text = "He called me a paki and a towelhead on social media."
    matches = MATCHER.match(text, online_platform="social_media")
    assert MATCHER.features_of(matches) == MATCHER.features(text, online_platform="social_media")
    # The same word for two sub-categories of one strand counts once.
    assert MATCHER.features("He called him a towelhead.")["religion"] == pytest.approx(1.0)
