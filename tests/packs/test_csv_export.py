"""`export csv`: one UTF-8-with-BOM file per form and repeat, the same tables as the workbook."""

from __future__ import annotations

import csv

import pytest

from fieldkit.packs.collect import form_exports
from fieldkit.packs.csv_export import write_csv_tables
from fieldkit.packs.formdata import ExportOptions
from fieldkit.packs.progress import ExportCancelled
from tests.packs.conftest import SECRET_NAMES


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_one_file_per_form_and_repeat_with_bom(filled_project, tmp_path):
    forms, _ = form_exports(filled_project)
    files = write_csv_tables(tmp_path / "out", forms)
    assert [f.name for f in files] == ["household.csv", "household-kids.csv"]
    raw = files[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read(files[0])
    assert len(rows) == 3
    assert {r["site"] for r in rows} == {"Łódź", "Zoë's Quarter"}
    first = next(r for r in rows if r["age"] == "41")
    assert first["visit"] == "2026-10-02" and first["help/food"] == "1"
    assert "full_name" not in rows[0]
    assert SECRET_NAMES[0] not in raw.decode("utf-8-sig")
    kids = read(files[1])
    assert {k["parent_uuid"] for k in kids} == {first["uuid"]}


def test_personal_data_only_when_asked(filled_project, tmp_path):
    forms, _ = form_exports(filled_project, options=ExportOptions(include_personal_data=True))
    files = write_csv_tables(tmp_path, forms)
    assert SECRET_NAMES[0] in files[0].read_text(encoding="utf-8-sig")


def test_cancel_leaves_nothing(filled_project, tmp_path):
    forms, _ = form_exports(filled_project)
    with pytest.raises(ExportCancelled):
        write_csv_tables(tmp_path / "out", forms, cancel=lambda: True)
    assert list((tmp_path / "out").iterdir()) == []
