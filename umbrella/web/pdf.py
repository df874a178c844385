"""What every PDF Umbrella makes shares (fpdf2, a core font: nothing to install or embed).

Core fonts cover Latin-1 only, so text is folded to it first (typographic quotes and dashes to
their plain forms, anything else outside Latin-1 to "?"). A document of tables (the scrutiny pack,
a problem profile) carries its title, its language and an outline, and every figure is a table
with a caption; its creation date is given by the caller, so the same figures make the same file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u00a0": " ", "\u2022": "-",
})


def latin1(text: str) -> str:
    return text.translate(_FOLD).encode("latin-1", "replace").decode("latin-1")


def document_of_tables(title: str, *, dated: date, introduction: str) -> FPDF:
    """An A4 document with its title, language, creator and outline begun, the title set as its
    first heading and the introduction below it. ``dated`` is its creation date (the first of that
    month, in UTC): a date from the figures, never the moment it is made."""
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(title))
    pdf.set_lang("en-GB")
    pdf.set_creator("Umbrella")
    pdf.set_creation_date(datetime(dated.year, dated.month, 1, tzinfo=UTC))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.start_section(latin1(title))
    pdf.multi_cell(0, 8, latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, latin1(introduction), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    return pdf


def section_heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "B", 12)
    pdf.start_section(latin1(text), level=1)
    pdf.multi_cell(0, 6, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def captioned_table(
    pdf: FPDF, caption: str, header: Sequence[str], rows: Sequence[Sequence[str]], *, empty: str, first_width: int,
    rest_width: int,
) -> None:
    """A section heading (the caption, in the outline) and its table: the first column left, the
    others right-aligned numbers; ``empty`` fills the first cell when there are no rows."""
    section_heading(pdf, caption)
    pdf.set_font("Helvetica", "", 9)
    others = len(header) - 1
    with pdf.table(col_widths=(first_width, *([rest_width // others] * others)),
                   text_align=("LEFT", *(["RIGHT"] * others)), first_row_as_headings=True) as grid:
        grid.row([latin1(cell) for cell in header])
        for row in rows or [(empty, *([""] * others))]:
            grid.row([latin1(cell) for cell in row])
    pdf.ln(3)
