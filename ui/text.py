"""User and framework text in widget texts that Qt reads as markup or mnemonics.

A button's, a group box's or an action's text, and a label's with a buddy,
turn "&x" into an underlined Alt+X shortcut. Text the user typed or a
framework holds (a skill, a dimension, a profile's name) goes in through
`literal`, so that "R&D" shows as typed and answers no key. A tooltip that
looks like markup ("<b>Zoë</b>") is shown as rich text: `tooltip` keeps it
plain.
"""

from __future__ import annotations

from html import escape


def literal(text: str) -> str:
    """`text` shown as typed where Qt reads "&" as a mnemonic: each "&" doubled."""
    return text.replace("&", "&&")


def tooltip(text: str) -> str:
    """`text` as a tooltip shows it exactly as typed, line breaks included, never as markup."""
    return f"<p style='white-space:pre-wrap'>{escape(text, quote=False)}</p>"
