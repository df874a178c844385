"""Registry writes: register a trained model, approve, reject, roll back. Each is atomic and audited.

``actor`` is None for system work (the command line, the demo loader); a person must be an
approver (screening.policy.MODEL_APPROVERS) to approve, reject or roll back.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.screening import actions, functional
from umbrella.screening.contrastive import contrastive_examples, how_many
from umbrella.screening.model import (
    DEFAULT_SEED,
    HATE,
    Example,
    TrainedModel,
    cross_fitted_scores,
    sha256_of,
    train_and_evaluate,
)
from umbrella.screening.models import ModelStatus, ScreeningModel
from umbrella.screening.policy import can_approve_models
from umbrella.screening.scoring import indicator_matcher
from umbrella.screening.training import TrainingData, model_labels

if TYPE_CHECKING:
    from umbrella.accounts.models import User

_VERSION = re.compile(r"^v(\d+)$")


def _require_approver(actor: User | None) -> None:
    if actor is not None and not can_approve_models(actor):
        raise PermissionDenied("Only system administrators and hub supervisors can decide on screening models.")


def _next_version() -> str:
    numbers = [int(m.group(1)) for v in ScreeningModel.objects.values_list("version", flat=True) if (m := _VERSION.match(v))]
    return f"v{max(numbers, default=0) + 1}"


@transaction.atomic
def model_register(
    *,
    actor: User | None,
    model: TrainedModel,
    training_summary: dict[str, Any],
    evaluation: dict[str, Any],
    notes: str = "",
    approve: bool = False,
) -> ScreeningModel:
    """Stores a trained model as a new candidate version (and approves it at once if asked)."""
    data = model.to_bytes()
    # Lock the registry so two trainings do not take the same version number.
    list(ScreeningModel.objects.select_for_update().values_list("pk", flat=True))
    registered = ScreeningModel.objects.create(
        version=_next_version(),
        labels=list(model.labels),
        trained_by=actor,
        training_summary=training_summary,
        evaluation=evaluation,
        artefact=data,
        artefact_sha256=sha256_of(data),
        notes=notes,
    )
    audit_event_write(
        actor=actor, action=actions.MODEL_REGISTER, target=registered, target_label=registered.version,
        changes={"version": registered.version, "labels": registered.labels, "rows": training_summary.get("rows"),
                 "sha256": registered.artefact_sha256},
    )
    if approve:
        return model_approve(actor=actor, model=registered)
    return registered


@transaction.atomic
def model_approve(*, actor: User | None, model: ScreeningModel) -> ScreeningModel:
    """Makes ``model`` the one that screens live data; the previously approved one is retired."""
    _require_approver(actor)
    model = ScreeningModel.objects.select_for_update().get(pk=model.pk)
    if model.status == ModelStatus.APPROVED:
        return model
    if model.status == ModelStatus.REJECTED:
        raise ValidationError("A rejected model cannot be approved; train a new one.")
    previous = ScreeningModel.objects.select_for_update().filter(status=ModelStatus.APPROVED).first()
    if previous is not None:
        previous.status = ModelStatus.RETIRED
        previous.save(update_fields=["status"])
    model.status = ModelStatus.APPROVED
    model.approved_by = actor
    model.approved_at = timezone.now()
    model.replaced = previous
    model.save(update_fields=["status", "approved_by", "approved_at", "replaced"])
    audit_event_write(
        actor=actor, action=actions.MODEL_APPROVE, target=model, target_label=model.version,
        changes={"status": ModelStatus.APPROVED, "retired": previous.version if previous else None},
    )
    return model


@transaction.atomic
def model_reject(*, actor: User | None, model: ScreeningModel, note: str = "") -> ScreeningModel:
    """Marks a candidate as not to be used."""
    _require_approver(actor)
    model = ScreeningModel.objects.select_for_update().get(pk=model.pk)
    if model.status != ModelStatus.CANDIDATE:
        raise ValidationError("Only a candidate model can be rejected; roll back an approved one instead.")
    model.status = ModelStatus.REJECTED
    if note.strip():
        model.notes = f"{model.notes}\n{note.strip()}".strip()
    model.save(update_fields=["status", "notes"])
    audit_event_write(
        actor=actor, action=actions.MODEL_REJECT, target=model, target_label=model.version,
        changes={"status": ModelStatus.REJECTED, "note": "set" if note.strip() else None},
    )
    return model


@transaction.atomic
def model_rollback(*, actor: User | None) -> ScreeningModel:
    """Re-approves the model the current approved one replaced; the current one is retired."""
    _require_approver(actor)
    current = ScreeningModel.objects.select_for_update().filter(status=ModelStatus.APPROVED).first()
    if current is None or current.replaced_id is None:
        raise ValidationError("There is no previously approved model to roll back to.")
    previous = ScreeningModel.objects.select_for_update().get(pk=current.replaced_id)
    current.status = ModelStatus.RETIRED
    current.save(update_fields=["status"])
    previous.status = ModelStatus.APPROVED
    previous.approved_by = actor
    previous.approved_at = timezone.now()
    previous.save(update_fields=["status", "approved_by", "approved_at"])
    audit_event_write(
        actor=actor, action=actions.MODEL_ROLLBACK, target=previous, target_label=previous.version,
        changes={"status": ModelStatus.APPROVED, "retired": current.version},
    )
    return previous


DOUBTFUL_AT = 0.5
FOLDS = 3


def reliable_examples(
    examples: Sequence[Example], *, extra: Sequence[Example], seed: int
) -> tuple[list[Example], int]:
    """The examples without the unconfirmed 'not hate' rows that read as hate, and how many were left out.

    An other crime nobody reviewed is 'not hate' only by default: some are the unflagged hate that
    screening exists to find, and teaching them as 'not hate' would teach the model to miss them. So
    each is read by a model that never saw it: the unconfirmed rows are cut into ``FOLDS`` parts, and
    each part is scored by a model trained on everything else (with the contrastive rows); those
    scored at ``DOUBTFUL_AT`` or more are left out (a cross-validated filter for noisy labels, Brodley
    and Friedl 1999).
    """
    unconfirmed = [i for i, e in enumerate(examples) if e.unconfirmed and HATE not in e.labels]
    if len(unconfirmed) < FOLDS or not any(HATE in e.labels for e in examples):
        return list(examples), 0
    order = list(unconfirmed)
    random.Random(seed).shuffle(order)
    rows = [*examples, *extra]
    scores = cross_fitted_scores(
        [e.text for e in rows], [HATE in e.labels for e in rows],
        folds=[order[fold::FOLDS] for fold in range(FOLDS)], seed=seed,
    )
    doubtful = {i for i, score in scores.items() if score >= DOUBTFUL_AT}
    return [e for i, e in enumerate(examples) if i not in doubtful], len(doubtful)


def model_train(
    *,
    actor: User | None,
    data: TrainingData,
    approve: bool = False,
    notes: str = "",
    seed: int = DEFAULT_SEED,
    contrastive: bool = True,
) -> ScreeningModel:
    """Trains on ``data`` (held-out evaluation, fixed seed) and registers the result.

    With ``contrastive`` (the default), the team's contrastive examples join the training rows
    (umbrella/screening/contrastive.py): without them a model learns that naming an identity is hate.
    Training runs outside any transaction (it takes seconds); only the registration is atomic.
    """
    try:
        matcher = indicator_matcher()
    except ImportError:  # the indicator engine is optional for training from a file
        matcher = None
    extra = contrastive_examples(how_many(len(data.examples)), seed=seed) if contrastive else []
    feature_fn = matcher.features if matcher is not None else None
    examples, doubtful = reliable_examples(data.examples, extra=extra, seed=seed)
    result = train_and_evaluate(
        examples,
        labels=model_labels(examples),
        feature_fn=feature_fn,
        seed=seed,
        extra_training=extra,
    )
    # The functional cases, beside both baselines trained on the same rows: the card shows them.
    trained_on = [*examples, *extra]
    result.evaluation["functional"] = functional.compare(
        result.model, texts=[e.text for e in trained_on], label_sets=[e.labels for e in trained_on],
        feature_fn=feature_fn, seed=seed,
    )
    sources = list(data.summary.get("sources", []))
    if doubtful:
        sources.append({"kind": "left out as doubtful", "rows": doubtful,
                        "rule": "other crimes no reviewer decided on that a model trained without them read as hate: "
                                "they may be the unflagged hate screening looks for, so they are not taught as "
                                "'not hate' (a cross-validated filter for noisy labels)"})
    if extra:
        sources.append({"kind": "contrastive examples", "rows": len(extra), "seed": seed,
                        "rule": "written by the team, training rows only: half ordinary crime that names an identity "
                                "or a place of worship (not hate), half hostility in the words people use (hate and "
                                "its strand)"})
    summary = {
        **data.summary,
        "sources": sources,
        "train_rows": result.train_rows,
        "test_rows": result.test_rows,
        "contrastive_rows": len(extra),
        "left_out_as_doubtful": doubtful,
        "seed": seed,
        "indicators_version": getattr(matcher, "version", None),
    }
    return model_register(
        actor=actor, model=result.model, training_summary=summary, evaluation=result.evaluation, notes=notes,
        approve=approve,
    )


RETRAIN_SAMPLE = 20000


def retrain_scope(actor: User) -> list[int] | None:
    """The records a retraining asked for by ``actor`` learns from: their own organisation's (a
    system administrator with none: every organisation's)."""
    return [actor.organisation_id] if actor.organisation_id is not None else None


