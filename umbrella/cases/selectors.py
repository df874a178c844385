"""Every read of records, scoped to the actor. Decryption happens here and nowhere else."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from umbrella.accounts.policy import has_role
from umbrella.audit.models import AuditEvent
from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.cases import actions as record_actions
from umbrella.cases.inputs import LocationInput
from umbrella.cases.models import (
    ASSESSMENT_REASON_COLUMN,
    CHANGE_REASON_COLUMN,
    LINK_REASON_COLUMN,
    NARRATIVE_COLUMN,
    PERSON_ENCRYPTED_FIELDS,
    STATUS_REASON_COLUMN,
    STRAND_NOTE_COLUMN,
    ChangeReason,
    Offence,
    Person,
    PersonRole,
    Record,
    RecordLink,
    RecordPerson,
    RecordStatus,
    RecordStrand,
    StrandAssessment,
    person_column,
)
from umbrella.cases.policy import FLAGGED_READERS
from umbrella.cases.scoping import (
    Access,
    RecordQuerySet,
    access_to,
    record_is_visible,
    remember_visible,
)
from umbrella.cases.services import record_place, strand_added_by_id
from umbrella.core.dates import as_written
from umbrella.core.logging import redact_contact_details
from umbrella.crypto.fields import blind_index, decrypt, normalise_postcode, pseudonym
from umbrella.reference.models import Code, Scheme

if TYPE_CHECKING:
    from umbrella.accounts.models import User


@dataclass(frozen=True)
class RecordFilters:
    strand: str = ""
    sub_category: str = ""
    borough: str = ""
    kind: str = ""
    status: str = ""
    reported_from: date | None = None
    reported_to: date | None = None
    is_online: bool | None = None
    is_domestic_abuse: bool | None = None
    is_asb_related: bool | None = None
    is_alcohol_drug_related: bool | None = None
    flagged: bool | None = None
    q: str = ""
    sort: str = "-reported_at"
    # The victim's equality monitoring (codes of the scheme of the same name), for the outcome
    # funnel's disproportionality view: a record matches when a victim on it has that code.
    victim_ethnicity: str = ""
    victim_sex: str = ""
    victim_age_band: str = ""
    victim_disability: str = ""
    victim_religion: str = ""
    # The owning organisation (its slug), for readers who see several (the hub, a collation).
    organisation: str = ""


# RecordFilters field → the victim's equality-monitoring field (and reference scheme) it filters.
VICTIM_EQUALITY = {
    "victim_ethnicity": Scheme.ETHNICITY,
    "victim_sex": Scheme.SEX,
    "victim_age_band": Scheme.AGE_BAND,
    "victim_disability": Scheme.DISABILITY,
    "victim_religion": Scheme.RELIGION,
}


SORTS = {
    "-reported_at": ("-reported_at", "-id"),
    "reported_at": ("reported_at", "id"),
    "reference": ("reference",),
    "-reference": ("-reference",),
    "-occurred_from": ("-occurred_from", "-id"),
    "occurred_from": ("occurred_from", "id"),
}


def record_list(*, user: User, filters: RecordFilters | None = None) -> RecordQuerySet:
    """Records the user can see, filtered and sorted; related rows are prefetched for list pages."""
    filters = filters or RecordFilters()
    qs = Record.objects.visible_to(user)
    # Code ids are resolved first: a join to the code table inside the subquery hides the
    # (strand, record) index from the planner.
    if filters.strand:
        strand_ids = list(Code.objects.filter(scheme=Scheme.STRAND, code=filters.strand).values_list("pk", flat=True))
        qs = qs.filter(pk__in=RecordStrand.objects.filter(strand_id__in=strand_ids).values("record_id"))
    if filters.sub_category:
        sub_ids = list(
            Code.objects.filter(scheme=Scheme.SUB_CATEGORY, code=filters.sub_category).values_list("pk", flat=True)
        )
        qs = qs.filter(pk__in=RecordStrand.objects.filter(sub_category_id__in=sub_ids).values("record_id"))
    if filters.borough:
        qs = qs.filter(borough__code=filters.borough)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.organisation:
        qs = qs.filter(organisation__slug=filters.organisation)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.reported_from:
        qs = qs.filter(reported_at__date__gte=filters.reported_from)
    if filters.reported_to:
        qs = qs.filter(reported_at__date__lte=filters.reported_to)
    for flag in ("is_online", "is_domestic_abuse", "is_asb_related", "is_alcohol_drug_related"):
        value = getattr(filters, flag)
        if value is not None:
            qs = qs.filter(**{flag: value})
    for name, scheme in VICTIM_EQUALITY.items():
        value = getattr(filters, name)
        if value:
            code_ids = list(Code.objects.filter(scheme=scheme, code=value).values_list("pk", flat=True))
            victims = RecordPerson.objects.filter(role=PersonRole.VICTIM, **{f"person__{scheme}_id__in": code_ids})
            qs = qs.filter(pk__in=victims.values("record_id"))
    if filters.flagged is not None:
        has_strand = Exists(RecordStrand.objects.filter(record=OuterRef("pk")))
        qs = qs.filter(has_strand if filters.flagged else ~has_strand)
    if filters.q:
        term = filters.q.strip()
        # The place is sealed, so it is found by what can be compared without reading it: the
        # postcode's blind index (with or without the space) or its district ("E1").
        qs = qs.filter(
            Q(reference__icontains=term)
            | Q(postcode_index=blind_index("postcode", normalise_postcode(term)))
            | Q(postcode_district__iexact=normalise_postcode(term))
        )
    qs = qs.order_by(*SORTS.get(filters.sort, SORTS["-reported_at"]))
    return qs.select_related("borough", "organisation").prefetch_related(
        Prefetch("strands", queryset=RecordStrand.objects.select_related("strand", "sub_category"))
    )


def can_change_record(user: User, record: Record) -> bool:
    """Whether pages should offer edit actions: only the owning organisation's record writers change a record."""
    from umbrella.cases.policy import can_write_records

    return can_write_records(user) and record.organisation_id == user.organisation_id


