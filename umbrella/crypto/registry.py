"""Which columns hold ``crypto.fields.encrypt`` output, declared once on each model.

A model lists its encrypted fields and the path to the organisation whose key seals each row::

    class Record(models.Model):
        ...
        ENCRYPTED = Encrypted(fields=("narrative",))

The associated data that binds a value to its column is the model's label and the field name
(``cases.record.narrative``): ``column_of(Record, "narrative")``. Key rotation finds every
declared column here, and ``encrypt`` refuses a column nobody declared, so a new encrypted field
cannot be left out of rotation. Nothing here imports an app: the apps import this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Encrypted:
    fields: tuple[str, ...]
    # ORM path from the model to the id of the organisation whose data key seals the row.
    organisation: str = "organisation_id"
    # The label bound into every value's associated data. Empty means the model's own label; a
    # model that moved to another app keeps the label its values were sealed under, so they still
    # open (``RecordShare`` moved from ``sharing`` to ``cases`` and keeps ``sharing.recordshare``).
    sealed_as: str = ""


@dataclass(frozen=True)
class EncryptedModel:
    model: Any
    fields: tuple[tuple[str, str], ...]  # (model field, column: the associated data)
    organisation: str

    @property
    def model_label(self) -> str:
        return str(self.model._meta.label)


def column_of(model: Any, field: str) -> str:
    """The associated data of one declared encrypted field, e.g. ``cases.record.narrative``."""
    declared: Encrypted | None = getattr(model, "ENCRYPTED", None)
    if declared is None or field not in declared.fields:
        raise LookupError(f"{model.__name__}.{field} is not declared in {model.__name__}.ENCRYPTED")
    return f"{declared.sealed_as or model._meta.label_lower}.{field}"


@cache
def encrypted_models() -> tuple[EncryptedModel, ...]:
    """Every model that declares encrypted columns, in a stable order (needs the app registry)."""
    from django.apps import apps

    found = []
    # Records and people first (most of the data, and what rotation always did first), then the rest by name.
    first = {"cases.record": 0, "cases.person": 1}
    for model in sorted(apps.get_models(), key=lambda m: (first.get(m._meta.label_lower, 2), m._meta.label_lower)):
        declared: Encrypted | None = model.__dict__.get("ENCRYPTED")
        if declared is None:
            continue
        for name in declared.fields:
            model._meta.get_field(name)  # a typo in a declaration fails here, not at rotation time
        found.append(EncryptedModel(
            model=model,
            fields=tuple((name, column_of(model, name)) for name in declared.fields),
            organisation=declared.organisation,
        ))
    return tuple(found)


@cache
def registered_columns() -> frozenset[str]:
    return frozenset(column for spec in encrypted_models() for _, column in spec.fields)


@dataclass(frozen=True)
class RotationStep:
    """Encrypted data that is not a text column (e.g. evidence files), which its app re-encrypts
    itself when an organisation's data key is rotated. ``pending`` counts what is not yet under
    ``key_id``; ``run`` moves it there and returns how much it moved."""

    name: str
    pending: Callable[[int, str], int]
    run: Callable[[int, str], int]


_ROTATION_STEPS: dict[str, RotationStep] = {}


def register_rotation_step(step: RotationStep) -> None:
    _ROTATION_STEPS[step.name] = step


def rotation_steps() -> tuple[RotationStep, ...]:
    return tuple(_ROTATION_STEPS[name] for name in sorted(_ROTATION_STEPS))
