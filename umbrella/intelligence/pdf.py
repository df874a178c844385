"""A problem profile as an accessible PDF (title, language, an outline, every figure a table with
a caption): the figures as the reader sees them, and the analyst's latest sections."""

from __future__ import annotations

from datetime import UTC, datetime

from umbrella.intelligence.models import ProblemProfile
from umbrella.intelligence.selectors import Figures, Written


def profile_pdf(profile: ProblemProfile, figures: Figures, written: Written | None) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from umbrella.conferences.pdf import latin1

    title = (f"{profile.get_kind_display()}: {figures.strand_name}, {figures.area_name}, "
             f"{profile.first_month:%B %Y} to {profile.last_month:%B %Y}")
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(title))
    pdf.set_lang("en-GB")
    pdf.set_creator("Umbrella")
    # The same profile and figures give the same file: the date is the period's, not the moment.
    pdf.set_creation_date(datetime(profile.last_month.year, profile.last_month.month, 1, tzinfo=UTC))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.start_section(latin1(title))
    pdf.multi_cell(0, 8, latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, latin1(
        f"{figures.total} records in the period ({figures.total_year_before} in the same months a year before). "
        "Counts only, from the records its reader may see: this product names no victim."
    ), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    def heading(text: str) -> None:
        pdf.set_font("Helvetica", "B", 12)
        pdf.start_section(latin1(text), level=1)
        pdf.multi_cell(0, 6, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    for caption, header, rows in figures.tables:
        heading(caption)
        pdf.set_font("Helvetica", "", 9)
        widths = (100, *([90 // (len(header) - 1)] * (len(header) - 1)))
        with pdf.table(col_widths=widths, text_align=("LEFT", *(["RIGHT"] * (len(header) - 1))),
                       first_row_as_headings=True) as grid:
            grid.row([latin1(cell) for cell in header])
            for row in rows or [("None", *([""] * (len(header) - 1)))]:
                grid.row([latin1(cell) for cell in row])
        pdf.ln(3)
    for name, text in (("Assessment", written.assessment if written else ""),
                       ("Recommendations", written.recommendations if written else "")):
        heading(name)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, latin1(text or "Not written yet."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    if written:
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(0, 5, latin1(f"Version {written.number}, written by {written.written_by}."),
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
