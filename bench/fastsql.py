"""Plain INSERTs for benchmark set-up, several times faster than ``bulk_create`` on a slow machine.

``bulk_create`` spends most of its time preparing each field of each object. Set-up rows here
are dicts keyed by attribute name with explicit ids; values are converted only where the
database needs it (datetimes on SQLite, JSON everywhere), and inserted with ``executemany``.
Columns a dict leaves out take the field's default, so fields added to a model later still work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC
from typing import Any

from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone


def _utc_text(value: Any) -> Any:
    # What Django's SQLite backend stores for an aware datetime (naive UTC text), without its
    # per-value timezone conversion, which dominates set-up time on a slow machine.
    if value is None or isinstance(value, str):
        return value
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        return _utc_text if connection.vendor == "sqlite" else None
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value  # type: ignore[no-any-return]
    if isinstance(field, models.JSONField):
        encoder = field.encoder or DjangoJSONEncoder
        return lambda value: connection.ops.adapt_json_value(value, encoder)
    return None


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Inserts ``rows`` (dicts by attname, each with its ``id``) into ``model``'s table."""
    fields = [f for f in model._meta.concrete_fields]
    now = timezone.now()
    defaults: dict[str, Any] = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        elif field.has_default():
            defaults[field.attname] = field.get_default()
        elif field.null:
            defaults[field.attname] = None
        elif not field.primary_key:
            defaults[field.attname] = "" if field.empty_strings_allowed else None
    converters = [(index, convert) for index, field in enumerate(fields) if (convert := _converter(field)) is not None]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from model meta
    pairs = [(field.attname, defaults.get(field.attname)) for field in fields]
    batch = []
    for row in rows:
        values = [row.get(name, default) for name, default in pairs]
        for index, convert in converters:
            values[index] = convert(values[index])
        batch.append(values)
    if batch:
        with connection.cursor() as cursor:
            cursor.executemany(sql, batch)
    return len(batch)


def next_id(model: type[models.Model]) -> int:
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return int(last or 0) + 1


def reset_sequences(*model_list: type[models.Model]) -> None:
    """After explicit ids, PostgreSQL's sequences must move past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
