"""The `rung` command: the desktop app's launcher and a scriptable tool.

Exit status: 0 on success, 2 on a usage error, 1 on any other error, always
with one plain sentence on stderr and never a traceback. A command that fails
changes nothing in the data folder.

Stored text and file names can hold control characters (an escape sequence in
a profile's name, a framework stored by an older Rung). Every line written for
a person, on stdout or stderr, shows each control character (U+0000–U+001F,
U+007F–U+009F, line breaks and tabs included) as a `\\xNN` escape, so nothing
printed can move the cursor, recolour or retitle the terminal; JSON output
escapes them as `\\u00NN`, which JSON parsers read back as the same text.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from app.dates import check_date, check_interval
from app.errors import DatabaseError, InvalidInputError, NotFoundError, RungError, UsageError
from app.paths import DATABASE_NAME, default_data_dir
from app.report import AUDIENCES

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """Usage errors as one sentence and exit status 2, without argparse's usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message[:1].upper()}{message[1:]} (see '{self.prog} --help').")


class _Version(argparse.Action):
    """`--version`, looked up only when it is asked for (see `app.__version__`)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any) -> NoReturn:
        from app import __version__

        _out(f"rung {__version__}")
        parser.exit()


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:].rstrip(".")


def _iso_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None
    try:
        return check_date(day)
    except InvalidInputError as exc:
        raise argparse.ArgumentTypeError(_lower_first(str(exc))) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return value


def _interval(text: str) -> int:
    try:
        return check_interval(_positive(text))
    except InvalidInputError as exc:
        raise argparse.ArgumentTypeError(_lower_first(str(exc))) from None


_VISIBLE = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}  # json escapes the rest


def _visible(text: str) -> str:
    """`text` with every control character shown as a `\\xNN` escape (see the docstring)."""
    return text.translate(_VISIBLE)


def _out(text: str = "") -> None:
    """One line for a person on stdout; control characters in `text` are shown escaped."""
    sys.stdout.write(_visible(text) + "\n")


def _json_text_out(text: str) -> None:
    """JSON text on stdout: the controls JSON allows raw (DEL, C1) escaped as `\\u00NN`."""
    sys.stdout.write(text.translate(_JSON_ESCAPES) + "\n")


def _json_out(data: Any) -> None:
    import json

    _json_text_out(json.dumps(data, ensure_ascii=False, indent=2))


# -- opening the data folder -------------------------------------------------


def _data_dir(args: argparse.Namespace) -> Path:
    # Absent unless given: a default would be shared by every subparser's copy of the
    # option and would overwrite a `--data-dir` given before the subcommand.
    data_dir = getattr(args, "data_dir", None)
    return Path(data_dir).expanduser() if data_dir else default_data_dir()


@contextlib.contextmanager
def _services(args: argparse.Namespace, *, read_only: bool = False) -> Iterator[Any]:
    """Open the data folder; if this command created the database and then fails, undo that."""
    from app.services import open_services
    from app.store.backup import remove_with_companions
    from app.store.lock import LOCK_NAME

    folder = _data_dir(args)
    missing = [p for p in (folder, *folder.parents) if not p.exists()]  # deepest first
    database, lock = folder / DATABASE_NAME, folder / LOCK_NAME
    database_existed, lock_existed = database.exists(), lock.exists()
    services = open_services(folder, read_only=read_only)
    try:
        yield services
    except BaseException:
        services.close()
        if not database_existed and database.exists():
            remove_with_companions(database)
            if not lock_existed:
                lock.unlink(missing_ok=True)
            for created in missing:  # the folder and any parents it needed
                with contextlib.suppress(OSError):
                    created.rmdir()
        raise
    services.close()


# -- commands ----------------------------------------------------------------


def _frameworks_list(args: argparse.Namespace) -> int:
    with _services(args, read_only=True) as services:
        infos = services.frameworks.all()
    if args.json:
        _json_out(
            [
                {
                    "id": i.id,
                    "version": i.version,
                    "name": i.name,
                    "hash": i.hash,
                    "builtin": i.builtin,
                }
                for i in infos
            ]
        )
    else:
        for info in infos:
            origin = "built-in" if info.builtin else "imported"
            _out(f"{info.ref:<24} {info.name}  ({origin})")
    return 0


def _frameworks_show(args: argparse.Namespace) -> int:
    with _services(args, read_only=True) as services:
        framework = services.frameworks.load(args.ref)
    from app.framework.loader import framework_hash

    if args.json:
        _json_out(framework.model_dump(mode="json", by_alias=True))
        return 0
    _out(f"{framework.name} ({framework.ref})")
    _out(f"hash: {framework_hash(framework)}")
    _out("levels: " + " → ".join(f"{lvl.name} [{lvl.id}]" for lvl in framework.levels))
    scale = ", ".join(f"{p.value} {p.label}" for p in framework.rating_scale)
    _out(f"rating scale: {scale}")
    bands = ", ".join(
        f"{b.name} from {b.from_readiness:g}{' (ready)' if b.ready else ''}"
        for b in framework.verdict_bands
    )
    _out(f"verdict bands: {bands}")
    _out("dimensions:")
    for dimension in framework.dimensions:
        skills = [s for s in framework.skills if s.dimension == dimension.id]
        _out(f"  {dimension.weight:>3}  {dimension.name} [{dimension.id}] — {len(skills)} skills")
    _out(
        f"{len(framework.skills)} skills, {len(framework.milestones)} milestones, "
        f"{len(framework.kpis)} KPIs, {len(framework.promotion_criteria)} promotion criteria, "
        f"{len(framework.responsibilities)} responsibilities"
    )
    return 0


def _frameworks_validate(args: argparse.Namespace) -> int:
    from app.framework.loader import framework_hash
    from app.framework.sheets import load_any_framework

    framework = load_any_framework(Path(args.file))
    _out(
        f"{Path(args.file).name}: a valid framework, {framework.ref} "
        f"({len(framework.skills)} skills, {len(framework.levels)} levels), "
        f"hash {framework_hash(framework)}."
    )
    return 0


def _frameworks_import(args: argparse.Namespace) -> int:
    from app.framework.sheets import load_any_framework

    framework = load_any_framework(Path(args.file))  # validated before anything changes
    existed = (_data_dir(args) / DATABASE_NAME).exists()  # a new, empty one needs no backup
    with _services(args) as services:
        # `is_new` refuses a changed ladder under a stored version before any backup is made.
        new = services.frameworks.is_new(framework)
        backups = services.store.backups
        safety = (
            backups.kept_unless_failed("before-import")
            if new and existed and backups is not None
            else contextlib.nullcontext()
        )
        with safety:
            info, created = services.frameworks.import_framework(framework)
    _out(f"Imported {info.ref}." if created else f"{info.ref} is already stored; nothing changed.")
    return 0


def _frameworks_export(args: argparse.Namespace) -> int:
    with _services(args, read_only=True) as services:
        info = services.frameworks.export_file(args.ref, Path(args.file), args.format)
    _out(f"Wrote {info.ref} to {args.file}.")
    return 0


def _frameworks_template(args: argparse.Namespace) -> int:
    from app.services.frameworks import write_template

    write_template(Path(args.file), args.format, _data_dir(args))
    _out(f"Wrote the {args.format} template to {args.file}.")
    return 0


def _frameworks_schema(_args: argparse.Namespace) -> int:
    from app.services.frameworks import framework_schema

    _json_out(framework_schema())
    return 0


def _profile_record(profile: Any) -> dict[str, Any]:
    return {
        "id": profile.id,
        "name": profile.name,
        "framework": profile.framework,
        "framework_version": profile.framework_version,
        "level": profile.level,
        "target": profile.target,
        "role_start": profile.role_start.isoformat(),
        "checkin_interval_days": profile.checkin_interval_days,
        "manager": profile.manager,
        "shared": profile.shared,
        "shared_exported_at": (
            profile.shared_exported_at.strftime("%Y-%m-%dT%H:%M:%SZ")
            if profile.shared_exported_at
            else None
        ),
    }


def _profiles_list(args: argparse.Namespace) -> int:
    with _services(args, read_only=True) as services:
        profiles = services.profiles.all()
    if args.json:
        _json_out([_profile_record(p) for p in profiles])
    elif not profiles:
        _out("No profiles yet. Create one with 'rung profiles create' or try 'rung demo'.")
    else:
        for p in profiles:
            _out(
                f"{p.id}  {p.name}  {p.framework}@{p.framework_version}  "
                f"{p.level} → {p.target}  since {p.role_start.isoformat()}"
                + ("  (shared with you, read-only)" if p.shared else "")
            )
    return 0


def _profiles_create(args: argparse.Namespace) -> int:
    with _services(args) as services:
        profile = services.profiles.create(
            name=args.name,
            framework=args.framework,
            level=args.level,
            target=args.target,
            started=args.started,
            interval_days=args.interval,
            manager=args.manager,
        )
    _out(profile.id)
    return 0


def _profiles_delete(args: argparse.Namespace) -> int:
    from app.services.erase import erase_profile

    if not args.yes:
        raise UsageError(
            "Deleting a profile erases its check-ins, evidence and plan from the database "
            "and from every backup; add --yes to confirm."
        )
    with _services(args, read_only=True) as services:
        profile = services.profiles.resolve(args.profile)
    with _services(args) as services:
        report = erase_profile(services.store, _data_dir(args), profile.id)
    _out(f"Erased the profile {profile.name} ({profile.id}): {report.sentence()}.")
    return 0


def _erase(args: argparse.Namespace) -> int:
    from app.errors import DamagedDatabaseError
    from app.services.erase import erase_all

    if not (args.all and args.yes):
        raise UsageError(
            "'rung erase --all --yes' erases every profile from the database and deletes "
            "every backup; both flags are needed."
        )
    folder = _data_dir(args)
    if not folder.is_dir():
        _out(f"There is nothing to erase in {folder}.")
        return 0
    if not (folder / DATABASE_NAME).exists():
        report = erase_all(None, folder)  # backups and set-aside files may still be there
    else:
        try:
            with _services(args) as services:
                report = erase_all(services.store, folder)
        except DamagedDatabaseError:  # moved aside just now: it goes with the rest
            report = erase_all(None, folder)
    _out(f"Erased every profile: {report.sentence()}.")
    return 0


def _backup_create(args: argparse.Namespace) -> int:
    from app.services.backups import backups_of

    if not (_data_dir(args) / DATABASE_NAME).exists():
        raise NotFoundError(f"There is no database in {_data_dir(args)} to back up.")
    with _services(args):  # opening checks the file and migrates it if needed
        pass
    info = backups_of(_data_dir(args)).create()
    _out(f"Backed up to {info.path}.")
    return 0


def _backup_list(args: argparse.Namespace) -> int:
    from app.services.backups import backups_of

    backups = backups_of(_data_dir(args)).all()
    if args.json:
        _json_out(
            [
                {
                    "name": b.name,
                    "created": b.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "reason": b.reason,
                    "size": b.size,
                }
                for b in backups
            ]
        )
    elif not backups:
        _out("No backups yet.")
    else:
        for b in backups:
            created = b.created.astimezone().strftime("%Y-%m-%d %H:%M")
            _out(f"{b.name}  {created}  {b.size / 1024:,.0f} KiB  {b.reason}")
    return 0


def _backup_restore(args: argparse.Namespace) -> int:
    from app.services.backups import backups_of, restore

    source, before = restore(_data_dir(args), args.source)
    in_backups = source.parent == backups_of(_data_dir(args)).folder
    shown = source.name if in_backups else str(source)
    undo = (
        f" The state it replaced was saved as {before.name}; restore that to undo this."
        if before
        else ""
    )
    _out(f"Restored the database from {shown}.{undo}")
    return 0


def _check(args: argparse.Namespace) -> int:
    if not (_data_dir(args) / DATABASE_NAME).exists():
        raise NotFoundError(f"There is no database in {_data_dir(args)} to check.")
    with _services(args, read_only=True) as services:
        path = services.store.path
        problems = services.store.integrity_problems(full=True)
        # Opening already lists foreign-key problems among its warnings: report them once.
        warnings = [w for w in services.store.warnings if w not in problems]
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise DatabaseError(f"The database {path} has problems: {'; '.join(problems[:5])}{more}.")
    for warning in warnings:
        sys.stderr.write(f"rung: warning: {_visible(warning)}\n")
    _out(f"The database {path} passed the full integrity check.")
    from app.store.sqlite import sqlite_version_note

    note = sqlite_version_note()
    if note:
        _out(f"Note: {note}")
    return 0


def _pair(text: str, what: str) -> tuple[str, str]:
    """`ID=VALUE` from the command line (an argparse type's half)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not in the form {what}")
    return key.strip(), value.strip()


def _rating(text: str) -> tuple[str, int | None]:
    """`SKILL=N` or `SKILL=na` (not applicable)."""
    skill, value = _pair(text, "SKILL=N or SKILL=na")
    if value.lower() == "na":
        return skill, None
    if not value.isdecimal():
        raise argparse.ArgumentTypeError(f"'{value}' is not a rating (a whole number, or na)")
    return skill, int(value)


def _milestone(text: str) -> tuple[str, str, date | None]:
    """`MILESTONE=STATUS` or `MILESTONE=STATUS@DATE` (the status's date)."""
    milestone, value = _pair(text, "MILESTONE=STATUS or MILESTONE=STATUS@DATE")
    status, _, day = value.partition("@")
    return milestone, status, _iso_date(day) if day else None


def _kpi(text: str) -> tuple[str, float]:
    """`KPI=VALUE`, a number written with a point (the same in every locale)."""
    kpi, value = _pair(text, "KPI=VALUE")
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a number (write decimals with a point: 4.5)"
        ) from None
    return kpi, number


