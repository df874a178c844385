"""Every write of the intelligence products: validated, audited."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.crypto.fields import encrypt
from umbrella.intelligence import actions
from umbrella.intelligence.models import (
    ASSESSMENT_COLUMN,
    RECOMMENDATIONS_COLUMN,
    ProblemProfile,
    ProductKind,
    ProfileVersion,
)
from umbrella.intelligence.policy import can_make_products
from umbrella.reference.selectors import current_code

if TYPE_CHECKING:
    from umbrella.accounts.models import User


@transaction.atomic
def profile_create(
    *, actor: User, kind: str, area: str, strand: str, first_month: date, last_month: date,
) -> ProblemProfile:
    """A problem profile or tactical assessment of an area, a strand (or every strand) and whole
    months. Refused, with nothing saved: for a role that does not make them, an unknown kind, area
    or strand, the last month before the first, or a month not yet ended."""
    if not can_make_products(actor):
        raise PermissionDenied("Your role does not make intelligence products.")
    errors: dict[str, str] = {}
    if kind not in ProductKind.values:
        errors["kind"] = "Choose a problem profile or a tactical assessment"
    if area != "london" and current_code(scheme="borough", code=area) is None:
        errors["area"] = "Choose a borough from the list, or all of London"
    if strand and current_code(scheme="strand", code=strand) is None:
        errors["strand"] = "Choose a strand from the list"
    first_month, last_month = first_month.replace(day=1), last_month.replace(day=1)
    if last_month < first_month:
        errors["last_month"] = "The last month must be the same as or after the first"
    elif last_month >= timezone.localdate().replace(day=1):
        errors["last_month"] = "The last month must have ended"
    if errors:
        raise ValidationError(errors)
    assert actor.organisation_id is not None  # can_make_products requires one
    profile = ProblemProfile.objects.create(
        organisation_id=actor.organisation_id, kind=kind, area=area, strand=strand, first_month=first_month,
        last_month=last_month, created_by=actor,
    )
    audit_event_write(actor=actor, action=actions.PROFILE_CREATE, target=profile, target_label=str(profile),
                      changes={"kind": kind, "area": area, "strand": strand,
                               "months": [f"{first_month:%Y-%m}", f"{last_month:%Y-%m}"]})
    return profile


@transaction.atomic
def profile_version_write(*, actor: User, profile: ProblemProfile, assessment: str, recommendations: str) -> ProfileVersion:
    """The analyst's sections as a new version (the earlier ones are kept)."""
    if not can_make_products(actor) or profile.organisation_id != actor.organisation_id:
        raise PermissionDenied("Only your organisation's analysts and supervisors write its products.")
    if not assessment.strip() and not recommendations.strip():
        raise ValidationError({"assessment": "Enter the assessment, the recommendations or both"})
    ProblemProfile.objects.select_for_update().get(pk=profile.pk)
    number = (ProfileVersion.objects.filter(profile=profile).aggregate(n=Max("number"))["n"] or 0) + 1
    version = ProfileVersion.objects.create(
        profile=profile, number=number, written_by=actor,
        assessment=encrypt(assessment.strip(), organisation_id=profile.organisation_id, column=ASSESSMENT_COLUMN) or "",
        recommendations=encrypt(recommendations.strip(), organisation_id=profile.organisation_id,
                                column=RECOMMENDATIONS_COLUMN) or "",
    )
    audit_event_write(actor=actor, action=actions.PROFILE_VERSION, target=version, target_label=str(profile),
                      changes={"version": number, "assessment": "set" if assessment.strip() else "empty",
                               "recommendations": "set" if recommendations.strip() else "empty"})
    return version


@transaction.atomic
def profile_downloaded(*, actor: User, profile: ProblemProfile) -> None:
    audit_event_write(actor=actor, action=actions.PROFILE_DOWNLOAD, target=profile, target_label=str(profile),
                      changes={"format": "pdf"})
