"""Who gets into the intake pages: triage (/intake/), centre intake, case notes and consent.

Triage is for the roles that read their own organisation's records (TRIAGERS in
umbrella/intake/policy.py): other roles are refused (403) before anything is looked up; a report
or record of another organisation is missing (404).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.test import override_settings

from tests.matrix.expectations import (
    ACCEPTED,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Expect,
    both_records,
    every,
    only,
    web_record_write,
)
from tests.matrix.fixtures import MatrixWorld

TRIAGERS = ("officer", "hub_reviewer", "supervisor", "outsider", "caseworker", "other_caseworker")
NON_TRIAGERS = dict.fromkeys(("analyst", "scrutiny_member", "org_admin", "system_admin"), FORBIDDEN)
FORCE_TRIAGERS = ("officer", "hub_reviewer", "supervisor")
CENTRE_TRIAGERS = ("caseworker",)
CENTRE_RECORDERS = ("caseworker", "other_caseworker")
_EVIDENCE_ROOT = Path(tempfile.gettempdir()) / "umbrella-matrix-evidence"


def _report(which: str, *, with_evidence: bool = False) -> Any:
    def fill(m: MatrixWorld) -> dict[str, Any]:
        from umbrella.intake.answers import EvidenceFile, ReportAnswers
        from umbrella.intake.services import report_submit

        if with_evidence:
            # Evidence files go to a scratch folder, never the project's var/.
            override_settings(UMBRELLA_EVIDENCE_ROOT=_EVIDENCE_ROOT).enable()
        answers = ReportAnswers(
            narrative="Shouted at in the park", destination="centre" if which == "centre" else "police",
            centre_slug=m.world.centre.slug, anonymous=True,
        )
        evidence = [EvidenceFile("a.png", "image/png", b"\x89PNG\r\n\x1a\nxx")] if with_evidence else []
        (report,) = report_submit(answers=answers, evidence=evidence, channel="online", actor=None)
        kwargs: dict[str, Any] = {"report_id": report.pk}
        if with_evidence:
            kwargs["evidence_id"] = report.evidence.get().pk
        return kwargs

    return fill


def _readers(which: str) -> tuple[str, ...]:
    return CENTRE_TRIAGERS if which == "centre" else FORCE_TRIAGERS


def report_page(which: str, *, writes: bool, with_evidence: bool = False) -> Expect:
    return Expect(
        get=only(_readers(which), OK, others=NOT_FOUND, **NON_TRIAGERS),
        write=only(_readers(which), ACCEPTED, others=NOT_FOUND, **NON_TRIAGERS) if writes else None,
        kwargs=_report(which, with_evidence=with_evidence),
    )


def report_post_only(which: str) -> Expect:
    return Expect(
        get=every(NOT_ALLOWED),
        write=only(_readers(which), ACCEPTED, others=NOT_FOUND, **NON_TRIAGERS),
        kwargs=_report(which),
    )


def _both(make: Any, **options: Any) -> dict[str, Expect]:
    return {"centre report": make("centre", **options), "force report": make("force", **options)}


EXPECTATIONS: dict[str, dict[str, Expect]] = {
    "intake:triage": {"": Expect(get=only(TRIAGERS, OK, others=FORBIDDEN))},
    "intake:new": {"": Expect(
        get=only(CENTRE_RECORDERS, OK, others=FORBIDDEN),
        write=only(CENTRE_RECORDERS, ACCEPTED, others=FORBIDDEN),
    )},
    "intake:report-detail": _both(report_page, writes=False),
    "intake:report-claim": _both(report_post_only),
    "intake:report-release": _both(report_post_only),
    "intake:report-note": _both(report_post_only),
    "intake:report-accept": _both(report_page, writes=True),
    "intake:report-link": _both(report_page, writes=True),
    "intake:report-merge": _both(report_page, writes=True),
    "intake:report-close": _both(report_page, writes=True),
    "intake:report-evidence": {"force report": report_page("force", writes=False, with_evidence=True)},
    "intake:record-notes": both_records(web_record_write),
    "intake:record-consent": both_records(web_record_write),
    "intake:record-consent-withdraw": both_records(web_record_write),
}
