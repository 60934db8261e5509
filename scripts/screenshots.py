"""Offscreen screenshots of the main screens in both palettes, for looking at them.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT] [--years N] [--weekly]

Writes PNGs (default `screenshots/`, ignored by git): the dashboard, every page
of the check-in wizard, History, Evidence (with Propose from git… on a small
repository it makes), Growth plan, Frameworks, Reports (with its preview),
Backups and the first-run form, in Light and Dark, on a throwaway data folder
seeded with the demo; the demo's own profile once its manager's assessment came
back (the Assessment section and the radar); then the manager's view of a demo
mentee's bundle (read-only sections and the Assessment), and the Team section
with five more mentees' bundles.

With `--readme`, it also remakes the README's small images in `docs/`: the
Dashboard, the first check-in page and page 1 of the manager's promotion packet.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.bundle.assessment import export_assessment
from app.bundle.export import export_bundle
from app.bundle.importer import import_bundle
from app.report.model import ReportOptions
from app.report.service import ReportService
from app.services import Services, open_services
from app.services.backups import backups_of
from app.services.demo import create_demo
from ui import dialogs
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.tasks import TaskRunner
from ui.theme import Appearance, Theme

SIZE = (1200, 780)
README_WIDTH = 900  # the README's images: small files, still legible
DEMO_EMAIL = "sam@example.com"
DOCS = Path(__file__).resolve().parent.parent / "docs"


def _no_modal_dialogs() -> None:
    """Nothing waits on a dialog nobody sees: the check-in's "another one today?" is
    answered yes, and an error is printed (and the script goes on)."""
    dialogs.confirm = lambda *_args: True  # type: ignore[assignment]

    def error(_parent: object, title: str, text: str, *_args: object) -> None:
        print(f"{title}: {text}", file=sys.stderr)

    dialogs.error = error  # type: ignore[assignment]


def main() -> int:
    parser = argparse.ArgumentParser(description="Offscreen screenshots of Rung's screens.")
    parser.add_argument("out", nargs="?", default="screenshots", type=Path)
    parser.add_argument("--years", type=int, default=2, help="years of demo history")
    parser.add_argument("--weekly", action="store_true", help="weekly demo check-ins")
    parser.add_argument("--readme", action="store_true", help="also remake the docs/ images")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    _no_modal_dialogs()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        services = open_services(data_dir)
        runner = TaskRunner()
        theme = Theme(app, Appearance.LIGHT)
        window = MainWindow(Settings(data_dir), theme, data_dir)
        window.open(services, runner)
        window.resize(*SIZE)
        window.show()
        runner.drain()
        shots: list[Path] = []
        repository = _demo_repository(Path(tempfile.mkdtemp(prefix="rung-repository-")))

        def shoot(name: str, wait_ms: int = 0) -> None:
            runner.drain()
            app.processEvents()
            QTest.qWait(wait_ms)  # e.g. QPdfView draws its pages on a thread of its own
            path = out / f"{name}-{theme.appearance.value}.png"
            window.grab().save(str(path))
            shots.append(path)

        for appearance in (Appearance.LIGHT, Appearance.DARK):
            window.set_appearance(appearance)
            shoot("first-run")
        profile_id = create_demo(
            services.store,
            services.frameworks,
            services.profiles,
            years=args.years,
            weekly=args.weekly,
        )
        window.reload_profiles(profile_id)
        for reason in ("daily", "before-import", "manual"):
            backups_of(data_dir).create(reason)
        if args.readme:
            window.set_appearance(Appearance.LIGHT)
            window.show_section("dashboard")
            _readme_image(window, runner, "dashboard")
        # A draft waiting, as if started: the demo's last check-in is today, and the start
        # button would ask about a second one on the same day.
        services.checkins.start_draft(profile_id, date.today())
        window.show_section("checkin")
        window.checkin.show_profile(profile_id)
        runner.drain()
        runner.drain()
        if args.readme:
            window.show_section("checkin")
            window.checkin.go_to(0)
            _readme_image(window, runner, "checkin")
        for appearance in (Appearance.LIGHT, Appearance.DARK):
            window.set_appearance(appearance)
            window.show_section("dashboard")
            for tab, key in enumerate(window.dashboard.chart_tabs):
                window.dashboard.tabs.setCurrentIndex(tab)
                shoot(f"dashboard-{key}")
            window.dashboard.tabs.setCurrentIndex(0)
            window.show_section("checkin")
            for index in range(window.checkin.steps.count()):
                window.checkin.go_to(index)
                shoot(f"checkin-{index + 1:02d}")
            window.show_section("history")
            shoot("history")
            window.show_section("backups")
            shoot("backups")
            window.show_section("frameworks")
            shoot("frameworks")
            window.show_section("evidence")
            shoot("evidence")
            shots.append(_git_proposals(window, runner, repository, out, theme.appearance.value))
            window.show_section("plan")
            shoot("plan")
            window.show_section("reports")
            shoot("reports", 1500)
            reports = window.reports
            reports.audience.setCurrentIndex(reports.audience.findData("1:1"))
            reports.between.setChecked(True)
            reports.include_private.setChecked(True)
            reports.render_preview()
            shoot("reports-1on1", 1500)
            reports.audience.setCurrentIndex(0)
            reports.whole.setChecked(True)
            reports.include_private.setChecked(False)
        _send_back(services, profile_id)
        window.reload_profiles(profile_id)
        for appearance in (Appearance.LIGHT, Appearance.DARK):
            window.set_appearance(appearance)
            window.show_section("assessment")
            shoot("received-assessment")
            window.show_section("dashboard")
            window.dashboard.tabs.setCurrentIndex(list(window.dashboard.chart_tabs).index("radar"))
            shoot("received-radar")
            window.dashboard.tabs.setCurrentIndex(0)
        shared = _shared_demo(services, args.years)
        if args.readme:
            _packet_image(services, shared)
        window.reload_profiles(shared)
        for appearance in (Appearance.LIGHT, Appearance.DARK):
            window.set_appearance(appearance)
            for section in ("dashboard", "checkin", "evidence", "plan", "assessment"):
                window.show_section(section)
                shoot(f"shared-{section}")
        _shared_team(services, args.years)
        window.reload_profiles(window.profile_id)
        window.show_section("team")
        for appearance in (Appearance.LIGHT, Appearance.DARK):
            window.set_appearance(appearance)
            shoot("team")
            window.team.view.selectRow(1)
            shoot("team-selected")
            window.team.view.clearSelection()
        runner.shutdown()
        services.close()
        shutil.rmtree(repository, ignore_errors=True)
    for path in shots:
        print(path)
    return 0


def _readme_image(window: MainWindow, runner: TaskRunner, name: str) -> None:
    """The window as `docs/NAME.png`, scaled to the README's width."""
    runner.drain()
    QApplication.processEvents()
    image = window.grab().toImage()
    image = image.scaledToWidth(README_WIDTH, Qt.TransformationMode.SmoothTransformation)
    DOCS.mkdir(exist_ok=True)
    image.save(str(DOCS / f"{name}.png"))


