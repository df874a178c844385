"""``umbrella demo-data``: a small seed builds the whole synthetic London, the same way every time."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from tests.demo.conftest import RECORDS, SEED, run_demo_data
from tests.reads import decrypt
from umbrella.accounts.models import Role, User
from umbrella.agencies.models import Organisation, OrganisationKind, Team
from umbrella.audit.models import AuditEvent
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases import actions as record_actions
from umbrella.cases.models import (
    Person,
    Record,
    RecordPerson,
    RecordShare,
    RecordStrand,
    ShareScope,
)
from umbrella.consent.models import ConsentMethod, ConsentScope
from umbrella.consent.selectors import consent_in_force
from umbrella.demo.generator import anchor_for, plan_records
from umbrella.demo.loader import SOURCE_SYSTEM
from umbrella.demo.personas import DEMO_PASSWORD, PERSONAS
from umbrella.reference.models import Code
from umbrella.sharing import actions as share_actions

MONITORED = {"race", "religion", "sexual_orientation", "disability", "transgender"}
PERSON_IDENTITY_COLUMNS = ("given_name", "family_name", "date_of_birth", "email", "phone", "address", "postcode")


def _planned() -> Any:
    """The records the demo plan made; later areas' demo data (intake, referrals...) adds its own."""
    return Record.objects.filter(source_system=SOURCE_SYSTEM)


def _snapshot() -> dict[str, int]:
    return {
        "records": Record.objects.count(),
        "strands": RecordStrand.objects.count(),
        "people": Person.objects.count(),
        "links": RecordPerson.objects.count(),
        "shares": RecordShare.objects.count(),
        "events": AuditEvent.objects.count(),
        "organisations": Organisation.objects.count(),
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "codes": Code.objects.count(),
    }


