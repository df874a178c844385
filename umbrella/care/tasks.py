"""The daily Victims' Code timers job: a handful of set-based statements, whatever the caseload.

1. Open timers of closed records are cancelled.
2. Every open case (a record under the Victims' Code, not closed) without an unmet progress
   update gets the next one, due the configured number of days after its last progress update
   (or after care began): one INSERT ... SELECT.
3. Open timers whose due time has passed are marked missed: one UPDATE.

Run it with ``umbrella care-timers`` or the ``care_timers_task`` django-tasks task.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from umbrella.audit.services import audit_event_write
from umbrella.care import actions
from umbrella.care.models import Timer, TimerKind, TimerStatus, VictimCare
from umbrella.care.services import progress_update_days
from umbrella.cases.models import Record, RecordStatus

OPEN_RECORD_STATUSES = (RecordStatus.RECORDED, RecordStatus.UNDER_INVESTIGATION)


@dataclass(frozen=True)
class TimersRun:
    cancelled: int
    created: int
    missed: int


def _create_progress_timers(now: datetime, days: int) -> int:
    timer, care, record = Timer._meta.db_table, VictimCare._meta.db_table, Record._meta.db_table
    last_met = (
        f"COALESCE((SELECT MAX(p.met_at) FROM {timer} p WHERE p.record_id = r.id AND p.kind = %s), c.created_at)"  # noqa: S608
    )
    if connection.vendor == "postgresql":
        due = f"{last_met} + make_interval(days => %s)"
        day_param: Any = days
    else:
        # SQLite keeps datetimes as ISO text in UTC; datetime() shifts and gives the same form back.
        due = f"datetime({last_met}, %s)"
        day_param = f"+{days} days"
    sql = (
        f"INSERT INTO {timer} (record_id, organisation_id, team_id, assignee_id, kind, due_at, status, created_at) "  # noqa: S608
        f"SELECT r.id, r.organisation_id, r.team_id, r.created_by_id, %s, {due}, %s, %s "
        f"FROM {care} c JOIN {record} r ON r.id = c.record_id "
        f"WHERE r.status IN (%s, %s) AND NOT EXISTS ("
        f"SELECT 1 FROM {timer} t WHERE t.record_id = r.id AND t.kind = %s AND t.met_at IS NULL AND t.status IN (%s, %s))"
    )
    created_at: Any = now if connection.vendor == "postgresql" else now.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    params: list[Any] = [
        TimerKind.PROGRESS_UPDATE, TimerKind.PROGRESS_UPDATE, day_param, TimerStatus.OPEN, created_at,
        *OPEN_RECORD_STATUSES, TimerKind.PROGRESS_UPDATE, TimerStatus.OPEN, TimerStatus.MISSED,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(int(cursor.rowcount), 0)


@transaction.atomic
def timers_run(*, now: datetime | None = None) -> TimersRun:
    now = now or timezone.now()
    cancelled = Timer.objects.filter(
        status=TimerStatus.OPEN, record__status=RecordStatus.CLOSED
    ).update(status=TimerStatus.CANCELLED)
    created = _create_progress_timers(now, progress_update_days())
    missed = Timer.objects.filter(status=TimerStatus.OPEN, due_at__lt=now).update(
        status=TimerStatus.MISSED, missed_at=now
    )
    result = TimersRun(cancelled=cancelled, created=created, missed=missed)
    audit_event_write(actor=None, action=actions.CARE_TIMERS_RUN, target_type="care.timer", changes=asdict(result))
    return result


@task()
def care_timers_task() -> dict[str, int]:
    return asdict(timers_run())
