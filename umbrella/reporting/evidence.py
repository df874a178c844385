"""Evidence uploads: images and PDFs only, judged by their content, cleaned of metadata.

Images are decoded with Pillow and re-encoded from their pixels alone, so EXIF (GPS position,
camera and phone details), XMP and comments are dropped. PDFs are rewritten from their objects
without scripts, actions, attachments, forms or metadata (``pdfclean``), so what staff open is
never the upload itself; intake stores them encrypted, never serving them inline.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Protocol

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from umbrella.intake.answers import EvidenceFile
from umbrella.reporting.pdfclean import UnreadablePdf, pdf_without_active_content

MAX_FILES: Final = 5
MAX_FILE_BYTES: Final = 8 * 1024 * 1024
MAX_PIXELS: Final = 40_000_000
# Pillow format name -> (content type, file extension).
IMAGE_FORMATS: Final = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
MAGIC: Final = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)


class Upload(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class EvidenceProblem(Exception):
    """Why a file cannot be accepted, in words to show the person."""

    message: str


def _sniff(data: bytes) -> str:
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:5] == b"%PDF-":
        return "PDF"
    return ""


def _safe_stem(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    kept = "".join(ch for ch in stem if ch.isalnum() or ch in "-_ ")[:60].strip()
    return kept or "evidence"


def _clean_image(data: bytes, kind: str, name: str) -> EvidenceFile:
    problem = EvidenceProblem(_("%(name)s must be a JPG, PNG, WebP or GIF image that opens") % {"name": name})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != kind:
                raise problem
            if probe.width * probe.height > MAX_PIXELS:
                raise EvidenceProblem(_("%(name)s is too large an image") % {"name": name})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) if kind != "GIF" else image
            # Only the pixels are copied: no EXIF, XMP, ICC comments or text chunks come across.
            mode = upright.mode if upright.mode in ("RGB", "RGBA", "L", "LA", "P") else "RGB"
            if kind == "JPEG" and mode not in ("RGB", "L"):
                mode = "RGB"
            pixels = upright.convert(mode)
            clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
            palette = pixels.getpalette() if pixels.mode == "P" else None
            if palette is not None:
                clean.putpalette(palette)
            out = io.BytesIO()
            clean.save(out, format=kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
    except EvidenceProblem:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise problem from exc
    content_type, extension = IMAGE_FORMATS[kind]
    return EvidenceFile(name=f"{_safe_stem(name)}.{extension}", content_type=content_type, data=out.getvalue())


def _clean_pdf(data: bytes, name: str) -> EvidenceFile:
    try:
        clean = pdf_without_active_content(data)
    except UnreadablePdf as error:
        raise EvidenceProblem(
            _("%(name)s must be a PDF that opens without a password") % {"name": name}
        ) from error
    return EvidenceFile(name=f"{_safe_stem(name)}.pdf", content_type="application/pdf", data=clean)


def clean_evidence(uploads: Iterable[Upload], *, already: int = 0) -> list[EvidenceFile]:
    """Cleaned copies of the uploads, or EvidenceProblem naming the first file that fails."""
    files = list(uploads)
    if already + len(files) > MAX_FILES:
        raise EvidenceProblem(_("You can upload up to %(count)s files") % {"count": MAX_FILES})
    cleaned = []
    for upload in files:
        name = upload.name or "file"
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise EvidenceProblem(_("%(name)s must be smaller than 8MB") % {"name": name})
        data = upload.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise EvidenceProblem(_("%(name)s must be smaller than 8MB") % {"name": name})
        if not data:
            raise EvidenceProblem(_("%(name)s is empty") % {"name": name})
        kind = _sniff(data)
        if kind == "PDF":
            cleaned.append(_clean_pdf(data, name))
        elif kind in IMAGE_FORMATS:
            cleaned.append(_clean_image(data, kind, name))
        else:
            raise EvidenceProblem(_("%(name)s must be a JPG, PNG, WebP or GIF image, or a PDF") % {"name": name})
    return cleaned