def _checkins_add(args: argparse.Namespace) -> int:
    with _services(args) as services:
        profile = services.profiles.resolve(args.profile)
        checkins = services.checkins
        draft = checkins.draft(profile.id)
        if draft is not None and args.date is not None and draft.date != args.date:
            raise InvalidInputError(
                f"{profile.name} has a draft check-in dated {draft.date.isoformat()}; add to it "
                "without --date (or with that date), or finish it first."
            )
        with services.store.transaction():  # the whole check-in, or nothing
            checkin = checkins.start_draft(profile.id, args.date)
            for skill, value in args.rate:
                checkins.set_rating(checkin.id, skill, value, not_applicable=value is None)
            for milestone, status, day in args.milestone:
                checkins.set_milestone(
                    checkin.id, milestone, status, status_date=day or checkin.date
                )
            for kpi, number in args.kpi:
                checkins.set_kpi(checkin.id, kpi, number)
            if args.final:
                checkins.finalize(checkin.id)
    _out(checkin.id)
    return 0


def _evidence_record(entry: Any) -> dict[str, Any]:
    impact = entry.impact
    return {
        "id": entry.id,
        "date": entry.date.isoformat(),
        "title": entry.title,
        "description": entry.description,
        "link": entry.link,
        "private": entry.private,
        "tags": [{"kind": t.kind, "ref": t.ref} for t in entry.tags],
        "kind": "feedback" if entry.feedback else "work",
        "context": impact.context,
        "action": impact.action,
        "outcome": impact.outcome,
        "metric": (
            {"value": impact.metric_value, "unit": impact.metric_unit}
            if impact.metric_value is not None
            else None
        ),
        "feedback_from": entry.feedback.giver if entry.feedback else None,
        "feedback_role": entry.feedback.role if entry.feedback else None,
    }


