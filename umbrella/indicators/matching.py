"""The bias indicator match engine: rules compiled into a few regular expressions, plus explicit
heuristics that stop an indicator firing where the words are not hostility.

Interface (docs: /work/notes/contracts.md §3)::

    matcher = active_matcher()                     # cached by active rule set version
    matcher.match(text, location_type="", online_platform="", occurred_on=None) -> list[IndicatorMatch]
    matcher.explain(text, ...) -> MatchResult      # matches and suppressed matches with reasons
    matcher.features(text, ...) -> dict[str, float]
    matcher.features_of(matches) -> dict[str, float]  # the same, from match() output (one pass)
    matcher.version -> str                         # "v3"; "builtin" before any rule set is seeded

How text is matched
-------------------
The text is normalised (NFKC, case folded, zero-width characters dropped, leetspeak digits and
symbols folded: 0→o 1→i 3→e 4→a 5→s 7→t @→a $→s); an index map keeps every span pointing into the
ORIGINAL text, so ``text[m.start:m.end] == m.matched_text`` always. Terms and phrases become one
alternation built as a prefix trie (fast in Python's backtracking engine) with word boundaries
and an optional plural s/es. Each pattern is gated by a prefilter (substrings one of which any
match must contain, worked out from the parsed regex), so most patterns never run on a text.

Identity words ("Muslim", "gay", "mosque") are never indicators: only slurs, hostile phrases,
hostile patterns and descriptions of hostility are, so neutral mentions cannot fire.

When a match does not fire (each is reported as a ``SuppressedMatch`` with its reason)
------------------------------------------------------------------------------------
Everything below looks only at the sentence holding the match.

* Offender attribution: the sentence reports an utterance — a verb of saying or writing (said,
  shouted, called, wrote, posted, sprayed, ...) with an agent (he, she, they, suspect, man, group,
  ...), a passive (was called), an object pronoun just after it (called me, shouted at us) or a
  hostile artefact (graffiti saying, a note reading, messages calling her). "We call ourselves"
  is self-description, not attribution.
  A quote attributed to an offender is EVIDENCE: it fires even beside words of condemnation
  ("he called me a <slur> and that is disgusting") or in-group words ("they called us <slur>").
* Counter-speech: a cue of condemnation or rejection (condemn, stand against, oppose,
  unacceptable, no place for, never okay, ...) and no offender attribution.
* Reclaimed in-group use (terms only, not phrases or patterns): a first-person self-identification
  cue (as a, I'm a, we're, ourselves, our own, proud) and no offender attribution.
* Negation: a negation cue (not, never, no, nobody, didn't, ...) among the five words before the
  match, within the same clause (clauses end at , ; : and "but").
"""

from __future__ import annotations

import importlib
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from umbrella.indicators.starter import ONLINE, STARTER_RULES, target_group

if TYPE_CHECKING:
    from umbrella.indicators.models import RuleSet

Kind = Literal["term", "phrase", "pattern", "context"]
# The regex parser of the standard library (private, untyped): used only to derive prefilters.
sre_parser: Any = importlib.import_module("re._parser")
sre_constants: Any = importlib.import_module("re._constants")

# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorMatch:
    strand: str
    sub_category: str
    rule_id: int | str
    kind: Kind
    start: int
    end: int
    matched_text: str
    reason: str
    weight: float
    is_slur: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "strand": self.strand, "sub_category": self.sub_category, "rule_id": self.rule_id,
            "kind": self.kind, "start": self.start, "end": self.end, "matched_text": self.matched_text,
            "reason": self.reason, "weight": self.weight,
        }


@dataclass(frozen=True)
class SuppressedMatch:
    match: IndicatorMatch
    why: str  # "counter-speech", "reclaimed in-group use", "negated"
    explanation: str


@dataclass(frozen=True)
class MatchResult:
    matches: list[IndicatorMatch]
    suppressed: list[SuppressedMatch]


@dataclass(frozen=True)
class RuleSpec:
    """A rule as the engine needs it, whether from the database or the built-in starter data."""

    rule_id: int | str
    strand: str
    sub_category: str
    kind: str
    value: str
    weight: float
    is_slur: bool = False
    reason: str = ""


# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------

LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_SOURCES = frozenset("013457@$")
_DROPPED = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_PUNCT = {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
          "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-"}


def normalise(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, when its length differs from the original's, a map from each
    folded character to the index of the original character it came from (None: identity)."""
    if text.isascii():
        return text.lower().translate(LEET), None
    out: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        if char in _DROPPED:
            continue
        if ord(char) < 128:
            folded = char.lower()
        else:
            folded = _PUNCT.get(char) or unicodedata.normalize("NFKC", char).casefold()
        for piece in folded:
            out.append(piece)
            index.append(position)
    if len(out) == len(text) and all(i == p for p, i in enumerate(index)):
        return "".join(out).translate(LEET), None
    index.append(len(text))
    return "".join(out).translate(LEET), index


def normalise_value(value: str) -> str:
    return " ".join(normalise(value)[0].split())


def _original_span(index: list[int] | None, start: int, end: int) -> tuple[int, int]:
    if index is None:
        return start, end
    if end <= start:
        return index[start], index[start]
    return index[start], index[end - 1] + 1


# ---------------------------------------------------------------------------------------------
# Compiling
# ---------------------------------------------------------------------------------------------


def _trie_pattern(keys: Iterable[str], *, flexible_spaces: bool = True) -> str:
    """A regex alternation of ``keys`` that shares prefixes, so each position tries few branches."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        ends_here = "" in node
        branches = [(r"\s+" if char == " " and flexible_spaces else re.escape(char)) + emit(child)
                    for char, child in sorted(node.items()) if char != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            if len(branches) == 1 and len(body) > 1:
                body = "(?:" + body + ")"
            body += "?"
        return body

    return emit(trie)


SENTENCE_ENDS = re.compile(r"[.!?\n]")
CLAUSE_CUT = re.compile(r"[,;:]|\bbut\b")
_WORD = re.compile(r"[\w'-]+")
_TOKEN = re.compile(r"\w+")
# Words too common in narratives to gate on; a key's gate word is its longest word not in here.
_COMMON_WORDS = frozenset(
    "a all and are at back be by country dirty dress for go head here home in is it like look man men mosque not of "
    "old on our own people place should street the their them they this to want welcome what woman women you your"
    .split()
)
NEGATIONS = frozenset({
    "not", "never", "no", "nobody", "nothing", "none", "neither", "nor", "without", "cannot",
    "didn't", "don't", "doesn't", "wasn't", "weren't", "isn't", "aren't", "hasn't", "haven't",
    "hadn't", "won't", "wouldn't", "couldn't", "shouldn't", "can't", "didnt", "dont", "wasnt",
})
_UTTER = (r"(?:said|say|says|saying|shout(?:s|ed|ing)?|call(?:s|ed|ing)?|yell(?:s|ed|ing)?|scream(?:s|ed|ing)?|"
          r"told|tell(?:s|ing)?|wrote|written|writ(?:es|ing)|post(?:s|ed|ing)|sent|messag(?:es|ed|ing)|"
          r"comment(?:s|ed|ing)?|repl(?:y|ied|ies|ying)|chant(?:s|ed|ing)?|mutter(?:s|ed|ing)?|spat|"
          r"spray(?:s|ed|ing)?|paint(?:s|ed|ing)?|scrawl(?:s|ed|ing)?|daub(?:s|ed|ing)?|graffitied|"
          r"label(?:s|led|ling)|brand(?:s|ed|ing)|mock(?:s|ed|ing)|taunt(?:s|ed|ing)?|hurl(?:s|ed|ing)|"
          r"abus(?:es|ed|ing)|referred\s+to|tweet(?:s|ed|ing)?|dm'?d|texted)")
_AGENT = (r"(?:he|she|they|suspects?|offenders?|perpetrators?|attackers?|m[ae]n|wom[ae]n|males?|females?|"
          r"boys?|girls?|lads?|youths?|teenagers?|driver|neighbou?rs?|group|gang|customers?|passengers?|"
          r"users?|account|strangers?|colleagues?|manager|landlord|pupils?|fans?|crowd|someone|somebody)")
_NOT_REFLEXIVE = r"(?!\s+(?:ourselves|myself|themselves|yourselves|himself|herself))"  # "we call ourselves" is self-description
ATTRIBUTION = re.compile(
    rf"\b{_AGENT}\b(?:\s+[\w'-]+){{0,4}}?\s+{_UTTER}\b{_NOT_REFLEXIVE}"   # he (then) shouted, the man on the bus called
    rf"|\b(?:was|were|been|being|got|get)\s+{_UTTER}\b"   # I was called
    rf"|\b{_UTTER}(?:\s+[\w'-]+){{0,3}}?\s+(?:at\s+)?(?:me|us|him|her|them)\b"  # called me, shouted X at us
    r"|\b(?:written|sprayed|painted|scrawled|daubed|graffitied)\b"
    # A concrete hostile artefact: "graffiti saying ...", "a note reading ...", "messages calling her ...".
    r"|\b(?:graffiti|notes?|letters?|leaflets?|stickers?|posters?|signs?|messages?|texts?|emails?|tweets?|posts?|"
    r"comments?|voicemails?|chants?)\s+(?:saying|said|reading|read|calling|called|telling|told|containing|"
    r"which\s+said|that\s+said)\b"
)
COUNTER_SPEECH = re.compile(
    r"\b(?:condemn\w*|stand(?:s|ing)?\s+(?:up\s+)?(?:against|together)|stood\s+against|oppos(?:e|es|ed|ing)|"
    r"unacceptable|not\s+acceptable|no\s+place\s+for|(?:never|not)\s+(?:ok|okay|acceptable|alright|right)|"
    r"disgusting|appalling|shameful|reject(?:s|ed|ing)?|speak(?:s|ing)?\s+out|spoke\s+out|tackl(?:e|es|ed|ing)|"
    r"challeng(?:e|es|ed|ing)|stop\s+using|(?:don't|do\s+not|never|shouldn't|should\s+not)\s+(?:use|say|call)|"
    r"zero\s+tolerance|against\s+(?:racism|hate|homophobia|transphobia|antisemitism|islamophobia|bigotry|"
    r"discrimination|misogyny|ableism|prejudice)|awareness|campaign\w*|workshops?|educat\w+)\b"
)
RECLAIMED = re.compile(
    r"\b(?:as\s+an?|i\s+am\s+an?|i'm\s+an?|we\s+are|we're|ourselves|myself|our\s+own|proud(?:ly)?|"
    r"self-identif\w+|reclaim\w*)\b"
)
RECLAIMABLE_KINDS = frozenset({"term"})
_DATE_WINDOW = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def reason_for(spec: RuleSpec) -> str:
    if spec.reason:
        return spec.reason
    group = target_group(spec.strand, spec.sub_category)
    if spec.kind == "term":
        return f"slur targeting {group}" if spec.is_slur else f"hostile term targeting {group}"
    if spec.kind == "phrase":
        if spec.is_slur:
            return f"hostile phrase containing a slur targeting {group}"
        return f"hostile phrase ‘{spec.value}’ targeting {group}"
    if spec.kind == "pattern":
        return f"hostile pattern targeting {group}"
    return f"context linked to hostility towards {group}"


def parse_context(value: str) -> tuple[str, str | tuple[date, date]]:
    """("location_type", code) | ("online_platform", code) | ("date", (first, last)). ValueError if malformed."""
    kind, _, rest = value.partition(":")
    rest = rest.strip()
    if kind in ("location_type", "online_platform") and re.fullmatch(r"[a-z0-9_]+", rest):
        return kind, rest
    if kind == "date":
        raise ValueError(DATE_NEVER_RAISES)
    raise ValueError("Context must be location_type:<code> or online_platform:<code>")


# A date window around a trigger event once raised a strand's score for every report in it: a
# report of hate the week after an attack is no more likely to be about that strand because of the
# date, and it made the score of one community's reports depend on the news. Events now go in the
# register of trigger events (umbrella.tension), which informs people through alerts instead.
DATE_NEVER_RAISES = (
    "A date never raises a strand's score: record the event in the register of trigger events, "
    "which informs people through alerts instead"
)


def is_date_window(value: str) -> bool:
    return value.strip().startswith("date:")


# Patterns are gated by a cheap prefilter: a set of substrings at least one of which every match
# must contain (worked out from the parsed regex). Only patterns whose prefilter passes are run.
_MAX_FACTORS = 24


def required_factor_groups(value: str) -> tuple[frozenset[str], ...]:
    """Up to two groups of strings: any match of ``value`` contains a string of EACH group.
    Empty when nothing can be worked out (the pattern then always runs)."""
    try:
        tree = sre_parser.parse(value)
    except re.error:
        return ()
    groups: list[set[str]] = []
    _factors_of_sequence(list(tree), groups)
    possible = [{f for f in group if not set(f) & _LEET_SOURCES} for group in groups]
    # Folded text never holds a leetspeak character, so variants with one can never be found.
    usable = [group for group in possible if group]
    usable.sort(key=_factor_score, reverse=True)
    return tuple(frozenset(group) for group in usable[:2])


def _factor_score(candidate: set[str]) -> tuple[int, int]:
    return min(len(x) for x in candidate), -len(candidate)


def _factors_of_sequence(items: list[tuple[Any, Any]], top: list[set[str]] | None = None) -> set[str] | None:
    c = sre_constants
    candidates: list[set[str]] = [] if top is None else top
    run: set[str] = {""}

    def close() -> None:
        nonlocal run
        if run and min(len(x) for x in run) > 0:
            candidates.append(run)
        run = {""}

    def extend(chars: set[str]) -> None:
        nonlocal run
        if len(run) * len(chars) > _MAX_FACTORS:
            close()
        run = {r + ch for r in run for ch in chars}

    for op, arg in items:
        chars = _single_chars(op, arg)
        if chars is not None:
            extend(chars)
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            repeat: tuple[Any, Any, Any] = arg  # type: ignore[assignment]
            low = int(repeat[0])
            sub_items = list(repeat[2])
            inner = _single_chars(*sub_items[0]) if len(sub_items) == 1 else None
            if low >= 1 and inner is not None:
                extend(inner)
                close()
                run = set(inner)  # the repetition's last character precedes what follows
                continue
            close()
            if low >= 1:
                sub_found = _factors_of_sequence(sub_items)
                if sub_found:
                    candidates.append(sub_found)
            continue
        if op is c.AT:
            continue
        close()
        if op is c.SUBPATTERN:
            sub_found = _factors_of_sequence(list(arg[-1]))  # type: ignore[index]
            if sub_found:
                candidates.append(sub_found)
        elif op is c.BRANCH:
            alternatives = [_factors_of_sequence(list(branch)) for branch in arg[1]]  # type: ignore[index]
            if alternatives and all(alternatives):
                candidates.append(set().union(*alternatives))  # type: ignore[arg-type]
    close()
    return max(candidates, key=_factor_score) if candidates else None


def _single_chars(op: object, arg: object) -> set[str] | None:
    c = sre_constants
    if op is c.LITERAL:
        return {chr(arg)}  # type: ignore[arg-type]
    if op is c.IN:
        chars = set()
        for inner_op, inner_arg in arg:  # type: ignore[attr-defined]
            if inner_op is not c.LITERAL:
                return None
            chars.add(chr(inner_arg))
        return chars if 0 < len(chars) <= 4 else None
    return None


@dataclass
class _Compiled:
    literal: re.Pattern[str] | None
    literal_rules: dict[str, list[RuleSpec]]
    # (prefilter groups, regex, rule): the regex runs only if the text holds a string of each group.
    patterns: list[tuple[tuple[frozenset[str], ...], re.Pattern[str], RuleSpec]]
    factors: tuple[str, ...]  # the strings of every pattern's first (most selective) group
    factor_hits: dict[str, tuple[int, ...]]  # string -> patterns whose first group it satisfies
    ungated: tuple[int, ...]
    locations: dict[str, list[RuleSpec]]
    platforms: dict[str, list[RuleSpec]]
    windows: list[tuple[date, date, RuleSpec]]
    reasons: dict[int | str, str] = field(default_factory=dict)


class Matcher:
    """Compiled rules. Thread-safe and free of database access once built."""

    def __init__(self, specs: Sequence[RuleSpec], *, version: str) -> None:
        self.version = version
        self.rule_count = len(specs)
        self.strands: tuple[str, ...] = tuple(sorted({s.strand for s in specs if s.strand != ONLINE}))
        literal_rules: dict[str, list[RuleSpec]] = {}
        patterns: list[tuple[tuple[frozenset[str], ...], re.Pattern[str], RuleSpec]] = []
        locations: dict[str, list[RuleSpec]] = {}
        platforms: dict[str, list[RuleSpec]] = {}
        windows: list[tuple[date, date, RuleSpec]] = []
        reasons: dict[int | str, str] = {}
        for spec in specs:
            reasons[spec.rule_id] = reason_for(spec)
            if spec.kind in ("term", "phrase"):
                key = normalise_value(spec.value)
                if key:
                    literal_rules.setdefault(key, []).append(spec)
            elif spec.kind == "pattern":
                patterns.append((required_factor_groups(spec.value), re.compile(spec.value), spec))
            elif spec.kind == "context":
                if is_date_window(spec.value):
                    continue  # a rule set published before date windows were retired: never applied
                kind, target = parse_context(spec.value)
                if kind == "location_type":
                    locations.setdefault(str(target), []).append(spec)
                elif kind == "online_platform":
                    platforms.setdefault(str(target), []).append(spec)
                else:
                    assert isinstance(target, tuple)
                    windows.append((target[0], target[1], spec))
        # Literal keys are tried only when the text has, as a whole \w+ token, the longest word of
        # some key (a key's last word also with the plural endings the matcher allows).
        gate: set[str] | None = set()
        for key in literal_rules:
            words = _TOKEN.findall(key)
            if not words or gate is None:
                gate = None
                continue
            longest = max(range(len(words)), key=lambda i: (words[i] not in _COMMON_WORDS, len(words[i])))
            word = words[longest]
            gate.add(word)
            if longest == len(words) - 1 and key.endswith(word):
                gate.update((word + "s", word + "es"))
        self._literal_gate: frozenset[str] | None = frozenset(gate) if gate else None
        literal = None
        if literal_rules:
            # Longest keys first within the trie is implicit (greedy optional groups); plural s/es allowed.
            literal = re.compile(r"(?<![\w])(" + _trie_pattern(literal_rules) + r")(?:e?s)?(?![\w])")
        hits: dict[str, list[int]] = {}
        for position, (groups, _pattern, _spec) in enumerate(patterns):
            for factor in groups[0] if groups else ():
                hits.setdefault(factor, []).append(position)
        ungated = tuple(position for position, (groups, _p, _s) in enumerate(patterns) if not groups)
        self._c = _Compiled(
            literal, literal_rules, patterns, tuple(sorted(hits)),
            {factor: tuple(pairs) for factor, pairs in hits.items()}, ungated,
            locations, platforms, windows, reasons,
        )

    # -- public ------------------------------------------------------------------------------

    def match(self, text: str, *, location_type: str = "", online_platform: str = "",
              occurred_on: date | None = None) -> list[IndicatorMatch]:
        return self.explain(text, location_type=location_type, online_platform=online_platform,
                            occurred_on=occurred_on).matches

    def explain(self, text: str, *, location_type: str = "", online_platform: str = "",
                occurred_on: date | None = None) -> MatchResult:
        matches: list[IndicatorMatch] = []
        suppressed: list[SuppressedMatch] = []
        if text:
            self._match_text(text, matches, suppressed)
        matches.extend(self._match_context(location_type, online_platform, occurred_on))
        return MatchResult(matches, suppressed)

    def features(self, text: str, *, location_type: str = "", online_platform: str = "",
                 occurred_on: date | None = None) -> dict[str, float]:
        """Per-strand sums of the weights of indicators that fired (context included), plus
        ``any`` (text indicators of every strand) and ``online_context``. Keys are fixed per matcher."""
        return self.features_of(self.match(text, location_type=location_type, online_platform=online_platform,
                                           occurred_on=occurred_on))

    def features_of(self, matches: Iterable[IndicatorMatch]) -> dict[str, float]:
        """``features()`` from matches already found (saves a second pass when both are needed)."""
        scores = dict.fromkeys(self.feature_names(), 0.0)
        # The same words matched for two sub-categories of a strand count once, at the larger weight.
        spans: dict[tuple[str, int, int], float] = {}
        for found in matches:
            if found.strand == ONLINE:
                scores["online_context"] += found.weight
            elif found.kind == "context":
                scores[found.strand] = scores.get(found.strand, 0.0) + found.weight
            else:
                key = (found.strand, found.start, found.end)
                spans[key] = max(spans.get(key, 0.0), found.weight)
        for (strand, _start, _end), weight in spans.items():
            scores[strand] = scores.get(strand, 0.0) + weight
            scores["any"] += weight
        return scores

    def feature_names(self) -> list[str]:
        return [*self.strands, "any", "online_context"]

    # -- internals -------------------------------------------------------------------------------

    def _candidates(self, folded: str) -> list[tuple[int, int, RuleSpec]]:
        found: list[tuple[int, int, RuleSpec]] = []
        c = self._c
        if c.literal is not None and (
            self._literal_gate is None or not self._literal_gate.isdisjoint(_TOKEN.findall(folded))
        ):
            for m in c.literal.finditer(folded):
                key = m.group(1)
                specs = c.literal_rules.get(key) or c.literal_rules.get(" ".join(key.split()), [])
                for spec in specs:
                    found.append((m.start(), m.end(), spec))
        if c.patterns:
            runnable = list(c.ungated)
            candidates: set[int] = set()
            for factor in [factor for factor in c.factors if factor in folded]:
                candidates.update(c.factor_hits[factor])
            for position in sorted(candidates):
                if all(any(factor in folded for factor in group) for group in c.patterns[position][0][1:]):
                    runnable.append(position)
            for position in runnable:
                _groups, pattern, spec = c.patterns[position]
                for m in pattern.finditer(folded):
                    if m.end() > m.start():
                        found.append((m.start(), m.end(), spec))
        return found

    def _match_text(self, text: str, matches: list[IndicatorMatch], suppressed: list[SuppressedMatch]) -> None:
        folded, index = normalise(text)
        candidates = self._candidates(folded)
        if not candidates:
            return
        best: dict[tuple[str, str, int, int], tuple[int, int, RuleSpec]] = {}
        for start, end, spec in candidates:
            slot = (spec.strand, spec.sub_category, start, end)
            if slot not in best or spec.weight > best[slot][2].weight:
                best[slot] = (start, end, spec)
        sentences: dict[int, tuple[re.Match[str] | None, re.Match[str] | None, bool]] = {}
        for start, end, spec in sorted(best.values(), key=lambda item: (item[0], item[1], item[2].strand)):
            o_start, o_end = _original_span(index, start, end)
            result = IndicatorMatch(
                strand=spec.strand, sub_category=spec.sub_category, rule_id=spec.rule_id,
                kind=spec.kind,  # type: ignore[arg-type]
                start=o_start, end=o_end, matched_text=text[o_start:o_end],
                reason=self._c.reasons[spec.rule_id], weight=spec.weight, is_slur=spec.is_slur,
            )
            why = self._suppression(folded, start, end, spec, sentences)
            if why is None:
                matches.append(result)
            else:
                suppressed.append(SuppressedMatch(result, why[0], why[1]))

    def _suppression(self, folded: str, start: int, end: int, spec: RuleSpec,
                     sentences: dict[int, tuple[re.Match[str] | None, re.Match[str] | None, bool]],
                     ) -> tuple[str, str] | None:
        s_start = 0
        for m in SENTENCE_ENDS.finditer(folded, 0, start):
            s_start = m.end()
        after = SENTENCE_ENDS.search(folded, end)
        s_end = after.start() if after else len(folded)
        if s_start not in sentences:
            # The sentence with the match blanked out, so words inside the match are not cues.
            sentence = folded[s_start:start] + " " * (end - start) + folded[end:s_end]
            counter = COUNTER_SPEECH.search(sentence)
            reclaimed = RECLAIMED.search(sentence)
            # Attribution (the slowest test) only matters where a counter-speech or in-group cue is present.
            attributed = (counter or reclaimed) is not None and ATTRIBUTION.search(sentence) is not None
            sentences[s_start] = (counter, reclaimed, attributed)
        counter, reclaimed, attributed = sentences[s_start]
        if not attributed:
            if counter:
                return "counter-speech", (
                    f"the sentence condemns or rejects hostility (‘{counter.group(0)}’) and attributes "
                    "no hostile words to anyone"
                )
            if reclaimed and spec.kind in RECLAIMABLE_KINDS:
                return "reclaimed in-group use", (
                    f"the writer identifies with the group (‘{reclaimed.group(0)}’) and attributes the word to no one else"
                )
        clause = folded[s_start:start]
        cuts = list(CLAUSE_CUT.finditer(clause))
        if cuts:
            clause = clause[cuts[-1].end():]
        words = _WORD.findall(clause)[-5:]
        for word in words:
            if word in NEGATIONS or word.endswith("n't"):
                return "negated", f"negated by ‘{word}’ just before it"
        return None

    def _match_context(self, location_type: str, online_platform: str,
                       occurred_on: date | None) -> list[IndicatorMatch]:
        c = self._c
        specs: list[RuleSpec] = []
        if location_type:
            specs.extend(c.locations.get(location_type, ()))
        if online_platform:
            specs.extend(c.platforms.get(online_platform, ()))
        if occurred_on is not None and c.windows:
            day = occurred_on.date() if isinstance(occurred_on, datetime) else occurred_on
            specs.extend(spec for first, last, spec in c.windows if first <= day <= last)
        return [
            IndicatorMatch(strand=spec.strand, sub_category=spec.sub_category, rule_id=spec.rule_id, kind="context",
                           start=0, end=0, matched_text="", reason=c.reasons[spec.rule_id], weight=spec.weight)
            for spec in specs
        ]


# ---------------------------------------------------------------------------------------------
# Building matchers and the cached active one
# ---------------------------------------------------------------------------------------------

BUILTIN_VERSION = "builtin"


def version_label(number: int) -> str:
    return f"v{number}"


def builtin_specs() -> list[RuleSpec]:
    return [
        RuleSpec(f"starter:{i}", r.strand, r.sub_category, r.kind, r.value, r.weight, r.is_slur, r.reason)
        for i, r in enumerate(STARTER_RULES, start=1)
    ]


def builtin_matcher() -> Matcher:
    """The starter rules straight from the data file (no database): used before any rule set exists."""
    return Matcher(builtin_specs(), version=BUILTIN_VERSION)


def compile_rules(ruleset: RuleSet) -> Matcher:
    rules = ruleset.rules.filter(retired=False).order_by("pk")
    specs = [
        RuleSpec(r.pk, r.strand, r.sub_category, r.kind, r.value, r.weight, r.is_slur, r.reason) for r in rules
    ]
    return Matcher(specs, version=version_label(ruleset.number))


RECHECK_SECONDS = 30.0
_lock = threading.Lock()
_active: dict[str, object] = {"matcher": None, "number": None, "checked": 0.0}
_compiled: dict[int, Matcher] = {}


def active_matcher() -> Matcher:
    """The matcher of the active rule set, compiled once per version. Another process's
    activation is noticed within RECHECK_SECONDS; this process's at once (see invalidate)."""
    from umbrella.indicators.models import RuleSet, RuleSetStatus

    with _lock:
        matcher = _active["matcher"]
        if isinstance(matcher, Matcher) and time.monotonic() - float(_active["checked"]) < RECHECK_SECONDS:  # type: ignore[arg-type]
            return matcher
        number = RuleSet.objects.filter(status=RuleSetStatus.ACTIVE).values_list("number", flat=True).first()
        if number is None:
            chosen = matcher if isinstance(matcher, Matcher) and matcher.version == BUILTIN_VERSION else builtin_matcher()
        elif number in _compiled:
            chosen = _compiled[number]
        else:
            chosen = compile_rules(RuleSet.objects.get(number=number))
            _compiled.clear()
            _compiled[number] = chosen
        _active.update(matcher=chosen, number=number, checked=time.monotonic())
        return chosen


def invalidate_active_matcher() -> None:
    with _lock:
        _active.update(matcher=None, number=None, checked=0.0)
        _compiled.clear()
