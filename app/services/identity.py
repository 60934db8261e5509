"""Who the data folder belongs to: a name, a role or title, an optional email.

The identity signs what the folder makes: an assessment names its assessor,
a PDF its author, a bundle its owner. It is set with `rung whoami` or in the
app (the first run prefills it from the first profile's name); creating a
profile never sets it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from app.errors import InvalidInputError
from app.store.db import Store
from app.store.models import OWNER_ID, Owner
from app.text import check_name

WHOAMI = "rung whoami --name NAME [--role ROLE] [--email EMAIL]"


@dataclass(frozen=True)
class Identity:
    name: str
    role: str | None = None
    email: str | None = None

    def line(self) -> str:
        """`NAME — ROLE <EMAIL>`, leaving out what is not set."""
        text = self.name + (f" — {self.role}" if self.role else "")
        return text + (f" <{self.email}>" if self.email else "")

    def same_person(self, other: Identity) -> bool:
        """Whether `other` names the same person: the same name and, when both give one,
        the same email.

        Names are compared as people read them (Unicode NFC, case and runs of spaces
        ignored), emails without regard to case. The role is not compared: a title changes
        with a promotion, and the person does not.
        """
        if _folded(self.name) != _folded(other.name):
            return False
        return not (self.email and other.email) or _folded(self.email) == _folded(other.email)


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _email(value: str) -> str:
    check_name(value, "email")
    local, at, domain = value.partition("@")
    if not (local and at and domain) or any(ch.isspace() for ch in value):
        raise InvalidInputError(f"'{value}' is not an email address such as sam@example.com.")
    return value


class IdentityService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self) -> Identity | None:
        with self._store.session() as session:
            row = session.get(Owner, OWNER_ID)
            return Identity(row.name, row.role, row.email) if row else None

    def require(self, what: str) -> Identity:
        """The identity that signs `what` (e.g. "an assessment"), or one sentence saying how to
        set it."""
        identity = self.get()
        if identity is None:
            raise InvalidInputError(
                f"{what[:1].upper()}{what[1:]} is signed with who you are, and this data folder "
                f"does not know yet: set it with '{WHOAMI}' (or in Settings)."
            )
        return identity

    def set(
        self, *, name: str | None = None, role: str | None = None, email: str | None = None
    ) -> Identity:
        """Set the identity, or change parts of it; an empty role or email clears it."""
        if name is not None:
            check_name(name, "name")
        if role:
            check_name(role, "role")
        if email:
            _email(email)
        with self._store.session() as session:
            row = session.get(Owner, OWNER_ID)
            if row is None:
                if name is None:
                    raise InvalidInputError(f"Give your name first: '{WHOAMI}'.")
                row = Owner(id=OWNER_ID, name=name)
                session.add(row)
            elif name is not None:
                row.name = name
            if role is not None:
                row.role = role or None
            if email is not None:
                row.email = email or None
            return Identity(row.name, row.role, row.email)
