import json


def test_demo_then_summary_json(run):
    code, out, err = run("demo")
    assert code == 0, err
    assert "60" not in err
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