def _evidence_list(args: argparse.Namespace) -> int:
    with _services(args, read_only=True) as services:
        profile = services.profiles.resolve(args.profile)
        entries = services.evidence.search(profile.id)
    if args.json:
        _json_out([_evidence_record(e) for e in entries])
    elif not entries:
        _out(f"{profile.name} has no evidence yet.")
    else:
        for e in entries:
            tags = ", ".join(f"{t.kind}:{t.ref}" for t in e.tags)
            extras = "".join(
                (f"  [{tags}]" if tags else "", "  (private)" if e.private else "",
                 f"  — {e.feedback.giver}" if e.feedback else "")
            )  # fmt: skip
            _out(f"{e.date.isoformat()}  {e.title}{extras}  {e.id}")
    return 0


def _tag(text: str) -> tuple[str, str]:
    kind, sep, ref = text.partition(":")
    if not sep or not ref:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not in the form KIND:ID (skill, milestone, kpi or criterion)"
        )
    return kind, ref


def _evidence_add(args: argparse.Namespace) -> int:
    from app.services.evidence import Feedback, Impact, Tag

    if (args.metric is None) != (args.unit is None):
        raise UsageError("--metric and --unit go together (a value and its unit: 90 ms).")
    if args.giver is not None and not args.feedback:
        raise UsageError("--from says who gave feedback: add --feedback.")
    if args.feedback and args.giver is None:
        raise UsageError("--feedback needs --from NAME: who gave it.")
    with _services(args) as services:
        profile = services.profiles.resolve(args.profile)
        entry = services.evidence.add(
            profile.id,
            day=args.date,
            title=args.title,
            description=args.description,
            link=args.link,
            private=args.private,
            tags=[Tag(kind, ref) for kind, ref in args.tag],
            impact=Impact(args.context, args.action, args.outcome, args.metric, args.unit),
            feedback=Feedback(args.giver, args.giver_role) if args.feedback else None,
        )
    _out(entry.id)
    return 0


def _proposal_record(proposal: Any) -> dict[str, Any]:
    return {
        "id": proposal.id,
        "date": proposal.date.isoformat(),
        "title": proposal.title,
        "description": proposal.description,
        "link": proposal.link,
        "tags": [{"kind": kind, "ref": ref} for kind, ref in proposal.tags],
        "commits": [
            {"id": c.id, "date": c.date.isoformat(), "author": c.author, "subject": c.subject,
             "files": list(c.files)}
            for c in proposal.commits
        ],
    }  # fmt: skip


def _evidence_from_git(args: argparse.Namespace) -> int:
    """Propose evidence from a repository's history; with --add, store the new proposals."""
    with _services(args, read_only=not args.add) as services:
        profile = services.profiles.resolve(args.profile)
        found = services.gitwork.scan(
            profile.id,
            Path(args.repo),
            since=args.since,
            until=args.until,
            authors=args.author,
            link_template=args.link_template,
        )
        new = found.new
        added = services.gitwork.accept(profile.id, found.repository, new) if args.add else 0
    if args.json:
        _json_out([_proposal_record(p) for p in new])
    else:
        for note in found.scan.notes:
            _out(note)
        for p in new:
            tags = ", ".join(f"{kind}:{ref}" for kind, ref in p.tags)
            commits = f"{len(p.commits)} commit{'s' if len(p.commits) != 1 else ''}"
            _out(f"{p.date.isoformat()}  {p.title}  ({commits}){f'  [{tags}]' if tags else ''}")
            if p.link:
                _out(f"            {p.link}")
        skipped = len(found.scan.proposals) - len(new)
        tail = f" ({skipped} already accepted or dismissed)" if skipped else ""
        if args.add:
            entries = "entry" if added == 1 else "entries"
            _out(f"Added {added} evidence {entries} to {profile.name}{tail}.")
        else:
            _out(f"{len(new)} proposal{'' if len(new) == 1 else 's'}{tail}; add them with --add.")
    return 0


def _checkins_list(args: argparse.Namespace) -> int:
    with _services(args, read_only=True) as services:
        profile = services.profiles.resolve(args.profile)
        checkins = services.checkins.all(profile.id)
    if args.json:
        _json_out(
            [
                {
                    "id": c.id,
                    "date": c.date.isoformat(),
                    "status": c.status,
                    "ratings": c.ratings,
                }
                for c in checkins
            ]
        )
    elif not checkins:
        _out(f"{profile.name} has no check-ins yet.")
    else:
        for c in checkins:
            _out(f"{c.date.isoformat()}  {c.status:<5}  {c.ratings:>3} ratings  {c.id}")
    return 0


