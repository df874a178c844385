"""Evidence: judged by content, cleaned of metadata, limited in size and number."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.conftest import World
from tests.reporting.factories import PDF_BYTES, jpeg_with_gps, png_bytes, reference_data, walk
from umbrella.intake.evidence import evidence_read
from umbrella.intake.models import Evidence, Report
from umbrella.reporting.evidence import MAX_FILES, EvidenceProblem, clean_evidence


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_png_named_pdf_is_accepted_as_what_it_is() -> None:
    [cleaned] = clean_evidence([upload("letter.pdf", png_bytes(), "application/pdf")])
    assert cleaned.content_type == "image/png"
    assert cleaned.name == "letter.png"


def test_a_script_named_jpg_is_refused() -> None:
    with pytest.raises(EvidenceProblem) as problem:
        clean_evidence([upload("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")])
    assert "photo.jpg must be a JPG, PNG, WebP or GIF image, or a PDF" in problem.value.message


def test_a_broken_image_with_a_real_header_is_refused() -> None:
    with pytest.raises(EvidenceProblem):
        clean_evidence([upload("photo.png", png_bytes()[:40])])


def test_exif_location_and_device_are_removed() -> None:
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get(0x8825)  # the test photo does carry GPS
    [cleaned] = clean_evidence([upload("IMG_0001.JPG", original)])
    with Image.open(io.BytesIO(cleaned.data)) as image:
        exif = image.getexif()
        assert not exif.get(0x8825) and not exif.get(0x010F) and not exif.get(0x0110)
        assert "exif" not in image.info
        assert image.size == (32, 16)
    assert b"PhoneMaker" not in cleaned.data


def test_pdfs_are_accepted_and_names_cleaned() -> None:
    [cleaned] = clean_evidence([upload("../../etc/<notes>.pdf", PDF_BYTES)])
    assert cleaned.content_type == "application/pdf"
    assert cleaned.name == "notes.pdf"


def test_too_many_files_and_too_big_files_are_refused() -> None:
    with pytest.raises(EvidenceProblem, match=f"up to {MAX_FILES} files"):
        clean_evidence([upload(f"{n}.png", png_bytes()) for n in range(MAX_FILES + 1)])
    with pytest.raises(EvidenceProblem, match="smaller than 8MB"):
        clean_evidence([upload("big.pdf", PDF_BYTES + b"0" * (8 * 1024 * 1024))])
    with pytest.raises(EvidenceProblem, match="is empty"):
        clean_evidence([upload("empty.png", b"")])


@pytest.mark.django_db
def test_uploaded_evidence_reaches_the_report_cleaned(client: Client, world: World) -> None:
    reference_data()
    walk(client, until="evidence")
    url = reverse("reporting:step", args=["evidence"])
    response = client.post(url, {"action": "upload", "evidence": [upload("IMG_0001.JPG", jpeg_with_gps())]})
    assert response.status_code == 302
    bad = client.post(url, {"action": "upload", "evidence": [upload("run.jpg", b"#!/bin/sh\nrm -rf /")]})
    assert bad.status_code == 400
    assert "There is a problem" in bad.content.decode() and "run.jpg must be" in bad.content.decode()
    page = client.get(url).content.decode()
    assert "IMG_0001.jpg" in page
    walk_rest(client)
    client.post(reverse("reporting:check"))
    evidence = Evidence.objects.get(report=Report.objects.get())
    name, data = evidence_read(evidence)
    assert name == "IMG_0001.jpg"
    assert b"PhoneMaker" not in data


def walk_rest(client: Client) -> None:
    from tests.reporting.factories import ANSWERS  # noqa: PLC0415

    slugs = list(ANSWERS)
    for slug in slugs[slugs.index("evidence"):]:
        response = client.post(reverse("reporting:step", args=[slug]), ANSWERS[slug])
        assert response.status_code == 302, slug


@pytest.mark.django_db
def test_evidence_can_be_removed_before_sending(client: Client, world: World) -> None:
    reference_data()
    walk(client, until="evidence")
    url = reverse("reporting:step", args=["evidence"])
    client.post(url, {"action": "upload", "evidence": [upload("a.png", png_bytes())]})
    from umbrella.reporting.models import DraftEvidence  # noqa: PLC0415

    evidence_id = DraftEvidence.objects.get().pk
    client.post(url, {"action": f"remove-{evidence_id}"})
    assert not DraftEvidence.objects.exists()


# ---- PDFs: nothing that acts reaches staff ------------------------------------------------------

ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/OpenAction", "/EmbeddedFiles", "/EmbeddedFile", "/XFA", "/Launch",
               "/FileAttachment", "/Next", "/AcroForm"}


def _active_parts(data: bytes) -> set[str]:
    import pikepdf

    found: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        objects = list(pdf.objects) + [pdf.Root] + [page.obj for page in pdf.pages]

        def walk(value: object, depth: int = 0) -> None:
            if depth > 20:
                return
            if isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
                for key in value.keys():
                    if key in ACTIVE_KEYS:
                        found.add(key)
                    if key not in ("/Parent", "/P"):
                        walk(value[key], depth + 1)
                for key in ("/S", "/Subtype", "/Type"):
                    if str(value.get(key, "")) in ACTIVE_KEYS:
                        found.add(str(value.get(key)))
            elif isinstance(value, pikepdf.Array):
                for item in value:
                    walk(item, depth + 1)

        for obj in objects:
            walk(obj)
        if "/Author" in pdf.docinfo:
            found.add("/Author")
        assert len(pdf.pages) == 1
    return found


def test_a_pdf_that_acts_in_every_way_reaches_staff_with_its_page_and_nothing_that_acts() -> None:
    from tests.reporting.hostile_pdfs import pdf_with_everything

    hostile = pdf_with_everything()
    # The sample does all it says.
    assert _active_parts(hostile) >= {"/JS", "/OpenAction", "/EmbeddedFiles", "/Launch", "/XFA", "/AA", "/Author"}
    [cleaned] = clean_evidence([upload("statement.pdf", hostile)])
    assert cleaned.name == "statement.pdf" and cleaned.content_type == "application/pdf"
    assert _active_parts(cleaned.data) == set()
    assert b"app.alert" not in cleaned.data and b"Amina" not in cleaned.data
    # The victim's own note on the page stays; the link stays with nothing to do; the attachment goes.
    import pikepdf

    with pikepdf.open(io.BytesIO(cleaned.data)) as pdf:
        annotations = list(pdf.pages[0].obj.Annots)
        assert [str(a.Subtype) for a in annotations] == ["/Link", "/Text"]
        assert "/A" not in annotations[0] and str(annotations[1].Contents) == "A note the victim added"


def test_an_html_polyglot_comes_out_as_a_pdf_alone() -> None:
    from tests.reporting.hostile_pdfs import html_polyglot

    hostile = html_polyglot()
    assert b"<script>" in hostile
    [cleaned] = clean_evidence([upload("letter.pdf", hostile)])
    assert cleaned.data.startswith(b"%PDF-")
    assert b"<script" not in cleaned.data and b"<html" not in cleaned.data and b"alert" not in cleaned.data
    assert cleaned.data.rstrip().endswith(b"%%EOF")


def test_a_password_protected_or_broken_pdf_is_refused_by_name() -> None:
    from tests.reporting.hostile_pdfs import password_protected

    for data in (password_protected(), b"%PDF-1.7\nnot really a pdf at all"):
        with pytest.raises(EvidenceProblem) as problem:
            clean_evidence([upload("locked.pdf", data)])
        assert problem.value.message == "locked.pdf must be a PDF that opens without a password"
