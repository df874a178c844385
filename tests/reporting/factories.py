"""Reference data and answers for walking the public report journey in tests."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.factories import code

ANSWERS: dict[str, dict[str, Any]] = {
    "who": {"reporter_role": "victim"},
    "what": {"narrative": "Two men shouted at me at the bus stop and spat at me."},
    "words": {"words_used": "Go back to where you came from"},
    "when": {"day": "3", "month": "2", "year": "2025", "occurred_time_text": "about 9pm"},
    "where": {"is_online": "no", "location_description": "Bus stop on the High Street", "postcode": "E1 6AN",
              "borough_code": "E09000030", "location_type_code": "street"},
    "why": {"strands": ["race"], "strand_other_text": ""},
    "offender": {"offender_description": "Two men in their twenties", "offender_known": "no"},
    "harm": {"injury": "", "damage": "", "loss": ""},
    "evidence": {"action": "continue"},
    "support": {"interpreter_language": "", "accessibility_needs": "", "other_needs": ""},
    "contact": {"anonymous": "no", "contact_name": "Amira Test", "contact_email": "amira@example.com",
                "contact_preferred_method": "email", "voicemail_safe": "on"},
    "destination": {"destination": "police", "centre_slug": ""},
    "consent": {f"consent_{scope}": "yes" for scope in (
        "police_identified", "police_anonymised", "victim_support_referral", "partner_referral",
        "centre_contact", "statistics_only")},
}


def reference_data() -> None:
    code("strand", "race", "Race or ethnicity", monitored=True)
    code("strand", "religion", "Religion or belief", monitored=True)
    code("borough", "E09000030", "Tower Hamlets", gss="E09000030")
    code("location_type", "street", "Street or road")
    code("online_platform", "x", "X (Twitter)")


def start(client: Client) -> None:
    response = client.post(reverse("reporting:start"))
    assert response.status_code == 302, response.content


def walk(client: Client, *, until: str | None = None, **overrides: dict[str, Any]) -> None:
    """Starts a report and answers every step (or up to, not including, ``until``)."""
    start(client)
    for slug, answers in ANSWERS.items():
        if slug == until:
            return
        data = {**answers, **overrides.get(slug, {})}
        response = client.post(reverse("reporting:step", args=[slug]), data)
        assert response.status_code == 302, (slug, response.content.decode()[:3000])


def png_bytes(*, exif_gps: bool = False, size: tuple[int, int] = (20, 10)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (32, 16), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    gps = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _one_page_pdf() -> bytes:
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# A plain one-page PDF, as a phone's scanner app would make.
PDF_BYTES = _one_page_pdf()