def strand_removable(*, user: User, record: Record, strand_id: int) -> bool:
    """Whether the user may take this strand off the record (entered in error): the owning
    organisation's writer who added it, or a supervisor. RecordStrand.DoesNotExist if it is not there."""
    row = RecordStrand.objects.only("pk", "added_by_id", "record_id").get(pk=strand_id, record_id=record.pk)
    return _removable(user, record, row)


def _removable(user: User, record: Record, row: RecordStrand) -> bool:
    from umbrella.cases.policy import can_remove_strand

    return can_change_record(user, record) and can_remove_strand(user, added_by_id=strand_added_by_id(record, row))


def record_get(*, user: User, record_id: int) -> Record:
    """A visible record or Record.DoesNotExist (which pages and the API turn into 404)."""
    record = Record.objects.visible_to(user).select_related(
        "organisation", "team", "borough", "location_type", "online_platform", "reference_version", "created_by",
        "closure_reason",
    ).get(pk=record_id)
    remember_visible(user, record.pk)
    return record


def record_get_by_reference(*, user: User, reference: str) -> Record:
    return Record.objects.visible_to(user).get(reference=reference)


@dataclass(frozen=True)
class PersonView:
    id: int
    role: str
    role_label: str
    access: str
    display_name: str
    given_name: str = ""
    family_name: str = ""
    date_of_birth: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    equality: dict[str, str] = field(default_factory=dict)

    @property
    def date_of_birth_shown(self) -> str:
        """As people write it ("3 April 1998"); the API keeps the ISO form."""
        try:
            born = date.fromisoformat(self.date_of_birth)
        except ValueError:
            return self.date_of_birth
        return as_written(born)


@dataclass(frozen=True)
class AssessmentView:
    assessment: str
    label: str
    # Empty where the reader may not see free text (it can name people).
    reason: str
    assessed_by: str
    assessed_at: datetime


