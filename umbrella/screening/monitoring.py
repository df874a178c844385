"""Live equality monitoring of screening: reviewers' decisions are the labels, and the error rates
are set out for each group of victims, so a model that flags one community's reports more often
for nothing is seen and its owner told.

Over every record a reviewer has decided: screening **suggested** when it left a suggestion on the
record; the reviewer **agreed** when they accepted one, and **found hate screening missed** when
they added a strand with no suggestion there. So: a true positive is suggested and agreed; a false
positive, suggested and not agreed; a false negative, not suggested but a strand added; a true
negative, neither. Rates carry Wilson 95% intervals; a group needs ``MIN_NEGATIVES`` records
without hate before its false-positive rate is compared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.core.worklist import WorkItem
    from umbrella.review.models import Decision

GROUPS = {
    "ethnicity": "The victim's ethnicity",
    "religion": "The victim's religion or belief",
    "sex": "The victim's sex",
    "disability": "The victim's disability",
}
MIN_NEGATIVES = 20
DISPARITY = 1.25


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float] | None:
    if not trials:
        return None
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class GroupRates:
    key: str
    label: str
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def decided(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def false_positive_rate(self) -> float | None:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else None

    @property
    def fpr_interval(self) -> tuple[float, float] | None:
        return wilson(self.fp, self.fp + self.tn)

    @property
    def enough(self) -> bool:
        return self.fp + self.tn >= MIN_NEGATIVES


@dataclass(frozen=True)
class Disparity:
    higher: GroupRates
    lower: GroupRates

    @property
    def ratio(self) -> float:
        low = self.lower.false_positive_rate or 0.0
        high = self.higher.false_positive_rate or 0.0
        return high / low if low else math.inf

    @property
    def ratio_text(self) -> str:
        return "" if math.isinf(self.ratio) else f" ({self.ratio:.2f} times)"


def _latest_decisions() -> dict[int, Decision]:
    """Each decided record's latest decision: what a reviewer last said of it."""
    from umbrella.review.models import Decision

    latest: dict[int, Decision] = {}
    for decision in Decision.objects.order_by("record_id", "-decided_at").only(
            "record_id", "suggestions_accepted", "strands_added", "strands_added_count"):
        latest.setdefault(decision.record_id, decision)
    return latest


def group_rates(group: str) -> list[GroupRates]:
    """Counts for each value of the victim's ``group`` field (the first victim on the record)."""
    from umbrella.cases.models import PersonRole, RecordPerson
    from umbrella.reference.selectors import current_codes
    from umbrella.review.models import Suggestion

    if group not in GROUPS:
        raise ValueError(f"Unknown group {group!r}: {', '.join(GROUPS)}")
    labels = {c.code: c.label for c in current_codes(scheme=group)}
    latest = _latest_decisions()
    suggested = set(Suggestion.objects.filter(record_id__in=list(latest)).values_list("record_id", flat=True))
    victims: dict[int, str] = {}
    for record_id, code in (RecordPerson.objects.filter(record_id__in=list(latest), role=PersonRole.VICTIM)
                            .order_by("record_id", "id").values_list("record_id", f"person__{group}__code")):
        victims.setdefault(record_id, code or "")
    counts: dict[str, list[int]] = {}
    for record_id, decision in latest.items():
        tally = counts.setdefault(victims.get(record_id, ""), [0, 0, 0, 0])
        if record_id in suggested:
            tally[0 if decision.suggestions_accepted else 1] += 1
        else:
            tally[2 if decision.strands_added_count > 0 else 3] += 1
    return sorted((GroupRates(key, labels.get(key, key) if key else "Not given", *tally) for key, tally in counts.items()),
                  key=lambda g: (-g.decided, g.label))


def disparities(rates: list[GroupRates]) -> list[Disparity]:
    """Pairs of groups, each with enough records without hate, whose false-positive rates differ
    by more than ``DISPARITY`` times: what the model's owner is told."""
    comparable = [g for g in rates if g.enough and g.key and g.false_positive_rate is not None]
    found = []
    for higher in comparable:
        for lower in comparable:
            if higher is lower:
                continue
            high, low = higher.false_positive_rate or 0.0, lower.false_positive_rate or 0.0
            if high > 0 and (low == 0 or high / low > DISPARITY):
                found.append(Disparity(higher, lower))
    return sorted(found, key=lambda d: -d.ratio)


def disparity_work_items(user: User) -> list[WorkItem]:
    """For the model's owners (those who approve models): a work item for each group whose
    false-positive rate exceeds another's beyond the limit, until the rates come back together."""
    from django.urls import reverse

    from umbrella.core.worklist import WorkItem
    from umbrella.screening.policy import can_approve_models

    if not can_approve_models(user):
        return []
    items: list[WorkItem] = []
    for group, title in GROUPS.items():
        for found in disparities(group_rates(group))[:3]:
            items.append(WorkItem(
                kind="Screening equality", due_at=None, url=f"{reverse('screening:monitoring')}?group={group}",
                title=(f"Screening flags {found.higher.label}'s reports for nothing more often than "
                       f"{found.lower.label}'s ({title.lower()})"),
            ))
    return items


def strand_rates() -> list[GroupRates]:
    """The same counts for each strand screening can suggest: a strand suggestion agreed with or
    not; a strand a reviewer added that was not suggested; neither, on a decided record."""
    from umbrella.reference.selectors import current_codes
    from umbrella.review.models import Suggestion, SuggestionKind

    labels = {c.code: c.label for c in current_codes(scheme="strand")}
    latest = _latest_decisions()
    suggested: dict[int, dict[str, int]] = {}
    for record_id, strand, pk in Suggestion.objects.filter(record_id__in=list(latest), kind=SuggestionKind.STRAND
                                                          ).values_list("record_id", "strand_code", "pk"):
        suggested.setdefault(record_id, {})[strand] = pk
    counts: dict[str, list[int]] = {code: [0, 0, 0, 0] for code in labels}
    for record_id, decision in latest.items():
        accepted = set(decision.suggestions_accepted or [])
        added = {str(item.get("strand")) for item in decision.strands_added or [] if isinstance(item, dict)}
        here = suggested.get(record_id, {})
        for code, tally in counts.items():
            if code in here:
                tally[0 if here[code] in accepted else 1] += 1
            else:
                tally[2 if code in added else 3] += 1
    return [GroupRates(code, labels[code], *tally) for code, tally in counts.items() if sum(tally[:3])]
