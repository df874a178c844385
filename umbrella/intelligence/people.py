"""Linking the people on Umbrella's records across organisations: the same victim (or suspect)
recorded by a force and by a centre, with a typo, a nickname or a missing date of birth, found by
the probabilistic model in ``linkage`` rather than only by exact matches.

The run has system authority: it decrypts every person's name, date of birth, postcode and e-mail
in memory, links them and keeps only which people are in a cluster together (``PersonLink``),
never a copy of what they are called. What a user learns of a cluster goes through the record
scoping like everything else: another record of the same person shows only where the user may
open that record; otherwise nothing, not even that one exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.intelligence import actions
from umbrella.intelligence.linkage import link
from umbrella.intelligence.models import PersonLink

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record

# Below this many people the model has too little to learn from: the run links nobody.
MIN_PEOPLE = 100
# A wrong link tells a worker two people are one; a missed link only keeps today's state. So the
# threshold is where wrong links stay rare on labelled data in the columns this run compares, the
# largest set (where many people share a common name) deciding. Pairwise precision / recall
# (fake_1000 and FEBRL 3 in tests/intelligence/test_linkage.py; the 50k set by hand, 40 s a run):
#   threshold                               0.5            0.8            0.95           0.99
#   fake_1000 (names, dob, email)           1.000 / 0.817  1.000 / 0.756  1.000 / 0.586  1.000 / 0.489
#   FEBRL 3 (names, dob, postcode)          0.987 / 0.950  0.999 / 0.936  0.999 / 0.848  1.000 / 0.815
#   historical 50k (names, dob, postcode)   -              0.753 / 0.836  0.949 / 0.752  0.987 / 0.648
# At 0.95 one linked pair in twenty was wrong on the 50k set; at 0.99, about one in eighty.
THRESHOLD = 0.99
COLUMNS = ("first_name", "surname", "dob", "postcode", "email")


@dataclass(frozen=True)
class LinkRun:
    people: int
    clusters: int
    linked: int
    columns: tuple[str, ...]


@decrypts
def people_link(*, actor: User | None = None, threshold: float = THRESHOLD) -> LinkRun:
    from umbrella.cases.models import Person
    from umbrella.cases.selectors import person_plaintext

    rows = []
    for person in Person.objects.order_by("pk").iterator(chunk_size=2000):
        plain = person_plaintext(person)
        rows.append((str(person.pk), plain["given_name"].strip().lower() or None, plain["family_name"].strip().lower() or None,
                     plain["date_of_birth"] or None, plain["postcode"].replace(" ", "").upper() or None,
                     plain["email"].strip().lower() or None))
    found: dict[Any, Any] = {}
    used: tuple[str, ...] = ()
    if len(rows) >= MIN_PEOPLE:
        # Compared only on what enough people have: a column nearly always empty teaches nothing.
        used = tuple(name for index, name in enumerate(COLUMNS, start=1)
                     if sum(1 for row in rows if row[index]) >= max(10, len(rows) // 10))
        if {"first_name", "surname"} <= set(used):
            import duckdb  # here, not at the top: every process that loads the URLs would import it
            import pyarrow as pa  # type: ignore[import-untyped]

            connection = duckdb.connect()
            columns = list(zip(*rows, strict=True))
            people = pa.table({name: pa.array(columns[index], type=pa.string())
                               for index, name in enumerate(("unique_id", *COLUMNS))})
            table = connection.from_arrow(people).select(*("unique_id", *used))
            found = link(connection, table, columns=used, threshold=threshold)
    sizes: dict[Any, int] = {}
    for cluster in found.values():
        sizes[cluster] = sizes.get(cluster, 0) + 1
    now = timezone.now()
    links = [PersonLink(person_id=int(person_id), cluster=str(cluster)[:32], linked_at=now)
             for person_id, cluster in found.items() if sizes[cluster] > 1]
    with transaction.atomic():
        PersonLink.objects.all().delete()
        PersonLink.objects.bulk_create(links, batch_size=2000)
        clusters = len({link_.cluster for link_ in links})
        audit_event_write(actor=actor, action=actions.LINKAGE_RUN, target_label="people",
                          changes={"people": len(rows), "clusters": clusters, "linked": len(links), "columns": list(used),
                                   "threshold": threshold})
    return LinkRun(people=len(rows), clusters=clusters, linked=len(links), columns=used)


@dataclass(frozen=True)
class LinkedRecord:
    record_id: int
    reference: str
    reported_at: Any
    organisation: str


def people_linked_to(*, person_ids: list[int], organisation_id: int) -> list[int]:
    """The organisation's people the last run put in a cluster with any of these (themselves
    included): for a subject access request, the same person under a misspelt name or a new phone."""
    clusters = PersonLink.objects.filter(person_id__in=person_ids).values("cluster")
    linked = PersonLink.objects.filter(cluster__in=clusters, person__organisation_id=organisation_id)
    return sorted(linked.values_list("person_id", flat=True))


def linked_records(*, user: User, record: Record) -> list[LinkedRecord]:
    """Other records with a person the last run put in a cluster with someone on this record, among
    the records the user may open (the record list's own scoping); nothing about any other."""
    from umbrella.cases.models import RecordPerson
    from umbrella.cases.selectors import RecordFilters, record_list

    here = RecordPerson.objects.filter(record=record).values("person_id")
    clusters = PersonLink.objects.filter(person_id__in=here).values("cluster")
    others = PersonLink.objects.filter(cluster__in=clusters).exclude(person_id__in=here).values("person_id")
    candidates = RecordPerson.objects.filter(person_id__in=others).exclude(record=record).values("record_id")
    visible = (record_list(user=user, filters=RecordFilters()).prefetch_related(None).filter(pk__in=candidates)
               .select_related("organisation").order_by("-reported_at")[:20])
    return [LinkedRecord(r.pk, r.reference, r.reported_at, r.organisation.name) for r in visible]


@dataclass(frozen=True)
class SuspectGroup:
    """One person (as far as linkage or an exact match of name and date of birth can tell) named
    as a subject or suspect on two or more records the reader may open."""

    records: list[LinkedRecord]
    linked_by: str  # "linkage" or "exact name and date of birth"

    @property
    def latest(self) -> Any:
        return max(record.reported_at for record in self.records)


def repeat_suspects(*, user: User, limit: int = 200) -> list[SuspectGroup]:
    """The repeat-suspect list for tasking, within the reader's own scope: every subject or suspect
    on two or more records they may open, grouped by the last linkage run's clusters or, for people
    it did not link, by the exact blind index of name and date of birth. Most records first."""
    from umbrella.cases.models import PersonRole

    return repeat_people(user=user, role=PersonRole.SUBJECT, limit=limit)


def repeat_people(*, user: User, role: str, limit: int = 200, filters: Any = None) -> list[SuspectGroup]:
    """People in ``role`` on two or more records the user may open (with the record list's
    ``filters``), grouped as ``repeat_suspects`` groups them."""
    from umbrella.cases.models import RecordPerson
    from umbrella.cases.selectors import RecordFilters, record_list

    visible = record_list(user=user, filters=filters or RecordFilters()).prefetch_related(None).order_by().values("pk")
    rows = list(RecordPerson.objects.filter(record_id__in=visible, role=role).values(
        "person_id", "record_id", "record__reference", "record__reported_at", "record__organisation__name",
        "person__name_dob_index"))
    clusters = dict(PersonLink.objects.filter(person_id__in=[row["person_id"] for row in rows])
                    .values_list("person_id", "cluster"))
    groups: dict[str, dict[int, LinkedRecord]] = {}
    how: dict[str, str] = {}
    for row in rows:
        cluster = clusters.get(row["person_id"])
        key = f"cluster:{cluster}" if cluster else (f"index:{row['person__name_dob_index']}" if row["person__name_dob_index"] else "")
        if not key:
            continue
        how[key] = "linkage" if cluster else "exact name and date of birth"
        groups.setdefault(key, {})[row["record_id"]] = LinkedRecord(
            row["record_id"], row["record__reference"], row["record__reported_at"], row["record__organisation__name"])
    found = [SuspectGroup(sorted(records.values(), key=lambda r: r.reported_at, reverse=True), how[key])
             for key, records in groups.items() if len(records) > 1]
    return sorted(found, key=lambda g: (-len(g.records), -g.latest.timestamp()))[:limit]


def repeat_places(*, user: User, filters: Any = None) -> int:
    """Places (the same postcode, by its blind index) of two or more records the user may open."""
    from django.db.models import Count

    from umbrella.cases.selectors import RecordFilters, record_list

    visible = record_list(user=user, filters=filters or RecordFilters()).prefetch_related(None).order_by()
    return (visible.exclude(postcode_index="").values("postcode_index").annotate(n=Count("pk")).filter(n__gte=2).count())
