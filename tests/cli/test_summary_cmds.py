import json


def test_demo_then_summary_json(run):
    code, out, err = run("demo")
    assert code == 0, err
    assert "2 sites, 2 rounds, 60 finalized interviews (commercial, public, residents, social)" in out
    code, out, _ = run("summary", "--json")
    data = json.loads(out)
    figure = data["sites"]["Cheetham Hill"]["Baseline"]["indicators"]["pub_soc"]
    for key in ("score", "n", "ci_low", "ci_high", "band", "low_base", "change", "gap", "components", "provenance"):
        assert key in figure
    assert figure["provenance"]["interviews"] == figure["n"]
    code, out, _ = run("summary", "--site", "Broughton", "--round", "Follow-up", "--by", "sector")
    assert code == 0
    assert "Broughton — Follow-up" in out and "Cheetham" not in out
    assert "low base" in out
    code, _, err = run("summary", "--site", "Nowhere")
    assert code == 1 and "no site 'Nowhere'" in err


def test_actions_cli(run):
    run("project", "create", "P")
    run("site", "add", "A")
    run("round", "add", "R")
    code, out, _ = run("action", "add", "Buy local", "--site", "A", "--round", "R", "--indicators", "com_res",
                       "--lead-sector", "public", "--due", "2027-02-01")
    assert code == 0
    action_id = out.split()[2].rstrip(":")
    code, out, _ = run("action", "update", action_id[:8], "--status", "done")
    assert code == 0 and "done" in out
    code, out, _ = run("action", "list", "--json")
    assert json.loads(out)[0]["status"] == "done"
    code, _, err = run("action", "add", "Bad", "--due", "soon")
    assert code == 1 and "due date" in err
    assert run("action", "delete", action_id)[0] == 0
    code, out, _ = run("action", "list")
    assert out.strip() == ""


def test_framework_set_show_reset(run, tmp_path):
    from fieldkit import paths

    run("demo")
    text = paths.instrument("framework.md").read_text(encoding="utf-8")
    mine = tmp_path / "mine.md"
    mine.write_text(
        text.replace("| community_dna | Community DNA (default framework) | 2026.1 |", "| nm | NM DNA | 3 |"),
        encoding="utf-8",
    )
    bad = tmp_path / "bad.md"
    bad.write_text(text.replace("|  | pub | pub_3 |  |", "|  | pub | pub_9 |  |"), encoding="utf-8")

    code, out, err = run("framework", "set", str(bad))
    assert code == 1 and "bad.md" in err and "pub_9" in err
    code, out, _ = run("framework", "show")
    assert code == 0 and "shipped framework" in out

    code, out, err = run("framework", "set", str(mine))
    assert code == 0, err
    assert "NM DNA (nm v3)" in out and "10 indicators, 30 items, 4 bands" in out
    mine.unlink()
    code, out, _ = run("framework", "show", "--json", "--out", str(tmp_path / "back.md"))
    shown = json.loads(out)
    assert (shown["source"], shown["file"], shown["id"], shown["version"]) == ("project", "mine.md", "nm", "3")
    assert "nm | NM DNA | 3" in (tmp_path / "back.md").read_text(encoding="utf-8")
    code, out, _ = run("summary", "--json")
    assert json.loads(out)["framework"]["id"] == "nm"

    code, out, _ = run("framework", "reset")
    assert code == 0 and "shipped framework again" in out
    code, out, _ = run("summary", "--json")
    assert json.loads(out)["framework"]["id"] == "community_dna"
    code, _, err = run("framework", "show", "--out", str(tmp_path / "x.md"))
    assert code == 1 and "nothing saved" in err
