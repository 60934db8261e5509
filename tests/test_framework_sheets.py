"""Frameworks as spreadsheets: the template, export and import in XLSX and CSV.

A built-in ladder exported and imported again has the same hash; an edited cell
is seen; each kind of bad row is named by sheet, row and column; hostile
workbooks are refused before openpyxl reads them, with the data folder unchanged.
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import FrameworkError
from app.framework.loader import framework_hash
from app.framework.sheets import load_any_framework
from app.services import Services
from tests.conftest import folder_digest
from tests.helpers import Run, assert_failed, assert_ok

LADDERS = ["ml-engineer@1.0", "ml-engineer@1.1", "software-engineer@1.0"]


@pytest.mark.parametrize("ref", LADDERS)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_builtin_exported_and_imported_keeps_its_hash(
    services: Services, tmp_path: Path, ref: str, fmt: str
) -> None:
    out = tmp_path / ("ladder.xlsx" if fmt == "xlsx" else "ladder")
    info = services.frameworks.export_file(ref, out, fmt if fmt == "csv" else None)
    assert framework_hash(load_any_framework(out)) == info.hash
    again, created = services.frameworks.import_file(out)
    assert (again.ref, again.hash, created) == (ref, info.hash, False)


def _edit(path: Path, sheet: str, cell: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def test_an_edited_cell_changes_the_ladder(services: Services, tmp_path: Path) -> None:
    out = tmp_path / "se.xlsx"
    info = services.frameworks.export_file("software-engineer", out)
    _edit(out, "Framework", "B4", "Our engineering ladder")  # the name
    edited = load_any_framework(out)
    assert edited.name == "Our engineering ladder"
    assert framework_hash(edited) != info.hash
    with pytest.raises(FrameworkError, match="bump the version"):
        services.frameworks.import_file(out)
    _edit(out, "Framework", "B3", "1.1")  # the version
    stored, created = services.frameworks.import_file(out)
    assert (stored.ref, created) == ("software-engineer@1.1", True)


def test_cli_template_then_a_hand_filled_copy_imports(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ladder.xlsx"
    assert_ok(rung("--data-dir", data, "frameworks", "template", "--format", "xlsx", out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Instructions"
    assert {"Levels", "Skills", "KPI targets", "Cautions"} <= set(book.sheetnames)
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
    result = rung("--data-dir", data, "frameworks", "import", out)
    assert_ok(result)
    assert result.out == "Imported my-company-ladder@2026.1.\n"
    shown = rung("--data-dir", data, "frameworks", "show", "my-company-ladder", "--json").json()
    assert [s["id"] for s in shown["skills"]] == [
        "code-quality",
        "written-communication",
        "testing",
    ]


def test_cli_export_by_extension_and_format(rung: Run, data: Path, tmp_path: Path) -> None:
    assert_ok(rung("--data-dir", data, "frameworks", "export", "software-engineer",
                   tmp_path / "se.xlsx"))  # fmt: skip
    assert zipfile.is_zipfile(tmp_path / "se.xlsx")
    assert_ok(rung("--data-dir", data, "frameworks", "export", "software-engineer",
                   tmp_path / "se", "--format", "csv"))  # fmt: skip
    assert (tmp_path / "se" / "skills.csv").is_file()
    again = rung("--data-dir", data, "frameworks", "export", "software-engineer",
                 tmp_path / "se", "--format", "csv")  # fmt: skip
    assert_failed(again, 1, "already exists")
    assert_failed(rung("--data-dir", data, "frameworks", "export", "software-engineer",
                       tmp_path / "se.txt"), 1, "--format")  # fmt: skip
    inside = rung("--data-dir", data, "frameworks", "export", "software-engineer",
                  data / "x.xlsx")  # fmt: skip
    assert_failed(inside, 1, "Rung's own data")


@pytest.fixture
def exported(services: Services, tmp_path: Path) -> Path:
    out = tmp_path / "se.xlsx"
    services.frameworks.export_file("software-engineer", out)
    return out


def _skills_column(path: Path, name: str) -> str:
    header = [c.value for c in openpyxl.load_workbook(path)["Skills"][1]]
    return openpyxl.utils.get_column_letter(header.index(name) + 1)


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "message"),
    [
        ("Skills", "senior-software-engineer:14", 5,
         "Skills, row 14, column 'senior-software-engineer': the expected rating 5 is "
         "outside the scale 0–4"),
        ("Skills", "dimension:3", "nowhere",
         "Skills, row 3, column 'dimension': no dimension has the id 'nowhere'"),
        ("Skills", "category:4", "vital", "Skills, row 4, column 'category': input should be"),
        ("Skills", "id:5", "code-quality", "Skills, row 5, column 'id': the id 'code-quality' "
         "is already used"),
        ("Skills", "B3", "=A1", "Skills, cell B3: holds a formula"),
        ("Dimensions", "C2", 26, "Dimensions: the dimension weights add up to 101, not 100"),
        ("Dimensions", "C3", "heavy", "Dimensions, row 3, column 'weight': input should be"),
        ("Promotion criteria", "D2", "code-quality, nope",
         "Promotion criteria, row 2, column 'skills': no skill has the id 'nope'"),
        ("Criticalities", "D2", "maybe",
         "Criticalities, row 2, column 'critical': write yes or no"),
        ("KPI targets", "A2", "no-such-kpi", "KPI targets, row 2, column 'kpi': no KPI has the id"),
        ("Cautions", "A2", "warning",
         "Cautions, row 2, column 'kind': write anti-pattern or red-flag"),
        ("Levels", "D1", "colour", "Levels, row 2, column 'colour': unknown column"),
        ("Milestones", "B2", "2y", "Milestones, row 2, column 'horizon': input should be"),
    ],
)  # fmt: skip
def test_each_kind_of_bad_row_names_sheet_row_and_column(
    exported: Path, sheet: str, cell: str, value: object, message: str
) -> None:
    if ":" in cell:
        column, row = cell.split(":")
        cell = f"{_skills_column(exported, column)}{row}"
    if sheet == "Levels" and cell == "D1":
        _edit(exported, sheet, "D2", "blue")
    _edit(exported, sheet, cell, value)
    with pytest.raises(FrameworkError) as caught:
        load_any_framework(exported)
    assert str(caught.value).startswith(f"se.xlsx: {message}"), str(caught.value)


def test_a_hidden_or_missing_sheet_is_not_read(exported: Path) -> None:
    book = openpyxl.load_workbook(exported)
    book["Skills"].sheet_state = "hidden"
    book.save(exported)
    with pytest.raises(FrameworkError, match="the sheet 'Skills' is missing \\(or hidden\\)"):
        load_any_framework(exported)


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
         "password-protected or in the old .xls format"),
        (lambda p: p.write_text("id,name\n", encoding="utf-8"), "this is not an XLSX workbook"),
        (lambda p: _zip(p, {"hello.txt": b"hi"}), "no xl/workbook.xml"),
        (lambda p: _zip(p, {"xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"x"}),
         "holds macros"),
        (lambda p: _zip(p, {"xl/workbook.xml": b"<x/>", "xl/big.xml": bytes(60 * 1024 * 1024)}),
         "unpacks to more than 50 MiB"),
        (lambda p: _zip(p, {"xl/workbook.xml": b"<x/>", **{f"f{i}": b"" for i in range(600)}}),
         "more than 500 parts"),
        (lambda p: p.write_bytes(bytes(6 * 1024 * 1024)), "larger than 5 MiB"),
        (lambda p: _zip(p, {"xl/workbook.xml": b"<not-closed", "[Content_Types].xml": b"<"}),
         "cannot be read"),
    ],
)  # fmt: skip
def test_hostile_workbooks_are_refused_with_the_data_folder_unchanged(
    rung: Run, data: Path, tmp_path: Path, build: object, message: str
) -> None:
    assert_ok(rung("--data-dir", data, "frameworks", "list"))
    before = folder_digest(data)
    path = tmp_path / "hostile.xlsx"
    build(path)  # type: ignore[operator]
    result = rung("--data-dir", data, "frameworks", "import", path)
    assert_failed(result, 1, message)
    assert folder_digest(data) == before


def test_csv_folder_errors_name_the_sheet_row_and_column(
    services: Services, tmp_path: Path
) -> None:
    out = tmp_path / "se"
    services.frameworks.export_file("software-engineer", out, "csv")
    rows = list(csv.reader(io.StringIO((out / "milestones.csv").read_text(encoding="utf-8"))))
    rows[2][0] = "Not An Id"
    rows[3][2] = "Ring the bell\x07"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (out / "milestones.csv").write_text(buffer.getvalue(), encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"^se: Milestones, cell C4: the text holds the "
                       r"control character U\+0007"):  # fmt: skip
        load_any_framework(out)
    rows[3][2] = "Ring the bell"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (out / "milestones.csv").write_text(buffer.getvalue(), encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"^se: Milestones, row 3, column 'id': use lowercase"):
        load_any_framework(out)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=2048))
def test_any_bytes_named_xlsx_give_a_framework_error_or_a_framework(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(content)
    with pytest.raises(FrameworkError):
        load_any_framework(path)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(st.text(max_size=20), max_size=6), max_size=6))
def test_any_csv_levels_give_a_framework_error_or_a_framework(
    tmp_path: Path, rows: list[list[str]]
) -> None:
    folder = tmp_path / "ladder"
    if not folder.exists():
        from app.framework.sheets import csv_files, template_framework

        folder.mkdir()
        for name, content in csv_files(template_framework()).items():
            (folder / name).write_bytes(content)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / "levels.csv").write_text(buffer.getvalue(), encoding="utf-8")
    with contextlib.suppress(FrameworkError):
        load_any_framework(folder)


def test_a_preview_reads_without_storing_and_lists_every_problem(
    services: Services, tmp_path: Path, data_dir: Path
) -> None:
    out = tmp_path / "se.xlsx"
    services.frameworks.export_file("software-engineer", out)
    _edit(out, "Framework", "B3", "1.1")
    before = folder_digest(data_dir)
    preview = services.frameworks.preview_import(out)
    assert preview.framework is not None
    assert (preview.framework.ref, preview.new, preview.problems) == (
        "software-engineer@1.1",
        True,
        [],
    )
    book = openpyxl.load_workbook(out)
    book["Skills"]["B3"] = None  # a required name left empty
    for row in range(4, 11):  # and more problems than the sentence names
        book["Skills"][f"{_skills_column(out, 'category')}{row}"] = "vital"
    book.save(out)
    bad = services.frameworks.preview_import(out)
    assert bad.framework is None
    assert bad.problems[0] == "Skills, row 3, column 'name': this required value is empty"
    with pytest.raises(FrameworkError, match=r"\(and \d+ more problems\)") as raised:
        load_any_framework(out)
    assert raised.value.problems == bad.problems
    assert folder_digest(data_dir) == before
    assert "software-engineer@1.1" not in {info.ref for info in services.frameworks.all()}


def test_an_unknown_kind_of_file_names_every_kind_import_reads(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "ladder.txt"
    path.write_text("id: x\n", encoding="utf-8")
    result = rung("--data-dir", data, "frameworks", "import", path)
    assert result.code == 1
    assert result.err == (
        "rung: ladder.txt: a framework is a .yaml, .yml, .json or .xlsx file, or a folder of "
        "CSV files.\n"
    )
