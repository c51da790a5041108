import subprocess
import sys

from fieldkit import __version__


def test_version(run):
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_help_lists_commands(run):
    code, out, _ = run("--help")
    assert code == 0
    for command in ("project", "site", "round", "backup"):
        assert command in out


def test_project_site_round_flow(run, data_dir):
    code, out, err = run("site", "list")
    assert code == 1 and "no project yet" in err and "Traceback" not in err
    assert run("project", "create", "North Manchester")[0] == 0
    assert run("site", "add", "Cheetham Hill")[0] == 0
    assert run("site", "add", "Broughton")[0] == 0
    code, _, err = run("site", "add", "broughton")
    assert code == 1 and "already exists" in err
    assert run("round", "add", "baseline")[0] == 0
    code, out, _ = run("site", "list")
    assert out.split() == ["Broughton", "Cheetham", "Hill"]
    code, out, _ = run("project", "list")
    assert "north-manchester" in out
    code, out, _ = run("--data-dir", str(data_dir / "elsewhere"), "project", "list")
    assert "no projects" in out


def test_project_option_selects(run):
    run("project", "create", "One")
    run("project", "create", "Two")
    run("--project", "One", "site", "add", "Alpha")
    code, out, _ = run("--project", "one", "site", "list")
    assert out.strip() == "Alpha"
    code, out, _ = run("--project", "Two", "site", "list")
    assert out.strip() == ""
    code, _, err = run("--project", "Three", "site", "list")
    assert code == 1 and "no project named" in err


def test_usage_error_exit_2(run):
    code, _, _ = run("site", "frobnicate")
    assert code == 2


def test_backup_list_and_restore(run):
    run("project", "create", "P")
    run("site", "add", "A")
    run("site", "add", "B")
    code, out, _ = run("backup", "list")
    assert code == 0
    first = out.splitlines()[-1].split("\t")[0]
    code, out, _ = run("backup", "restore", first)
    assert code == 0 and "restored" in out
    code, _, err = run("backup", "restore", "nonsense")
    assert code == 1 and "no backup named" in err


def test_corrupt_project_cli_message(run, data_dir):
    path = data_dir / "projects" / "broken.fieldkit"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage" * 100)
    code, _, err = run("site", "list")
    assert code == 1
    assert "broken.fieldkit" in err and "not an SQLite database" in err
    assert "Traceback" not in err


def test_python_dash_m_entry_point(data_dir):
    result = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--data-dir", str(data_dir), "project", "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "no projects" in result.stdout
