"""select_*_from_file: the CSV beside the form, and the same choices once a project keeps the form."""

from __future__ import annotations

import pytest

from fieldkit.forms.load import attached_files, from_file_names, load_form

CSV = "name,label,region\nman,Manchester,nw\nsal,Salford,nw\n"


@pytest.fixture
def csv_form(write_form, tmp_path):
    path = write_form(
        ["type", "name", "label"],
        [["select_one_from_file towns.csv", "town", "Town"]],
        settings={"form_id": "towns", "version": "1"},
    )
    (tmp_path / "towns.csv").write_text(CSV, encoding="utf-8")
    return path


def test_choices_read_from_the_csv_beside_the_form(csv_form):
    form = load_form(csv_form)
    towns = form.choices["towns.csv"]
    assert [c.name for c in towns.choices] == ["man", "sal"]
    assert towns.get("sal").text() == "Salford" and towns.get("sal").extra == {"region": "nw"}
    assert from_file_names(form) == ["towns.csv"]
    assert attached_files(form, csv_form.parent) == {"towns.csv": CSV.encode()}


def test_choices_from_a_mapping_when_the_csv_is_not_beside_the_form(csv_form, tmp_path):
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    alone = moved / csv_form.name
    alone.write_bytes(csv_form.read_bytes())
    assert "towns.csv" not in load_form(alone).choices  # a warning, not choices
    form = load_form(alone, files={"towns.csv": b"name,label\nx,Ex\n"})
    assert [c.name for c in form.choices["towns.csv"].choices] == ["x"]


def test_a_csv_that_is_not_utf8_is_refused_with_its_name(csv_form):
    from fieldkit.errors import FieldkitError

    with pytest.raises(FieldkitError) as caught:
        load_form(csv_form, files={"towns.csv": b"name,label\nx,\xff\xfe\x00bad\n"})
    assert "towns.csv" in str(caught.value)


def test_imported_form_keeps_its_csv_choices_after_reopening(csv_form, tmp_path):
    from fieldkit.fieldwork import import_form
    from fieldkit.store.project import create_project, open_project

    data = tmp_path / "data"
    with create_project(data, "P") as project:
        record, created = import_form(project, csv_form)
        assert created
    (tmp_path / "towns.csv").unlink()  # the coordinator's copy is gone; the project's is not
    with open_project(data, "P") as project:
        form = project.forms.load(record["id"])
        assert [c.name for c in form.choices["towns.csv"].choices] == ["man", "sal"]


def test_a_changed_csv_is_a_new_version_and_travels_in_bundles(csv_form, tmp_path):
    from fieldkit.fieldwork import import_form
    from fieldkit.store.bundles import export_kit, join_kit
    from fieldkit.store.project import create_project

    data = tmp_path / "coordinator"
    with create_project(data, "P") as project:
        first, _ = import_form(project, csv_form)
        again, created = import_form(project, csv_form)
        assert not created and again["id"] == first["id"]
        csv = tmp_path / "towns.csv"
        csv.write_bytes(csv.read_bytes() + b"bol,Bolton\n")
        second, created = import_form(project, csv_form)
        assert created and second["id"] != first["id"]
        export_kit(project, tmp_path / "kit.fkb")
    with join_kit(tmp_path / "laptop", tmp_path / "kit.fkb") as laptop:
        form = laptop.forms.load(laptop.forms.latest(second["form_id"])["id"])
        assert [c.name for c in form.choices["towns.csv"].choices][-1] == "bol"