@transaction.atomic
def model_retrain_request(*, actor: User) -> None:
    """Checks and audits a request for a new candidate trained on the records and reviewers'
    decisions so far; the caller then runs ``tasks.retrain_from_records`` (a background job). The
    approved model keeps screening until someone approves the candidate, and stays available to
    roll back to after that."""
    from umbrella.cases.models import Record, RecordStatus

    _require_approver(actor)
    scope = retrain_scope(actor)
    records = Record.objects.exclude(status=RecordStatus.DRAFT)
    if scope is not None:
        records = records.filter(organisation_id__in=scope)
    if not records.exists():
        raise ValidationError("There are no records to train on yet.")
    audit_event_write(actor=actor, action=actions.MODEL_RETRAIN, target_type="screening.screeningmodel",
                      target_label="retraining", changes={"organisations": scope, "sample": RETRAIN_SAMPLE})


def model_retrain(*, actor: User) -> ScreeningModel:
    """Trains a candidate from the records in ``actor``'s scope and registers it (not approved)."""
    from umbrella.screening.training import examples_from_records

    _require_approver(actor)
    data = examples_from_records(organisation_ids=retrain_scope(actor), sample=RETRAIN_SAMPLE)
    return model_train(actor=actor, data=data, notes="Retrained from the records and reviewers' decisions so far.")
