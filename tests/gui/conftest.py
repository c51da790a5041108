import pytest

from fieldkit.forms.model import Form, Node


@pytest.fixture
def populated(project):
    """A project with two sites, two rounds and a few interviews (no GUI involved)."""
    project.sites.add("Cheetham Hill")
    project.sites.add("Broughton")
    project.rounds.add("Baseline")
    project.rounds.add("Follow-up")
    form = Form(form_id="tiny", title="Tiny form", children=[Node(name="q1", type="text")])
    record, _ = project.forms.add(form, b"tiny form source", "tiny.md")
    made = []
    for site, round_, final in (
        ("Cheetham Hill", "Baseline", True),
        ("Cheetham Hill", "Baseline", False),
        ("Broughton", "Baseline", True),
        ("Broughton", "Follow-up", False),
    ):
        row = project.interviews.create(record["id"], site=site, round=round_)
        project.interviews.set_answer(row.id, "q1", "hello")
        if final:
            project.interviews.finalize(row.id, {"q1": "hello"}, respondent_code=f"R{len(made)}")
        made.append(row.id)
    return project
