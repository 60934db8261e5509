"""Frameworks in the store: built-ins, imports, exports and lookup by `ID[@VERSION]`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.errors import FrameworkError, NotFoundError, RungError
from app.files import atomic_write, check_output
from app.framework.loader import (
    canonical_json,
    framework_from_snapshot,
    framework_hash,
    load_framework_file,
)
from app.framework.model import Framework
from app.framework.sheets import (
    csv_files,
    load_any_framework,
    template_framework,
    write_csv_folder,
    xlsx_bytes,
)
from app.paths import builtin_framework_files
from app.store.db import Store
from app.store.models import StoredFramework


@dataclass(frozen=True)
class FrameworkInfo:
    id: str
    version: str
    name: str
    hash: str
    builtin: bool

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


@dataclass(frozen=True)
class ImportPreview:
    """What importing a file would do, read without storing anything: the framework it
    holds and whether it is new, or each problem that stops it, where it is."""

    name: str  # the file's or folder's name
    framework: Framework | None
    problems: list[str]
    new: bool = False  # False with a framework: the same ladder is already stored


def _info(row: StoredFramework) -> FrameworkInfo:
    return FrameworkInfo(row.framework_id, row.version, row.name, row.hash, row.builtin)


def version_key(version: str) -> tuple[int, ...]:
    """`1.10` sorts after `1.9`."""
    return tuple(int(part) for part in version.split("."))


def split_ref(ref: str) -> tuple[str, str | None]:
    """`ID@VERSION` → (ID, VERSION); a bare `ID` → (ID, None), meaning the newest."""
    framework_id, _, version = ref.partition("@")
    return framework_id, version or None


class FrameworkService:
    """Reads and writes frameworks; validated models are cached per version."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[tuple[str, str], Framework] = {}
        self._unstored: dict[tuple[str, str], Framework] = {}  # built-ins a reader sees

    def ensure_builtins(self, *, store_them: bool = True) -> None:
        """Store each shipped framework once; a file already stored costs one hash.

        A read-only caller (`store_them=False`) writes nothing: a built-in not
        stored yet (say, shipped by a newer Rung) is served from its file.
        """
        try:
            self._store_builtins(store_them)
        except IntegrityError:
            # Another process stored the same file between this one's read and its write
            # (first use by several at once): read again, and find it there.
            self._store_builtins(store_them)

    def _store_builtins(self, store_them: bool) -> None:
        with self._store.session() as session:
            known = set(session.scalars(select(StoredFramework.source_digest)))
            for path in builtin_framework_files():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                if digest in known:
                    continue
                framework = load_framework_file(path)
                if store_them:
                    self._add(session, framework, builtin=True, digest=digest)
                else:
                    self._unstored[(framework.id, framework.version)] = framework

    def _add(
        self, session: Any, framework: Framework, *, builtin: bool, digest: str | None
    ) -> tuple[StoredFramework, bool]:
        """Insert a version, or return the stored one if it is the same ladder."""
        digest_of_model = framework_hash(framework)
        existing = session.scalar(
            select(StoredFramework).where(
                StoredFramework.framework_id == framework.id,
                StoredFramework.version == framework.version,
            )
        )
        if existing is not None:
            if existing.hash != digest_of_model:
                raise FrameworkError(
                    f"A different framework {framework.ref} is already stored; "
                    "bump the version to import this one."
                )
            if digest and not existing.source_digest:
                existing.source_digest = digest
            return existing, False
        row = StoredFramework(
            framework_id=framework.id,
            version=framework.version,
            name=framework.name,
            hash=digest_of_model,
            snapshot=canonical_json(framework).decode("utf-8"),
            builtin=builtin,
            source_digest=digest,
        )
        session.add(row)
        return row, True

    def all(self) -> list[FrameworkInfo]:
        with self._store.session() as session:
            rows = session.scalars(select(StoredFramework)).all()
            infos = [_info(row) for row in rows]
        infos += [
            FrameworkInfo(f.id, f.version, f.name, framework_hash(f), True)
            for f in self._unstored.values()
        ]
        return sorted(infos, key=lambda info: (info.id, version_key(info.version)))

    def resolve(self, ref: str) -> FrameworkInfo:
        """The stored version that `ID@VERSION` or a bare `ID` (the newest) names."""
        framework_id, version = split_ref(ref)
        versions = [info for info in self.all() if info.id == framework_id]
        if version is not None:
            versions = [info for info in versions if info.version == version]
        if not versions:
            known = ", ".join(info.ref for info in self.all()) or "none"
            raise NotFoundError(f"No framework '{ref}' is stored (stored: {known}).")
        return max(versions, key=lambda info: version_key(info.version))

    def get(self, framework_id: str, version: str) -> Framework:
        key = (framework_id, version)
        if key in self._unstored:
            return self._unstored[key]
        if key not in self._cache:
            with self._store.session() as session:
                snapshot = session.scalar(
                    select(StoredFramework.snapshot).where(
                        StoredFramework.framework_id == framework_id,
                        StoredFramework.version == version,
                    )
                )
            if snapshot is None:
                raise NotFoundError(f"No framework '{framework_id}@{version}' is stored.")
            self._cache[key] = framework_from_snapshot(snapshot)
        return self._cache[key]

    def load(self, ref: str) -> Framework:
        info = self.resolve(ref)
        return self.get(info.id, info.version)

    def is_new(self, framework: Framework) -> bool:
        """Whether importing stores anything; a changed ladder under a stored version is refused."""
        stored = [i for i in self.all() if (i.id, i.version) == (framework.id, framework.version)]
        if stored and stored[0].hash != framework_hash(framework):
            raise FrameworkError(
                f"A different framework {framework.ref} is already stored; "
                "bump the version to import this one."
            )
        return not stored

    def preview_import(self, path: Path) -> ImportPreview:
        """Read and check a framework file (YAML, JSON, XLSX or a CSV folder) as
        `import_file` would, and store nothing."""
        try:
            framework = load_any_framework(path)
            new = self.is_new(framework)
        except FrameworkError as exc:
            return ImportPreview(path.name, None, exc.problems)
        except RungError as exc:  # too large, unreadable: one sentence
            return ImportPreview(path.name, None, [str(exc)])
        return ImportPreview(path.name, framework, [], new)

    def import_file(self, path: Path) -> tuple[FrameworkInfo, bool]:
        """Validate and store a framework file (YAML, JSON, XLSX or a CSV folder); returns
        its info and whether it was new."""
        return self.import_framework(load_any_framework(path))

    def import_framework(self, framework: Framework) -> tuple[FrameworkInfo, bool]:
        """Store an already validated framework; returns its info and whether it was new."""
        with self._store.session() as session:
            row, created = self._add(session, framework, builtin=False, digest=None)
            return _info(row), created

    def export_file(self, ref: str, path: Path, fmt: str | None = None) -> FrameworkInfo:
        """Write a stored version as YAML, JSON, XLSX or a new folder of CSV files; the
        format is `fmt`, or else chosen by the file's extension."""
        if not path.is_dir():  # the data folder is refused before anything else is said
            check_output(path, self._store.data_dir)
        fmt = export_format(path, fmt)
        info = self.resolve(ref)
        write_framework(self.get(info.id, info.version), path, fmt, self._store.data_dir)
        return info


