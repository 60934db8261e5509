"""Evidence proposed from the user's own git history, reviewed before anything is stored.

The dialog reads a local repository on the worker (commit metadata and changed
paths only, see `app.gitwork`), can stop a long read, and lists what it
proposes. Each proposal is accepted as it is, edited then accepted (in the
capture dialog's fields), or dismissed; the service remembers both, so a
proposal decided once is not offered again by the next read.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.errors import describe, is_bug
from app.gitwork.proposals import LINK_TEMPLATE_EXAMPLE, Proposal
from app.services import Services
from app.services.evidence import EvidenceInfo, Tag
from app.services.gitwork import DEFAULT_DAYS, GitScan, ProposalEdit
from app.services.identity import Identity
from ui import dialogs
from ui.evidence_capture import CaptureContext, QuickCaptureDialog, framework_tags
from ui.profile_form import date_edit, to_date
from ui.settings import Settings
from ui.table_model import RowTableModel, prefer_name, record_table
from ui.tasks import TaskRunner
from ui.text import tooltip

READING_TEXT = "Reading history…"
NO_AUTHOR_TEXT = (
    "Rung does not know which commits are yours: give the email your commits use, "
    "or set yours in Settings."
)
NO_REPOSITORY_TEXT = "Choose the repository to read."
INTRO_TEXT = "Only commit metadata and changed paths are read; nothing leaves this computer."


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def split_emails(text: str) -> list[str]:
    """The emails typed in one field, separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[,;\s]+", text) if part]


class ProposalTableModel(RowTableModel[Proposal]):
    """Proposals, one a row: date, title, suggested tags, how many commits."""

    DATE, TITLE, TAGS, COMMITS = range(4)
    HEADERS = ("Date", "Title", "Suggested tags", "Commits")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: dict[Tag, str] = {}

    def key(self, row: Proposal) -> str:
        return row.id

    def tags_text(self, proposal: Proposal) -> str:
        return ", ".join(self.names.get(Tag(*t), t[1]) for t in proposal.tags)

    def cell(self, proposal: Proposal, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                proposal.date.isoformat(),
                proposal.title,
                self.tags_text(proposal),
                str(len(proposal.commits)),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.TITLE, self.TAGS):
            return tooltip(proposal.title if column == self.TITLE else self.tags_text(proposal))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COMMITS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.SORT_ROLE:
            if column == self.DATE:
                return proposal.date.toordinal()
            if column == self.COMMITS:
                return len(proposal.commits)
            return str(self.cell(proposal, column, Qt.ItemDataRole.DisplayRole)).casefold()
        return None


def details_html(proposal: Proposal, tags: str) -> str:
    """A proposal as the detail pane shows it: description, link, tags and commits; every
    piece of it escaped, since commit messages are anyone's text."""
    parts = [f"<h3>{html.escape(proposal.title)}</h3>"]
    if proposal.link:
        link = html.escape(proposal.link, quote=True)
        parts.append(f'<p><a href="{link}">{link}</a></p>')
    if tags:
        parts.append(f"<p><b>Suggested tags:</b> {html.escape(tags)}</p>")
    parts.append("<p style='white-space: pre-wrap'>" + html.escape(proposal.description) + "</p>")
    rows = "".join(
        f"<li><code>{html.escape(c.id[:7])}</code> {c.date.isoformat()} "
        f"{html.escape(c.subject)} — {html.escape(c.author)}"
        f" ({_plural(len(c.files), 'file')})</li>"
        for c in proposal.commits
    )
    parts.append(f"<p><b>{_plural(len(proposal.commits), 'commit')}</b></p><ul>{rows}</ul>")
    return "".join(parts)


