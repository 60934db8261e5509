"""TrueType faces whose subsets each carry a tag of their own in the PDF.

ReportLab embeds a face as subsets of at most 256 glyphs, each its own PDF
font named "TAG+Face", and takes the tag from the subset's number alone: the
first subset of every face is AAAAAA, the second AAAAAB. ISO 32000-1 §9.6.4
asks for the opposite: "different subsets in the same PDF file shall have
different tags". Here a tag is a digest of the face and the characters of its
subset, so the same report always gets the same tags, and within one document
a tag already taken moves on to the next free one.

Imported only when the report's fonts are registered, like ReportLab itself.
"""

from __future__ import annotations

import hashlib
import string
from typing import Any

from reportlab.pdfbase import pdfdoc  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont, makeToUnicodeCMap  # type: ignore[import-untyped]

TAG_LETTERS = 6
_SPACE = 26**TAG_LETTERS


def _tag(number: int) -> str:
    """`number` (modulo 26⁶) as six capital letters."""
    letters = []
    for _ in range(TAG_LETTERS):
        number, digit = divmod(number, 26)
        letters.append(string.ascii_uppercase[digit])
    return "".join(reversed(letters))


def subset_tag(face: str, subset: list[int], taken: set[str]) -> str:
    """A tag for the subset of `face` holding these code points, not one of `taken`."""
    digest = hashlib.sha256(f"{face}:{','.join(map(str, subset))}".encode())
    number = int.from_bytes(digest.digest()[:8], "big")
    while _tag(number) in taken:
        number += 1
    return _tag(number)


class SubsetFont(TTFont):  # type: ignore[misc]
    """A `TTFont` that names its subsets with `subset_tag` instead of their numbers."""

    def addObjects(self, doc: Any) -> None:
        """ReportLab 5.1's `TTFont.addObjects`, but for the subset's name.

        Makes a Font, a ToUnicode map and a FontDescriptor (holding the subset
        itself) for every subset of this face that the document used.
        """
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        taken: set[str] | None = getattr(doc, "_rung_subset_tags", None)
        if taken is None:  # the tags of every face's subsets in this document
            taken = doc._rung_subset_tags = set()
        face = self.face.name + self.face.subfontNameX
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            tag = subset_tag(face.decode("latin-1"), subset, taken)
            taken.add(tag)
            base_font_name = (tag.encode("ascii") + b"+" + face).decode("pdfdoc")

            font = pdfdoc.PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} subset {n}"
            font.Name = internal_name
            font.BaseFont = base_font_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))

            cmap = pdfdoc.PDFStream()
            cmap.content = makeToUnicodeCMap(base_font_name, subset)
            if doc.compression:
                cmap.filters = [pdfdoc.PDFZCompress]
            font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_font_name)
            font.FontDescriptor = self.face.addSubsetObjects(doc, base_font_name, subset)

            doc.Reference(font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = font
        del self.state[doc]
