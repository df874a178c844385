"""Screening records: score narratives with the approved model and the indicators, queue suggestions.

Other-crime records (the all-crime feed) whose probability of hate passes the threshold become
'unflagged_hate' suggestions, with 'strand' suggestions for their likeliest strands; any record
the model thinks online but that is not flagged online becomes 'missing_online'. Each suggestion
carries its explanation: the top contributing terms and the indicator spans that matched.
Suggestions are idempotent per (record, kind, strand, model version) in review's service.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from umbrella.audit.reads import decrypts
from umbrella.cases.models import Record, RecordKind, RecordStatus
from umbrella.screening.model import HATE, ONLINE
from umbrella.screening.scoring import (
    Screening,
    TextContext,
    indicator_matcher,
    match_spans,
    score_batch,
)
from umbrella.screening.selectors import ActiveModel, active_model

SOURCE_NAME = "umbrella-screening"
DEFAULT_THRESHOLDS = {"unflagged_hate": 0.5, "strand": 0.4, "missing_online": 0.6}
MAX_STRAND_SUGGESTIONS = 2
CHUNK = 500


def thresholds() -> dict[str, float]:
    return {**DEFAULT_THRESHOLDS, **getattr(settings, "SCREENING_THRESHOLDS", {})}


@dataclass
class ScreenCounts:
    records: int = 0
    unflagged_hate: int = 0
    strand: int = 0
    missing_online: int = 0

    def add(self, other: ScreenCounts) -> None:
        self.records += other.records
        self.unflagged_hate += other.unflagged_hate
        self.strand += other.strand
        self.missing_online += other.missing_online


def _suggest(**kwargs: Any) -> Any:
    from umbrella.review.services import suggestion_add

    return suggestion_add(**kwargs)


@decrypts
def _record_text(record: Record) -> str:
    from umbrella.cases.models import NARRATIVE_COLUMN
    from umbrella.crypto.fields import decrypt

    return decrypt(record.narrative, column=NARRATIVE_COLUMN).strip()


def _context(record: Record) -> TextContext:
    occurred = record.occurred_from or record.reported_at
    return TextContext(
        location_type=record.location_type.code if record.location_type else "",
        online_platform=record.online_platform.code if record.online_platform else "",
        occurred_on=occurred.date() if isinstance(occurred, datetime) else None,
    )


def _term_spans(text: str, terms: list[str], *, limit: int = 3) -> list[dict[str, Any]]:
    """Where the strongest model terms occur in the narrative (first occurrence of each)."""
    folded = text.lower()
    spans = []
    for term in terms[:limit]:
        start = folded.find(term.lower())
        if start >= 0:
            spans.append({"start": start, "end": start + len(term), "text": text[start:start + len(term)],
                          "reason": "Contributes to the model's score"})
    return spans


def _explanation(active: ActiveModel, text: str, screening: Screening, *, label: str, strand: str = "") -> dict[str, Any]:
    """{top_terms: [[term, weight]], indicators: matched spans, spans: what review highlights}."""
    matches = [m for m in screening.matches if not strand or m.strand == strand]
    terms = active.model.explain(text, screening.features, label=label)
    indicators = match_spans(matches)
    spans = [{"start": m["start"], "end": m["end"], "text": m["matched_text"], "reason": m["reason"]} for m in indicators]
    return {
        "label": label,
        "top_terms": [[t["term"], t["weight"]] for t in terms],
        "indicators": indicators,
        "spans": spans + _term_spans(text, [t["term"] for t in terms]),
        "model_version": active.version,
    }


def _suggestions_for(record: Record, text: str, screening: Screening, active: ActiveModel) -> ScreenCounts:
    limits = thresholds()
    counts = ScreenCounts(records=1)
    common = {"record": record, "source": "model", "source_name": SOURCE_NAME, "source_version": active.version}
    if record.kind == RecordKind.OTHER_CRIME and screening.hate >= limits["unflagged_hate"]:
        _suggest(kind="unflagged_hate", probability=round(screening.hate, 4),
                 explanation=_explanation(active, text, screening, label=HATE), **common)
        counts.unflagged_hate += 1
        carried = set(record.strands.values_list("strand__code", flat=True))
        ranked = sorted(((p, s) for s, p in screening.strands().items() if s not in carried), reverse=True)
        # Strands above the threshold (at most two); failing that, the likeliest one, so the
        # reviewer always sees which strand the model leans to.
        likely = [(p, s) for p, s in ranked if p >= limits["strand"]][:MAX_STRAND_SUGGESTIONS] or ranked[:1]
        for probability, strand_code in likely:
            _suggest(kind="strand", strand_code=strand_code, probability=round(probability, 4),
                     explanation=_explanation(active, text, screening, label=strand_code, strand=strand_code), **common)
            counts.strand += 1
    if ONLINE in screening.probabilities and screening.online >= limits["missing_online"] and not record.is_online:
        _suggest(kind="missing_online", probability=round(screening.online, 4),
                 explanation=_explanation(active, text, screening, label=ONLINE), **common)
        counts.missing_online += 1
    return counts


def screen_records(records: Sequence[Record], *, active: ActiveModel, matcher: Any | None) -> ScreenCounts:
    """Scores the records in one batch and queues the suggestions they call for."""
    total = ScreenCounts()
    pairs = [(record, _record_text(record)) for record in records if record.status != RecordStatus.DRAFT]
    pairs = [(record, text) for record, text in pairs if text]
    if not pairs:
        return total
    screenings = score_batch(
        [text for _, text in pairs], model=active.model, matcher=matcher,
        contexts=[_context(record) for record, _ in pairs],
    )
    for (record, text), screening in zip(pairs, screenings, strict=True):
        total.add(_suggestions_for(record, text, screening, active))
    return total


def _records() -> QuerySet[Record]:
    return Record.objects.select_related("location_type", "online_platform")


def screen_record_by_id(record_id: int) -> ScreenCounts:
    """The background task's body: nothing happens unless a model is approved."""
    active = active_model()
    if active is None:
        return ScreenCounts()
    record = _records().filter(pk=record_id).first()
    if record is None:
        return ScreenCounts()
    return screen_records([record], active=active, matcher=_matcher())


