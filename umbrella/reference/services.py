"""Every change to reference data. Keyword-only, typed, atomic, each writing its audit event.

Codes are never edited in place: a record points at the exact row it used, so a change retires
the row and adds a new one, both in a new ReferenceVersion. Records made before the change keep
the wording and meaning that applied when they were made.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from umbrella.accounts.policy import REFERENCE_ADMINS, has_role
from umbrella.audit import actions
from umbrella.audit.services import audit_event_write
from umbrella.reference.models import Code, ReferenceVersion, Scheme, Verification

if TYPE_CHECKING:
    from umbrella.accounts.models import User

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
GSS_PATTERN = re.compile(r"^[EWSN]\d{8}$")
# Schemes whose rows hang under a row of another scheme.
PARENT_SCHEME = {Scheme.SUB_CATEGORY.value: Scheme.STRAND.value, Scheme.OUTCOME.value: Scheme.OUTCOME_GROUP.value}
# Schemes whose children stop a row being retired.
CHILD_SCHEME = {parent: child for child, parent in PARENT_SCHEME.items()}


def _require_admin(actor: User) -> None:
    if not has_role(actor, REFERENCE_ADMINS):
        raise PermissionDenied("Only system administrators can change reference data.")


def _new_version(*, actor: User, summary: str) -> ReferenceVersion:
    # Locking the newest version row makes concurrent changes take numbers one after another.
    latest = ReferenceVersion.objects.select_for_update().order_by("-number").first()
    number = latest.number + 1 if latest is not None else 1
    return ReferenceVersion.objects.create(number=number, summary=summary[:300], created_by=actor)


def _snapshot(row: Code) -> dict[str, Any]:
    return {
        "id": row.pk,
        "scheme": row.scheme,
        "code": row.code,
        "label": row.label,
        "description": row.description,
        "parent_code": row.parent_code,
        "attributes": row.attributes,
        "verification": row.verification,
        "source": row.source,
        "sort_order": row.sort_order,
    }


def _current_row(*, scheme: str, code: str) -> Code | None:
    return Code.objects.current().of(scheme).filter(code=code).first()


def _validate_content(
    *,
    scheme: str,
    code: str,
    label: str,
    parent_code: str,
    attributes: dict[str, Any],
    verification: str,
    source: str,
) -> None:
    """Checks the parts of a code that do not depend on whether it is new or an edit."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not label.strip():
        add("label", "Enter a label.")
    elif len(label) > 200:
        add("label", "Label must be 200 characters or fewer.")
    if verification not in Verification.values:
        add("verification", "Select how this code was verified.")
    elif verification in (Verification.OFFICIAL, Verification.SECONDARY) and not source.strip():
        add("source", "Enter the source that verifies this code.")
    if len(source) > 500:
        add("source", "Source must be 500 characters or fewer.")

    parent_scheme = PARENT_SCHEME.get(scheme)
    if parent_scheme is None:
        if parent_code:
            add("parent_code", f"Codes in “{Scheme(scheme).label}” do not have a parent.")
    elif not parent_code:
        add("parent_code", f"Select the {Scheme(parent_scheme).label.lower()} entry this belongs to.")
    elif _current_row(scheme=parent_scheme, code=parent_code) is None:
        add("parent_code", f"“{parent_code}” is not a current code in “{Scheme(parent_scheme).label}”.")

    if not isinstance(attributes, dict):
        add("attributes", "Attributes must be a JSON object, for example {\"monitored\": true}.")
    else:
        if scheme == Scheme.STRAND and not isinstance(attributes.get("monitored"), bool):
            add("attributes", "A strand needs \"monitored\": true or false.")
        if scheme == Scheme.BOROUGH:
            if not GSS_PATTERN.match(code):
                add("code", "A borough's code must be its GSS code, for example E09000001.")
            elif attributes.get("gss") != code:
                add("attributes", f"A borough needs \"gss\": \"{code}\", the same as its code.")
        basic = attributes.get("aggravated_form_of")
        if basic is not None:
            if scheme != Scheme.OFFENCE:
                add("attributes", "Only offences can be an aggravated form of another code.")
            elif basic == code:
                add("attributes", "An offence cannot be the aggravated form of itself.")
            elif _current_row(scheme=Scheme.OFFENCE, code=str(basic)) is None:
                add("attributes", f"“{basic}” is not a current offence code.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def code_create(
    *,
    actor: User,
    scheme: str,
    code: str,
    label: str,
    description: str = "",
    parent_code: str = "",
    attributes: dict[str, Any] | None = None,
    verification: str = Verification.LOCAL,
    source: str = "",
    sort_order: int | None = None,
) -> Code:
    """Adds a new code to a scheme, in a new reference version."""
    _require_admin(actor)
    attributes = {} if attributes is None else attributes
    code = code.strip()
    label = label.strip()
    if scheme not in Scheme.values:
        raise ValidationError({"scheme": ["Choose a code list that exists."]})
    if not CODE_PATTERN.match(code):
        raise ValidationError(
            {"code": ["Enter a code of up to 64 letters, numbers, dots, hyphens or underscores, with no spaces."]}
        )
    if Code.objects.of(scheme).filter(code=code).exists():
        if _current_row(scheme=scheme, code=code) is not None:
            message = f"“{code}” is already a code in “{Scheme(scheme).label}”. Edit that code instead."
        else:
            # Reusing a retired code would give old records' code a new meaning.
            message = f"“{code}” was used before in “{Scheme(scheme).label}” and has been retired. Choose another code."
        raise ValidationError({"code": [message]})
    _validate_content(
        scheme=scheme, code=code, label=label, parent_code=parent_code, attributes=attributes,
        verification=verification, source=source,
    )
    if sort_order is None:
        last = Code.objects.current().of(scheme).order_by("-sort_order").values_list("sort_order", flat=True).first()
        sort_order = (last or 0) + 10
    version = _new_version(actor=actor, summary=f"Added “{label}” ({code}) to {Scheme(scheme).label}")
    row = Code.objects.create(
        scheme=scheme,
        code=code,
        label=label,
        description=description.strip(),
        parent_code=parent_code,
        attributes=attributes,
        verification=verification,
        source=source.strip(),
        sort_order=sort_order,
        introduced_in=version,
    )
    audit_event_write(
        actor=actor,
        action=actions.REFERENCE_CODE_CREATE,
        target=row,
        target_label=f"{scheme}:{code}",
        changes={"version": version.number, "before": None, "after": _snapshot(row)},
    )
    return row


