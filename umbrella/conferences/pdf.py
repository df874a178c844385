"""The agenda and the minutes as PDF (fpdf2, a core font: nothing to install or embed).

Core fonts cover Latin-1 only, so text is folded to it first (``web.pdf.latin1``). Pages carry "OFFICIAL-SENSITIVE" as
partner agencies expect of conference papers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from umbrella.web.pdf import latin1

if TYPE_CHECKING:
    from umbrella.conferences.models import Conference
    from umbrella.conferences.selectors import AgendaItem, MinutesView

MARKING = "OFFICIAL-SENSITIVE"


class _Paper(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", "B", 9)
        self.cell(0, 6, MARKING, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 6, f"{MARKING} - page {self.page_no()}", align="C")


def _new(title: str, *, compress: bool) -> _Paper:
    pdf = _Paper(format="A4")
    pdf.set_compression(compress)
    pdf.set_title(latin1(title))
    pdf.set_creator("Umbrella")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, text: str, size: int = 16) -> None:
    pdf.set_font("Helvetica", "B", size)
    pdf.multi_cell(0, size * 0.5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _line(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(45, 6, latin1(label), new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, latin1(value or "-"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _para(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _conference_lines(pdf: FPDF, conference: Conference, attendees: Sequence[str]) -> None:
    _line(pdf, "Meets", timezone.localtime(conference.meets_at).strftime("%d %B %Y %H:%M"))
    _line(pdf, "Where", "Online" if conference.is_online and not conference.location else
          conference.location + (" (and online)" if conference.is_online else ""))
    _line(pdf, "Host", conference.host.name)
    _line(pdf, "Chair", conference.chair.display_name if conference.chair else "")
    _line(pdf, "Attending", ", ".join(attendees))
    pdf.ln(3)


def agenda_pdf(
    *, conference: Conference, items: Sequence[AgendaItem], attendees: Sequence[str], compress: bool = False
) -> bytes:
    """The agenda, one section per case in agenda order.

    Uncompressed by default: a few pages of text, and the references stay searchable in the bytes.
    """
    pdf = _new(f"Agenda: {conference.title}", compress=compress)
    _heading(pdf, f"Agenda: {conference.title}")
    _conference_lines(pdf, conference, attendees)
    if not items:
        _para(pdf, "No cases have been referred to this conference.")
    for item in items:
        _heading(pdf, f"{item.number}. {item.reference}", size=12)
        _line(pdf, "Risk level", item.risk_label)
        _line(pdf, "Criteria", "; ".join(item.criteria))
        _line(pdf, "Strands", ", ".join(item.strands))
        _line(pdf, "Referred by", item.referring_organisation)
        _line(pdf, "Status", item.referral.get_status_display())
        if item.summary:
            _para(pdf, "Summary: " + item.summary)
        for info in item.information:
            _para(pdf, f"{info.organisation}: {info.text}")
        for action in item.actions:
            done = "done" if action.action.status == "done" else f"due {action.action.due_on:%d %B %Y}"
            _para(pdf, f"Action ({action.organisation}, {done}): {action.action.description}")
        pdf.ln(2)
    return bytes(pdf.output())


def minutes_pdf(
    *, conference: Conference, minutes: MinutesView | None, items: Sequence[AgendaItem], attendees: Sequence[str],
    compress: bool = False,
) -> bytes:
    pdf = _new(f"Minutes: {conference.title}", compress=compress)
    _heading(pdf, f"Minutes: {conference.title}")
    _conference_lines(pdf, conference, attendees)
    if minutes is None:
        _para(pdf, "No minutes have been written yet.")
    else:
        status = (
            f"Approved by {minutes.approved_by} on {timezone.localtime(minutes.approved_at):%d %B %Y}"
            if minutes.approved_at else "Draft: not yet approved"
        )
        _line(pdf, "Status", status)
        pdf.ln(2)
        _para(pdf, minutes.text)
    if items:
        _heading(pdf, "Cases and actions agreed", size=12)
        for item in items:
            _line(pdf, f"{item.number}. {item.reference}", item.referral.get_status_display())
            for action in item.actions:
                done = "done" if action.action.status == "done" else f"due {action.action.due_on:%d %B %Y}"
                _para(pdf, f"Action ({action.organisation}, {done}): {action.action.description}")
    return bytes(pdf.output())