def _readiness(args: argparse.Namespace) -> int:
    from app.readiness import not_rated_text, projection_text, readiness_text

    day = args.on or date.today()
    with _services(args, read_only=True) as services:
        profile = services.profiles.resolve(args.profile)
        result = services.readiness.as_of(profile.id, day)
        assessment = services.manager.assessment(profile.id, day)
        calibrated = (
            None
            if assessment.date is None
            else services.readiness.calibrated(profile.id, day, assessment.calibrations)
        )
    if args.json:
        data = result.model_dump(mode="json")
        if calibrated is not None:
            data["calibrated"] = calibrated.model_dump(
                mode="json", include={"readiness", "verdict", "held_back", "gates"}
            ) | {"assessment_date": assessment.date.isoformat() if assessment.date else None}
        _json_out(data)
        return 0
    _out(f"{profile.name}: readiness {readiness_text(result)} (as of {day.isoformat()}).")
    unrated = not_rated_text(result)
    if unrated:
        _out(f"  {unrated}")
    for dimension in result.dimensions:
        if dimension.score is None or dimension.contribution is None:
            continue  # not assessable: no scores, not zeros
        note = " (nothing left to assess: counts fully)" if dimension.counts_fully else ""
        _out(
            f"  {dimension.name}: score {dimension.score:.0%} × weight {dimension.weight} "
            f"= {dimension.contribution:.1f} points{note}"
        )
    for gate in result.gates:
        _out(f"  gate: {gate.name} — {gate.detail}")
    for gap in result.gaps:
        rated = "" if gap.rated else " (not rated yet)"
        _out(f"  gap: {gap.name}{rated} loses {gap.points_lost:.1f} points")
    if result.projection is not None:
        _out(f"  {projection_text(result)}")
    if calibrated is not None and assessment.date is not None:
        _out(
            f"Calibrated by the assessment of {assessment.date.isoformat()}: "
            f"{readiness_text(calibrated)}."
        )
    return 0


def _whoami(args: argparse.Namespace) -> int:
    from app.services.identity import WHOAMI

    changing = any(value is not None for value in (args.name, args.role, args.email))
    with _services(args, read_only=not changing) as services:
        if changing:
            identity = services.identity.set(name=args.name, role=args.role, email=args.email)
        else:
            identity = services.identity.get()
    if identity is None:
        _out(f"No owner identity is set for this data folder; set it with '{WHOAMI}'.")
    else:
        _out(identity.line())
    return 0


def _band(framework: Any, text: str) -> str:
    """A verdict band by its id or its name (any case)."""
    for band in framework.verdict_bands:
        if text.casefold() in (band.id.casefold(), band.name.casefold()):
            return str(band.id)
    bands = ", ".join(b.id for b in framework.verdict_bands)
    raise UsageError(f"--verdict: '{text}' is not a verdict band of the framework ({bands}).")


def _assess_show(args: argparse.Namespace) -> int:
    from app.readiness import readiness_text

    day = date.today()
    with _services(args, read_only=True) as services:
        profile = services.profiles.resolve(args.profile)
        framework = services.frameworks.get(profile.framework, profile.framework_version)
        assessment = services.manager.assessment(profile.id, day)
        rows = services.manager.calibration(profile.id, day)
        received = [] if profile.shared else services.manager.received(profile.id)
        calibrated = (
            services.readiness.calibrated(profile.id, day, assessment.calibrations)
            if assessment.date is not None
            else None
        )
    bands = {b.id: b.name for b in framework.verdict_bands}
    dimensions = {d.id: d.name for d in framework.dimensions}
    if args.json:
        assessor = assessment.assessor
        _json_out(
            {
                "profile": profile.id,
                "origin": assessment.origin if assessment.date else None,
                "date": assessment.date.isoformat() if assessment.date else None,
                "assessor": _identity_json(assessor),
                "recommendation": (
                    {"band": assessment.band, "rationale": assessment.rationale}
                    if assessment.band
                    else None
                ),
                "comments": assessment.comments,
                "calibrations": assessment.calibrations,
                "calibrated": (
                    calibrated.model_dump(
                        mode="json", include={"readiness", "verdict", "held_back", "gates"}
                    )
                    if calibrated
                    else None
                ),
                "disagreements": [
                    {
                        "skill": row.skill_id,
                        "self": row.self_rating,
                        "not_applicable": row.not_applicable,
                        "manager": row.manager_rating,
                        "difference": row.difference,
                    }
                    for row in rows
                    if row.manager_rating is not None
                ],
                "received": [
                    {"date": a.date.isoformat(), "assessor": _identity_json(a.assessor)}
                    for a in received
                    if a.date is not None
                ],
            }
        )
        return 0
    if assessment.date is None:
        _out(f"{profile.name} has no assessment yet.")
        return 0
    signed = assessment.assessor.line() if assessment.assessor else "its assessor not recorded"
    if received:
        dates = ", ".join(a.date.isoformat() for a in received if a.date is not None)
        _out(f"{profile.name} is your own profile; assessments received: {dates}.")
        _out(f"The latest, of {assessment.date.isoformat()}, by {signed}:")
    else:
        _out(f"Assessment of {profile.name}, {assessment.date.isoformat()}, by {signed}.")
    if assessment.band:
        _out(f"  Recommendation: {bands.get(assessment.band, assessment.band)}")
        if assessment.rationale:
            _out(f"    {assessment.rationale}")
    if calibrated is not None:
        _out(f"  Calibrated readiness: {readiness_text(calibrated)}")
    for dimension, text in assessment.comments.items():
        _out(f"  {dimensions.get(dimension, dimension)}: {text}")
    for row in rows:
        if row.manager_rating is None:
            continue
        own = "n/a" if row.not_applicable else row.self_rating
        own = "not rated yet" if own is None else own
        _out(f"  {row.name}: self {own}, manager {row.manager_rating}, expected {row.expected}")
    return 0


def _identity_json(identity: Any) -> dict[str, str | None] | None:
    if identity is None:
        return None
    return {"name": identity.name, "role": identity.role, "email": identity.email}


def _assess_rate(args: argparse.Namespace) -> int:
    with _services(args) as services:
        profile = services.profiles.resolve(args.profile)
        services.manager.set_calibration(profile.id, args.skill, None if args.clear else args.value)
    _out(f"Calibrated {args.skill} for {profile.name}.")
    return 0


def _assess_comment(args: argparse.Namespace) -> int:
    with _services(args) as services:
        profile = services.profiles.resolve(args.profile)
        services.manager.set_comment(profile.id, args.dimension, args.text)
    _out(f"Commented on {args.dimension} for {profile.name}.")
    return 0


def _assess_recommend(args: argparse.Namespace) -> int:
    with _services(args) as services:
        profile = services.profiles.resolve(args.profile)
        framework = services.frameworks.get(profile.framework, profile.framework_version)
        band = _band(framework, args.verdict)
        services.manager.set_recommendation(profile.id, band, args.rationale)
    _out(f"Recommended {args.verdict} for {profile.name}.")
    return 0