def _packet_image(services: Services, profile_id: str) -> None:
    """Page 1 of the manager's promotion packet as `docs/packet.png`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "packet.pdf"
        ReportService(services).export(profile_id, ReportOptions(audience="packet"), path)
        document = QPdfDocument()
        document.load(str(path))
        page = document.pagePointSize(0)
        scale = README_WIDTH / page.width()
        size = QSize(README_WIDTH, round(page.height() * scale))
        image = document.render(0, size)
        white = QImage(size, QImage.Format.Format_RGB32)  # the page is transparent
        white.fill(Qt.GlobalColor.white)
        painter = QPainter(white)
        painter.drawImage(0, 0, image)
        painter.end()
        DOCS.mkdir(exist_ok=True)
        white.save(str(DOCS / "packet.png"))


def _send_back(services: Services, profile_id: str) -> None:
    """The demo's own profile as its manager assessed it, in a data folder of their own, the
    assessment bundle imported back: an earlier assessment and today's."""
    with tempfile.TemporaryDirectory() as folder:
        bundle, sent = Path(folder) / "mine.rung", Path(folder) / "assessment.rung"
        export_bundle(services.store, profile_id, bundle, include_private=False)
        manager = open_services(Path(folder) / "data")
        try:
            import_bundle(manager.store, manager.frameworks, bundle)
            manager.identity.set(name="Jordan Lee", role="Engineering manager")
            today = date.today()
            rows = manager.manager.calibration(profile_id, today)
            profile = manager.profiles.get(profile_id)
            framework = manager.frameworks.get(profile.framework, profile.framework_version)
            for day, changes in (
                (today.replace(day=1), (1, 0, -1)),
                (today, (-2, 1, 0, -1, 1)),
            ):
                for row, change in zip(rows, changes, strict=False):
                    value = min(4, max(0, (row.self_rating or 0) + change))
                    manager.manager.set_calibration(profile_id, row.skill_id, value, on=day)
                first, last = framework.dimensions[0].id, framework.dimensions[-1].id
                manager.manager.set_comment(profile_id, first, "Owns the CI & its alerts.", on=day)
                manager.manager.set_comment(profile_id, last, "Lead one incident review.", on=day)
                manager.manager.set_recommendation(
                    profile_id, "approaching", "One more launch as the owner.", on=day
                )
                export_assessment(manager.store, profile_id, sent)
                import_bundle(services.store, services.frameworks, sent)
        finally:
            manager.close()


TEAM = ("Ana Lima", "Bea Okafor", "Chidi Eze", "李雷", "Zoë Martin")


