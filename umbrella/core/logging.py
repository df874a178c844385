"""Keep personal data out of logs.

Umbrella never logs narratives or identities on purpose; this filter is the safety net for
what third-party code might log: it strips query strings, e-mail addresses, phone numbers,
postcodes and dates of birth from every message before it is written.
"""

from __future__ import annotations

import logging
import re

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
    # UK numbers, national or +44; separators inside, never the space after (it is not ours).
    (re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?!\d)"), "[phone]"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE), "[postcode]"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "[date]"),
    (re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"), "[date]"),
    # Written in words: "3 March 2019", "3rd of March 2019", "March 3, 2019".
    (re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
                re.IGNORECASE), "[date]"),
    (re.compile(r"\?[^\s\"']*"), "?[query]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_contact_details(text: str) -> str:
    """E-mail addresses, phone numbers, postcodes and dates taken out of free text (not query strings:
    a question mark in a sentence is not one)."""
    for pattern, replacement in _PATTERNS[:-1]:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # Exception messages can echo values (e.g. a failed cast of a name); keep the type only.
            exc_type = record.exc_info[0]
            record.msg = f"{record.msg} [{exc_type.__name__ if exc_type else 'Exception'}]"
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for a log collector: the time (UTC, ISO 8601), level, logger, the
    message (already redacted by the filter above) and the request id the line belongs to, so one
    request's lines can be found together without any of its data."""

    def format(self, record: logging.LogRecord) -> str:
        import json
        from datetime import UTC, datetime

        from umbrella.core.context import current_request_context

        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_context().request_id,
        }
        return json.dumps(entry, ensure_ascii=False)