def _assess_export(args: argparse.Namespace) -> int:
    from app.bundle.assessment import export_assessment

    out = _output_file(Path(args.out), args)
    with _services(args, read_only=True) as services:
        profile = services.profiles.resolve(args.profile)
        bundle = export_assessment(services.store, profile.id, out)
    payload = bundle.payload
    _out(
        f"Wrote your assessment of {profile.name} ({payload.date.isoformat()}) to {out}; "
        f"{profile.name} imports it onto their own profile with 'rung bundle import'."
    )
    return 0


def _team_list(args: argparse.Namespace) -> int:
    from app.readiness import readiness_text
    from app.services.team import team_record

    day = args.on or date.today()
    with _services(args, read_only=True) as services:
        rows = services.team.rows(day)
    if args.json:
        _json_out([team_record(row, day) for row in rows])
        return 0
    if not rows:
        _out("No profile is shared with you yet; import a bundle with 'rung bundle import FILE'.")
        return 0
    for row in rows:
        _out(f"{row.name}  {row.level_name} → {row.target_name}  [{row.id}]")
        last = row.last_checkin.isoformat() if row.last_checkin else "none yet"
        age = row.bundle_age_days(day)
        bundle = "" if age is None else f" (bundle {_days_old(age)})"
        due = "overdue since" if row.next_due < day else "due"
        _out(f"  last check-in {last}{bundle}; next {due} {row.next_due.isoformat()}")
        _out(f"  readiness {readiness_text(row.readiness)}")
        if row.calibrated is not None and row.assessment_date is not None:
            _out(
                f"  calibrated by your assessment of {row.assessment_date.isoformat()}: "
                f"{readiness_text(row.calibrated)}"
            )
        if row.gates:
            _out("  gates: " + "; ".join(gate.name for gate in row.gates))
        if row.disagreement is not None:
            d = row.disagreement
            own = "not rated yet" if d.self_rating is None else d.self_rating
            _out(f"  largest disagreement: {d.name}, self {own}, yours {d.manager_rating}")
        recommends = f", recommending {row.recommendation_name}" if row.recommendation_name else ""
        _out(f"  assessment: {row.assessment}{recommends}")
    return 0


def _days_old(days: int) -> str:
    return {0: "from today", 1: "1 day old"}.get(days, f"{days} days old")


def _report(args: argparse.Namespace) -> int:
    from app.report.model import ReportOptions

    out = _output_file(Path(args.out), args)
    options = ReportOptions(
        start=args.start,
        end=args.end,
        include_private=args.include_private,
        audience=args.audience,
    )
    from app.report.service import ReportService

    with _services(args, read_only=True) as services:
        profile = services.profiles.resolve(args.profile)
        ReportService(services).export(profile.id, options, out)
    private = "with" if args.include_private else "without"
    _out(f"Wrote the {args.audience} report for {profile.name} ({private} private notes) to {out}.")
    return 0


def _output_file(out: Path, args: argparse.Namespace) -> Path:
    """An --out path that names a file in a folder that exists and is not Rung's own data
    (checked before any work; `atomic_write` checks again as it writes)."""
    from app.files import check_output

    if out.is_dir():
        raise UsageError(f"--out {out} is a folder; name the file to write.")
    if not out.parent.is_dir():
        raise UsageError(f"--out: the folder {out.parent} does not exist.")
    check_output(out, _data_dir(args))
    return out


def _bundle_export(args: argparse.Namespace) -> int:
    from app.bundle.export import export_bundle

    out = _output_file(Path(args.out), args)
    with _services(args, read_only=True) as services:
        profile = services.profiles.resolve(args.profile)
        bundle = export_bundle(
            services.store, profile.id, out, include_private=args.include_private
        )
    private = "with" if args.include_private else "without"
    payload = bundle.payload
    _out(
        f"Wrote {profile.name}'s bundle ({private} private text): {len(payload.checkins)} "
        f"check-ins, {len(payload.evidence)} evidence entries, to {out}."
    )
    return 0


_IMPORTED = {
    "created": "Imported {name} as {kind}: {summary}.",
    "updated": "Updated {name} from a newer bundle: {summary}.",
    "unchanged-same": "{name} is unchanged: {summary}.",
    "unchanged-older": "{name} is unchanged: {summary}.",
}
_RECEIVED = {
    "received": "Received {summary}, for {name}.",
    "updated": "Received a newer export of {summary}, for {name}.",
    "unchanged-same": "{name} is unchanged: {summary}.",
    "unchanged-older": "{name} is unchanged: {summary}.",
}


def _bundle_import(args: argparse.Namespace) -> int:
    from app.bundle.importer import import_bundle

    with _services(args) as services:
        result = import_bundle(
            services.store, services.frameworks, Path(args.file), as_mine=args.as_mine
        )
    kind = "your own profile" if args.as_mine else "a profile shared with you (read-only)"
    lines = _RECEIVED if result.kind == "assessment" else _IMPORTED
    _out(lines[result.action].format(name=result.name, kind=kind, summary=result.summary))
    return 0


def _bundle_schema(_args: argparse.Namespace) -> int:
    from app.bundle.model import AnyBundle

    _json_out(AnyBundle.model_json_schema())
    return 0


def _demo(args: argparse.Namespace) -> int:
    from app.services.demo import create_demo

    if args.years > 50:
        raise UsageError("--years must be at most 50.")
    with _services(args) as services:
        profile_id = create_demo(
            services.store,
            services.frameworks,
            services.profiles,
            years=args.years,
            weekly=args.weekly,
            seed=args.seed,
        )
    _out(profile_id)
    return 0


def _launch(args: argparse.Namespace) -> int:
    from ui.app import run

    return run(_data_dir(args), smoke_test=args.smoke_test)


# -- the team hub --------------------------------------------------------------


def _hub_url(args: argparse.Namespace) -> Any:
    from app.hub.connection import connected, parse_url

    return parse_url(connected(_data_dir(args)).url)


def _hub_init(args: argparse.Namespace) -> int:
    from app.hub.admin import init_hub
    from app.hub.connection import HubSettings, parse_url, save_settings, shown

    url = parse_url(args.url)
    revision = init_hub(url, skip_levels=args.skip_levels)
    folder = _data_dir(args)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    save_settings(folder, HubSettings(shown(url)))
    skip = "see" if args.skip_levels else "do not see"
    _out(
        f"The hub at {shown(url)} is ready (revision {revision}); managers {skip} their "
        "reports' reports. Add members with 'rung hub member add LOGIN --name N --role R'."
    )
    return 0


