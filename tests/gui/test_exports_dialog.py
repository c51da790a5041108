"""The Export dialog on the demo project: every output by clicks and keys, Cancel, refusals."""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
from PySide6.QtCore import Qt, QUrl

import fieldkit.gui.exports.dialog as dialog_module
import fieldkit.packs.excel as excel_module
from fieldkit.gui.exports import ExportDialog, ExportsPage
from fieldkit.gui.tasks import CANCELLED, DONE, REFUSED
from fieldkit.mapping.persist import site_network
from fieldkit.packs.formdata import ExportOptions
from fieldkit.packs.progress import Steps
from tests.gui import exports_helpers as helpers
from tests.gui.exports_helpers import choose, finish, set_target

# The shared fixtures (pytest finds them as attributes of this module).
demo = helpers.demo
out = helpers.out
session = helpers.session


SENSITIVE = {"contact", "organisation", "com_comment", "pwr_comment"}


@pytest.fixture
def page(qtbot, session):
    page = ExportsPage(session)
    qtbot.addWidget(page)
    page.resize(900, 620)
    page.show()
    return page


def open_from_page(qtbot, page, key: str) -> ExportDialog:
    qtbot.mouseClick(page.buttons[key], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.kind.key == key
    qtbot.waitExposed(dialog)
    return dialog


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def headers(workbook, sheet: str) -> set[str]:
    return {c.value for c in next(workbook[sheet].iter_rows(max_row=1))}


def test_excel_pack_by_clicks_leaves_personal_data_out(qtbot, page, out, demo):
    dialog = open_from_page(qtbot, page, "xlsx")
    choose(dialog.site_box, "All sites")
    choose(dialog.round_box, "All rounds")
    assert not dialog.personal_check.isChecked()
    assert not dialog.personal_warning.isVisible()
    target = out / "pack.xlsx"
    set_target(qtbot, dialog, target)
    click(qtbot, dialog.export_button)
    result = finish(qtbot, dialog)

    assert result.status == DONE, result.lines
    workbook = openpyxl.load_workbook(target, read_only=True)
    assert {"About", "Indicators", "Codebook", "consent_profile"} <= set(workbook.sheetnames)
    present = headers(workbook, "consent_profile") | headers(workbook, "community_dna")
    assert not (SENSITIVE & present)
    finalized = len(demo.interviews.list(status="finalized"))
    assert f"{finalized} interviews" in dialog.message.text()
    assert dialog.open_button.isVisible()
    assert dialog.export_button.isEnabled() and dialog.close_button.isEnabled()
    assert not list(out.glob(".*part"))


def test_excel_pack_with_personal_data_warns_and_includes_it(qtbot, page, out):
    dialog = open_from_page(qtbot, page, "xlsx")
    click(qtbot, dialog.personal_check)
    assert dialog.personal_check.isChecked()
    assert dialog.personal_warning.isVisible()
    assert "personal data" in dialog.personal_warning.text()
    warning = dialog.personal_warning  # shown whole, not cut off mid-line
    qtbot.waitUntil(lambda: warning.height() >= warning.heightForWidth(warning.width()))
    target = out / "with-people.xlsx"
    set_target(qtbot, dialog, target)
    qtbot.keyClick(dialog.target_edit, Qt.Key.Key_Return)  # Enter = the default button
    assert finish(qtbot, dialog).status == DONE
    workbook = openpyxl.load_workbook(target, read_only=True)
    assert {"contact", "organisation"} <= headers(workbook, "consent_profile")
    assert "contains personal data" in dialog.message.text()


def test_values_and_language_options_reach_the_core(qtbot, page, out, demo, monkeypatch):
    seen = []
    real = excel_module.write_excel_pack
    monkeypatch.setattr(
        excel_module,
        "write_excel_pack",
        lambda path, data, progress=None, cancel=None: (
            seen.append(data.options) or real(path, data, progress, cancel)
        ),
    )
    dialog = open_from_page(qtbot, page, "xlsx")
    languages = [dialog.language_box.itemText(i) for i in range(dialog.language_box.count())]
    assert languages[1:] == ["English (en)", "Urdu (ur)"]
    click(qtbot, dialog.values_radio)
    choose(dialog.language_box, "Urdu (ur)")
    choose(dialog.site_box, "Broughton")
    choose(dialog.round_box, "Baseline")
    set_target(qtbot, dialog, out / "codes.xlsx")
    click(qtbot, dialog.export_button)
    assert finish(qtbot, dialog).status == DONE
    assert seen == [ExportOptions(labels=False, language="Urdu (ur)")]
    workbook = openpyxl.load_workbook(out / "codes.xlsx", read_only=True)
    sheet = workbook["consent_profile"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert {row[header.index("site")] for row in rows} == {"Broughton"}
    assert {row[header.index("round")] for row in rows} == {"Baseline"}
    expected = demo.interviews.list("Broughton", "Baseline", "", "finalized", "consent_profile")
    assert len(rows) == len(expected) > 0


def test_pdf_for_one_site_and_round(qtbot, page, out, session):
    session.set_site(session.project.sites.find("Cheetham Hill")["id"])
    session.set_round(session.project.rounds.find("Baseline")["id"])
    dialog = open_from_page(qtbot, page, "pdf")
    assert dialog.site_box.currentText() == "Cheetham Hill"
    assert dialog.round_box.currentText() == "Baseline"
    assert not dialog.personal_check.isVisibleTo(dialog)  # never offered for partners
    assert not dialog.language_box.isVisibleTo(dialog)
    target = out / "partners.pdf"
    set_target(qtbot, dialog, target)
    click(qtbot, dialog.export_button)
    assert finish(qtbot, dialog).status == DONE
    assert target.read_bytes().startswith(b"%PDF")
    assert "Cheetham Hill, Baseline" in dialog.message.text()
    assert f"Saved in {out.resolve()}" in dialog.message.text()


def test_a_one_place_export_starts_from_a_real_site_and_round(qtbot, page, session):
    session.set_site(None)
    session.set_round(None)
    for key in ("pdf", "graph"):
        dialog = open_from_page(qtbot, page, key)
        assert dialog.site_box.currentData() is not None
        assert dialog.round_box.currentText() == "Follow-up"  # the latest round
        dialog.reject()
    dialog = open_from_page(qtbot, page, "xlsx")
    assert dialog.site_box.currentText() == "All sites"
    assert dialog.round_box.currentText() == "All rounds"


def test_pdf_compared_with_another_site(qtbot, page, out):
    dialog = open_from_page(qtbot, page, "pdf")
    choose(dialog.site_box, "Cheetham Hill")
    choose(dialog.round_box, "Follow-up")
    choose(dialog.compare_box, "Broughton")
    assert dialog.request().compare == (dialog.session.project.sites.find("Broughton")["id"],)
    set_target(qtbot, dialog, out / "both.pdf")
    click(qtbot, dialog.export_button)
    assert finish(qtbot, dialog).status == DONE
    assert "Cheetham Hill, Broughton, Follow-up" in dialog.message.text()


def test_pdf_for_all_sites_is_refused_and_writes_nothing(qtbot, page, out):
    dialog = open_from_page(qtbot, page, "pdf")
    choose(dialog.site_box, "All sites")
    set_target(qtbot, dialog, out / "refused.pdf")
    click(qtbot, dialog.export_button)
    assert dialog.task is None  # refused before any work started
    assert dialog.message.isVisible()
    assert dialog.message.text() == (
        "Not exported: the PDF pack for partners is for one site: choose a site, not 'All sites'"
    )
    assert list(out.iterdir()) == []


def test_a_refusal_from_the_core_comes_back_in_words(qtbot, page, out, session):
    """A site with no interviews: the PDF core refuses on the worker; nothing is written."""
    session.project.sites.add("Strangeways")
    dialog = open_from_page(qtbot, page, "pdf")
    choose(dialog.site_box, "Strangeways")
    choose(dialog.round_box, "Baseline")
    set_target(qtbot, dialog, out / "empty.pdf")
    click(qtbot, dialog.export_button)
    result = finish(qtbot, dialog)
    assert result.status == REFUSED
    assert "no figures for site 'Strangeways'" in dialog.message.text()
    assert "Traceback" not in dialog.message.text()
    assert dialog.message.objectName() == "ErrorText"
    assert not dialog.open_button.isVisible()
    assert list(out.iterdir()) == []


def test_csv_files_into_a_folder(qtbot, page, out, demo, session):
    dialog = open_from_page(qtbot, page, "csv")
    assert dialog.site_box.currentData() == session.site  # starts from the sidebar's choice
    folder = out / "tables"
    set_target(qtbot, dialog, folder)
    click(qtbot, dialog.export_button)
    assert finish(qtbot, dialog).status == DONE
    names = sorted(p.name for p in folder.iterdir())
    assert {"community_dna.csv", "consent_profile.csv"} <= set(names)
    raw = (folder / "consent_profile.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (folder / "consent_profile.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert not (SENSITIVE & set(rows[0]))
    expected = demo.interviews.list(
        session.site, session.round, status="finalized", form_id="consent_profile"
    )
    assert len(rows) - 1 == len(expected) > 0
    assert f"Wrote {len(names)} CSV files" in dialog.message.text()


def test_network_graph_as_graphml(qtbot, page, out, demo):
    dialog = open_from_page(qtbot, page, "graph")
    choose(dialog.site_box, "Broughton")
    choose(dialog.round_box, "Baseline")
    assert dialog.target_edit.text().endswith(".graphml")
    choose(dialog.format_box, "GEXF (Gephi)")
    assert dialog.target_edit.text().endswith(".gexf")  # the suggested name follows the format
    choose(dialog.format_box, "GraphML (Gephi, yEd, networkx)")
    target = out / "broughton.graphml"
    set_target(qtbot, dialog, target)
    click(qtbot, dialog.export_button)
    assert finish(qtbot, dialog).status == DONE
    graph = nx.read_graphml(target)
    network = site_network(demo, "Broughton", "Baseline")
    assert graph.number_of_nodes() == len(network.actors)
    assert sorted(p.name for p in out.iterdir()) == ["broughton.graphml"]  # no scratch left


def test_graph_for_all_rounds_is_refused(qtbot, page, out):
    dialog = open_from_page(qtbot, page, "graph")
    choose(dialog.round_box, "All rounds")
    set_target(qtbot, dialog, out / "x.graphml")
    click(qtbot, dialog.export_button)
    assert "choose a round, not 'All rounds'" in dialog.message.text()
    assert list(out.iterdir()) == []


def slow_excel(calls: list):
    """A fake write_excel_pack: slow, atomic, with the real progress/cancel contract."""

    def fake(path, data, progress=None, cancel=None):
        calls.append(threading.current_thread())
        path = Path(path)
        part = path.with_name(f".{path.name}.part")
        steps = Steps(400, progress, cancel, what="Excel export")
        try:
            with part.open("w") as fh:
                for _ in range(400):
                    time.sleep(0.01)
                    fh.write("row\n")
                    steps.advance()
            part.replace(path)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return path

    return fake


def test_cancel_mid_export_leaves_no_file(qtbot, page, out, monkeypatch):
    calls: list = []
    monkeypatch.setattr(excel_module, "write_excel_pack", slow_excel(calls))
    dialog = open_from_page(qtbot, page, "xlsx")
    target = out / "never.xlsx"
    set_target(qtbot, dialog, target)
    click(qtbot, dialog.export_button)
    assert not dialog.export_button.isEnabled()
    assert not dialog.close_button.isEnabled()
    assert not dialog.site_box.isEnabled()
    qtbot.waitUntil(dialog.progress.isVisible, timeout=5000)  # after the short delay
    qtbot.waitUntil(lambda: dialog.progress.bar.value() > 0, timeout=5000)
    click(qtbot, dialog.progress.cancel_button)
    result = finish(qtbot, dialog)
    assert result.status == CANCELLED
    assert calls and calls[0] is not threading.main_thread()
    assert dialog.message.text() == "Cancelled: nothing was written."
    assert not dialog.progress.isVisible()
    assert list(out.iterdir()) == []


def test_escape_while_exporting_cancels_and_keeps_the_dialog(qtbot, page, out, monkeypatch):
    monkeypatch.setattr(excel_module, "write_excel_pack", slow_excel([]))
    dialog = open_from_page(qtbot, page, "xlsx")
    set_target(qtbot, dialog, out / "never.xlsx")
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: dialog.task.last_progress[0] > 0, timeout=5000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert finish(qtbot, dialog).status == CANCELLED
    assert list(out.iterdir()) == []
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # now it closes
    assert not dialog.isVisible()


def test_real_excel_export_cancelled_on_its_first_progress_call(qtbot, page, out, monkeypatch):
    real = excel_module.write_excel_pack
    progress_calls = []

    def cancel_at_once(path, data, progress=None, cancel=None):
        def first_progress(done, total):
            progress_calls.append((done, total))
            page.dialog.task.cancel()  # thread-safe: it only sets a flag
            progress(done, total)

        return real(path, data, first_progress, cancel)

    monkeypatch.setattr(excel_module, "write_excel_pack", cancel_at_once)
    dialog = open_from_page(qtbot, page, "xlsx")
    set_target(qtbot, dialog, out / "stopped.xlsx")
    click(qtbot, dialog.export_button)
    assert finish(qtbot, dialog).status == CANCELLED
    assert len(progress_calls) == 1
    assert list(out.iterdir()) == []


def test_the_export_runs_off_the_ui_thread(qtbot, page, out, monkeypatch):
    threads = []
    real = dialog_module.run_export

    def spy(project, request, progress, cancel):
        threads.append(threading.current_thread())
        return real(project, request, progress, cancel)

    monkeypatch.setattr(dialog_module, "run_export", spy)
    dialog = open_from_page(qtbot, page, "csv")
    set_target(qtbot, dialog, out / "tables")
    click(qtbot, dialog.export_button)
    assert finish(qtbot, dialog).status == DONE
    assert threads and threads[0] is not threading.main_thread()


def test_open_folder_opens_the_folder_written_to(qtbot, page, out, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(dialog_module.QDesktopServices, "openUrl", opened.append)
    dialog = open_from_page(qtbot, page, "xlsx")
    set_target(qtbot, dialog, out / "pack.xlsx")
    click(qtbot, dialog.export_button)
    assert finish(qtbot, dialog).status == DONE
    click(qtbot, dialog.open_button)
    assert [Path(url.toLocalFile()) for url in opened] == [out.resolve()]


def test_a_wrong_suffix_is_refused_and_the_suggestion_follows_the_scope(qtbot, page, out):
    dialog = open_from_page(qtbot, page, "xlsx")
    choose(dialog.site_box, "Broughton")
    assert "Broughton" in Path(dialog.target_edit.text()).name
    choose(dialog.round_box, "All rounds")
    assert "all-rounds" in Path(dialog.target_edit.text()).name
    dialog.target_edit.clear()
    click(qtbot, dialog.export_button)
    assert dialog.message.text() == "Not exported: choose where to save the export"
    set_target(qtbot, dialog, out / "pack.pdf")
    click(qtbot, dialog.export_button)
    assert "must end in .xlsx" in dialog.message.text()
    choose(dialog.site_box, "Cheetham Hill")  # a typed path is never replaced
    assert dialog.target_edit.text() == str(out / "pack.pdf")
    assert list(out.iterdir()) == []
