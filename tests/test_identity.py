"""Who the data folder belongs to: `rung whoami`, and what it signs."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import Services
from tests.conftest import folder_digest
from tests.helpers import Run, assert_failed, assert_ok, create_profile


def test_whoami_says_when_no_one_is_set_and_shows_who_is(rung: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    create_profile(rung, data, "Sam")  # creating a profile never sets the identity
    result = rung("--data-dir", data, "whoami")
    assert_ok(result)
    assert result.out == (
        "No owner identity is set for this data folder; set it with "
        "'rung whoami --name NAME [--role ROLE] [--email EMAIL]'.\n"
    )
    assert_ok(rung("--data-dir", data, "whoami", "--name", "Sam Rivera", "--role", "ML engineer"))
    assert rung("--data-dir", data, "whoami").out == "Sam Rivera — ML engineer\n"
    assert_ok(rung("--data-dir", data, "whoami", "--email", "sam@example.com"))
    assert rung("--data-dir", data, "whoami").out == "Sam Rivera — ML engineer <sam@example.com>\n"
    assert_ok(rung("--data-dir", data, "whoami", "--role", ""))
    assert rung("--data-dir", data, "whoami").out == "Sam Rivera <sam@example.com>\n"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--role", "Lead"], "Give your name first"),
        (["--name", "Sam", "--email", "not an address"], "is not an email address"),
        (["--name", ""], "The name is empty."),
        (["--name", "Sam\x1b[31m"], "control character"),
    ],
)
def test_a_bad_identity_is_refused_and_changes_nothing(
    rung: Run, tmp_path: Path, args: list[str], fragment: str
) -> None:
    data = tmp_path / "data"
    create_profile(rung, data, "Sam")
    before = folder_digest(data)
    assert_failed(rung("--data-dir", data, "whoami", *args), 1, fragment)
    assert folder_digest(data) == before


def test_the_identity_survives_reopening(services: Services) -> None:
    services.identity.set(name="Noa Levi", role="עמית", email="noa@example.com")
    identity = services.identity.get()
    assert identity is not None
    assert identity.line() == "Noa Levi — עמית <noa@example.com>"
