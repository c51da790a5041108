import shutil

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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo project, built once for the whole run; tests get copies (see `demo`)."""
    from fieldkit.indicators.demo import create_demo

    template = tmp_path_factory.mktemp("demo-template") / "data"
    create_demo(template).close()
    return template


@pytest.fixture
def demo(data_dir, demo_template):
    """A private copy of the demo project in this test's data dir, opened."""
    from fieldkit.store import open_project

    shutil.copytree(demo_template, data_dir)
    project = open_project(data_dir, "demo-project")
    yield project
    project.close()