@dataclass(frozen=True)
class StrandView:
    row: RecordStrand
    # The strand's note, for full access only (it can name people).
    note: str
    assessment: AssessmentView | None
    # Whether this reader may take the strand off (entered in error): who added it, or a supervisor.
    removable: bool


@dataclass(frozen=True)
class RecordView:
    record: Record
    access: str
    narrative: str
    # Where it happened: in full for full access, otherwise the postcode district and the areas only.
    place: LocationInput
    # Why it has its status (e.g. closed), in the closer's words: full access only.
    status_reason: str
    strands: list[RecordStrand]
    strand_views: list[StrandView]
    offences: list[Offence]
    people: list[PersonView]
    links: list[tuple[Record, str]]


@decrypts
def _person_view(link: RecordPerson, access: Access) -> PersonView:
    person = link.person
    equality = {
        name: getattr(person, name).label
        for name in ("ethnicity", "sex", "gender_identity", "age_band", "disability", "religion", "sexual_orientation")
        if getattr(person, name) is not None
    }
    role_label = str(link.get_role_display())
    if access is Access.ANONYMISED:
        return PersonView(
            id=person.pk, role=link.role, role_label=role_label, access=access.value,
            display_name=f"{role_label} (anonymised)", equality=equality,
        )
    if access is Access.PSEUDONYMISED:
        return PersonView(
            id=person.pk, role=link.role, role_label=role_label, access=access.value,
            display_name=f"Person {pseudonym('person', str(person.pk))}", equality=equality,
        )
    plain = {name: decrypt(getattr(person, name), column=person_column(name)) for name in PERSON_ENCRYPTED_FIELDS}
    name = " ".join(part for part in (plain["given_name"], plain["family_name"]) if part) or "Name not given"
    return PersonView(
        id=person.pk, role=link.role, role_label=role_label, access=access.value, display_name=name,
        equality=equality, given_name=plain["given_name"], family_name=plain["family_name"],
        date_of_birth=plain["date_of_birth"], email=plain["email"], phone=plain["phone"],
        address=plain["address"], postcode=plain["postcode"],
    )


@decrypts
def _names_in(person: Person) -> list[str]:
    given = decrypt(person.given_name, column=person_column("given_name")).strip()
    family = decrypt(person.family_name, column=person_column("family_name")).strip()
    # Longest first, so "Jane Doe" is replaced whole before "Jane" alone.
    return sorted({n for n in (f"{given} {family}".strip(), given, family) if len(n) >= 2}, key=len, reverse=True)


def masked_narrative(narrative: str, links: list[RecordPerson], access: Access) -> str:
    """The narrative without the names of the record's people, for readers not entitled to identities.

    Analysts see each person's stable pseudonym in place of the name; anonymised shares see the role.
    Free text can still hold other identifying details, which is why anonymised shares are a legal
    decision of the owning organisation, not a technical guarantee.
    """
    if access is Access.FULL or not narrative:
        return narrative
    for link in links:
        if access is Access.PSEUDONYMISED:
            replacement = f"[Person {pseudonym('person', str(link.person_id))}]"
        else:
            replacement = f"[{link.get_role_display()}]"
        for name in _names_in(link.person):
            narrative = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", replacement, narrative, flags=re.IGNORECASE)
    return narrative


@decrypts
def narrative_for_panel(*, record: Record) -> str:
    """The narrative as a scrutiny panel reads a sampled case: each linked person's name replaced by
    their role, then e-mail addresses, phone numbers, postcodes and dates taken out. The caller
    (scrutiny.selectors) has checked the case was sampled for the reader, and audits the read."""
    links = list(RecordPerson.objects.filter(record=record).select_related("person"))
    text = masked_narrative(decrypt(record.narrative, column=NARRATIVE_COLUMN), links, Access.ANONYMISED)
    return redact_contact_details(text)


def _place_for(record: Record, access: Access) -> LocationInput:
    if access is Access.FULL:
        return record_place(record)
    return LocationInput(
        postcode=record.postcode_district, borough=record.borough, lsoa_code=record.lsoa_code,
        area_code=record.area_code, area_name=record.area_name,
        location_type=record.location_type, online_platform=record.online_platform,
    )


