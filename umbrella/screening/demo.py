"""Demo: train and approve a first screening model from the synthetic London, then screen the feed."""

from __future__ import annotations

import time
from datetime import datetime

from umbrella.screening.models import ScreeningModel
from umbrella.screening.records import screen_feed
from umbrella.screening.services import model_train
from umbrella.screening.training import TrainingDataError, examples_from_records

DEMO_NOTE = "Demo model: trained on a sample of the synthetic London records."
SAMPLE = 5000


def load_demo(*, seed: int, now: datetime) -> str:
    """Idempotent: a second run finds the demo model and trains nothing."""
    existing = ScreeningModel.objects.filter(notes=DEMO_NOTE).defer("artefact").first()
    if existing is not None:
        return f"screening: demo model {existing.version} already registered ({existing.status})"
    started = time.perf_counter()
    try:
        data = examples_from_records(sample=SAMPLE, seed=seed)
    except TrainingDataError:
        return "screening: no records to train on; no model"
    registered = model_train(actor=None, data=data, approve=True, notes=DEMO_NOTE, seed=seed)
    counts = screen_feed()
    decided = _decide_older_suggestions()
    hate = registered.evaluation.get("labels", {}).get("hate", {})
    return (
        f"screening: model {registered.version} trained on {data.summary['rows']} records and approved "
        f"(held-out hate F1 {hate.get('f1')}); screened {counts.records} other-crime records, "
        f"{counts.unflagged_hate + counts.strand + counts.missing_online} suggestions, {decided} records decided by "
        f"the hub "
        f"({time.perf_counter() - started:.1f} s)"
    )


# The newest suggestions wait in the queue; the rest a hub reviewer has decided, so the equality
# monitoring page has reviewers' decisions to set against what screening suggested.
LEFT_OPEN = 0.15


def _decide_older_suggestions() -> int:
    """A hub reviewer of each force decides its older screening suggestions through the review
    services, as on the page: where the model suggested unflagged hate, the reviewer agrees, makes the
    record a hate crime and adds the likeliest suggested strand, perceived by the police."""
    from umbrella.accounts.models import Role, User
    from umbrella.cases.inputs import StrandInput
    from umbrella.reference.models import Code, Scheme
    from umbrella.review.models import (
        ItemStatus,
        ReviewItem,
        ReviewReason,
        Suggestion,
        SuggestionKind,
    )
    from umbrella.review.services import DecisionInput, item_claim, item_decide

    items = list(ReviewItem.objects.filter(reason=ReviewReason.SUGGESTION, status=ItemStatus.OPEN)
                 .select_related("record").order_by("entered_at", "pk"))
    officer = Code.objects.filter(scheme=Scheme.PERCEIVER, code="officer").first()
    if officer is None:
        return 0  # no reference data loaded
    decided = 0
    for item in items[: len(items) - round(len(items) * LEFT_OPEN)]:
        reviewer = User.objects.filter(role=Role.HUB_REVIEWER, organisation_id=item.organisation_id,
                                       is_active=True).order_by("pk").first()
        suggestions = list(Suggestion.objects.filter(record_id=item.record_id, item=item))
        hate = [s for s in suggestions if s.kind == SuggestionKind.UNFLAGGED_HATE]
        strands = sorted((s for s in suggestions if s.kind == SuggestionKind.STRAND), key=lambda s: -s.probability)
        if reviewer is None or not hate or not strands:
            continue
        strand = Code.objects.filter(scheme=Scheme.STRAND, code=strands[0].strand_code).first()
        if strand is None:
            continue
        item_claim(actor=reviewer, item=item)
        record = item.record
        record.refresh_from_db()
        item_decide(actor=reviewer, item=item, data=DecisionInput(
            row_version=record.row_version, kind="hate_crime", is_online=record.is_online,
            add_strands=(StrandInput(strand=strand, perceiver=officer),),
            accepted_suggestion_ids=(hate[0].pk, strands[0].pk),
            note="Screening was right: the narrative describes hostility; recorded as a hate crime.",
        ))
        decided += 1
    return decided