def _shared_team(services: Services, years: int) -> None:
    """Five more mentees' bundles (weekly demos, each different), imported as their manager
    would; the first three assessed in part, so that every state of a row shows."""
    with tempfile.TemporaryDirectory() as folder:
        mentees = open_services(Path(folder) / "data")
        bundles = []
        for seed, name in enumerate(TEAM, start=1):
            profile_id = create_demo(
                mentees.store, mentees.frameworks, mentees.profiles,
                years=years, weekly=True, seed=seed,
            )  # fmt: skip
            profile = mentees.profiles.get(profile_id)
            mentees.profiles.update_details(
                profile_id,
                name=name,
                interval_days=profile.checkin_interval_days,
                manager=profile.manager,
                role_start=profile.role_start,
            )
            bundle = Path(folder) / f"{seed}.rung"
            export_bundle(mentees.store, profile_id, bundle, include_private=False)
            bundles.append((profile_id, bundle))
        mentees.close()
        for _profile_id, bundle in bundles:
            import_bundle(services.store, services.frameworks, bundle)
    manager, today = services.manager, date.today()
    for number, (profile_id, _bundle) in enumerate(bundles[:3]):
        row = manager.calibration(profile_id, today)[number]
        manager.set_calibration(profile_id, row.skill_id, max(0, (row.self_rating or 0) - 1))
        if number == 0:
            manager.set_recommendation(profile_id, "approaching", "Close; one more launch.")


def _demo_repository(path: Path) -> Path:
    """A small git repository with a few weeks of the demo person's commits (pygit2)."""
    import pygit2

    repo = pygit2.init_repository(str(path), initial_head="main")
    repo.remotes.create("origin", "git@github.com:acme/ranker.git")
    work = [
        (40, "Add tests for the feature loader", "tests/test_loader.py"),
        (33, "Ship the ranker's Dockerfile (#41)", "Dockerfile"),
        (21, "Alert on p95 latency above 200 ms", "monitoring/alerts.yml"),
        (21, "Document the alert runbook", "monitoring/RUNBOOK.md"),
        (12, "Batch the feature lookups", "ranker/features.py"),
        (5, "Run the evaluation in CI", ".github/workflows/eval.yml"),
    ]
    parents: list[pygit2.Oid] = []
    index = pygit2.Index()
    for days, subject, name in work:
        moment = int(time.time()) - days * 86_400
        author = pygit2.Signature("Sam Lee", DEMO_EMAIL, moment, 60)
        blob = repo.create_blob(subject.encode())
        index.add(pygit2.IndexEntry(name, blob, pygit2.enums.FileMode.BLOB))
        tree = index.write_tree(repo)
        parents = [repo.create_commit("refs/heads/main", author, author, subject, tree, parents)]
    return path


def _git_proposals(
    window: MainWindow, runner: TaskRunner, repository: Path, out: Path, appearance: str
) -> Path:
    """Evidence → Propose from git… after reading the demo repository."""
    dialog = window.evidence.propose_from_git()
    assert dialog is not None
    runner.drain()
    dialog.repository.setText(str(repository))
    dialog.aliases.setText(DEMO_EMAIL)
    dialog.read_button.click()
    runner.drain()
    QApplication.processEvents()
    path = out / f"git-proposals-{appearance}.png"
    dialog.grab().save(str(path))
    dialog.close()
    return path


def _shared_demo(services: Services, years: int) -> str:
    """A demo mentee's bundle, exported from a data folder of its own, imported and annotated
    as their manager would; the profile's id."""
    with tempfile.TemporaryDirectory() as folder:
        mentee = open_services(Path(folder) / "data")  # the bundle goes beside it, not in it
        profile_id = create_demo(mentee.store, mentee.frameworks, mentee.profiles, years=years)
        bundle = Path(folder) / "mentee.rung"
        export_bundle(mentee.store, profile_id, bundle, include_private=False)
        mentee.close()
        import_bundle(services.store, services.frameworks, bundle)
    if services.identity.get() is None:  # an assessment is signed by the folder's owner
        services.identity.set(name="Noor Haddad", role="Engineering manager")
    manager = services.manager
    rows = manager.calibration(profile_id, date.today())[:4]
    for row, change in zip(rows, (-2, 1, 0, -1), strict=True):
        value = min(4, max(0, (row.self_rating or 0) + change))
        manager.set_calibration(profile_id, row.skill_id, value)
    profile = services.profiles.get(profile_id)
    dimensions = services.frameworks.get(profile.framework, profile.framework_version).dimensions
    manager.set_comment(profile_id, dimensions[0].id, "Solid & dependable; <b>owns</b> the CI.")
    manager.set_comment(profile_id, dimensions[3].id, "Needs to lead one incident review.")
    manager.set_recommendation(profile_id, "approaching", "One more launch as the owner.")
    return profile_id


if __name__ == "__main__":
    sys.exit(main())
