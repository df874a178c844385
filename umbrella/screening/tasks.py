"""Background tasks: thin, take ids. The screening modules load scikit-learn (seconds), so they are
imported when a task runs, not when one is enqueued."""

from __future__ import annotations

from django_tasks import task


@task()
def screen_record(record_id: int) -> int:
    """Screens one record with the approved model; returns how many suggestions it queued."""
    from umbrella.screening.records import screen_record_by_id

    counts = screen_record_by_id(record_id)
    return counts.unflagged_hate + counts.strand + counts.missing_online


@task()
def screen_record_batch(record_ids: list[int]) -> int:
    """Screens many new records (an import batch) in one pass; returns the suggestions queued."""
    from umbrella.screening.selectors import approved_model

    if approved_model() is None:
        return 0  # nothing screens until a model is approved
    from umbrella.screening import records

    counts = records.screen_records_by_ids(record_ids)
    return counts.unflagged_hate + counts.strand + counts.missing_online


@task()
def retrain_from_records(actor_id: int) -> str:
    """Trains a candidate model for the approver who asked; returns its version (or why there is none)."""
    from umbrella.accounts.models import User
    from umbrella.screening.services import model_retrain
    from umbrella.screening.training import TrainingDataError

    try:
        return model_retrain(actor=User.objects.get(pk=actor_id)).version
    except TrainingDataError as error:
        return f"not trained: {error}"