def test_builds_every_organisation_kind_and_persona(demo: str) -> None:
    kinds = Counter(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {
        OrganisationKind.POLICE_FORCE: 1,
        OrganisationKind.THIRD_PARTY_CENTRE: 3,
        OrganisationKind.VICTIM_SERVICE: 1,
        OrganisationKind.LOCAL_AUTHORITY: 2,
        OrganisationKind.HOUSING_PROVIDER: 1,
        OrganisationKind.SCRUTINY_BODY: 1,
    }
    police = Organisation.objects.get(kind=OrganisationKind.POLICE_FORCE)
    teams = set(police.teams.values_list("name", flat=True))
    assert "Central Hate Crime Hub" in teams
    assert len([name for name in teams if "Community Safety Unit" in name]) == 3
    usernames = set(User.objects.values_list("username", flat=True))
    assert {persona.username for persona in PERSONAS} <= usernames
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert _planned().count() == RECORDS
    # Every organisation that records has records of its own; the scrutiny body has none.
    recording = set(Record.objects.values_list("organisation__kind", flat=True))
    assert OrganisationKind.POLICE_FORCE in recording
    assert OrganisationKind.SCRUTINY_BODY not in recording


def test_prints_each_persona_with_the_password(demo: str) -> None:
    for persona in PERSONAS:
        assert persona.username in demo
    assert DEMO_PASSWORD in demo
    assert "300 created" in demo


def test_each_persona_signs_in_with_the_printed_password(demo: str, client) -> None:
    for persona in PERSONAS:
        assert client.login(username=persona.username, password=DEMO_PASSWORD), persona.username
        client.logout()
    assert not client.login(username="officer", password=DEMO_PASSWORD + "x")


def test_same_seed_gives_the_same_data(demo: str) -> None:
    anchor = anchor_for(timezone.now())
    plans = plan_records(seed=SEED, records=RECORDS, anchor=anchor)
    assert plans == plan_records(seed=SEED, records=RECORDS, anchor=anchor)
    assert plans != plan_records(seed=SEED + 1, records=RECORDS, anchor=anchor)

    stored = {record.source_reference: record for record in _planned().select_related("organisation")}
    strand_counts = dict(_planned().annotate(n=Count("strands")).values_list("source_reference", "n"))
    assert set(stored) == {plan.source_reference for plan in plans}
    # Other crimes the hub decided were hate when screening suggested it: changed by the decision.
    from umbrella.review.models import ItemStatus, ReviewItem, ReviewReason

    decided = set(ReviewItem.objects.filter(reason=ReviewReason.SUGGESTION, status=ItemStatus.DECIDED)
                  .values_list("record__source_reference", flat=True))
    # References number up per organisation and year in the plan's (time) order.
    expected_numbers: Counter[tuple[str, int]] = Counter()
    for plan in plans:
        record = stored[plan.source_reference]
        slot = (record.organisation.reference_prefix, plan.reported_at.year)
        expected_numbers[slot] += 1
        assert record.reference == f"{slot[0]}-{slot[1]}-{expected_numbers[slot]:06d}"
        assert record.organisation.slug == plan.organisation
        assert record.status == plan.status and record.reported_at == plan.reported_at
        if plan.source_reference in decided:
            assert (plan.kind, record.kind) == ("other_crime", "hate_crime")
            assert strand_counts[plan.source_reference] == len(plan.strands) + 1
        else:
            assert record.kind == plan.kind
            assert strand_counts[plan.source_reference] == len(plan.strands)
        assert decrypt(record.narrative, column="cases.record.narrative") == plan.narrative


def test_second_run_adds_nothing_and_says_so(demo: str) -> None:
    before = _snapshot()
    output = run_demo_data()
    assert "already loaded" in output
    assert _snapshot() == before
    # Another seed on top would mix two Londons: refused, not added.
    output = run_demo_data(seed=SEED + 1)
    assert "nothing added" in output
    assert _snapshot() == before


def test_strands_cover_the_monitored_five_across_boroughs(demo: str) -> None:
    by_strand = Counter(RecordStrand.objects.filter(record__source_system=SOURCE_SYSTEM).values_list("strand__code", flat=True))
    assert MONITORED <= set(by_strand)
    assert by_strand.most_common(1)[0][0] == "race"
    assert RecordStrand.objects.filter(is_monitored=True).count() > 0.9 * sum(by_strand.values())
    assert _planned().values("borough").distinct().count() >= 15
    assert _planned().filter(borough__isnull=True).count() == 0


def test_identity_columns_hold_ciphertext_only(demo: str) -> None:
    columns = ", ".join(PERSON_IDENTITY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}, name_dob_index FROM cases_person")  # noqa: S608
        rows = cursor.fetchall()
        cursor.execute("SELECT narrative FROM cases_record")
        narratives = [row[0] for row in cursor.fetchall()]
    assert rows
    for row in rows:
        identity = row[: len(PERSON_IDENTITY_COLUMNS)]
        assert all(value == "" or value.startswith("enc1:") for value in identity)
        # Everyone has a name, but a subject whose data the NCHI Code had removed: nothing at all.
        assert identity[0].startswith("enc1:") or not any(identity)
    assert all(n.startswith("enc1:") for n in narratives)
    person = Person.objects.exclude(name_dob_index="").first()
    assert person is not None
    name = decrypt(person.given_name, column="cases.person.given_name")
    assert name and name not in person.given_name


def test_repeat_victims_and_locations(demo: str) -> None:
    repeat_people = (
        Person.objects.annotate(records=Count("roles__record", distinct=True)).filter(records__gt=1).count()
    )
    assert repeat_people > 0
    repeat_places = (
        # The place is sealed; the postcode's blind index finds the same place again.
        Record.objects.exclude(is_online=True)
        .exclude(postcode_index="")
        .values("postcode_index")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    assert repeat_places > 0


def test_audit_chain_verifies_and_covers_every_record(demo: str) -> None:
    result = audit_chain_verify()
    assert result.ok, result.broken
    assert result.checked == AuditEvent.objects.count()
    created = AuditEvent.objects.filter(action=record_actions.RECORD_CREATE).values_list("record_id", flat=True)
    assert set(created) == set(Record.objects.values_list("pk", flat=True))
    # Audit holds neither identities nor their ciphertext.
    assert not AuditEvent.objects.filter(changes__icontains="enc1:").exists()
    for person in Person.objects.exclude(family_name="")[:20]:
        family_name = decrypt(person.family_name, column="cases.person.family_name")
        assert not AuditEvent.objects.filter(changes__icontains=f'"{family_name}"').exists()


def test_centres_share_some_records_with_the_police(demo: str) -> None:
    police = Organisation.objects.get(kind=OrganisationKind.POLICE_FORCE)
    # Referrals (care demo) share force records with partners; the centres' shares go to the police.
    shares = RecordShare.objects.select_related("record__organisation").filter(
        record__organisation__kind=OrganisationKind.THIRD_PARTY_CENTRE)
    assert shares.exists()
    assert {share.organisation_id for share in shares} == {police.pk}
    assert AuditEvent.objects.filter(action=share_actions.SHARE_GRANT, record_id__in=[s.record_id for s in shares]).count() == shares.count()
    # Each share names the victim's consent that allows it, given and still in force, for its scope.
    wanted = {ShareScope.FULL: ConsentScope.POLICE_IDENTIFIED, ShareScope.ANONYMISED: ConsentScope.POLICE_ANONYMISED}
    for share in shares:
        consent = consent_in_force(record=share.record, scope=wanted[share.scope])
        assert consent is not None and share.consent_reference == consent.reference, share.record.reference
        # A caseworker captured it, or the victim gave it themselves in the online report.
        assert consent.words_shown and (consent.captured_by is not None or consent.method == ConsentMethod.ONLINE)
    officer = User.objects.get(username="officer")
    shared_ids = {share.record_id for share in shares}
    assert Record.objects.visible_to(officer).filter(pk__in=shared_ids).count() == len(shared_ids)


def test_no_nchi_keeps_a_subjects_identity_without_a_hub_decision_that_it_may(demo: str) -> None:
    """NCHI Code 2023 (a police code: a force's incidents): a subject's personal data stays only
    where the hub found a real risk of significant harm or of a future offence; otherwise it is
    removed (or the incident still waits for the hub)."""
    from django.db.models import Q

    from umbrella.cases.models import PERSON_ENCRYPTED_FIELDS, PersonRole, RecordPerson
    from umbrella.review.models import Decision, ItemStatus, ReviewItem

    blank = Q(**{f"person__{name}": "" for name in PERSON_ENCRYPTED_FIELDS})
    named = set(RecordPerson.objects.filter(role=PersonRole.SUBJECT, record__kind="nchi",
                                            record__organisation__kind="police_force").exclude(blank)
                .values_list("record_id", flat=True))
    assert named  # some are kept, with the decision that allows it
    keep = set(Decision.objects.filter(Q(nchi_risk_of_harm=True) | Q(nchi_risk_of_offence=True))
               .values_list("record_id", flat=True))
    waiting = set(ReviewItem.objects.exclude(status=ItemStatus.DECIDED).values_list("record_id", flat=True))
    assert named <= keep | waiting
    removed = Decision.objects.filter(record__kind="nchi", subject_data_removed=True)
    assert removed.exists()
    assert not RecordPerson.objects.filter(record__in=removed.values("record"), role=PersonRole.SUBJECT).exclude(
        blank).exists()
    # Each kept subject has the hub's decision whether they are told (a fifth are not, to keep the
    # reporter safe: too few kept subjects in this small demo to count on one).
    told = dict(Decision.objects.filter(record_id__in=named).values_list("record_id", "subject_notification"))
    decided = named - waiting
    assert decided and all(told.get(record_id) for record_id in decided)
    assert "tell" in told.values() and set(told.values()) <= {"tell", "withhold_safeguarding"}
    assert not removed.exclude(subject_notification="").exists()


def test_the_police_incidents_past_their_review_point_wait_for_a_retention_decision(demo: str, client) -> None:
    from umbrella.retention.models import RetentionReview, ReviewStatus

    assert "retention:" in demo and "reviews raised" in demo
    waiting = RetentionReview.objects.filter(status=ReviewStatus.OPEN).select_related("record", "record__organisation")
    assert waiting.exists() and {r.record.organisation.kind for r in waiting} == {"police_force"}
    assert RetentionReview.objects.filter(status=ReviewStatus.RETAINED).count() == 2
    client.force_login(User.objects.get(username="supervisor"))
    page = client.get("/retention/").content.decode()
    supervisors_own = waiting.filter(record__organisation__users__username="supervisor").first()
    assert supervisors_own is not None and supervisors_own.record.reference in page
