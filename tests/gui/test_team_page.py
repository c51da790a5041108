"""The Team page: send a bundle, receive several with progress, settle conflicts."""

import pytest
from PySide6.QtWidgets import QComboBox

from fieldkit.gui.pages.team import TeamPage
from fieldkit.gui.session import Session
from fieldkit.store.bundles import export_bundle, import_bundle
from tests.store.team_helpers import coordinator, interview, kit_for, laptop, reopen_and_set


@pytest.fixture
def team(tmp_path):
    coord = coordinator(tmp_path)
    kit = kit_for(coord, tmp_path)
    a = laptop(tmp_path, kit, "a")
    b = laptop(tmp_path, kit, "b")
    yield tmp_path, coord, a, b
    a.close()
    b.close()


def make_page(qtbot, project):
    session = Session(project.data_dir)
    session.set_project(project)
    page = TeamPage(session)
    qtbot.addWidget(page)
    page.show()
    return page


def _conflicting_bundles(root, coord, a, b):
    iid = interview(a, {"q1": 1, "q2": "x", "q3": "same"})
    export_bundle(a, root / "a1.fkb")
    import_bundle(b, root / "a1.fkb")
    import_bundle(coord, root / "a1.fkb")
    reopen_and_set(a, iid, {"q1": 2})
    reopen_and_set(b, iid, {"q1": 3, "q2": "y"})
    extra = interview(b, {"q1": 7})
    export_bundle(a, root / "a2.fkb")
    export_bundle(b, root / "b2.fkb")
    return iid, extra


def test_receive_several_with_progress_and_report(qtbot, team):
    root, coord, a, b = team
    iid, extra = _conflicting_bundles(root, coord, a, b)
    (root / "junk.fkb").write_bytes(b"not a bundle")
    page = make_page(qtbot, coord)
    assert page.conflict_list.count() == 0 and page.no_conflicts.isVisible()
    seen = []
    with qtbot.waitSignal(
        page_worker_done(page, [root / "a2.fkb", root / "b2.fkb", root / "junk.fkb"], seen),
        timeout=20000,
    ):
        pass
    lines = page.report.toPlainText().splitlines()
    assert lines[0].startswith("a2.fkb from Test Fieldworker: 0 new, 1 updated")
    assert "1 new, 0 updated, 0 unchanged, 1 conflicts" in lines[1]
    assert lines[2].startswith("Refused") and "not a readable bundle" in lines[2]
    assert seen[-1] == (3, 3)  # progress reached the end
    qtbot.waitUntil(lambda: page.receive_button.isEnabled() and page.conflict_box.isEnabled())
    assert coord.interviews.get(extra).status == "finalized"
    assert page.conflict_list.count() == 1 and not page.no_conflicts.isVisible()


def page_worker_done(page, paths, seen):
    worker = page.receive(paths)
    assert not page.receive_button.isEnabled() and not page.conflict_box.isEnabled()
    worker.progress.connect(lambda done, total, name: seen.append((done, total)))
    return worker.finishedWith


def test_merge_answer_by_answer_in_the_view(qtbot, team):
    root, coord, a, b = team
    iid, _ = _conflicting_bundles(root, coord, a, b)
    import_bundle(coord, root / "a2.fkb")
    import_bundle(coord, root / "b2.fkb")
    page = make_page(qtbot, coord)
    assert page.conflict_list.count() == 1
    rows = {page.diff.item(r, 0).text(): r for r in range(page.diff.rowCount())}
    assert set(rows) == {"q1", "q2"}
    assert (
        page.diff.item(rows["q1"], 1).text() == "2" and page.diff.item(rows["q1"], 2).text() == "3"
    )
    pick = page.diff.cellWidget(rows["q2"], 3)
    assert isinstance(pick, QComboBox)
    pick.setCurrentIndex(pick.findData("incoming"))
    assert page.merge_button.isEnabled()
    page.merge_button.click()
    assert coord.interviews.answers(iid) == {"q1": 2, "q2": "y", "q3": "same"}
    assert page.conflict_list.count() == 0 and page.no_conflicts.isVisible()


def test_keep_incoming(qtbot, team):
    root, coord, a, b = team
    iid, _ = _conflicting_bundles(root, coord, a, b)
    import_bundle(coord, root / "a2.fkb")
    import_bundle(coord, root / "b2.fkb")
    page = make_page(qtbot, coord)
    page.keep_incoming.click()
    assert coord.interviews.answers(iid)["q1"] == 3
    assert page.conflict_list.count() == 0


def test_send_to_folder(qtbot, team):
    root, coord, a, b = team
    interview(a, {"q1": 1})
    page = make_page(qtbot, a)
    stick = root / "usb"
    stick.mkdir()
    worker = page.send_to(stick)
    with qtbot.waitSignal(worker.finishedWith, timeout=20000):
        pass
    [written] = list(stick.glob("*.fkb"))
    assert written.name.startswith("programme-TestFieldworker-")
    assert "Sent 1 interview(s)" in page.send_status.text()
    page.only_changes.setChecked(True)
    worker = page.send_to(stick)
    with qtbot.waitSignal(worker.finishedWith, timeout=20000):
        pass
    assert "Sent 0 interview(s)" in page.send_status.text()


def test_send_failure_is_reported(qtbot, team):
    root, coord, a, b = team
    page = make_page(qtbot, a)
    worker = page.send_to(root / "missing-stick")
    with qtbot.waitSignal(worker.failed, timeout=20000):
        pass
    qtbot.waitUntil(lambda: page.send_button.isEnabled())
    assert "cannot write the bundle" in page.send_status.text()
