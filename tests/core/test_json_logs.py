"""Structured logs: one JSON object a line, with the request id, and no personal data."""

from __future__ import annotations

import json
import logging

from umbrella.core.context import request_context
from umbrella.core.logging import JsonFormatter, RedactPersonalDataFilter


def test_a_log_line_is_json_with_the_request_id_and_no_personal_data() -> None:
    record = logging.LogRecord("umbrella.test", logging.WARNING, __file__, 1,
                               "mail to %s failed for SW1A 1AA, born 1990-04-12", ("amina@example.org",), None)
    assert RedactPersonalDataFilter().filter(record)
    with request_context(request_id="req-123"):
        line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "umbrella.test" and entry["request_id"] == "req-123"
    assert entry["message"] == "mail to [email] failed for [postcode], born [date]"
    assert entry["time"].endswith("+00:00")
    assert "\n" not in line


def test_the_format_is_chosen_from_the_environment(monkeypatch: object) -> None:
    import importlib

    import umbrella.settings.base as base

    monkeypatch.setenv("UMBRELLA_LOG_FORMAT", "json")  # type: ignore[attr-defined]
    try:
        assert importlib.reload(base).LOGGING["handlers"]["console"]["formatter"] == "json"
    finally:
        monkeypatch.delenv("UMBRELLA_LOG_FORMAT")  # type: ignore[attr-defined]
        assert importlib.reload(base).LOGGING["handlers"]["console"]["formatter"] == "plain"
