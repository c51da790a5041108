"""Property tests: real forms driven with arbitrary input never crash the interview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldkit.errors import FieldkitError
from fieldkit.forms.interview import Interview
from fieldkit.forms.load import load_form

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "xlsforms"
FORMS = [ROOT / "forms" / f"{name}.md" for name in ("consent_profile", "community_dna",
                                                    "relationship_map")]  # fmt: skip
FORMS += [CORPUS / name for name in ("calculate.xls", "choice_filter_test.xlsx",
          "field-list.xlsx", "group.xlsx", "loop.xlsx", "or_other.xlsx", "specify_other.xlsx",
          "text_and_integer.xlsx", "xlsform_spec_test.xlsx", "yes_or_no_question.xlsx")]  # fmt: skip

_RAW = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["yes", "no", "1", "2024-02-30", "2024-02-29", "12:30", "1 2 0 0", "OK"]),
    st.lists(st.sampled_from(["a", "b", "yes", "1", "other"]), max_size=3),
)


def _forms():
    for path in FORMS:
        if path.exists():
            yield pytest.param(path, id=path.name)


@pytest.mark.parametrize("path", list(_forms()))
def test_arbitrary_answers_never_crash(path: Path) -> None:
    form = load_form(path)

    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def drive(data: st.DataObject) -> None:
        interview = Interview(form, now=dt.datetime(2025, 1, 1, 9, 0))
        for _ in range(12):
            screen = interview.next()
            if screen is None:
                break
            for key in screen.keys:
                choices = interview.choices_for(key)
                raw = data.draw(
                    st.one_of(_RAW, st.sampled_from([c.name for c in choices])) if choices else _RAW
                )
                changes = interview.set(key, raw)
                assert set(changes.errors) <= {key}
        resumed = Interview(form, interview.answers_flat(), now=dt.datetime(2025, 1, 1, 9, 0))
        assert resumed.answers_flat() == interview.answers_flat()
        try:
            values = interview.finalize()
        except FieldkitError as exc:
            assert exc.problems and all(p.name for p in exc.problems)
        else:
            assert all(interview.is_relevant(k) for k in values)

    drive()


def test_community_dna_language_switch_is_real() -> None:
    form = load_form(ROOT / "forms" / "community_dna.md")
    interview = Interview(form)
    english = [c.text(interview.language) for c in interview.choices_for("pub_1")]
    interview.set_language("Urdu (ur)")
    urdu = [c.text(interview.language) for c in interview.choices_for("pub_1")]
    assert len(english) == len(urdu) == 6
    assert english != urdu
    screens = interview.relevant_screens()
    assert screens[1].keys == ("pub_1", "pub_2", "pub_3", "pub_comment")