@decrypts
def record_detail(*, user: User, record_id: int) -> RecordView:
    """The full view of one record, decrypted as far as the user is entitled. The read is audited."""
    record = record_get(user=user, record_id=record_id)
    access = access_to(user, record)
    people_links = list(
        RecordPerson.objects.filter(record=record).select_related(
            "person", "person__ethnicity", "person__sex", "person__gender_identity", "person__age_band",
            "person__disability", "person__religion", "person__sexual_orientation",
        )
    )
    people = [_person_view(link, access) for link in people_links]
    # Links first, then which linked records the user may see: a record has few links, while
    # "IN (every visible record)" would make the database build the whole visible set.
    pairs = [(link.to_record_id, link.reason) for link in RecordLink.objects.filter(from_record=record)] + [
        (link.from_record_id, link.reason) for link in RecordLink.objects.filter(to_record=record)
    ]
    linked = Record.objects.visible_to(user).in_bulk([pk for pk, _ in pairs]) if pairs else {}
    # Why they were linked, in the linker's words: full access only.
    links = [
        (linked[pk], decrypt(reason, column=LINK_REASON_COLUMN) if access is Access.FULL else "")
        for pk, reason in pairs if pk in linked
    ]
    strands = list(record.strands.select_related("strand", "sub_category", "perceiver"))
    audit_event_write(
        actor=user, action=record_actions.RECORD_VIEW, target=record, target_label=record.reference,
        record_id=record.pk, changes={"access": access.value, "people_shown": len(people) if access is Access.FULL else 0},
    )
    return RecordView(
        record=record,
        access=access.value,
        narrative=masked_narrative(decrypt(record.narrative, column=NARRATIVE_COLUMN), people_links, access),
        place=_place_for(record, access),
        status_reason=decrypt(record.status_reason, column=STATUS_REASON_COLUMN) if access is Access.FULL else "",
        strands=strands,
        strand_views=_strand_views(user, record, strands, access),
        offences=list(record.offences.select_related("offence")),
        people=people,
        links=links,
    )


def latest_assessments(record_ids: list[int]) -> dict[int, StrandAssessment]:
    """The current evidential assessment of each strand on these records, by record-strand id."""
    latest: dict[int, StrandAssessment] = {}
    rows = (
        StrandAssessment.objects.filter(record_id__in=record_ids)
        .select_related("assessed_by")
        .order_by("record_strand_id", "-assessed_at", "-id")
    )
    for row in rows:
        latest.setdefault(row.record_strand_id, row)
    return latest


@decrypts
def _strand_views(user: User, record: Record, strands: list[RecordStrand], access: Access) -> list[StrandView]:
    latest = latest_assessments([record.pk])
    views = []
    for row in strands:
        found = latest.get(row.pk)
        assessment = None
        if found is not None:
            assessment = AssessmentView(
                assessment=found.assessment,
                label=str(found.get_assessment_display()),
                reason=decrypt(found.reason, column=ASSESSMENT_REASON_COLUMN) if access is Access.FULL else "",
                assessed_by=found.assessed_by.display_name,
                assessed_at=found.assessed_at,
            )
        note = decrypt(row.note, column=STRAND_NOTE_COLUMN) if access is Access.FULL else ""
        views.append(StrandView(row=row, note=note, assessment=assessment, removable=_removable(user, record, row)))
    return views


def record_timeline(*, user: User, record_id: int) -> list[AuditEvent]:
    """The record's history from the audit chain, for users who can see the record."""
    if not record_is_visible(user, record_id):
        raise Record.DoesNotExist
    return list(AuditEvent.objects.filter(record_id=record_id).order_by("-id")[:200])


