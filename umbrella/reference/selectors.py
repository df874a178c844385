"""Reads of reference data. Reference data is not personal, so any signed-in user may read it."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from umbrella.reference.models import Code, CodeQuerySet, ReferenceVersion, Scheme, Verification


def current_codes(*, scheme: str) -> CodeQuerySet:
    return Code.objects.current().of(scheme).order_by("sort_order", "label")


def current_code(*, scheme: str, code: str) -> Code | None:
    return Code.objects.current().of(scheme).filter(code=code).first()


def code_labels(*, scheme: str) -> dict[str, str]:
    """Every code the scheme has had, with its latest label: so a page never shows a raw code,
    not even a retired one on an old record."""
    return dict(Code.objects.filter(scheme=scheme).order_by("introduced_in__number", "pk").values_list("code", "label"))


_LABELS: dict[str, tuple[float, dict[str, str]]] = {}
_LABELS_FOR_SECONDS = 60.0  # reference data changes rarely; saving a code clears this at once


def cached_code_labels(scheme: str, *, needing: str = "") -> dict[str, str]:
    """``code_labels`` kept for a minute, for templates that label many codes; read again when
    ``needing`` is a code the kept copy does not have (codes loaded in bulk fire no signal)."""
    now = time.monotonic()
    cached = _LABELS.get(scheme)
    if cached is None or now - cached[0] > _LABELS_FOR_SECONDS or (needing and needing not in cached[1]):
        cached = (now, code_labels(scheme=scheme))
        _LABELS[scheme] = cached
    return cached[1]


def clear_code_labels(**_: object) -> None:
    _LABELS.clear()


def latest_version() -> ReferenceVersion:
    version = ReferenceVersion.objects.order_by("-number").first()
    if version is None:
        # A database with no reference data yet (e.g. a bare test database) gets version 1.
        version = ReferenceVersion.objects.create(number=1, summary="Initial (empty) reference data")
    return version


def sub_categories_of(*, strand_code: str) -> CodeQuerySet:
    return current_codes(scheme="sub_category").filter(parent_code=strand_code)


@dataclass(frozen=True)
class SchemeSummary:
    scheme: str
    label: str
    current: int
    unverified: int
    retired: int


def scheme_summaries() -> list[SchemeSummary]:
    """Every scheme with its counts, in the order Scheme declares them (empty schemes included)."""
    counts: dict[str, dict[str, int]] = {}
    rows = Code.objects.order_by().values("scheme").annotate(
        current=Count("pk", filter=Q(retired_in__isnull=True)),
        unverified=Count("pk", filter=Q(retired_in__isnull=True, verification=Verification.UNVERIFIED)),
        retired=Count("pk", filter=Q(retired_in__isnull=False)),
    )
    for row in rows:
        counts[row["scheme"]] = row
    return [
        SchemeSummary(
            scheme=value,
            label=str(label),
            current=counts.get(value, {}).get("current", 0),
            unverified=counts.get(value, {}).get("unverified", 0),
            retired=counts.get(value, {}).get("retired", 0),
        )
        for value, label in Scheme.choices
    ]


def code_history(*, scheme: str, code: str) -> CodeQuerySet:
    """Every row a code has had, newest first."""
    return (
        Code.objects.of(scheme)
        .filter(code=code)
        .select_related("introduced_in", "retired_in")
        .order_by("-introduced_in__number", "-pk")
    )


def version_list() -> QuerySet[ReferenceVersion]:
    return ReferenceVersion.objects.select_related("created_by").annotate(
        introduced_count=Count("introduced", distinct=True), retired_count=Count("retired", distinct=True)
    ).order_by("-number")


def version_changes(*, number: int) -> tuple[ReferenceVersion, CodeQuerySet, CodeQuerySet]:
    """A version with the rows it introduced and the rows it retired. Raises DoesNotExist."""
    version = ReferenceVersion.objects.select_related("created_by").get(number=number)
    introduced = Code.objects.filter(introduced_in=version).order_by("scheme", "sort_order", "code")
    retired = Code.objects.filter(retired_in=version).order_by("scheme", "sort_order", "code")
    return version, introduced, retired


def aggravated_forms_of(*, basic_code: str) -> CodeQuerySet:
    """Current racially or religiously aggravated offences whose basic form is ``basic_code``."""
    return current_codes(scheme="offence").filter(attributes__aggravated_form_of=basic_code)


def basic_form_of(*, offence: Code) -> Code | None:
    """The current basic offence an aggravated offence row points at, if any."""
    basic = offence.attributes.get("aggravated_form_of") if isinstance(offence.attributes, dict) else None
    return current_code(scheme="offence", code=str(basic)) if basic else None
