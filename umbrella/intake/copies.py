"""A report's copies (one per organisation it went to), as the person holding its reference and
check code may see them, and the consents they gave each copy that are still in force: read by
the progress page (``selectors``) and by the withdrawal (``services``) alike."""

from __future__ import annotations

from dataclasses import dataclass

from umbrella.consent.models import ConsentRecord
from umbrella.intake.models import Report

__all__ = ["CopyConsents", "report_consents", "report_copies"]


@dataclass(frozen=True)
class CopyConsents:
    """What the reporter agreed one organisation may do, still in force: the scopes they can withdraw."""

    copy: int  # the copy's place among the report's copies, in the order they were made
    organisation: str
    scopes: tuple[str, ...]


def report_copies(*, reference: str, code: str) -> list[Report]:
    """The copies of a report (one per organisation it went to) for the holder of its reference and
    check code, in the order they were made; none for any other pair."""
    from umbrella.intake.checking import check_digest

    return list(Report.objects.filter(check_digest=check_digest(reference, code))
                .select_related("organisation", "record").order_by("pk"))


def report_consents(*, copies: list[Report]) -> list[CopyConsents]:
    """For each copy, the consents the reporter gave that are in force now (their latest decision
    on the copy or on the record made of it says yes). The police's own copy does not offer the
    police scopes: the report already went to them."""
    from django.db.models import Q

    from umbrella.consent.models import ConsentDecision, ConsentScope

    if not copies:
        return []
    keys = {report.consent_key: n for n, report in enumerate(copies)}
    records = {report.record_id: n for n, report in enumerate(copies) if report.record_id is not None}
    latest: dict[tuple[int, str], str] = {}
    rows = (ConsentRecord.objects.filter(Q(report_reference__in=keys) | Q(record_id__in=records))
            .order_by("captured_at", "id").values_list("report_reference", "record_id", "scope", "decision"))
    for key, record_id, scope, decision in rows:
        n = keys.get(key, records.get(record_id))
        if n is not None:
            latest[(n, scope)] = decision
    police = {ConsentScope.POLICE_IDENTIFIED.value, ConsentScope.POLICE_ANONYMISED.value}
    return [
        CopyConsents(copy=n, organisation=report.organisation.name, scopes=tuple(
            scope for scope in ConsentScope.values
            if latest.get((n, scope)) == ConsentDecision.GIVEN and not (report.organisation.is_police and scope in police)))
        for n, report in enumerate(copies)
    ]
