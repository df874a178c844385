"""A problem profile as an accessible PDF (title, language, an outline, every figure a table with
a caption): the figures as the reader sees them, and the analyst's latest sections."""

from __future__ import annotations

from umbrella.intelligence.models import ProblemProfile
from umbrella.intelligence.selectors import Figures, Written


def profile_pdf(profile: ProblemProfile, figures: Figures, written: Written | None) -> bytes:
    from fpdf.enums import XPos, YPos

    from umbrella.web.pdf import captioned_table, document_of_tables, latin1, section_heading

    # Dated by the period's last month: the same profile and figures give the same file.
    pdf = document_of_tables(
        f"{profile.get_kind_display()}: {figures.strand_name}, {figures.area_name}, "
        f"{profile.first_month:%B %Y} to {profile.last_month:%B %Y}", dated=profile.last_month, introduction=(
            f"{figures.total} records in the period ({figures.total_year_before} in the same months a year before). "
            "Counts only, from the records its reader may see: this product names no victim."
        ))
    for caption, header, rows in figures.tables:
        captioned_table(pdf, caption, header, rows, empty="None", first_width=100, rest_width=90)
    for name, text in (("Assessment", written.assessment if written else ""),
                       ("Recommendations", written.recommendations if written else "")):
        section_heading(pdf, name)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, latin1(text or "Not written yet."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    if written:
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(0, 5, latin1(f"Version {written.number}, written by {written.written_by}."),
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