def _hub_member_add(args: argparse.Namespace) -> int:
    from app.hub.admin import add_member

    member, created = add_member(
        _hub_url(args), args.login, args.name, args.role or ["engineer"], args.manager
    )
    login = "created the login and added" if created else "added"
    manager = f", reporting to {member.manager}" if member.manager else ""
    _out(
        f"{login.capitalize()} {member.name} ({member.login}: {', '.join(member.roles)}{manager})."
    )
    return 0


def _hub_member_list(args: argparse.Namespace) -> int:
    from app.hub.admin import list_members

    members = list_members(_hub_url(args))
    if args.json:
        _json_out([dataclasses.asdict(m) for m in members])
        return 0
    for m in members:
        manager = f", reports to {m.manager}" if m.manager else ""
        _out(f"{m.login}  {m.name}  ({', '.join(m.roles)}{manager})")
    if not members:
        _out("The hub has no members yet; add one with 'rung hub member add'.")
    return 0


def _hub_member_remove(args: argparse.Namespace) -> int:
    from app.hub.admin import remove_member

    remove_member(_hub_url(args), args.login)
    _out(f"Removed {args.login} and what they published from the hub.")
    return 0


def _hub_cycle(args: argparse.Namespace) -> int:
    from app.hub.admin import change_cycle

    action = args.cycle_action
    change_cycle(_hub_url(args), action, args.cycle, getattr(args, "login", None))
    _out(
        {
            "create": f"The cycle '{args.cycle}' exists.",
            "nominate": f"{getattr(args, 'login', '')} is nominated to '{args.cycle}'.",
            "seat": f"{getattr(args, 'login', '')} sits on the committee of '{args.cycle}'.",
        }[action]
    )
    return 0


def _read_password(url_text: str) -> str:
    """The hub's password, typed at the terminal without echo, or the first line of the
    standard input when it is not a terminal (a script's)."""
    try:
        if sys.stdin.isatty():
            import getpass

            password = getpass.getpass(f"Password for {url_text} (kept in the system's keyring): ")
        else:
            password = sys.stdin.readline().rstrip("\r\n")
    except EOFError:  # Ctrl+D at the prompt
        password = ""
    if not password:
        raise InvalidInputError("No password was given; nothing was changed.")
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, as the terminal passed them on
        raise InvalidInputError(
            "The password is not UTF-8 text, which PostgreSQL needs; nothing was changed."
        ) from None
    return password


def _hub_connect(args: argparse.Namespace) -> int:
    from app.hub.service import HubService

    password = _read_password(args.url) if args.password else None
    with _services(args) as services:
        status = HubService(services).connect(
            args.url, publish_after_finalise=args.publish_after_finalise, password=password
        )
    for line in status.lines():
        _out(line)
    return 0


def _hub_forget_password(args: argparse.Namespace) -> int:
    from app.hub.service import HubService

    with _services(args, read_only=True) as services:
        kept = HubService(services).forget_password()
    _out(
        "The hub password kept in this computer's keyring for this folder is removed; "
        "libpq's own places serve from now on."
        if kept
        else "No hub password was kept in the keyring for this folder; nothing was changed."
    )
    return 0


def _hub_status(args: argparse.Namespace) -> int:
    from app.hub.service import HubService

    with _services(args, read_only=True) as services:
        status = HubService(services).status()
    if args.json:
        _json_out(
            {
                "url": status.url,
                "login": status.login,
                "member": dataclasses.asdict(status.member) if status.member else None,
                "revision": status.revision,
                "expected_revision": status.head,
                "published": status.published,
                "readable": status.readable,
                **dataclasses.asdict(status.settings),
            }
        )
        return 0
    for line in status.lines():
        _out(line)
    return 0


def _hub_publish(args: argparse.Namespace) -> int:
    from app.hub.service import HubService

    with _services(args, read_only=True) as services:
        only = [services.profiles.resolve(args.profile).id] if args.profile else None
        if only is not None and services.profiles.get(only[0]).shared:
            raise InvalidInputError(
                "Only your own profiles are published; a shared copy is its owner's to publish."
            )
        result = HubService(services).publish(only)
    _out(result.summary())
    return 0


def _hub_withdraw(args: argparse.Namespace) -> int:
    from app.hub.service import HubService, withdrawn_text

    if args.profile is not None and not args.profile.strip():  # "$P" with P unset: not "all"
        raise UsageError("--profile needs a profile's name or id; leave it out to withdraw all.")
    with _services(args, read_only=True) as services:
        profile = services.profiles.resolve(args.profile) if args.profile else None
        if profile is not None and profile.shared:
            raise InvalidInputError(
                "Only your own profiles are withdrawn; a shared copy is its owner's."
            )
        removed = HubService(services).withdraw([profile.id] if profile else None)
    _out(withdrawn_text(removed, profile.name if profile else None))
    return 0


def _hub_pull(args: argparse.Namespace) -> int:
    from app.hub.service import HubService

    with _services(args) as services:
        result = HubService(services).pull()
    _out(result.summary())
    for line in [*result.updated, *result.assessments_received]:
        _out(f"  {line}")
    for problem in result.problems:
        sys.stderr.write(f"rung: {_visible(problem)}\n")
    return 1 if result.problems else 0


# -- the parser --------------------------------------------------------------


def _launcher(*, add_help: bool) -> tuple[_Parser, _Parser]:
    """`rung` without its commands (it launches the desktop app), and the `--data-dir`
    option that every command shares."""
    common = _Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the data folder (default: $RUNG_DATA_DIR or the platform's user data folder)",
    )
    parser = _Parser(
        prog="rung",
        description="Rate yourself against a career ladder, offline.",
        parents=[common],
        add_help=add_help,
    )
    parser.set_defaults(handler=_launch)
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="draw the main window with the last profile, then exit (for checks)",
    )
    return parser, common


