"""Checks on page markup that axe-core would also make, runnable without a browser: labelled
controls, radios and checkbox groups in fieldsets with legends, error messages tied to their
fields, captioned tables with header scopes, unique ids, one h1 and "Error: " titles."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    fieldset_legend: bool | None  # None when not inside a fieldset
    in_table_with_caption: bool | None = None


@dataclass
class _Page:
    ids: list[str] = field(default_factory=list)
    label_for: set[str] = field(default_factory=set)
    controls: list[_Element] = field(default_factory=list)
    described: list[str] = field(default_factory=list)
    error_message_ids: list[str] = field(default_factory=list)
    headers: list[_Element] = field(default_factory=list)
    tables: list[bool] = field(default_factory=list)  # has a caption
    h1_count: int = 0
    main_count: int = 0


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()
        self._fieldsets: list[dict[str, bool]] = []
        self._table_caption: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        page = self.page
        if "id" in a:
            page.ids.append(a["id"])
        if "aria-describedby" in a:
            page.described.extend(a["aria-describedby"].split())
        classes = a.get("class", "").split()
        if "govuk-error-message" in classes:
            page.error_message_ids.append(a.get("id", ""))
        if tag == "label" and a.get("for"):
            page.label_for.add(a["for"])
        elif tag == "fieldset":
            self._fieldsets.append({"legend": False})
        elif tag == "legend" and self._fieldsets:
            self._fieldsets[-1]["legend"] = True
        elif tag in ("input", "select", "textarea"):
            if a.get("type") not in ("hidden", "submit", "button"):
                legend = self._fieldsets[-1]["legend"] if self._fieldsets else None
                page.controls.append(_Element(tag, a, legend))
        elif tag == "table":
            self._table_caption.append(False)
        elif tag == "caption" and self._table_caption:
            self._table_caption[-1] = True
        elif tag == "th":
            page.headers.append(_Element(tag, a, None))
        elif tag == "h1":
            page.h1_count += 1
        elif tag == "main":
            page.main_count += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()
        elif tag == "table" and self._table_caption:
            self.page.tables.append(self._table_caption.pop())


def problems(html: str, *, partial: bool = False) -> list[str]:
    """What is wrong with a page's markup; an empty list when it is clean."""
    reader = _Reader()
    reader.feed(html)
    page = reader.page
    found: list[str] = []
    duplicates = [name for name, count in Counter(page.ids).items() if count > 1]
    if duplicates:
        found.append(f"duplicate ids: {duplicates}")
    ids = set(page.ids)
    names = Counter(c.attrs.get("name") for c in page.controls if c.attrs.get("type") == "checkbox")
    for control in page.controls:
        ident = control.attrs.get("id", "")
        what = f"<{control.tag} name={control.attrs.get('name')!r}>"
        if not ident or ident not in page.label_for:
            found.append(f"{what} has no <label for>")
        kind = control.attrs.get("type")
        grouped = kind == "radio" or (kind == "checkbox" and names[control.attrs.get("name")] > 1)
        if grouped and not control.fieldset_legend:
            found.append(f"{what} is not in a fieldset with a legend")
    for target in page.described:
        if target not in ids:
            found.append(f"aria-describedby points at missing id {target!r}")
    for error_id in page.error_message_ids:
        if not error_id or error_id not in page.described:
            found.append(f"error message {error_id!r} is not linked to its field by aria-describedby")
    if not all(page.tables):
        found.append("a table has no caption")
    for header in page.headers:
        if header.attrs.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
            found.append("a table header has no scope")
    if not partial:
        if page.h1_count != 1:
            found.append(f"{page.h1_count} h1 elements")
        if page.main_count != 1:
            found.append(f"{page.main_count} main elements")
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        has_summary = 'class="govuk-error-summary"' in html
        if not title:
            found.append("no <title>")
        elif has_summary != title.group(1).strip().startswith("Error: "):
            found.append(f"title {title.group(1).strip()!r} does not match the error summary")
    return found