FORMATS = ("yaml", "json", "xlsx", "csv")
_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xlsx": "xlsx", ".csv": "csv"}


def export_format(path: Path, fmt: str | None) -> str:
    """The format asked for, or the one `path`'s extension names."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise FrameworkError(f"The format must be one of {', '.join(FORMATS)}, not '{fmt}'.")
        return fmt
    by_suffix = _SUFFIXES.get(path.suffix.lower())
    if by_suffix is None:
        raise FrameworkError(
            f"{path.name}: name a file ending in .yaml, .yml, .json or .xlsx, "
            "or give --format (csv writes a new folder)."
        )
    return by_suffix


def write_framework(framework: Framework, path: Path, fmt: str, data_dir: Path) -> None:
    """Write `framework` to `path` in `fmt`; never inside the data folder, never half-written."""
    if fmt == "csv":
        if path.exists():
            raise FrameworkError(f"{path} already exists; CSV export makes a new folder.")
        check_output(path, data_dir)
        write_csv_folder(path, csv_files(framework))
        return
    if fmt == "xlsx":
        payload = xlsx_bytes(framework)
    else:
        data = framework.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        if fmt == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            import yaml

            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        payload = text.encode("utf-8")
    atomic_write(path, payload, data_dir=data_dir)


def write_template(path: Path, fmt: str, data_dir: Path) -> None:
    """The fill-in spreadsheet template (a small example ladder) as XLSX or CSV."""
    if fmt not in {"xlsx", "csv"}:
        raise FrameworkError(f"The template's format is xlsx or csv, not '{fmt}'.")
    write_framework(template_framework(), path, fmt, data_dir)


def framework_schema() -> dict[str, Any]:
    """The JSON Schema of the framework file format, for people writing their own ladders."""
    schema = Framework.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Rung role framework"
    return schema
