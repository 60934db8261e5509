"""The quick-capture dialog: one evidence entry, work done or feedback received.

A quick capture is a title and Enter. The rest is there when wanted: a date,
a description (for feedback, the quote) and a link, the tags (skills,
milestones, KPIs and the promotion criteria of the profile's steps), and the
impact — context, what the person did, the outcome and a metric — in a part
that opens on demand. Nothing is stored until the whole entry is valid; a
problem is one sentence in the dialog, which keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import describe
from app.framework.model import Framework
from app.services import Services
from app.services.evidence import EvidenceInfo, Feedback, Impact, Tag
from ui.numbers import example, number_locale, read_number, show_number
from ui.profile_form import date_edit, to_date
from ui.tasks import TaskRunner

KIND_LABEL = {"skill": "Skill", "milestone": "Milestone", "kpi": "KPI", "criterion": "Criterion"}
IMPACT_TOGGLE = "&Impact: context, what you did, the outcome, a metric"


def framework_tags(
    framework: Framework, criteria: Iterable[str] | None = None
) -> list[tuple[Tag, str]]:
    """Every tag a framework offers, with the name people read; only the promotion criteria
    in `criteria` when it is given (those of a profile's steps, say). The criteria come
    first: a handful, and what a promotion packet is argued on."""
    wanted = None if criteria is None else set(criteria)
    return (
        [
            (Tag("criterion", c.id), c.text)
            for c in framework.promotion_criteria
            if wanted is None or c.id in wanted
        ]
        + [(Tag("skill", s.id), s.name) for s in framework.skills]
        + [(Tag("milestone", m.id), m.title) for m in framework.milestones]
        + [(Tag("kpi", k.id), k.name) for k in framework.kpis]
    )


def step_criteria(framework: Framework, level: str, target: str) -> list[str]:
    """The promotion criteria of every step from `level` up to `target`, lowest step first."""
    return [
        criterion.id
        for _from, to in framework.steps(level, target)
        for criterion in framework.criteria_of_step(to)
    ]


def tag_label(tag: Tag, name: str) -> str:
    return f"{KIND_LABEL[tag.kind]}: {name}"


@dataclass(frozen=True)
class CaptureContext:
    """What the dialog offers for a profile: its framework, and the criteria of its steps."""

    profile_id: str
    framework: Framework
    criteria: tuple[str, ...]


class QuickCaptureDialog(QDialog):
    """A small form for one evidence entry: new, or an existing one to edit.

    Signals:
        saved(object): the entry was stored (its `EvidenceInfo`; what `save_job` returned).
    """

    saved = Signal(object)

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        context: CaptureContext,
        entry: EvidenceInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._profile_id = context.profile_id
        self._entry = entry
        self._locale = number_locale()
        self.setWindowTitle("Edit evidence" if entry else "Capture evidence")

        self.work = QRadioButton("&Work done", self)
        self.feedback = QRadioButton("&Feedback received", self)
        self.kind = QButtonGroup(self)
        for button in (self.work, self.feedback):
            self.kind.addButton(button)
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Title")
        self.date = date_edit(entry.date if entry else date.today(), "Date", self)
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.giver = QLineEdit(self)
        self.giver.setAccessibleName("From")
        self.giver.setPlaceholderText("Who gave it")
        self.giver_role = QLineEdit(self)
        self.giver_role.setAccessibleName("Their role")
        self.giver_role.setPlaceholderText("Optional, e.g. Staff engineer")
        self.link = QLineEdit(self)
        self.link.setAccessibleName("Link")
        self.link.setPlaceholderText("https://… (optional)")
        self.tags = self._tag_list(context, set(entry.tags) if entry else set())
        self.private = QCheckBox("&Private (left out of shared reports)", self)

        self.impact_toggle = QToolButton(self)
        self.impact_toggle.setText(IMPACT_TOGGLE)
        self.impact_toggle.setCheckable(True)
        self.impact_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.impact_toggle.setAutoRaise(True)
        self.impact_toggle.setAccessibleName("Impact")
        self.context = QLineEdit(self)
        self.context.setAccessibleName("Context")
        self.context.setPlaceholderText("The situation: what was at stake")
        self.action = QLineEdit(self)
        self.action.setAccessibleName("What I did")
        self.action.setPlaceholderText("Your part in it")
        self.outcome = QLineEdit(self)
        self.outcome.setAccessibleName("Outcome")
        self.outcome.setPlaceholderText("What changed because of it")
        self.metric_value = QLineEdit(self)
        self.metric_value.setAccessibleName("Metric value")
        self.metric_value.setPlaceholderText(f"e.g. {example(self._locale)}")
        self.metric_value.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 14)
        self.metric_unit = QLineEdit(self)
        self.metric_unit.setAccessibleName("Metric unit")
        self.metric_unit.setPlaceholderText("ms, %, users…")
        self._metric = metric = QWidget(self)
        metric_row = QHBoxLayout(metric)
        metric_row.setContentsMargins(0, 0, 0, 0)
        metric_row.addWidget(self.metric_value)
        unit_label = QLabel("unit:", metric)  # no key of its own: Tab from the value
        unit_label.setBuddy(self.metric_unit)
        metric_row.addWidget(unit_label)
        metric_row.addWidget(self.metric_unit, 1)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it may quote what was typed
        self.message.setAccessibleName("Problem")
        self.message.hide()

        self.kind_row = kind_row = QWidget(self)
        kinds = QHBoxLayout(kind_row)
        kinds.setContentsMargins(0, 0, 0, 0)
        kinds.addWidget(self.work)
        kinds.addWidget(self.feedback)
        kinds.addStretch(1)
        self.form = QFormLayout()
        self._row("Kind:", kind_row, buddy=self.work)
        self._row("&Title:", self.title)
        self._row("&Date:", self.date)
        self.description_label = self._row("D&escription:", self.description)
        self._row("Fr&om:", self.giver)
        self._row("Their &role:", self.giver_role)
        self._row("&Link:", self.link)
        self._row("T&ags:", self.tags)
        self.form.addRow("", self.private)
        self.form.addRow(self.impact_toggle)
        self._row("Co&ntext:", self.context)
        self._row("W&hat I did:", self.action)
        self._row("O&utcome:", self.outcome)
        self._row("&Metric:", metric, buddy=self.metric_value)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self._layout = layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 80)

        self._fill(entry)
        self.kind.buttonToggled.connect(lambda _b, _on: self._on_kind_changed())
        self.impact_toggle.toggled.connect(self._on_impact_toggled)
        self._on_kind_changed()
        self._on_impact_toggled(self.impact_toggle.isChecked(), resize=False)
        self.title.setFocus()

    def _row(self, text: str, field: QWidget, *, buddy: QWidget | None = None) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy or field)
        self.form.addRow(label, field)
        return label

    def _tag_list(self, context: CaptureContext, chosen: set[Tag]) -> QListWidget:
        """The tags to check: the framework's skills, milestones and KPIs, and the criteria of
        the profile's steps (with any other criterion the entry already has)."""
        tags = QListWidget(self)
        tags.setAccessibleName("Tags")
        tags.setAccessibleDescription(
            "Check the skills, milestones, KPIs and promotion criteria this shows."
        )
        tags.setWordWrap(True)  # a criterion is a sentence
        criteria = {*context.criteria, *(t.ref for t in chosen if t.kind == "criterion")}
        for tag, name in framework_tags(context.framework, criteria):
            item = QListWidgetItem(tag_label(tag, name), tags)
            item.setData(Qt.ItemDataRole.UserRole, tag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if tag in chosen else Qt.CheckState.Unchecked)
        tags.setMinimumHeight(self.fontMetrics().height() * 6)
        return tags

    def _fill(self, entry: EvidenceInfo | None) -> None:
        if entry is None:
            self.work.setChecked(True)
            return
        self.title.setText(entry.title)
        self.description.setPlainText(entry.description or "")
        self.link.setText(entry.link or "")
        self.private.setChecked(entry.private)
        (self.feedback if entry.feedback else self.work).setChecked(True)
        if entry.feedback:
            self.giver.setText(entry.feedback.giver)
            self.giver_role.setText(entry.feedback.role or "")
        impact = entry.impact
        self.context.setText(impact.context or "")
        self.action.setText(impact.action or "")
        self.outcome.setText(impact.outcome or "")
        if impact.metric_value is not None:
            self.metric_value.setText(show_number(impact.metric_value, self._locale))
        self.metric_unit.setText(impact.metric_unit or "")
        self.impact_toggle.setChecked(any(self._impact_texts()))

    def _impact_texts(self) -> list[str]:
        fields = (self.context, self.action, self.outcome, self.metric_value, self.metric_unit)
        return [field.text() for field in fields]

    # -- showing what the kind needs ----------------------------------------------

    def is_feedback(self) -> bool:
        return self.feedback.isChecked()

    def _on_kind_changed(self) -> None:
        feedback = self.is_feedback()
        for field in (self.giver, self.giver_role):
            self.form.setRowVisible(field, feedback)
        self.description_label.setText("&Quote:" if feedback else "D&escription:")
        self.description.setAccessibleName("Quote" if feedback else "Description")
        self.description.setPlaceholderText(
            "Their words, as they said or wrote them" if feedback else "What happened (optional)"
        )
        self.title.setPlaceholderText(
            "What was the feedback about?" if feedback else "What did you accomplish?"
        )

    def _on_impact_toggled(self, shown: bool, *, resize: bool = True) -> None:
        self.impact_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        for field in (self.context, self.action, self.outcome, self._metric):
            self.form.setRowVisible(field, shown)
        if shown and resize:
            self.context.setFocus()
        if resize:  # as tall as its rows need, no taller
            self._layout.activate()
            self.resize(self.width(), self.sizeHint().height())

    # -- saving --------------------------------------------------------------------

    def checked_tags(self) -> list[Tag]:
        return [
            self.tags.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.tags.count())
            if self.tags.item(n).checkState() == Qt.CheckState.Checked
        ]

    def check_tag(self, tag: Tag, checked: bool = True) -> None:
        for n in range(self.tags.count()):
            item = self.tags.item(n)
            if item.data(Qt.ItemDataRole.UserRole) == tag:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _impact(self) -> Impact | None:
        """The impact as typed; None (and the problem shown) when the metric's value is not a
        number in the user's locale."""
        text = self.metric_value.text().strip()
        value = read_number(text, self._locale)
        if text and value is None:
            self._show_problem(
                f"The metric's value “{text}” is not a number; write it as {example(self._locale)}."
            )
            return None
        return Impact(
            self.context.text(),
            self.action.text(),
            self.outcome.text(),
            value,
            self.metric_unit.text(),
        )

    def _on_save(self) -> None:
        impact = self._impact()
        if impact is None:
            return
        fields: dict[str, Any] = {
            "day": to_date(self.date.date()),
            "title": self.title.text(),
            "description": self.description.toPlainText(),
            "link": self.link.text(),
            "private": self.private.isChecked(),
            "tags": self.checked_tags(),
            "impact": impact,
            "feedback": (
                Feedback(self.giver.text(), self.giver_role.text() or None)
                if self.is_feedback()
                else None
            ),
        }
        self.buttons.setEnabled(False)
        self._runner.submit(
            self.save_job(fields), self._on_saved, owner=self, on_error=self._on_save_failed
        )

    def save_job(self, fields: dict[str, Any]) -> Callable[[], object]:
        """What Save runs on the worker with the fields as typed: add the entry, or update it.
        A dialog that stores the fields some other way (a proposal accepted) says so here."""
        evidence, profile_id, entry = self._services.evidence, self._profile_id, self._entry
        if entry is None:
            return lambda: evidence.add(profile_id, **fields)
        return lambda: evidence.update(entry.id, **fields)

    def _on_saved(self, info: object) -> None:
        self.saved.emit(info)
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._show_problem(describe(error))

    def _show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
