"""Registry reads. Pages are for screening.policy.MODEL_VIEWERS; the rest are for system work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from umbrella.screening.models import ModelStatus, ScreeningModel
from umbrella.screening.policy import can_view_models

if TYPE_CHECKING:
    # scikit-learn and SciPy take seconds to import; pages that only list models must not pay that.
    from umbrella.screening.model import TrainedModel

# Loaded artefacts by sha256: loading is the slow part, and a digest names the bytes exactly.
_LOADED: dict[str, TrainedModel] = {}


@dataclass(frozen=True)
class ActiveModel:
    id: int
    version: str
    model: TrainedModel


def models_list(*, user: Any) -> QuerySet[ScreeningModel]:
    if not can_view_models(user):
        return ScreeningModel.objects.none()
    return ScreeningModel.objects.defer("artefact").select_related("trained_by", "approved_by")


def model_get(*, user: Any, model_id: int) -> ScreeningModel:
    return models_list(user=user).get(pk=model_id)


def approved_model() -> ScreeningModel | None:
    return ScreeningModel.objects.defer("artefact").filter(status=ModelStatus.APPROVED).first()


def approved_for_comparison(model: ScreeningModel) -> ScreeningModel | None:
    """The approved model, for a candidate's card to set its figures beside; None otherwise."""
    if model.status != ModelStatus.CANDIDATE:
        return None
    return approved_model()


def has_rollback_target() -> bool:
    return ScreeningModel.objects.filter(status=ModelStatus.APPROVED, replaced__isnull=False).exists()


def load_model(registered: ScreeningModel) -> TrainedModel:
    """The registered model's classifier; raises ArtefactIntegrityError if its bytes were altered."""
    cached = _LOADED.get(registered.artefact_sha256)
    if cached is not None:
        return cached
    from umbrella.screening.model import TrainedModel

    data = ScreeningModel.objects.filter(pk=registered.pk).values_list("artefact", flat=True).get()
    loaded = TrainedModel.from_bytes(bytes(data), sha256=registered.artefact_sha256)
    _LOADED[registered.artefact_sha256] = loaded
    return loaded


def active_model() -> ActiveModel | None:
    """The approved model, loaded; None when no model is approved (screening then does nothing)."""
    registered = approved_model()
    if registered is None:
        return None
    return ActiveModel(id=registered.pk, version=registered.version, model=load_model(registered))


def clear_cache() -> None:
    _LOADED.clear()
