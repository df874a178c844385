"""Places where later apps plug into shared pages without those pages importing them.

Register in your AppConfig.ready():

* ``register_navigation(NavEntry(...))``: a link in the service navigation for users ``allowed``
  lets through (e.g. "Review queue" for hub reviewers).
* ``register_timeline_describer(action, describe)``: how a record's timeline tells an event your
  app writes.
* ``register_record_ids(ids)`` (cases only): how audit search finds records' ids.
* ``register_record_panel(name, panel)``: a section on the record detail page. ``panel(user,
  record)`` returns a RecordPanel (a template and its context) or None when the user should see
  nothing. The record handed in is already scoped to the user; a panel must still scope any other
  data it shows with its own app's selectors, and must keep to a few queries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.cases.models import Record


@dataclass(frozen=True)
class NavEntry:
    text: str
    href: str
    allowed: Callable[[Any], bool]
    order: int = 100


@dataclass(frozen=True)
class RecordPanel:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    order: int = 100


RecordPanelProvider = Callable[["User", "Record"], RecordPanel | None]

_NAVIGATION: dict[str, NavEntry] = {}
_RECORD_PANELS: dict[str, RecordPanelProvider] = {}


def register_navigation(entry: NavEntry) -> None:
    _NAVIGATION[entry.href] = entry


def navigation_entries(user: Any) -> list[NavEntry]:
    return sorted((e for e in _NAVIGATION.values() if e.allowed(user)), key=lambda e: (e.order, e.text))


def register_record_panel(name: str, provider: RecordPanelProvider) -> None:
    _RECORD_PANELS[name] = provider


def record_panels(user: User, record: Record) -> list[RecordPanel]:
    panels = [panel for provider in _RECORD_PANELS.values() if (panel := provider(user, record)) is not None]
    return sorted(panels, key=lambda p: p.order)


# Panels on a page other apps own (e.g. national figures beside the attrition funnel): each
# provider gets the reader and the page's own context, and returns a panel or None.
PagePanelProvider = Callable[["User", Mapping[str, Any]], RecordPanel | None]
_PAGE_PANELS: dict[str, dict[str, PagePanelProvider]] = {}


def register_page_panel(page: str, name: str, provider: PagePanelProvider) -> None:
    _PAGE_PANELS.setdefault(page, {})[name] = provider


def page_panels(page: str, user: User, context: Mapping[str, Any]) -> list[RecordPanel]:
    providers = _PAGE_PANELS.get(page, {}).values()
    panels = [panel for provider in providers if (panel := provider(user, context)) is not None]
    return sorted(panels, key=lambda p: p.order)


# Measures for the scrutiny board (the statistics page): each app counts its own rows over the
# records the reader counts (a query of record ids the statistics app chose, for a period and an
# area), and returns counts only, never a record.
@dataclass(frozen=True)
class BoardMeasure:
    section: str  # e.g. "Hub review"
    label: str  # what is counted, in a board member's words
    count: int
    out_of: int | None = None  # the denominator, where the measure is a share
    note: str = ""

    @property
    def percent(self) -> float | None:
        return round(100 * self.count / self.out_of, 1) if self.out_of else None


BoardMeasureProvider = Callable[[Any], list[BoardMeasure]]
_BOARD_MEASURES: dict[str, BoardMeasureProvider] = {}


def register_board_measures(name: str, provider: BoardMeasureProvider) -> None:
    _BOARD_MEASURES[name] = provider


def board_measures_by_provider(record_ids: Any, *, providers: Sequence[str] | None = None) -> dict[str, list[BoardMeasure]]:
    """Each app's measures over the records, by the name it registered them under; only the named
    providers' when ``providers`` is given (e.g. ("review",)), so a caller that needs one app's
    measures does not pay for every app's queries."""
    names = sorted(_BOARD_MEASURES) if providers is None else [name for name in sorted(_BOARD_MEASURES) if name in providers]
    return {name: _BOARD_MEASURES[name](record_ids) for name in names}


def board_measures(record_ids: Any, *, providers: Sequence[str] | None = None) -> list[BoardMeasure]:
    """Every app's measures over the records, or only the named providers'."""
    return [measure for found in board_measures_by_provider(record_ids, providers=providers).values() for measure in found]


