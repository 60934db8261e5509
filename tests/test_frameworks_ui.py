"""The Frameworks section: importing a ladder with a preview that stores nothing until
confirmed, and comparing any two levels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.services import Services
from app.services.frameworks import write_template
from tests.conftest import folder_digest
from ui import dialogs
from ui.frameworks import FrameworksPanel, ImportPreviewDialog, LevelDiffModel
from ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot: QtBot, services: Services, runner: TaskRunner) -> FrameworksPanel:
    widget = FrameworksPanel(services, runner)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def answer_open_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """The file dialog answers `path`; returns the filters it was asked with."""
    asked: list[str] = []

    def answer(_parent: Any, _title: str, file_filter: str) -> Path:
        asked.append(file_filter)
        return path

    monkeypatch.setattr(dialogs, "open_file", answer)
    return asked


def filled_template(tmp_path: Path, services: Services) -> Path:
    """The core's template, filled in by hand: a new version and one more skill."""
    out = tmp_path / "ladder.xlsx"
    write_template(out, "xlsx", services.store.data_dir)
    book = openpyxl.load_workbook(out)
    book["Framework"]["B3"] = "2026.1"
    skills = book["Skills"]
    header = [c.value for c in skills[1]]
    row = dict.fromkeys(header)
    row.update({"id": "testing", "name": "Testing", "dimension": "craft",
                "category": "must-have", "criticality": "important",
                "description": "Tests that catch regressions.", "source": "Our ladder",
                "engineer-1": 1, "engineer-2": 2, "senior-engineer": 3})  # fmt: skip
    skills.append([row[h] for h in header])
    book.save(out)
    return out


def open_preview(qtbot: QtBot, panel: FrameworksPanel, runner: TaskRunner) -> ImportPreviewDialog:
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.preview is not None and panel.preview.isVisible())
    assert panel.preview is not None
    return panel.preview


def click(qtbot: QtBot, dialog: ImportPreviewDialog, role: QDialogButtonBox.StandardButton) -> None:
    button = dialog.buttons.button(role)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def stored_refs(services: Services) -> set[str]:
    return {info.ref for info in services.frameworks.all()}


def test_a_hand_filled_template_imports_after_the_preview(
    qtbot: QtBot,
    panel: FrameworksPanel,
    services: Services,
    runner: TaskRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    filters = answer_open_file(monkeypatch, filled_template(tmp_path, services))
    before = stored_refs(services)
    preview = open_preview(qtbot, panel, runner)
    assert "*.xlsx" in filters[0]
    assert "*.csv" in filters[0]
    text = preview.details.toPlainText()
    assert "Id: my-company-ladder" in text
    assert "Version: 2026.1" in text
    assert "Levels: Engineer I → Engineer II → Senior Engineer" in text
    assert "2 dimensions, 3 skills, 1 milestone, 1 KPI, 1 promotion criterion." in text
    assert stored_refs(services) == before  # nothing yet
    assert preview.import_button is not None
    qtbot.keyClick(preview, Qt.Key.Key_Return)  # Import is the default button
    qtbot.waitUntil(lambda: panel.framework_combo.currentData() == "my-company-ladder@2026.1")
    assert stored_refs(services) == before | {"my-company-ladder@2026.1"}
    assert panel.framework is not None
    assert "testing" in {s.id for s in panel.framework.skills}
    assert "Imported" in panel.status.text()


def test_a_bad_cell_is_named_in_the_preview_and_nothing_is_stored(
    qtbot: QtBot,
    panel: FrameworksPanel,
    services: Services,
    runner: TaskRunner,
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = filled_template(tmp_path, services)
    book = openpyxl.load_workbook(path)
    header = [c.value for c in book["Skills"][1]]
    column = openpyxl.utils.get_column_letter(header.index("senior-engineer") + 1)
    book["Skills"][f"{column}4"] = 9  # the skill added by hand, at the top level
    book.save(path)
    answer_open_file(monkeypatch, path)
    before = folder_digest(data_dir)
    preview = open_preview(qtbot, panel, runner)
    assert preview.import_button is None  # only Close
    text = preview.details.toPlainText()
    assert (
        "Skills, row 4, column 'senior-engineer': the expected rating 9 is outside the scale"
        in text
    )
    click(qtbot, preview, QDialogButtonBox.StandardButton.Close)
    qtbot.waitUntil(lambda: panel.preview is None)
    runner.drain()
    assert folder_digest(data_dir) == before


def test_cancel_stores_nothing(
    qtbot: QtBot,
    panel: FrameworksPanel,
    services: Services,
    runner: TaskRunner,
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answer_open_file(monkeypatch, filled_template(tmp_path, services))
    before, refs = folder_digest(data_dir), stored_refs(services)
    preview = open_preview(qtbot, panel, runner)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: panel.preview is None)
    runner.drain()
    assert stored_refs(services) == refs
    assert folder_digest(data_dir) == before
    assert panel.framework_combo.currentData() != "my-company-ladder@2026.1"


def pick(qtbot: QtBot, combo: Any, text: str) -> None:
    """Choose `text` in a combo with the keyboard: focus it, then type to the item."""
    combo.setFocus()
    index = combo.findText(text)
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def test_any_two_levels_compare_either_way(
    qtbot: QtBot, panel: FrameworksPanel, services: Services
) -> None:
    pick(qtbot, panel.framework_combo, "ML Engineer ladder (ml-engineer@1.1)")
    framework = services.frameworks.load("ml-engineer@1.1")
    header: Callable[[], list[str]] = lambda: [  # noqa: E731
        panel.model.headerData(c, Qt.Orientation.Horizontal)
        for c in (LevelDiffModel.LOWER, LevelDiffModel.HIGHER)
    ]
    pick(qtbot, panel.level_a, "Staff ML Engineer")  # the higher level in the first combo
    pick(qtbot, panel.level_b, "Junior ML Engineer")
    assert header() == ["Junior ML Engineer", "Staff ML Engineer"]
    by_id = {s.id: s for s in framework.skills}
    for row in panel.model.rows():
        skill = by_id[row.id]
        assert (row.lower, row.higher) == (
            skill.expected.get("junior-ml-engineer", 0),
            skill.expected.get("staff-ml-engineer", 0),
        )
    changes = {row.change for row in panel.model.rows()}
    assert "lowered" not in changes
    assert changes & {"new", "raised"}
    text = panel.criteria.toPlainText()
    assert "From Junior ML Engineer up to Staff ML Engineer" in text
    for step in ("Into ML Engineer:", "Into Senior ML Engineer:", "Into Staff ML Engineer:"):
        assert step in text