class ProposalEditDialog(QuickCaptureDialog):
    """The capture dialog's fields filled from a proposal: its title, description, tags
    and privacy can change before it is accepted; its date and link are the commits'."""

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        context: CaptureContext,
        proposal: Proposal,
        repository: str,
        parent: QWidget | None = None,
    ) -> None:
        proposed = EvidenceInfo(
            "",
            context.profile_id,
            proposal.date,
            proposal.title,
            proposal.description,
            proposal.link,
            False,
            tuple(Tag(*t) for t in proposal.tags),
        )
        super().__init__(services, runner, context, proposed, parent)
        self.proposal = proposal
        self._repository = repository
        self.setWindowTitle("Edit, then accept")
        self.date.setReadOnly(True)
        self.link.setReadOnly(True)
        for row in (self.kind_row, self.impact_toggle):
            self.form.setRowVisible(row, False)
        self.link.setCursorPosition(0)  # the forge and the project, not the commit's hash
        # Accept in place of Save: a button of its own, with no key a desktop could add that
        # the form's labels already answer.
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.removeButton(save)
        save.deleteLater()
        self.accept_button = self.buttons.addButton(
            "Accept", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.accept_button.setDefault(True)
        checked = [
            self.tags.item(n)
            for n in range(self.tags.count())
            if self.tags.item(n).checkState() == Qt.CheckState.Checked
        ]
        if checked:  # the suggested tags in sight, below the criteria
            self.tags.scrollToItem(checked[0], QAbstractItemView.ScrollHint.PositionAtTop)

    def save_job(self, fields: dict[str, Any]) -> Callable[[], object]:
        edit = ProposalEdit(
            title=fields["title"],
            description=fields["description"],
            tags=tuple(fields["tags"]),
            private=fields["private"],
        )
        gitwork, profile_id = self._services.gitwork, self._profile_id
        proposal, repository = self.proposal, self._repository
        return lambda: gitwork.accept(profile_id, repository, [proposal], {proposal.id: edit})


class GitProposalsDialog(QDialog):
    """Choose a repository, a period and the emails that are yours; read; review.

    Signals:
        changed(): evidence was stored from a proposal.
    """

    changed = Signal()

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        context: CaptureContext,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self.context = context
        self._profile_id = context.profile_id
        self._stop: threading.Event | None = None  # set to stop the read under way
        self._scan: GitScan | None = None
        self._owner_email: str | None = None
        self._settings = Settings(services.store.data_dir)
        self._reading: tuple[str, str] = ("", "")  # the repository and link template read
        self.edit_dialog: ProposalEditDialog | None = None
        self.setWindowTitle("Propose evidence from git")

        self.repository = QLineEdit(self)
        self.repository.setAccessibleName("Repository")
        self.repository.setPlaceholderText("A working copy or a bare repository")
        self.repository.textChanged.connect(self._on_repository_changed)
        self.browse_button = QPushButton("&Browse…", self)
        self.browse_button.clicked.connect(self._on_browse)
        end = today or date.today()
        self.start = date_edit(end - timedelta(days=DEFAULT_DAYS), "From date", self)
        self.end = date_edit(end, "To date", self)
        self.owner_line = QLabel(self)  # the owner's email, from Settings
        self.owner_line.setTextFormat(Qt.TextFormat.PlainText)
        self.aliases = QLineEdit(self)
        self.aliases.setAccessibleName("Your emails")
        self.links = QLineEdit(self)
        self.links.setAccessibleName("Link template")
        self.links.setPlaceholderText(f"Only for another forge, such as {LINK_TEMPLATE_EXAMPLE}")
        self.links.setToolTip(
            tooltip(
                "GitHub, GitLab and Bitbucket links come from the repository's remote. For "
                "another forge, give a commit's web address with {commit} where its id goes; "
                "it is remembered for this repository."
            )
        )
        self.read_button = QPushButton("Read &history", self)
        self.read_button.setDefault(True)
        self.read_button.clicked.connect(self._on_read)
        self.stop_button = QPushButton("Sto&p", self)
        self.stop_button.clicked.connect(self._on_stop)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: a walk does not know its length beforehand
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Reading")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the path typed
        self.message.setAccessibleName("Problem")
        self.message.hide()

        self.model = ProposalTableModel(self)
        self.model.names = dict(framework_tags(context.framework))
        self.proxy, self.view = record_table(
            self,
            self.model,
            "Proposals",
            ProposalTableModel.SORT_ROLE,
            ProposalTableModel.DATE,
            many=True,
        )
        prefer_name(
            self.view,
            ProposalTableModel.TITLE,
            ProposalTableModel.TAGS,
            share={ProposalTableModel.TAGS: 0.3},
        )
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.doubleClicked.connect(lambda _index: self._on_edit())
        self.details = QTextBrowser(self)
        self.details.setAccessibleName("Proposal details")
        self.details.setOpenExternalLinks(True)

        self.accept_button = QPushButton("&Accept", self)
        self.accept_button.setToolTip("Store the selected proposals as evidence, as proposed.")
        self.accept_button.clicked.connect(self._on_accept)
        self.edit_button = QPushButton("&Edit, then accept…", self)
        self.edit_button.clicked.connect(self._on_edit)
        self.dismiss_button = QPushButton("&Dismiss", self)
        self.dismiss_button.setToolTip(
            "Leave the selected proposals out; they are not proposed again."
        )
        self.dismiss_button.clicked.connect(self._on_dismiss)
        self.select_all_button = QPushButton("&Select all", self)
        self.select_all_button.setToolTip("Select every proposal, to accept or dismiss them all.")
        self.select_all_button.clicked.connect(self._on_select_all)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_buttons.rejected.connect(self.reject)

        repository_row = QHBoxLayout()
        repository_row.addWidget(self.repository, 1)
        repository_row.addWidget(self.browse_button)
        period_row = QHBoxLayout()
        period_row.addWidget(self.start)
        to_label = QLabel("&to", self)
        to_label.setBuddy(self.end)
        period_row.addWidget(to_label)
        period_row.addWidget(self.end)
        period_row.addStretch(1)
        form = QFormLayout()
        self._row(form, "&Repository:", repository_row, self.repository)
        self._row(form, "&From:", period_row, self.start)
        emails_row = QHBoxLayout()
        emails_row.addWidget(self.owner_line)
        emails_row.addWidget(self.aliases, 1)
        self._row(form, "Your e&mails:", emails_row, self.aliases)
        self._row(form, "&Links:", self.links, self.links)
        reading = QHBoxLayout()
        reading.addWidget(self.read_button)
        reading.addWidget(self.stop_button)
        reading.addWidget(self.progress, 1)
        reading.addWidget(self.status, 3)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self.details)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        actions = QHBoxLayout()
        actions.addWidget(self.select_all_button)
        actions.addWidget(self.accept_button)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.dismiss_button)
        actions.addStretch(1)
        actions.addWidget(self.close_buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(reading)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        char = self.fontMetrics().horizontalAdvance("x")
        self.resize(char * 120, self.fontMetrics().lineSpacing() * 40)

        self._set_reading(False)
        self.status.setText(INTRO_TEXT)
        self._show_owner(None)
        identity = services.identity
        runner.submit(identity.get, self._show_owner, owner=self, key="identity")
        self.repository.setFocus()

    @staticmethod
    def _row(form: QFormLayout, text: str, field: Any, buddy: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(buddy)
        form.addRow(label, field)

    # -- what to read ----------------------------------------------------------------

    def _show_owner(self, identity: Identity | None) -> None:
        """Commits by the owner's email (from Settings) are always read as theirs; the field
        adds the other emails their commits use."""
        self._owner_email = email = identity.email if identity is not None else None
        self.owner_line.setText(f"{email} and" if email else "")
        self.owner_line.setVisible(bool(email))
        self.aliases.setPlaceholderText(
            "other emails your commits use, if any"
            if email
            else "the emails your commits use, separated by commas"
        )
        self.aliases.setToolTip(
            "Commits authored or co-authored (Co-authored-by:) with these emails are yours. "
            + (
                "Your own email comes from Settings."
                if email
                else "Set your own email in Settings to have it here every time."
            )
        )

    def _on_repository_changed(self) -> None:
        if not self.links.isModified():  # another repository's template does not carry over
            self.links.clear()

    def _on_browse(self) -> None:
        folder = dialogs.open_folder(self, "Choose a git repository", self.repository.text())
        if folder is not None:
            self.repository.setText(str(folder))
            self._on_read()

    def _on_read(self) -> None:
        path = self.repository.text().strip()
        aliases = split_emails(self.aliases.text())
        if not path:
            self._show_problem(NO_REPOSITORY_TEXT)
            return
        if not aliases and not self._owner_email:
            self._show_problem(NO_AUTHOR_TEXT)
            return
        template = self.links.text().strip()
        if not template and not self.links.isModified():
            template = self._settings.link_template(path) or ""
            self.links.setText(template)
        self._on_stop()  # a read under way gives way to this one
        self.message.hide()
        self._reading = (path, template)
        stop = self._stop = threading.Event()
        gitwork, profile_id = self._services.gitwork, self._profile_id
        since, until = to_date(self.start.date()), to_date(self.end.date())

        def scan() -> GitScan:
            return gitwork.scan(
                profile_id,
                Path(path),
                since=since,
                until=until,
                authors=aliases,
                cancelled=stop.is_set,
                link_template=template or None,
            )

        self.model.set_rows([])
        self._scan = None
        self._set_reading(True)
        self._runner.submit(
            scan, self._on_scanned, owner=self, key="scan", on_error=self._on_scan_failed
        )

    def _on_stop(self) -> None:
        """Stop the read under way (the walk stops at its next check) and drop its result."""
        if self._stop is None:
            return
        self._stop.set()
        self._stop = None
        self._runner.cancel(self, "scan")
        self._set_reading(False)
        self.status.setText("Stopped: nothing was read.")

    def _set_reading(self, reading: bool) -> None:
        self.progress.setVisible(reading)
        self.stop_button.setVisible(reading)
        self.read_button.setEnabled(not reading)
        if reading:
            self.status.setText(READING_TEXT)
        self._on_selection_changed()

    def _on_scanned(self, found: GitScan) -> None:
        self._stop = None
        self._scan = found
        self._set_reading(False)
        if self.links.isModified():  # read with it: remembered (an emptied field forgets)
            self._settings.set_link_template(*self._reading)
            self.links.setModified(False)
        new = found.new
        self.model.set_rows(new)
        decided = len(found.scan.proposals) - len(new)
        text = (
            f"{_plural(len(new), 'proposal')} from {_plural(found.scan.commits_seen, 'commit')}"
            " read"
        )
        if decided:
            text += f" ({decided} accepted or dismissed before)"
        self.status.setText(" ".join([text + ".", *found.scan.notes]))
        if new:
            self.view.selectRow(0)
            self.view.setFocus()
        else:
            self.details.clear()

    def _on_scan_failed(self, error: BaseException) -> None:
        self._stop = None
        self._set_reading(False)
        self.status.clear()
        if is_bug(error):
            self._runner.report_error(error)  # told in the one place bugs are told
            return
        self._show_problem(describe(error))

    def _show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # -- deciding ----------------------------------------------------------------------

    def selected(self) -> list[Proposal]:
        return self.model.selected_rows(self.view)

    def _on_selection_changed(self, *_: object) -> None:
        chosen = self.selected() if self._scan is not None else []
        busy = self.stop_button.isVisibleTo(self)
        self.accept_button.setEnabled(bool(chosen) and not busy)
        self.dismiss_button.setEnabled(bool(chosen) and not busy)
        self.edit_button.setEnabled(len(chosen) == 1 and not busy)
        count = f" {len(chosen)}" if len(chosen) > 1 else ""  # how many the press decides
        self.accept_button.setText(f"&Accept{count}")
        self.dismiss_button.setText(f"&Dismiss{count}")
        rows = self._scan is not None and self.model.rowCount() > 0
        self.select_all_button.setEnabled(rows and not busy and len(chosen) < self.model.rowCount())
        if chosen:
            first = chosen[0]
            self.details.setHtml(details_html(first, self.model.tags_text(first)))
        else:
            self.details.clear()

    def _on_select_all(self) -> None:
        self.view.selectAll()
        self.view.setFocus()

    def _on_accept(self) -> None:
        chosen, scan = self.selected(), self._scan
        if not chosen or scan is None:
            return
        gitwork, profile_id = self._services.gitwork, self._profile_id
        self._decide(lambda: gitwork.accept(profile_id, scan.repository, chosen), chosen, True)

    def _on_dismiss(self) -> None:
        chosen, scan = self.selected(), self._scan
        if not chosen or scan is None:
            return
        gitwork, profile_id = self._services.gitwork, self._profile_id
        ids = [p.id for p in chosen]
        self._decide(lambda: gitwork.dismiss(profile_id, scan.repository, ids), chosen, False)

    def _decide(self, job: Callable[[], int], chosen: list[Proposal], stored: bool) -> None:
        """Run the decision on the worker; then the proposals leave the list."""
        for button in (
            self.accept_button,
            self.edit_button,
            self.dismiss_button,
            self.select_all_button,
        ):
            button.setEnabled(False)
        on_done = (
            (lambda count: self._on_stored(chosen, count))
            if stored
            else (lambda count: self._on_dismissed(chosen, count))
        )
        self._runner.submit(job, on_done, owner=self, on_error=self._on_decide_failed)

    def _on_stored(self, chosen: list[Proposal], count: int) -> None:
        self._remove(chosen)
        self.status.setText(f"Added {_plural(count, 'evidence entry', 'evidence entries')}.")
        self.changed.emit()

    def _on_dismissed(self, chosen: list[Proposal], count: int) -> None:
        self._remove(chosen)
        self.status.setText(f"Dismissed {_plural(count, 'proposal')}: not proposed again.")

    def _on_decide_failed(self, error: BaseException) -> None:
        self._on_selection_changed()
        if is_bug(error):
            self._runner.report_error(error)
            return
        self._show_problem(describe(error))

    def _on_edit(self) -> None:
        chosen, scan = self.selected(), self._scan
        if len(chosen) != 1 or scan is None:
            return
        dialog = ProposalEditDialog(
            self._services, self._runner, self.context, chosen[0], scan.repository, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda count: self._on_stored(chosen, int(count)))
        self.edit_dialog = dialog
        dialog.open()

    def _remove(self, gone: list[Proposal]) -> None:
        """Take decided proposals off the list; the row below the first one is selected."""
        current = self.view.currentIndex().row()
        ids = {p.id for p in gone}
        self.model.set_rows([p for p in self.model.rows() if p.id not in ids])
        if self.proxy.rowCount():
            self.view.selectRow(min(max(current, 0), self.proxy.rowCount() - 1))
        self._on_selection_changed()

    # -- closing -----------------------------------------------------------------------

    def done(self, result: int) -> None:
        self._on_stop()  # a read under way stops with the dialog
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._on_stop()
        super().closeEvent(event)