# Extra records a force's hub reviewers may see beyond the flagged ones: each factory returns a
# boolean expression over Record (e.g. "has an open review item"), ORed into cases.scoping.
FlaggedVisibility = Callable[[], Any]
_FLAGGED_VISIBILITY: dict[str, FlaggedVisibility] = {}


def register_flagged_reader_visibility(name: str, expression: FlaggedVisibility) -> None:
    _FLAGGED_VISIBILITY[name] = expression


def flagged_reader_visibility() -> list[Any]:
    return [factory() for factory in _FLAGGED_VISIBILITY.values()]


# One line in a record's timeline for an event another app writes (e.g. "Outcome recorded by ...").
# ``describe(changes, who, label)`` gets the event's changes, who acted, and ``label(scheme, code)``
# for current code labels.
TimelineDescriber = Callable[[Mapping[str, Any], str, Callable[[str, Any], str]], str]
_TIMELINE_DESCRIBERS: dict[str, TimelineDescriber] = {}


def register_timeline_describer(action: str, describe: TimelineDescriber) -> None:
    _TIMELINE_DESCRIBERS[action] = describe


def timeline_describer(action: str) -> TimelineDescriber | None:
    return _TIMELINE_DESCRIBERS.get(action)


# How the foundations (audit search) find records' ids without importing the record app: cases
# registers one function, ``ids(organisation_id=..., reference=...)``, giving a values("pk")
# queryset of the records matching whichever is given.
RecordIds = Callable[..., Any]
_RECORD_IDS: list[RecordIds] = []


def register_record_ids(ids: RecordIds) -> None:
    _RECORD_IDS[:] = [ids]


def record_ids(*, organisation_id: int | None = None, reference: str | None = None) -> Any:
    if not _RECORD_IDS:
        raise LookupError("No record lookup is registered (the cases app registers it when it is ready).")
    return _RECORD_IDS[0](organisation_id=organisation_id, reference=reference)


# What keeps records alive at their retention review: each app says, in words, why its own work on
# each of the records given is not finished (an open referral, a conference to come); records it
# has nothing to say of are left out. Given many records at once, so a page of reviews asks each
# app once, not once a record.
RetentionBlocker = Callable[[Sequence["Record"]], Mapping[int, str]]
_RETENTION_BLOCKERS: dict[str, RetentionBlocker] = {}


def register_retention_blocker(name: str, blocker: RetentionBlocker) -> None:
    _RETENTION_BLOCKERS[name] = blocker


def retention_blockers(records: Sequence[Record]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {record.pk: [] for record in records}
    for _, blocker in sorted(_RETENTION_BLOCKERS.items()):
        for record_id, reason in blocker(records).items():
            found[record_id].append(reason)
    return found


# What a record's disposal takes out of other tables (``cases.disposal.record_dispose``): each app
# names its rows that hold the record's free text or personal data, by the lookup from the row to
# the record's id ("record_id", "plan__record_id"; several when a row belongs to two records), and
# the columns to empty. Every encrypted column of a row tied to a record is either named here or
# excused with a reason (tests/retention/test_disposal_reach.py). ``also`` runs after the columns are
# emptied, for what is not a column (evidence files), and returns how many things it removed.
@dataclass(frozen=True)
class DisposalTarget:
    model: Any
    record_lookups: tuple[str, ...]
    fields: tuple[str, ...]
    also: Callable[[Any], int] | None = None  # given the rows' queryset

    def rows_of(self, record_id: int) -> Any:
        """The rows of ``model`` tied to the record by any of ``record_lookups``."""
        from django.db.models import Q

        tied = Q()
        for lookup in self.record_lookups:
            tied |= Q(**{lookup: record_id})
        return self.model.objects.filter(tied)


_DISPOSAL_TARGETS: dict[str, DisposalTarget] = {}


def register_disposal_target(name: str, target: DisposalTarget) -> None:
    _DISPOSAL_TARGETS[name] = target


def disposal_targets() -> list[tuple[str, DisposalTarget]]:
    return sorted(_DISPOSAL_TARGETS.items())
