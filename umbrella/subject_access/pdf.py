"""A subject access bundle as an accessible PDF (title, language, an outline, each record a section
with its facts as a captioned table and what happened as text)."""

from __future__ import annotations

from datetime import date

from umbrella.subject_access.selectors import Bundle

_DETAIL_LABELS = {
    "given_name": "Given name", "family_name": "Family name", "date_of_birth": "Date of birth", "email": "E-mail",
    "phone": "Phone", "address": "Address", "postcode": "Postcode",
}


def _shown(name: str, value: str) -> str:
    """A detail as a reader reads it: a date of birth in words (the JSON keeps it as stored)."""
    if not value:
        return "Not held"
    if name == "date_of_birth":
        try:
            return f"{date.fromisoformat(value):%-d %B %Y}"
        except ValueError:
            return value
    return value


def bundle_pdf(bundle: Bundle, *, dated: date) -> bytes:
    from fpdf.enums import XPos, YPos

    from umbrella.web.pdf import captioned_table, document_of_tables, latin1, section_heading

    pdf = document_of_tables(
        f"Your data held by {bundle.organisation}", dated=dated, introduction=(
            f"Request {bundle.request}, received on {bundle.received_on}; made on {bundle.made_on}. "
            f"{len(bundle.records)} record{'s' if len(bundle.records) != 1 else ''} hold your details. {bundle.withheld}"
        ))
    for number, held in enumerate(bundle.your_details, start=1):
        rows = [(label, _shown(name, held.get(name) or "")) for name, label in _DETAIL_LABELS.items()]
        captioned_table(pdf, f"Your details as held ({number} of {len(bundle.your_details)})", ("Detail", "As held"),
                        rows, empty="None", first_width=50, rest_width=130)
    for record in bundle.records:
        rows = [("Kind", record.kind), ("Status", record.status), ("Reported on", record.reported_on),
                ("Borough", record.borough or "Not recorded"), ("Your role", record.your_role),
                ("Hostility recorded", "; ".join(record.strands) or "None")]
        captioned_table(pdf, f"Record {record.reference}", ("Fact", "As recorded"), rows, empty="None",
                        first_width=50, rest_width=130)
        section_heading(pdf, f"What happened ({record.reference})")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, latin1(record.what_happened or "Not recorded."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    return bytes(pdf.output())
