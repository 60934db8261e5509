"""Frameworks as spreadsheets: one sheet (or CSV file) per part of the model.

The layout is a table per part — `Framework` (field, value), `Levels`,
`Rating scale`, `Dimensions`, `Criticalities`, `Verdict bands`, `Skills` (one
expected-rating column per level, headed by the level's id), `Responsibilities`,
`Milestones`, `KPIs`, `KPI targets`, `Promotion criteria`, `Cautions` — plus an
`Instructions` sheet that is never read. Row 1 holds the column names; an empty
cell means "not given". Lists are written in one cell: a skill's examples one per
line, a criterion's skills separated by commas.

Reading is bounded and never trusts the file: an XLSX is a ZIP whose entries
and uncompressed sizes are checked before openpyxl opens it (read-only mode,
with `defusedxml` installed, formulas not evaluated: a formula cell is an
error naming the cell), macros and password protection are refused, and only
the visible sheets the layout names are read. Every problem names the sheet,
the row and the column ("Skills, row 14, column 'senior': ...").
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import FrameworkError
from app.framework.limits import MAX_FILE_BYTES, text_too_large
from app.framework.loader import _describe, _document_loc  # one wording for every format
from app.framework.model import Framework, FrameworkProblems, Loc

MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all entries together
MAX_ROWS = 20_000  # per sheet
MAX_COLUMNS = 100

Cell = str | None
Table = list[tuple[int, dict[str, Cell]]]  # (row number, column → text)


@dataclass(frozen=True)
class Part:
    """One sheet of the layout: its name, its CSV file, the model list it fills, its columns."""

    sheet: str
    field: str
    columns: tuple[str, ...]
    help: str

    @property
    def csv_name(self) -> str:
        return self.sheet.lower().replace(" ", "-") + ".csv"


LEVELS_HELP = "one column per level, headed by the level's id (see Levels)"

PARTS: tuple[Part, ...] = (
    Part(
        "Framework",
        "",
        ("field", "value"),
        "One row per field: id, version, name, description, source. id and version "
        "name this ladder (ID@VERSION); a changed ladder needs a new version.",
    ),
    Part(
        "Levels",
        "levels",
        ("id", "name", "description"),
        "The levels from the most junior (first row) to the most senior.",
    ),
    Part(
        "Rating scale",
        "rating_scale",
        ("value", "label", "anchor"),
        "The rating scale: values 0, 1, 2, … in order, each with a label and the "
        "behaviour that earns it.",
    ),
    Part(
        "Dimensions",
        "dimensions",
        ("id", "name", "weight", "description", "source"),
        "Weighted areas of the role; the weights are whole numbers that add up to 100.",
    ),
    Part(
        "Criticalities",
        "criticalities",
        ("id", "name", "weight", "critical"),
        "How much a skill weighs in its dimension; critical: yes holds the verdict back "
        "while such a skill is below its expectation.",
    ),
    Part(
        "Verdict bands",
        "verdict_bands",
        ("id", "name", "from", "ready"),
        "Verdicts by readiness: the first starts at 0, each next one higher; exactly one "
        "has ready: yes.",
    ),
    Part(
        "Skills",
        "skills",
        (
            "id",
            "name",
            "dimension",
            "category",
            "criticality",
            "description",
            "use",
            "examples",
            "why_it_matters",
            "on_the_job",
            "strong_performance",
            "seed_note",
            "source",
        ),
        "category is must-have, good-to-have, advanced, emerging or soft; examples one "
        f"per line; then {LEVELS_HELP}, holding the expected rating (0 = not expected).",
    ),
    Part(
        "Responsibilities",
        "responsibilities",
        ("id", "group", "title", "text", "source"),
        "What the role does, shown for context.",
    ),
    Part(
        "Milestones",
        "milestones",
        ("id", "horizon", "title", "source"),
        "Goals counted from the role start date; horizon is 30d, 60d, 90d, 6m or 12m.",
    ),
    Part(
        "KPIs",
        "kpis",
        ("id", "name", "measures", "why", "cadence", "unit", "target_text", "source"),
        "cadence is weekly, monthly, quarterly or per-release; each KPI needs at least "
        "one row in KPI targets.",
    ),
    Part(
        "KPI targets",
        "",
        (
            "kpi",
            "kind",
            "comparator",
            "value",
            "low",
            "high",
            "unit",
            "direction",
            "window_months",
            "text",
        ),
        "One row per target of a KPI: kind threshold (comparator <, <=, >, >=, = and "
        "value), range (low, high), trend (direction up or down, window_months) or "
        "qualitative (text).",
    ),
    Part(
        "Promotion criteria",
        "promotion_criteria",
        ("id", "step", "text", "skills", "source"),
        "step is the level the criterion leads to (empty: the second level); skills are "
        "skill ids separated by commas.",
    ),
    Part(
        "Cautions",
        "",
        ("kind", "id", "text", "source"),
        "Anti-patterns and red flags: kind is anti-pattern or red-flag.",
    ),
)
PART = {part.sheet: part for part in PARTS}
FRAMEWORK_FIELDS = ("id", "version", "name", "description", "source")
INSTRUCTIONS = "Instructions"
README_CSV = "README.txt"
_BOOLEAN = {"critical", "ready"}
_CAUTIONS = {"anti-pattern": "anti_patterns", "red-flag": "red_flags"}


def instructions() -> list[str]:
    """The Instructions sheet (and the CSV folder's README), line by line."""
    lines = [
        "A Rung role framework (career ladder) as a spreadsheet.",
        "Fill in the sheets below and import the file with `rung frameworks import FILE` "
        "or in the app's Frameworks section. Row 1 of each sheet holds the column names; "
        "keep them. An empty cell means 'not given'. Formulas, macros and hidden sheets "
        "are not read. yes/no columns take yes or no.",
        "",
    ]
    for part in PARTS:
        lines.append(f"{part.sheet}: {', '.join(part.columns)}. {part.help}")
    return lines


# -- writing --------------------------------------------------------------------------------


def _text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def framework_tables(framework: Framework) -> dict[str, list[list[Any]]]:
    """The framework as rows per sheet, header first; defaults left empty."""
    data = framework.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    levels = [level["id"] for level in data["levels"]]
    tables: dict[str, list[list[Any]]] = {}
    for part in PARTS:
        columns = list(part.columns) + (levels if part.sheet == "Skills" else [])
        rows: list[list[Any]] = [columns]
        if part.sheet == "Framework":
            rows += [[name, data[name]] for name in FRAMEWORK_FIELDS if name in data]
        elif part.sheet == "KPI targets":
            for kpi in data.get("kpis", []):
                for target in kpi["targets"]:
                    rows.append([kpi["id"], *(target.get(c) for c in part.columns[1:])])
        elif part.sheet == "Cautions":
            for kind, field in _CAUTIONS.items():
                rows += [[kind, *(item.get(c) for c in part.columns[1:])]
                         for item in data.get(field, [])]  # fmt: skip
        else:
            for item in data.get(part.field, []):
                row = []
                for column in part.columns:
                    value = item.get(column)
                    if column == "examples" and value:
                        value = "\n".join(value)
                    elif column == "skills":
                        value = ", ".join(value)
                    row.append(_text(value))
                if part.sheet == "Skills":
                    row += [item["expected"].get(level) for level in levels]
                rows.append(row)
        tables[part.sheet] = rows
    return tables


def xlsx_bytes(framework: Framework) -> bytes:
    """The framework as an XLSX workbook: Instructions first, then one sheet per part."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = INSTRUCTIONS
    for line in instructions():
        sheet.append([line])
    sheet.column_dimensions["A"].width = 120
    for name, rows in framework_tables(framework).items():
        sheet = book.create_sheet(name)
        for row in rows:
            # Text is written as text: a value such as "=x" or "1.0" must not turn into
            # a formula or a number when the file is opened and saved again.
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if "\n" in cell.value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_files(framework: Framework) -> dict[str, bytes]:
    """The framework as CSV files (UTF-8, comma-separated), one per part, and a README."""
    files = {README_CSV: ("\n".join(instructions()) + "\n").encode("utf-8")}
    for name, rows in framework_tables(framework).items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows([["" if v is None else _text(v) for v in row] for row in rows])
        files[PART[name].csv_name] = buffer.getvalue().encode("utf-8")
    return files


def write_csv_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Create `folder` holding `files`, all at once: a folder made beside it, then renamed."""
    parent = folder.parent
    if not parent.is_dir():
        raise FrameworkError(f"The folder {parent} does not exist; nothing was written.")
    if folder.exists():
        raise FrameworkError(f"{folder} already exists; CSV export makes a new folder.")
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        for name, data in files.items():
            fd = os.open(temporary / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        os.rename(temporary, folder)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


# -- reading --------------------------------------------------------------------------------


def _cell_text(value: Any) -> Cell:
    """A cell as text: numbers as people write them, empty text as not given."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if text.strip() else None


def _check_text(text: str, where: str) -> None:
    if text.isprintable():
        return
    for char in text:
        if char not in "\t\n" and unicodedata.category(char) == "Cc":
            raise FrameworkError(
                f"{where}: the text holds the control character U+{ord(char):04X}; "
                "only tabs and line breaks are allowed."
            )


def _table(name: str, sheet: str, rows: Iterator[Sequence[tuple[Any, str, str]]]) -> Table:
    """Rows of (value, data type, coordinate) cells as a table keyed by the header."""
    header: list[str | None] = []
    table: Table = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise FrameworkError(f"{name}: {sheet} has more than {MAX_ROWS} rows.")
        if len(row) > MAX_COLUMNS:
            cells = [c for c in row[MAX_COLUMNS:] if c[0] is not None]
            if cells:
                raise FrameworkError(
                    f"{name}: {sheet}, cell {cells[0][2]}: a sheet has at most "
                    f"{MAX_COLUMNS} columns."
                )
            row = row[:MAX_COLUMNS]
        values: list[Cell] = []
        for value, kind, coordinate in row:
            if kind == "f":
                raise FrameworkError(
                    f"{name}: {sheet}, cell {coordinate}: holds a formula; Rung reads values "
                    "only, so type the value itself."
                )
            text = _cell_text(value)
            if text is not None:
                _check_text(text, f"{name}: {sheet}, cell {coordinate}")
            values.append(text)
        if number == 1:
            header = [v.strip() if v else None for v in values]
            continue
        record: dict[str, Cell] = {}
        for index, text in enumerate(values):
            column = header[index] if index < len(header) else None
            if text is None:
                continue
            if column is None:
                raise FrameworkError(
                    f"{name}: {sheet}, row {number}, column {index + 1}: a value in a column "
                    "with no name in row 1."
                )
            record[column] = text
        if record:
            table.append((number, record))
    if not header:
        raise FrameworkError(f"{name}: {sheet} is empty; row 1 must hold the column names.")
    seen: set[str] = set()
    for column in header:
        if column is not None and column in seen:
            raise FrameworkError(f"{name}: {sheet}: the column '{column}' appears twice.")
        if column is not None:
            seen.add(column)
    return table


def _check_zip(path: io.BytesIO, name: str) -> None:
    """Refuse what openpyxl should never open: too big, not an XLSX, protected, with macros."""
    if path.getvalue()[:4] == b"\xd0\xcf\x11\xe0":
        raise FrameworkError(
            f"{name}: the workbook is password-protected or in the old .xls format; "
            "save it as an unprotected .xlsx workbook."
        )
    if not zipfile.is_zipfile(path):
        raise FrameworkError(f"{name}: this is not an XLSX workbook.")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FrameworkError(f"{name}: the workbook is damaged ({exc}).") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise FrameworkError(f"{name}: the workbook holds more than {MAX_ZIP_ENTRIES} parts.")
    names = {entry.filename for entry in entries}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise FrameworkError(f"{name}: the workbook holds macros; save it as a plain .xlsx.")
    if "xl/workbook.xml" not in names:
        raise FrameworkError(f"{name}: this is not an XLSX workbook (no xl/workbook.xml).")
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise FrameworkError(f"{name}: the workbook is encrypted.")
        total += entry.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise FrameworkError(
                f"{name}: the workbook unpacks to more than "
                f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MiB, too large for a framework."
            )


def read_xlsx(path: Path) -> dict[str, Table]:
    """The visible sheets of the layout, as tables (read once into memory: what is checked
    is what is read, and no file stays open)."""
    name = path.name
    if path.stat().st_size > MAX_FILE_BYTES:
        raise FrameworkError(f"{name}: the file is larger than 5 MiB, too large for a framework.")
    content = io.BytesIO(path.read_bytes())
    _check_zip(content, name)
    import openpyxl

    try:
        book = openpyxl.load_workbook(content, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise FrameworkError(f"{name}: the workbook cannot be read ({exc}).") from None
    try:
        tables: dict[str, Table] = {}
        for sheet in book.worksheets:
            if sheet.title not in PART or sheet.sheet_state != "visible":
                continue
            rows = (
                tuple((c.value, c.data_type, getattr(c, "coordinate", "?")) for c in row)
                for row in sheet.iter_rows()
            )
            tables[sheet.title] = _table(name, sheet.title, rows)
        return tables
    except FrameworkError:
        raise
    except Exception as exc:
        raise FrameworkError(f"{name}: the workbook cannot be read ({exc}).") from None
    finally:
        book.close()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_csv_folder(folder: Path) -> dict[str, Table]:
    """The CSV files of the layout in `folder`, as tables (a missing file is a missing sheet)."""
    name = folder.name
    total = 0
    tables: dict[str, Table] = {}
    for part in PARTS:
        path = folder / part.csv_name
        if not path.is_file():
            continue
        total += path.stat().st_size
        if total > MAX_FILE_BYTES:
            raise FrameworkError(f"{name}: the CSV files are larger than 5 MiB together.")
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FrameworkError(
                f"{name}/{part.csv_name}: the file is not UTF-8 text (byte {exc.start})."
            ) from None
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise FrameworkError(f"{name}/{part.csv_name}: not a valid CSV file ({exc}).") from None
        cells = (
            tuple((v, "s", f"{_column_letter(i)}{n}") for i, v in enumerate(row))
            for n, row in enumerate(rows, start=1)
        )
        tables[part.sheet] = _table(name, part.sheet, cells)
    return tables


class _Places:
    """Where each value of the assembled document came from: (sheet, row, column)."""

    def __init__(self) -> None:
        self.cells: dict[Loc, tuple[str, int, str | None]] = {}

    def put(self, loc: Loc, sheet: str, row: int, column: str | None) -> None:
        self.cells[loc] = (sheet, row, column)

    def describe(self, loc: Loc) -> str:
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.cells:
                sheet, row, column = self.cells[loc[:end]]
                if not row:
                    return sheet
                where = f"{sheet}, row {row}"
                return f"{where}, column '{column}'" if column else where
        return "Framework"


def _assemble(name: str, tables: dict[str, Table]) -> tuple[dict[str, Any], _Places]:
    """The framework document the model validates, and where each value came from."""
    places = _Places()
    for required in ("Framework", "Levels", "Rating scale", "Dimensions", "Criticalities",
                     "Verdict bands", "Skills"):  # fmt: skip
        if required not in tables:
            raise FrameworkError(f"{name}: the sheet '{required}' is missing (or hidden).")
    data: dict[str, Any] = {}
    for row, record in tables["Framework"]:
        _known_columns(name, "Framework", row, record, PART["Framework"].columns)
        field = record.get("field")
        if field not in FRAMEWORK_FIELDS:
            raise FrameworkError(
                f"{name}: Framework, row {row}, column 'field': '{field}' is not one of "
                f"{', '.join(FRAMEWORK_FIELDS)}."
            )
        if field in data:
            raise FrameworkError(f"{name}: Framework, row {row}: '{field}' is given twice.")
        if "value" in record:
            data[field] = record["value"]
            places.put((field,), "Framework", row, "value")
    levels = [record.get("id") for _, record in tables["Levels"]]
    targets: dict[str, list[tuple[int, dict[str, Cell]]]] = {}
    for row, record in tables.get("KPI targets", []):
        _known_columns(name, "KPI targets", row, record, PART["KPI targets"].columns)
        targets.setdefault(record.get("kpi") or "", []).append((row, record))
    for part in PARTS:
        if not part.field:
            continue
        items: list[dict[str, Any]] = []
        extra = tuple(level for level in levels if level) if part.sheet == "Skills" else ()
        places.put((part.field,), part.sheet, 0, None)
        for row, record in tables.get(part.sheet, []):
            _known_columns(name, part.sheet, row, record, part.columns + extra)
            loc: Loc = (part.field, len(items))
            places.put(loc, part.sheet, row, None)
            item: dict[str, Any] = {}
            for column, text in record.items():
                if text is None:
                    continue
                if column in extra:
                    item.setdefault("expected", {})[column] = text.strip()
                    places.put((*loc, "expected", column), part.sheet, row, column)
                    continue
                places.put((*loc, column), part.sheet, row, column)
                if column == "examples":
                    item[column] = [line.strip() for line in text.split("\n") if line.strip()]
                elif column == "skills":
                    item[column] = [s.strip() for s in text.split(",") if s.strip()]
                else:
                    item[column] = text.strip() if column in {"id", "weight", "value"} else text
            if part.sheet == "Skills":
                places.put((*loc, "expected"), part.sheet, row, None)
                item.setdefault("expected", {})
            if part.sheet == "KPIs":
                kpi_targets: list[dict[str, Cell]] = []
                for target_row, target in targets.pop(item.get("id") or "", []):
                    target_loc = (*loc, "targets", len(kpi_targets))
                    places.put(target_loc, "KPI targets", target_row, None)
                    for column in target:
                        places.put((*target_loc, column), "KPI targets", target_row, column)
                    kpi_targets.append({k: v for k, v in target.items() if k != "kpi"})
                item["targets"] = kpi_targets
            items.append(item)
        data[part.field] = items
    for kpi, rows in targets.items():
        raise FrameworkError(
            f"{name}: KPI targets, row {rows[0][0]}, column 'kpi': no KPI has the id '{kpi}'."
        )
    for field in _CAUTIONS.values():
        data[field] = []
    for row, record in tables.get("Cautions", []):
        _known_columns(name, "Cautions", row, record, PART["Cautions"].columns)
        kind = record.get("kind")
        if kind is None or kind not in _CAUTIONS:
            raise FrameworkError(
                f"{name}: Cautions, row {row}, column 'kind': write anti-pattern or red-flag"
                f"{f' (not {kind!r})' if kind else ''}."
            )
        field = _CAUTIONS[kind]
        loc = (field, len(data[field]))
        places.put(loc, "Cautions", row, None)
        for column in record:
            places.put((*loc, column), "Cautions", row, column)
        data[field].append({k: v for k, v in record.items() if k != "kind"})
    for field in ("critical", "ready"):
        _booleans(name, data, field, places)
    return data, places


def _booleans(name: str, data: dict[str, Any], column: str, places: _Places) -> None:
    field = "criticalities" if column == "critical" else "verdict_bands"
    for index, item in enumerate(data.get(field, [])):
        if column not in item:
            continue
        text = str(item[column]).strip().lower()
        if text in {"yes", "true", "y", "1"}:
            item[column] = True
        elif text in {"no", "false", "n", "0"}:
            item[column] = False
        else:
            where = places.describe((field, index, column))
            raise FrameworkError(f"{name}: {where}: write yes or no, not '{item[column]}'.")


def _known_columns(
    name: str, sheet: str, row: int, record: dict[str, Cell], columns: Sequence[str]
) -> None:
    for column in record:
        if column not in columns:
            hint = " (a level id, as in Levels, or a column of the template)" if (
                sheet == "Skills") else ""  # fmt: skip
            raise FrameworkError(
                f"{name}: {sheet}, row {row}, column '{column}': unknown column{hint}."
            )


def framework_from_tables(name: str, tables: dict[str, Table]) -> Framework:
    """Validate the tables as a framework; each problem names its sheet, row and column."""
    data, places = _assemble(name, tables)
    count = sum(
        len(text or "") for table in tables.values() for _, r in table for text in r.values()
    )
    text_too_large(count, name, aliases=False)
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        problems = [_validation_problem(dict(e), data, places) for e in exc.errors()]
        raise _problems_error(name, problems) from None
    except FrameworkProblems as exc:
        problems = [f"{places.describe(loc)}: {msg}" for loc, msg in exc.problems]
        raise _problems_error(name, problems) from None


def _validation_problem(error: dict[str, Any], data: dict[str, Any], places: _Places) -> str:
    """Where a validation error is and what it is; an empty required cell names its column."""
    loc = _document_loc(tuple(error["loc"]), data)
    where = places.describe(loc)
    if error["type"] == "missing" and loc and isinstance(loc[-1], str) and "column" not in where:
        return f"{where}, column '{loc[-1]}': this required value is empty"
    return f"{where}: {_describe(error)}"


def _problems_error(name: str, problems: list[str]) -> FrameworkError:
    """One sentence naming the first five problems; every one of them in `problems`."""
    more = f" (and {len(problems) - 5} more problems)" if len(problems) > 5 else ""
    return FrameworkError(f"{name}: " + "; ".join(problems[:5]) + more + ".", problems)


def load_spreadsheet(path: Path) -> Framework:
    """Read an `.xlsx` workbook or a folder of CSV files."""
    try:
        if path.is_dir():
            return framework_from_tables(path.name, read_csv_folder(path))
        return framework_from_tables(path.name, read_xlsx(path))
    except FileNotFoundError:
        raise FrameworkError(f"{path}: no such file.") from None
    except PermissionError:
        raise FrameworkError(f"{path}: cannot be read (permission denied).") from None


def is_spreadsheet(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".csv"}


def load_any_framework(path: Path) -> Framework:
    """A framework from YAML, JSON, an XLSX workbook or a folder of CSV files."""
    from app.framework.loader import load_framework_file

    suffix = path.suffix.lower()
    if suffix == ".csv":
        raise FrameworkError(
            f"{path.name}: a CSV framework is a folder of files, one per part; import the folder."
        )
    if suffix in {".xls", ".xlsm"}:
        raise FrameworkError(
            f"{path.name}: save the workbook as .xlsx (no macros, not the old .xls format)."
        )
    if path.is_dir() or suffix == ".xlsx":
        return load_spreadsheet(path)
    if suffix not in {".yaml", ".yml", ".json"}:
        raise FrameworkError(
            f"{path.name}: a framework is a .yaml, .yml, .json or .xlsx file, or a folder of "
            "CSV files."
        )
    return load_framework_file(path)


def template_framework() -> Framework:
    """A small, valid ladder to overwrite: the fill-in template."""
    scale = [
        (0, "No exposure", "Has not done this yet."),
        (1, "Learning", "Does it with close guidance."),
        (2, "With guidance", "Does scoped tasks correctly with occasional guidance."),
        (3, "Independent", "Does it independently and reliably; others depend on the result."),
        (4, "Leads and teaches", "Leads the work, coaches others and improves the standard."),
    ]
    source = "Your company's ladder"
    return Framework.model_validate(
        {
            "id": "my-company-ladder",
            "version": "1.0",
            "name": "My company's ladder",
            "description": "Replace the example rows with your own ladder.",
            "levels": [
                {"id": "engineer-1", "name": "Engineer I"},
                {"id": "engineer-2", "name": "Engineer II"},
                {"id": "senior-engineer", "name": "Senior Engineer"},
            ],
            "rating_scale": [{"value": v, "label": label, "anchor": a} for v, label, a in scale],
            "dimensions": [
                {"id": "craft", "name": "Craft", "weight": 60, "source": source},
                {"id": "collaboration", "name": "Collaboration", "weight": 40, "source": source},
            ],
            "criticalities": [
                {"id": "critical", "name": "Critical", "weight": 3, "critical": True},
                {"id": "important", "name": "Important", "weight": 2},
                {"id": "optional", "name": "Optional", "weight": 1},
            ],
            "verdict_bands": [
                {"id": "not-yet", "name": "Not yet", "from": 0},
                {"id": "approaching", "name": "Approaching", "from": 70},
                {"id": "ready", "name": "Ready", "from": 85, "ready": True},
            ],
            "skills": [
                {
                    "id": "code-quality", "name": "Code quality", "dimension": "craft",
                    "category": "must-have", "criticality": "critical",
                    "description": "Readable, tested code that others can change safely.",
                    "strong_performance": "Reviews of their changes are short.",
                    "expected": {"engineer-1": 2, "engineer-2": 3, "senior-engineer": 4},
                    "source": source,
                },
                {
                    "id": "written-communication", "name": "Written communication",
                    "dimension": "collaboration", "category": "soft",
                    "criticality": "important",
                    "description": "Clear pull requests, design notes and updates.",
                    "examples": ["Pull request descriptions", "Design notes"],
                    "expected": {"engineer-1": 2, "engineer-2": 3, "senior-engineer": 3},
                    "source": source,
                },
            ],
            "milestones": [
                {"id": "first-change", "horizon": "30d",
                 "title": "Ship a first small change to production.", "source": source},
            ],
            "kpis": [
                {
                    "id": "cycle-time", "name": "Cycle time", "measures": "Start to merge",
                    "why": "Shows bottlenecks", "cadence": "monthly", "unit": "days",
                    "targets": [{"kind": "threshold", "comparator": "<", "value": 5,
                                 "unit": "days"}],
                    "target_text": "Under 5 days", "source": source,
                },
            ],
            "promotion_criteria": [
                {"id": "owns-a-component", "step": "engineer-2",
                 "text": "Owns a component end to end.",
                 "skills": ["code-quality", "written-communication"], "source": source},
            ],
            "anti_patterns": [
                {"id": "big-bang-changes", "text": "Large changes nobody can review.",
                 "source": source},
            ],
        }
    )  # fmt: skip