@decrypts
def change_reasons(*, user: User, record: Record, events: list[AuditEvent]) -> dict[int, str]:
    """The words given for these events' changes (closing, taking a strand off), by event id, for
    readers with full access to the record (already scoped to them, e.g. by ``record_detail``);
    others see that a reason was given, not what it was."""
    if access_to(user, record) is not Access.FULL:
        return {}
    sealed = ChangeReason.objects.filter(record=record, event_id__in=[event.pk for event in events])
    return {row.event_id: decrypt(row.reason, column=CHANGE_REASON_COLUMN) for row in sealed}


@decrypts
def person_plaintext(person: Person) -> dict[str, str]:
    """For services that must compare or re-encrypt; never for display without a scope check."""
    return {name: decrypt(getattr(person, name), column=person_column(name)) for name in PERSON_ENCRYPTED_FIELDS}


@decrypts
def narratives_for(records: list[Record], *, user: User) -> dict[int, str]:
    """Decrypts narratives for a page of records already scoped to the user (e.g. exports).

    Names of the record's people are masked wherever the user may not see identities.
    """
    accesses = {record.pk: access_to(user, record) for record in records}
    masked_ids = [pk for pk, access in accesses.items() if access is not Access.FULL]
    links: dict[int, list[RecordPerson]] = defaultdict(list)
    if masked_ids:
        for link in RecordPerson.objects.filter(record_id__in=masked_ids).select_related("person"):
            links[link.record_id].append(link)
    return {
        record.pk: masked_narrative(
            decrypt(record.narrative, column=NARRATIVE_COLUMN), links[record.pk], accesses[record.pk]
        )
        for record in records
    }


@dataclass(frozen=True)
class EditableText:
    narrative: str
    place: LocationInput


@decrypts
def record_editable_text(*, user: User, record: Record) -> EditableText:
    """The sealed values an update keeps when the editor leaves them out (a partial API update),
    read as one audited read. Only the owner's writers edit, and they have full access."""
    return EditableText(narrative=narratives_for([record], user=user)[record.pk], place=record_place(record))


# The home page's lists of the user's own records. Not the worklist: that is what people must do
# next, gathered from every app (core.worklist) and shown on the care app's worklist page.

HOME_LIST_SIZE = 10


@dataclass(frozen=True)
class HomeLists:
    drafts: list[Record]
    drafts_count: int
    recent: list[Record]
    recent_count: int
    flagged_today: list[Record] | None
    flagged_today_count: int


def home_lists(*, user: User) -> HomeLists:
    """The home page's lists: the user's drafts, what they recorded in the last 30 days and,
    for hub reviewers, flagged records recorded in the last day."""
    now = timezone.now()
    mine = record_list(user=user, filters=RecordFilters(sort="-reported_at")).filter(created_by_id=user.pk)
    drafts = mine.filter(status=RecordStatus.DRAFT)
    recent = mine.exclude(status=RecordStatus.DRAFT).filter(created_at__gte=now - timedelta(days=30))
    flagged_list: list[Record] | None = None
    flagged_count = 0
    if has_role(user, FLAGGED_READERS):
        flagged = record_list(user=user, filters=RecordFilters(flagged=True)).filter(
            recorded_at__gte=now - timedelta(days=1)
        )
        flagged_list = list(flagged[:HOME_LIST_SIZE])
        flagged_count = flagged.count()
    return HomeLists(
        drafts=list(drafts[:HOME_LIST_SIZE]),
        drafts_count=drafts.count(),
        recent=list(recent[:HOME_LIST_SIZE]),
        recent_count=recent.count(),
        flagged_today=flagged_list,
        flagged_today_count=flagged_count,
    )


def record_ids(*, organisation_id: int | None = None, reference: str | None = None) -> QuerySet[Record]:
    """Ids of the records an organisation owns, or of those with a reference (any organisation):
    for audit search, which scopes the events itself (core.extensions.record_ids). Never for display."""
    records = Record.objects.all()
    if organisation_id is not None:
        records = records.filter(organisation_id=organisation_id)
    if reference is not None:
        records = records.filter(reference__iexact=reference)
    return records.values("pk")  # type: ignore[return-value]
