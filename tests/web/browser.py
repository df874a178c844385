"""What a browser without JavaScript would do with a page: the values a form submits as it stands,
and its error summary. Lets tests post exactly what a user who changes nothing else would send."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._option_value: str | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._textarea_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("action") == self.action:
            self.inside = self.found = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.pairs.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.pairs.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._select_value, self._first_option = a.get("name"), None, None
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_text = ""
            if "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._textarea_text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text += data
        elif self._option_value is None and self._select is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text.strip()
            if self._first_option is None:
                self._first_option = value
            self._option_value = None
        elif tag == "select" and self._select is not None:
            chosen = self._select_value if self._select_value is not None else self._first_option
            self.pairs.append((self._select, chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that follows <textarea>.
            self.pairs.append((self._textarea, self._textarea_text.removeprefix("\n")))
            self._textarea = None


def form_values(html: str, action: str) -> dict[str, Any]:
    """The name → value (or list of values) a browser would post from the form with this action."""
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.found, f"no form posting to {action}"
    values: dict[str, Any] = {}
    for name, value in reader.pairs:
        if name in values:
            existing = values[name]
            values[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            values[name] = value
    values.pop("csrfmiddlewaretoken", None)
    return values


def text(response: Any) -> str:
    return str(response.content.decode())


def error_summary(response: Any) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', text(response), re.S)
    assert match, "expected an error summary"
    return match.group(0)


def page_title(response: Any) -> str:
    match = re.search(r"<title>(.*?)</title>", text(response), re.S)
    assert match, "expected a <title>"
    return " ".join(match.group(1).split())