def build_parser() -> argparse.ArgumentParser:
    parser, common = _launcher(add_help=True)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    def group(name: str, help_text: str, parent: Any = commands) -> Any:
        sub = parent.add_parser(name, help=help_text, parents=[common])
        sub.set_defaults(handler=lambda _a, p=sub: p.error("choose a subcommand"))
        return sub.add_subparsers(title="subcommands", metavar="SUBCOMMAND", parser_class=_Parser)

    def command(parent: Any, name: str, handler: Handler, help_text: str) -> Any:
        sub = parent.add_parser(name, help=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    demo = command(commands, "demo", _demo, "create a demo profile; prints its id")
    demo.add_argument("--years", type=_positive, default=2, help="years of history (default 2)")
    demo.add_argument("--weekly", action="store_true", help="weekly instead of monthly check-ins")
    demo.add_argument("--seed", type=int, default=0, help="the same seed gives the same demo")

    frameworks = group("frameworks", "role frameworks (career ladders)")
    sub = command(frameworks, "list", _frameworks_list, "list stored frameworks")
    sub.add_argument("--json", action="store_true")
    sub = command(frameworks, "show", _frameworks_show, "summarise a framework")
    sub.add_argument("ref", metavar="ID[@VERSION]")
    sub.add_argument("--json", action="store_true", help="print the whole validated model")
    sub = command(frameworks, "validate", _frameworks_validate, "check a framework file")
    sub.add_argument("file", metavar="FILE")
    sub = command(frameworks, "import", _frameworks_import, "validate and store a framework")
    sub.add_argument("file", metavar="FILE")
    sub = command(
        frameworks, "export", _frameworks_export, "write a framework as YAML, JSON, XLSX or CSV"
    )
    sub.add_argument("ref", metavar="ID[@VERSION]")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument(
        "--format",
        choices=("yaml", "json", "xlsx", "csv"),
        help="default: from FILE's extension; csv writes a new folder of files",
    )
    sub = command(
        frameworks, "template", _frameworks_template, "write a fill-in spreadsheet template"
    )
    sub.add_argument("--format", choices=("xlsx", "csv"), required=True)
    sub.add_argument("file", metavar="OUT")
    command(frameworks, "schema", _frameworks_schema, "print the framework JSON Schema")

    profiles = group("profiles", "people on a ladder")
    sub = command(profiles, "list", _profiles_list, "list profiles")
    sub.add_argument("--json", action="store_true")
    sub = command(profiles, "create", _profiles_create, "create a profile; prints its id")
    sub.add_argument("--name", required=True)
    sub.add_argument("--framework", required=True, metavar="ID[@VERSION]")
    sub.add_argument("--level", required=True, help="the current level's id")
    sub.add_argument("--target", required=True, help="the target level's id")
    sub.add_argument("--started", type=_iso_date, help="role start date (default today)")
    sub.add_argument(
        "--interval", type=_interval, default=30, help="check-in interval in days (1 to 366)"
    )
    sub.add_argument("--manager", help="the manager's name")
    sub = command(profiles, "delete", _profiles_delete, "delete a profile and its history")
    sub.add_argument("profile", metavar="P")
    sub.add_argument("--yes", action="store_true", help="confirm the deletion")

    sub = command(commands, "erase", _erase, "erase every profile, from the database and backups")
    sub.add_argument("--all", action="store_true", help="every profile")
    sub.add_argument("--yes", action="store_true", help="confirm")
    command(commands, "check", _check, "full integrity check of the database")

    backup = group("backup", "backups of the database")
    command(backup, "create", _backup_create, "back the database up now")
    sub = command(backup, "list", _backup_list, "list backups, newest first")
    sub.add_argument("--json", action="store_true")
    sub = command(backup, "restore", _backup_restore, "restore a backup (or any Rung database)")
    sub.add_argument("source", metavar="NAME|FILE")

    sub = command(commands, "readiness", _readiness, "promotion readiness and its arithmetic")
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--on", type=_iso_date, metavar="DATE", help="as of this date (default today)")
    sub.add_argument("--json", action="store_true")

    sub = command(commands, "report", _report, "export the promotion-readiness report as PDF")
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--out", required=True, metavar="FILE.pdf")
    sub.add_argument("--from", dest="start", type=_iso_date, metavar="DATE", help="period start")
    sub.add_argument("--to", dest="end", type=_iso_date, metavar="DATE", help="period end")
    sub.add_argument(
        "--include-private",
        action="store_true",
        help="include reflections, notes, private evidence and plan notes (default: left out)",
    )
    sub.add_argument(
        "--audience",
        choices=AUDIENCES,
        default="self",
        help="self: every section; 1:1: readiness, criteria, charts, highlights, plan, evidence; "
        "packet: the case for a promotion committee",
    )

    bundle = group("bundle", "bundles (.rung) to share a profile or move it to another computer")
    sub = command(bundle, "export", _bundle_export, "write a profile's bundle")
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--out", required=True, metavar="FILE")
    sub.add_argument(
        "--include-private",
        action="store_true",
        help="include notes, reflections, private evidence and plan notes (default: left out)",
    )
    sub = command(bundle, "import", _bundle_import, "import a bundle (a new or newer export)")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument(
        "--as-mine",
        action="store_true",
        help="make it your own, editable profile (moving to a new computer); default: read-only",
    )
    command(bundle, "schema", _bundle_schema, "print the bundle JSON Schema")

    checkins = group("checkins", "assessments")
    sub = command(checkins, "list", _checkins_list, "list a profile's check-ins")
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--json", action="store_true")
    evidence = group("evidence", "evidence of your work, and feedback received")
    sub = command(evidence, "list", _evidence_list, "a profile's evidence, newest first")
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--json", action="store_true")
    sub = command(evidence, "add", _evidence_add, "add an entry; prints its id")
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--date", required=True, type=_iso_date, metavar="D")
    sub.add_argument("--title", required=True, metavar="T")
    sub.add_argument("--description", metavar="X", help="what happened (for feedback: the quote)")
    sub.add_argument("--link", metavar="URL")
    sub.add_argument(
        "--tag", type=_tag, action="append", default=[], metavar="KIND:ID",
        help="skill, milestone, kpi or criterion, and its id; repeat for more",
    )  # fmt: skip
    sub.add_argument("--context", metavar="X", help="the situation")
    sub.add_argument("--action", metavar="X", help="what you did")
    sub.add_argument("--outcome", metavar="X", help="what came of it")
    sub.add_argument("--metric", type=float, metavar="VALUE", help="a measured result")
    sub.add_argument("--unit", metavar="U", help="the metric's unit (ms, %%, users)")
    sub.add_argument("--feedback", action="store_true", help="feedback received, not work done")
    sub.add_argument("--from", dest="giver", metavar="NAME", help="who gave the feedback")
    sub.add_argument("--from-role", dest="giver_role", metavar="R", help="their role")
    sub.add_argument("--private", action="store_true", help="left out of shared reports")
    sub = command(
        evidence, "from-git", _evidence_from_git,
        "propose evidence from your commits in a local git repository (reads commit metadata "
        "and changed paths only)",
    )  # fmt: skip
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--repo", required=True, metavar="PATH", help="a working copy or bare repo")
    sub.add_argument("--since", type=_iso_date, metavar="DATE", help="default: 90 days ago")
    sub.add_argument("--until", type=_iso_date, metavar="DATE", help="default: today")
    sub.add_argument(
        "--author", action="append", default=[], metavar="EMAIL",
        help="an email you commit as, besides your identity's (rung whoami); repeat for more",
    )  # fmt: skip
    sub.add_argument(
        "--link-template", metavar="URL",
        help="for a forge other than GitHub, GitLab and Bitbucket: a commit's web address "
        "with {commit} for its id, e.g. https://git.example.com/team/app/commit/{commit}",
    )  # fmt: skip
    sub.add_argument("--json", action="store_true", help="print the proposals as JSON")
    sub.add_argument("--add", action="store_true", help="store the new proposals as evidence")

    sub = command(commands, "whoami", _whoami, "show or set who this data folder belongs to")
    sub.add_argument("--name", help="your name, as it signs assessments and reports")
    sub.add_argument("--role", help="your role or title (empty to clear)")
    sub.add_argument("--email", help="your email address (empty to clear)")

    assess = group(
        "assess", "your assessment of a profile shared with you; your manager's of your own"
    )
    sub = command(assess, "show", _assess_show, "the latest assessment and calibrated readiness")
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--json", action="store_true")
    sub = command(assess, "rate", _assess_rate, "your rating of one skill (today's assessment)")
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--skill", required=True, metavar="S")
    value = sub.add_mutually_exclusive_group(required=True)
    value.add_argument("--value", type=int, metavar="N", help="a rating on the scale")
    value.add_argument("--clear", action="store_true", help="remove your rating of the skill")
    sub = command(assess, "comment", _assess_comment, "your comment on a dimension")
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--dimension", required=True, metavar="D")
    sub.add_argument("--text", required=True, metavar="T", help="the comment (empty to remove)")
    sub = command(assess, "recommend", _assess_recommend, "your recommendation, and why")
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--verdict", required=True, metavar="BAND", help="a verdict band")
    sub.add_argument("--rationale", required=True, metavar="T")
    sub = command(
        assess, "export", _assess_export, "your latest assessment as a bundle for the owner"
    )
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--out", required=True, metavar="FILE")

    team = group("team", "the profiles shared with you, at a glance")
    sub = command(team, "list", _team_list, "each person: check-ins, readiness, your assessment")
    sub.add_argument("--on", type=_iso_date, metavar="DATE", help="as of this date (default today)")
    sub.add_argument("--json", action="store_true")

    hub = group("hub", "a team hub on PostgreSQL: publish your profiles, pull your team's")
    sub = command(hub, "init", _hub_init, "create or upgrade a hub (its admin, as a superuser)")
    sub.add_argument("url", metavar="URL", help="postgresql://LOGIN@HOST/DATABASE, no password")
    sub.add_argument(
        "--skip-levels", action="store_true",
        help="managers also read their reports' reports",
    )  # fmt: skip
    members = group("member", "the hub's members (its admin)", hub)
    sub = command(members, "add", _hub_member_add, "add a member, or add roles to one")
    sub.add_argument("login", metavar="LOGIN", help="their PostgreSQL login (created if missing)")
    sub.add_argument("--name", required=True, metavar="N")
    sub.add_argument(
        "--role", action="append", choices=("engineer", "manager", "committee", "admin"),
        help="repeat for more; roles add up (default: engineer)",
    )  # fmt: skip
    sub.add_argument("--manager", metavar="LOGIN", help="the member they report to")
    sub = command(members, "list", _hub_member_list, "the hub's directory")
    sub.add_argument("--json", action="store_true")
    sub = command(members, "remove", _hub_member_remove, "remove a member and what they published")
    sub.add_argument("login", metavar="LOGIN")
    cycles = group("cycle", "promotion cycles (its admin)", hub)
    for action, help_text in (
        ("create", "create a promotion cycle"),
        ("nominate", "nominate a member (their published profiles) to a cycle"),
        ("seat", "seat a committee member on a cycle"),
    ):
        sub = command(cycles, action, _hub_cycle, help_text)
        sub.set_defaults(cycle_action=action)
        sub.add_argument("cycle", metavar="NAME")
        if action != "create":
            sub.add_argument("login", metavar="LOGIN")
    sub = command(hub, "connect", _hub_connect, "connect this data folder to a hub")
    sub.add_argument("url", metavar="URL", help="postgresql://LOGIN@HOST/DATABASE, no password")
    sub.add_argument(
        "--publish-after-finalise", action="store_true",
        help="publish in the app after each finalised check-in",
    )  # fmt: skip
    sub.add_argument(
        "--password", action="store_true",
        help="ask for the login's password (or read it from standard input) and keep it in "
        "the system's keyring, never in Rung's files",
    )  # fmt: skip
    command(
        hub, "forget-password", _hub_forget_password,
        "remove this folder's hub password from the system's keyring",
    )  # fmt: skip
    sub = command(hub, "status", _hub_status, "the hub, your login, and the last sync")
    sub.add_argument("--json", action="store_true")
    sub = command(hub, "publish", _hub_publish, "publish your profiles (only what changed)")
    sub.add_argument("--profile", metavar="P", help="only this profile (default: all of yours)")
    command(hub, "pull", _hub_pull, "bring the profiles you may read here; send your assessments")
    sub = command(
        hub, "withdraw", _hub_withdraw,
        "remove your published profiles from the hub (your data here stays)",
    )  # fmt: skip
    sub.add_argument("--profile", metavar="P", help="only this profile (default: all of yours)")

    sub = command(
        checkins, "add", _checkins_add, "record a check-in (a draft, or final); prints its id"
    )
    sub.add_argument("--profile", required=True, metavar="P")
    sub.add_argument("--date", type=_iso_date, help="the check-in's date (default today)")
    sub.add_argument(
        "--rate", type=_rating, action="append", default=[], metavar="SKILL=N|na",
        help="a rating on the framework's scale, or na (not applicable); repeat for more",
    )  # fmt: skip
    sub.add_argument(
        "--milestone", type=_milestone, action="append", default=[],
        metavar="ID=STATUS[@DATE]",
        help="not-started, in-progress, done or not-applicable, as of DATE (default: the "
        "check-in's date)",
    )  # fmt: skip
    sub.add_argument(
        "--kpi", type=_kpi, action="append", default=[], metavar="ID=VALUE",
        help="a KPI's value (decimals with a point)",
    )  # fmt: skip
    sub.add_argument("--final", action="store_true", help="finalise it (default: a draft)")
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; a launch of the desktop app (no command, no help) is parsed without
    building the parsers of every command, which would delay its first paint."""
    args, rest = _launcher(add_help=False)[0].parse_known_args(argv)
    return build_parser().parse_args(argv) if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # everything Rung creates (settings, locks, exports) is the owner's only
    args: argparse.Namespace | None = None
    try:
        args = _parse(argv)
        handler: Handler = args.handler
        return handler(args)
    except RungError as exc:
        sys.stderr.write(f"rung: {_visible(str(exc))}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("rung: interrupted.\n")
        return 130
    except BrokenPipeError:  # e.g. `rung checkins list ... | head`: the reader left
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        return 0
    except Exception as exc:
        from app.errors import describe, is_bug
        from app.log import log_bug

        log = None
        if is_bug(exc) and args is not None:  # the command's name, none of its values
            command = args.handler.__name__.strip("_").replace("_", " ")
            log = log_bug(exc, f"rung {command} failed", _data_dir(args))
        sys.stderr.write(f"rung: {_visible(describe(exc, log))}\n")
        return 1
