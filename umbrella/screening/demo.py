"""Demo: train and approve a first screening model from the synthetic London, then screen the feed."""

from __future__ import annotations

import time
from datetime import datetime

from umbrella.screening.models import ScreeningModel
from umbrella.screening.records import screen_feed
from umbrella.screening.services import model_train
from umbrella.screening.training import TrainingDataError, examples_from_records

DEMO_NOTE = "Demo model: trained on a sample of the synthetic London records."
SAMPLE = 5000


def load_demo(*, seed: int, now: datetime) -> str:
    """Idempotent: a second run finds the demo model and trains nothing."""
    existing = ScreeningModel.objects.filter(notes=DEMO_NOTE).defer("artefact").first()
    if existing is not None:
        return f"screening: demo model {existing.version} already registered ({existing.status})"
    started = time.perf_counter()
    try:
        data = examples_from_records(sample=SAMPLE, seed=seed)
    except TrainingDataError:
        return "screening: no records to train on; no model"
    registered = model_train(actor=None, data=data, approve=True, notes=DEMO_NOTE, seed=seed)
    counts = screen_feed()
    hate = registered.evaluation.get("labels", {}).get("hate", {})
    return (
        f"screening: model {registered.version} trained on {data.summary['rows']} records and approved "
        f"(held-out hate F1 {hate.get('f1')}); screened {counts.records} other-crime records, "
        f"{counts.unflagged_hate + counts.strand + counts.missing_online} suggestions "
        f"({time.perf_counter() - started:.1f} s)"
    )
