"""Public PDF uploads rewritten without anything that acts: no scripts, actions, attachments, forms
or metadata, and nothing outside the PDF's own objects.

A PDF can carry JavaScript (run on opening, on a page, on a link), actions that launch programs,
submit forms or fetch other files, embedded files, XFA forms, and, before its header or after its
end, bytes another program reads as HTML (a polyglot). The upload is opened with pikepdf (qpdf),
every dictionary reachable from it is walked and those parts removed, and a new file is written
from the objects that remain, streams compressed: what staff open is that new file, never the
upload. A file qpdf cannot open, or one locked with a password, is refused.
"""

from __future__ import annotations

import io
from typing import Final

import pikepdf
from pikepdf import Array, Dictionary, Name

# Action types that run code, leave the document or change something outside it.
DANGEROUS_ACTIONS: Final = frozenset({
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/GoToR", "/GoToE",
    "/URI", "/Rendition", "/Sound", "/Movie", "/RichMediaExecute", "/SetOCGState", "/Hide", "/Named",
})
# Keys whose whole value is dropped wherever they appear.
DROPPED_KEYS: Final = (
    "/JS", "/JavaScript", "/AA", "/OpenAction", "/EmbeddedFiles", "/EmbeddedFile", "/XFA",
    "/RichMediaContent", "/Next", "/URI",
)
# Annotations that hold files, media or 3D content are removed from their pages.
DROPPED_ANNOTATIONS: Final = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})


class UnreadablePdf(Exception):
    """The upload is not a PDF qpdf can open, or it is password protected."""


def _clean(value: object, seen: set[tuple[int, int]]) -> None:
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        reference = value.objgen
        if reference in seen:
            return
        seen.add(reference)
    if isinstance(value, Dictionary) or (isinstance(value, pikepdf.Stream)):
        for name in DROPPED_KEYS:
            if name in value:
                del value[name]
        action = value.get("/A")
        if isinstance(action, Dictionary) and str(action.get("/S", "")) in DANGEROUS_ACTIONS:
            del value["/A"]
        if str(value.get("/S", "")) in DANGEROUS_ACTIONS:
            value["/S"] = Name("/GoTo")  # an action left pointing nowhere does nothing
            value["/D"] = Array([])
        annotations = value.get("/Annots")
        if isinstance(annotations, Array):
            kept = [annotation for annotation in annotations
                    if not (isinstance(annotation, Dictionary) and str(annotation.get("/Subtype", "")) in DROPPED_ANNOTATIONS)]
            value["/Annots"] = Array(kept)
        for key in list(value.keys()):
            if key in ("/Parent", "/P"):
                continue  # back-references: reached from the other side
            _clean(value[key], seen)
    elif isinstance(value, Array):
        for item in value:
            _clean(item, seen)


def pdf_without_active_content(data: bytes) -> bytes:
    """A new PDF with the upload's pages and nothing that acts; raises UnreadablePdf."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as error:
        raise UnreadablePdf(str(error)) from error
    with pdf:
        if not len(pdf.pages):
            raise UnreadablePdf("no pages")
        root = pdf.Root
        for name in ("/AcroForm", "/Metadata", "/OpenAction", "/AA", "/Names", "/Threads", "/SpiderInfo"):
            if name in root:
                del root[name]
        _clean(root, set())
        for page in pdf.pages:
            _clean(page.obj, set())
        # Author, producer and dates are about the person, like a photo's EXIF.
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        pdf.remove_unreferenced_resources()
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 fix_metadata_version=False, deterministic_id=True)
    return out.getvalue()
