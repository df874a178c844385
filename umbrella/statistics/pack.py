"""The monthly scrutiny pack: what a Hate Crime Board or advisory group meeting needs for a month
and an area, as a PDF and as the CSV files behind every table.

It holds the same counts as the statistics page, for one month beside the same month a year
before: volumes by strand, borough, kind, where reported and who holds the records; what happened
to them (hub review, risk, the Victims' Code, referrals, outcomes: ``core.extensions.board_measures``).
Counts only. Every figure in the PDF is a table with a caption, not a picture, so a screen reader
reads it as it reads the page; the document has a title, a language and an outline.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.core.extensions import BoardMeasure, board_measures
from umbrella.reference.selectors import current_code
from umbrella.statistics import actions
from umbrella.statistics.forms import months_back
from umbrella.statistics.selectors import counted_records, counts_the_collation
from umbrella.statistics.tables import TABLES, dashboard_tables

if TYPE_CHECKING:
    from umbrella.accounts.models import User

HATE_KINDS = ("hate_crime", "nchi")
LONDON = "london"


@dataclass(frozen=True)
class ScrutinyPack:
    month: date
    area: str  # "london" or a borough's GSS code
    area_name: str
    collation: bool
    tables: dict[str, list[dict[str, object]]]
    year_before: dict[str, list[dict[str, object]]]
    measures: list[BoardMeasure]

    @property
    def total(self) -> int:
        return sum(int(str(row["count"])) for row in self.tables["month"])

    @property
    def total_year_before(self) -> int:
        return sum(int(str(row["count"])) for row in self.year_before["month"])

    @property
    def file_stem(self) -> str:
        return f"scrutiny-pack-{self.month:%Y-%m}-{self.area}"


class UnknownArea(ValueError):
    """The area is neither London nor a current borough code."""


def area_name(area: str) -> str:
    if area == LONDON:
        return "London"
    borough = current_code(scheme="borough", code=area)
    if borough is None:
        raise UnknownArea(f"{area!r} is not an area: write london or a borough's code, for example E09000030")
    return borough.label


def scrutiny_pack(*, user: User | None, month: date, area: str = LONDON) -> ScrutinyPack:
    """The month's counts for the area, as the user counts them (the collation for a scrutiny body)."""
    name = area_name(area)
    filters = {} if area == LONDON else {"borough": area}
    month = month.replace(day=1)
    before = months_back(month, 13)
    return ScrutinyPack(
        month=month, area=area, area_name=name, collation=counts_the_collation(user),
        tables=dashboard_tables(user, period=(month, month), filters=filters, kinds=HATE_KINDS),
        year_before=dashboard_tables(user, period=(before, before), filters=filters, kinds=HATE_KINDS),
        measures=board_measures(counted_records(user=user, months=(month, month), filters=filters, kinds=HATE_KINDS)),
    )


def pack_csv_files(pack: ScrutinyPack) -> dict[str, str]:
    """Every table of the pack as CSV text, by file name."""
    files: dict[str, str] = {}
    for name in TABLES:
        if name == "month":
            continue
        earlier = {row["key"]: row["count"] for row in pack.year_before[name]}
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([name, "label", "count", "count_a_year_before"])
        for row in pack.tables[name]:
            writer.writerow([row["key"], row["label"], row["count"], earlier.get(row["key"], 0)])
        files[f"{pack.file_stem}-{name.replace('_', '-')}.csv"] = out.getvalue()
    out = io.StringIO()
    write_board_csv(pack.measures, out)
    files[f"{pack.file_stem}-for-the-board.csv"] = out.getvalue()
    return files


def write_board_csv(measures: list[BoardMeasure], out: Any) -> None:
    """The board's measures as CSV, as the statistics page and the pack give them."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "measure", "count", "out_of", "percent", "note"])
    for measure in measures:
        writer.writerow([measure.section, measure.label, measure.count, "" if measure.out_of is None else measure.out_of,
                         "" if measure.percent is None else f"{measure.percent:.1f}", measure.note])


def pack_pdf(pack: ScrutinyPack) -> bytes:
    """The pack as an A4 PDF: a title page sentence, then each table with its caption."""
    from umbrella.web.pdf import captioned_table, document_of_tables

    who = ("Every police force's records, and partners' records while the victim's consent is in force."
           if pack.collation else "Your organisation's records.")
    # Dated by its month: the same figures give the same file (so a re-download is byte for byte
    # the same, and nothing about it, such as the moment it was made, varies with anything else).
    pdf = document_of_tables(
        f"Hate crime scrutiny pack: {pack.area_name}, {pack.month:%B %Y}", dated=pack.month, introduction=(
            f"{pack.total} hate crimes and non-crime hate incidents were reported in {pack.month:%B %Y} "
            f"({pack.total_year_before} in the same month a year before). {who} Counts only: this pack names no one. "
            "A record with two strands counts under each strand, as the Home Office counts."
        ))

    def table(caption: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        captioned_table(pdf, caption, header, rows, empty="None in this month and area", first_width=90, rest_width=100)

    table("For the board: what happened to these records", ("Measure", "Count", "Out of", "Share"), [
        (f"{m.section}: {m.label}", str(m.count), "" if m.out_of is None else str(m.out_of),
         "" if m.percent is None else f"{m.percent:.1f}%") for m in pack.measures
    ])
    for name, caption in TABLES.items():
        if name == "month":
            continue
        earlier = {row["key"]: row["count"] for row in pack.year_before[name]}
        table(caption, ("", f"{pack.month:%b %Y}", "A year before"), [
            (str(row["label"]), str(row["count"]), str(earlier.get(row["key"], 0))) for row in pack.tables[name]
        ])
    return bytes(pdf.output())


@transaction.atomic
def pack_downloaded(*, actor: User | None, pack: ScrutinyPack, what: str) -> None:
    """Audits a download of the pack (who took which month's figures, and in what form)."""
    audit_event_write(
        actor=actor, action=actions.STATISTICS_PACK_DOWNLOAD, target=None, target_label=pack.file_stem,
        changes={"month": f"{pack.month:%Y-%m}", "area": pack.area, "form": what, "at": timezone.now().isoformat()},
    )