def screen_records_by_ids(record_ids: Sequence[int]) -> ScreenCounts:
    """The batch task's body: the records that still exist, screened together."""
    active = active_model()
    if active is None or not record_ids:
        return ScreenCounts()
    records = list(_records().filter(pk__in=list(record_ids)).order_by("pk"))
    return screen_records(records, active=active, matcher=_matcher()) if records else ScreenCounts()


def _matcher() -> Any | None:
    try:
        return indicator_matcher()
    except ImportError:
        return None


def feed_ids(*, organisation_slug: str = "", since: datetime | None = None) -> Iterator[int]:
    """Ids of the all-crime feed's records (kind other crime), oldest first, read in pages."""
    queryset = Record.objects.filter(kind=RecordKind.OTHER_CRIME).exclude(status=RecordStatus.DRAFT)
    if organisation_slug:
        queryset = queryset.filter(organisation__slug=organisation_slug)
    if since is not None:
        queryset = queryset.filter(updated_at__gte=since)
    last = 0
    while True:
        page = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not page:
            return
        yield from page
        last = page[-1]


def screen_feed(*, organisation_slug: str = "", since: datetime | None = None, chunk: int = CHUNK) -> ScreenCounts:
    """Screens every other-crime record (optionally one organisation's, changed since a date) in chunks."""
    active = active_model()
    total = ScreenCounts()
    if active is None:
        return total
    matcher = _matcher()
    batch: list[int] = []
    for record_id in feed_ids(organisation_slug=organisation_slug, since=since):
        batch.append(record_id)
        if len(batch) >= chunk:
            total.add(screen_records(list(_records().filter(pk__in=batch).order_by("pk")), active=active, matcher=matcher))
            batch = []
    if batch:
        total.add(screen_records(list(_records().filter(pk__in=batch).order_by("pk")), active=active, matcher=matcher))
    return total
