"""User and framework text in widget texts that Qt reads for keyboard mnemonics.

A button's, a group box's or an action's text, and a label's with a buddy,
turn "&x" into an underlined Alt+X shortcut. Text the user typed or a
framework holds (a skill, a dimension, a profile's name) goes in through
`literal`, so that "R&D" shows as typed and answers no key.
"""

from __future__ import annotations


def literal(text: str) -> str:
    """`text` shown as typed where Qt reads "&" as a mnemonic: each "&" doubled."""
    return text.replace("&", "&&")
