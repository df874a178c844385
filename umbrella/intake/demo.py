"""Demo reports: public reports waiting in the force's and the centres' triage queues, some of
them centre reports the victim agreed to share with the police (already shared, so the force's
queue holds the referral); and a few the force closed as not hate reports, three of them more than
a year ago, which the daily ``umbrella retention review`` empties under the schedule's line for
reports closed without a record."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction

from umbrella.accounts.models import User
from umbrella.demo.london import BOROUGHS
from umbrella.intake.answers import ReportAnswers
from umbrella.intake.models import Report
from umbrella.intake.services import report_accept, report_close, report_submit

DEMO_MARK = "demo-intake"
CENTRES = ("northbridge", "crescent", "prism")
STRANDS = ("race", "religion", "sexual_orientation", "disability", "transgender")
# Where the reporters say it happened (the Met's boroughs; the City has its own force).
PLACES = tuple(borough.gss for borough in BOROUGHS if borough.gss != "E09000001")
STORIES = (
    "A man shouted abuse at me about my religion on the bus and told me to go back where I came from.",
    "Someone wrote hateful graffiti on our front door overnight.",
    "A group of teenagers followed us from the station calling us names because we were holding hands.",
    "My neighbour keeps mocking my wheelchair and blocked the ramp with his bins again.",
    "I received threatening messages on social media after posting about my community's festival.",
    "A customer refused to be served by me and used racist language in the shop.",
)
# Reports the force closed as not hate reports: how long ago, in days, and why.
CLOSED = ((400, "A dispute between neighbours over parking; no hostility described"),
          (430, "A noise complaint with no hostility described"),
          (500, "Duplicate of a report already recorded by phone"),
          (60, "A civil dispute with a landlord; no hostility described"))


def load_demo(*, seed: int, now: datetime) -> str:
    if Report.objects.filter(client_address_hash=DEMO_MARK).exists():
        return f"intake: {Report.objects.filter(client_address_hash=DEMO_MARK).count()} demo reports already there"
    rng = random.Random(seed)
    made = shared = 0
    with transaction.atomic():
        for index in range(40):
            destination = rng.choice(("police", "police", "centre", "both"))
            centre = rng.choice(CENTRES)
            anonymous = rng.random() < 0.3
            share = destination == "centre" and rng.random() < 0.5
            answers = ReportAnswers(
                reporter_role=rng.choice(("victim", "victim", "witness", "on_behalf")),
                narrative=rng.choice(STORIES), strands=(rng.choice(STRANDS),), borough_code=rng.choice(PLACES),
                occurred_on=(now - timedelta(days=rng.randint(7, 30))).date(),
                destination=destination, centre_slug=centre, anonymous=anonymous,
                contact_name="" if anonymous else f"Demo Reporter {index + 1}",
                contact_phone="" if anonymous else f"07700 900{index:03d}",
                consents={"police_anonymised": share, "police_identified": False, "statistics_only": True},
            )
            reports = report_submit(answers=answers, evidence=[], channel="online", actor=None,
                                    client_address_hash=DEMO_MARK)
            submitted = now - timedelta(hours=rng.randint(1, 24 * 6))
            Report.objects.filter(pk__in=[r.pk for r in reports]).update(submitted_at=submitted)
            made += len(reports)
            if share:
                caseworker = User.objects.filter(username=f"caseworker.{centre}").first()
                if caseworker is not None:
                    centre_copy = next(r for r in reports if r.organisation.slug == centre)
                    report_accept(actor=caseworker, report=centre_copy, kind="nchi")
                    shared += 1
        closed = _closed_reports(rng, now)
    return (f"intake: {made} reports in triage queues, {shared} centre reports shared anonymised with the police, "
            f"{closed} closed by the force as not hate reports")


def _closed_reports(rng: random.Random, now: datetime) -> int:
    officer = User.objects.filter(username="officer").first()
    if officer is None:
        return 0
    for index, (days_ago, reason) in enumerate(CLOSED):
        answers = ReportAnswers(
            reporter_role="victim", narrative=rng.choice(STORIES), strands=(rng.choice(STRANDS),),
            borough_code=rng.choice(PLACES), occurred_on=(now - timedelta(days=days_ago + 3)).date(), destination="police",
            contact_name=f"Demo Closed Reporter {index + 1}", contact_phone=f"07700 901{index:03d}",
            consents={"police_identified": True, "statistics_only": True},
        )
        (report,) = report_submit(answers=answers, evidence=[], channel="online", actor=None, client_address_hash=DEMO_MARK)
        report_close(actor=officer, report=report, reason=reason)
        Report.objects.filter(pk=report.pk).update(submitted_at=now - timedelta(days=days_ago + 2),
                                                   decided_at=now - timedelta(days=days_ago))
    return len(CLOSED)