def _lock_current(row: Code) -> Code:
    locked = Code.objects.select_for_update().filter(pk=row.pk).first()
    if locked is None or not locked.is_current:
        raise ValidationError(
            "This code has been changed or retired since you opened it. Go back to the list to see the current version."
        )
    return locked


@transaction.atomic
def code_update(
    *,
    actor: User,
    code: Code,
    label: str,
    description: str,
    parent_code: str,
    attributes: dict[str, Any],
    verification: str,
    source: str,
    sort_order: int,
) -> Code:
    """Retires ``code`` and adds its replacement with the same code value, in one new version.

    Records keep pointing at the retired row, so what they recorded does not change under them.
    """
    _require_admin(actor)
    current = _lock_current(code)
    label = label.strip()
    description = description.strip()
    source = source.strip()
    _validate_content(
        scheme=current.scheme, code=current.code, label=label, parent_code=parent_code,
        attributes=attributes, verification=verification, source=source,
    )
    before = _snapshot(current)
    proposed = {
        "label": label, "description": description, "parent_code": parent_code, "attributes": attributes,
        "verification": verification, "source": source, "sort_order": sort_order,
    }
    if all(before[key] == value for key, value in proposed.items()):
        raise ValidationError("You have not changed anything.")
    version = _new_version(
        actor=actor, summary=f"Changed “{current.label}” ({current.code}) in {Scheme(current.scheme).label}"
    )
    current.retired_in = version
    current.save(update_fields=["retired_in"])
    replacement = Code.objects.create(
        scheme=current.scheme,
        code=current.code,
        label=label,
        description=description,
        parent_code=parent_code,
        attributes=attributes,
        verification=verification,
        source=source,
        sort_order=sort_order,
        introduced_in=version,
    )
    after = _snapshot(replacement)
    audit_event_write(
        actor=actor,
        action=actions.REFERENCE_CODE_UPDATE,
        target=replacement,
        target_label=f"{current.scheme}:{current.code}",
        changes={
            "version": version.number,
            "before": before,
            "after": after,
            "changed": sorted(key for key in proposed if before[key] != after[key]),
        },
    )
    return replacement


@transaction.atomic
def code_retire(*, actor: User, code: Code, reason: str) -> Code:
    """Stops a code being offered for new records. Records that used it keep it."""
    _require_admin(actor)
    current = _lock_current(code)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Enter why this code is being retired."]})
    if len(reason) > 250:
        raise ValidationError({"reason": ["Reason must be 250 characters or fewer."]})
    child_scheme = CHILD_SCHEME.get(current.scheme)
    if child_scheme is not None:
        children = Code.objects.current().of(child_scheme).filter(parent_code=current.code).count()
        if children:
            raise ValidationError(
                f"“{current.label}” still has {children} current {Scheme(child_scheme).label.lower()}. "
                "Retire or move those first."
            )
    if current.scheme == Scheme.OFFENCE:
        aggravated = Code.objects.current().of(Scheme.OFFENCE).filter(attributes__aggravated_form_of=current.code)
        if aggravated.exists():
            raise ValidationError(
                f"“{current.label}” is the basic form of a current aggravated offence. Change or retire that first."
            )
    version = _new_version(
        actor=actor, summary=f"Retired “{current.label}” ({current.code}) from {Scheme(current.scheme).label}"
    )
    current.retired_in = version
    current.save(update_fields=["retired_in"])
    audit_event_write(
        actor=actor,
        action=actions.REFERENCE_CODE_RETIRE,
        target=current,
        target_label=f"{current.scheme}:{current.code}",
        changes={"version": version.number, "before": _snapshot(current), "after": None, "reason": reason},
    )
    return current
