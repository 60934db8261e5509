"""What a PDF reader learns about the report besides its pages: language, metadata, labels.

The document template sets the catalog's `/Lang` to `LANGUAGE`; at save,
`add_metadata` adds page labels and an XMP metadata stream that repeats the Info
dictionary (title, author, subject, the tools, the language and one date for
both). Only what the Info dictionary holds goes into XMP: the title, the
author and the subject, which are not private, and never any other user text.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from xml.sax.saxutils import escape

# The language of the report's own words (headings, labels, sentences): the catalog's
# /Lang and XMP's dc:language. User text in other languages is not marked as such.
LANGUAGE = "en"

# Not allowed in XML 1.0 even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def moment(stamp: Any) -> datetime:
    """The time ReportLab stamped the document with (`PDFDocument._timeStamp`), with its
    true offset from UTC.

    ReportLab's own Info date keeps only whole hours of the offset (India's +05:30
    is written +05'00'), so both the Info date and XMP are written from this.
    """
    if stamp.tzname == "UTC":  # invariant builds and SOURCE_DATE_EPOCH: UTC
        zone = UTC
    else:
        zone = timezone(timedelta(seconds=time.localtime(stamp.t).tm_gmtoff))
    year, month, day, hour, minute, second = stamp.YMDhms
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


def pdf_date(when: datetime) -> str:
    """`when` as a PDF date string, "D:YYYYMMDDHHmmSS+HH'mm'"."""
    offset = when.utcoffset() or timedelta()
    sign = "-" if offset < timedelta() else "+"
    hours, minutes = divmod(abs(offset) // timedelta(minutes=1), 60)
    return f"D:{when:%Y%m%d%H%M%S}{sign}{hours:02d}'{minutes:02d}'"


def _xml(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value))


def _alternatives(name: str, value: str) -> str:
    """A language alternative property with its one, default, value."""
    item = f'<rdf:li xml:lang="x-default">{_xml(value)}</rdf:li>'
    return f"<{name}><rdf:Alt>{item}</rdf:Alt></{name}>"


def _list(name: str, kind: str, value: str) -> str:
    """An ordered (rdf:Seq) or unordered (rdf:Bag) property of one item."""
    return f"<{name}><{kind}><rdf:li>{_xml(value)}</rdf:li></{kind}></{name}>"


def xmp(
    *,
    title: str,
    author: str,
    subject: str,
    creator: str,
    producer: str,
    created: datetime,
    lang: str,
) -> bytes:
    """An XMP packet (ISO 16684-1) with the Dublin Core, PDF and XMP basic properties that
    mirror the Info dictionary: `dc:creator` only when there is an author."""
    date = created.isoformat(timespec="seconds")
    properties = [
        "<dc:format>application/pdf</dc:format>",
        _alternatives("dc:title", title),
        _list("dc:creator", "rdf:Seq", author) if author else "",
        _alternatives("dc:description", subject),
        _list("dc:language", "rdf:Bag", lang) if lang else "",
        f"<pdf:Producer>{_xml(producer)}</pdf:Producer>",
        f"<xmp:CreatorTool>{_xml(creator)}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{date}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
    ]
    body = "\n".join(line for line in properties if line)
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/">
{body}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def add_metadata(canvas: Any) -> None:
    """Complete `canvas`'s document just before it is saved.

    Page labels are decimal from the first page, as the footer counts ("Page 1
    of N" is the cover). The Info dictionary's dates and the XMP stream's are
    one moment; XMP takes title, author, subject and tools from the Info
    dictionary and the language from the catalog, as the document template set
    them.
    """
    from reportlab.pdfbase.pdfdoc import XMP  # type: ignore[import-untyped]

    doc = canvas._doc
    lang = getattr(doc.Catalog, "Lang", None)
    when = moment(doc._timeStamp)
    canvas.setDateFormatter(lambda *_ymdhms: pdf_date(when))
    canvas.addPageLabel(0, "ARABIC")
    info = doc.info
    packet = xmp(
        title=str(info.title),
        author=str(info.author or ""),
        subject=str(info.subject),
        creator=str(info.creator),
        producer=str(info.producer),
        created=when,
        lang=str(lang.s) if lang is not None else "",
    )
    canvas.setCatalogEntry("Metadata", XMP(creator=lambda _doc: packet))
