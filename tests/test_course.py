"""The course's own helpers and the learner copies in exercises/."""
import pathlib
import re

import nbformat
import pytest
from nbgrader.preprocessors import ClearSolutions
from traitlets.config.loader import PyFileConfigLoader

from labkit import course
from labkit.course.checks import CheckFailed
from labkit.course.exercises import exercises, make_exercises
from labkit.nova.scheduler import filters

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tools" / "nbgrader_config.py"
# the course proper: the notebooks listed in notebooks/README.md
NOTEBOOKS = sorted(ROOT / "notebooks" / name for name in set(re.findall(
    r"\]\(([\w.-]+\.ipynb)\)", (ROOT / "notebooks" / "README.md").read_text())))


def strip_source(source):
    """nbgrader's ClearSolutions with the course's settings, on one answer cell's source."""
    config = PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
        "solution": True, "grade": False, "locked": False, "grade_id": "ex", "schema_version": 3}})
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    nb, _ = ClearSolutions(config=config).preprocess(nb, {})
    return nb.cells[0].source


def test_strip_source_keeps_indentation():
    source = ("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n\nprint(f())")
    new = strip_source(source)
    assert new == ("def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()\n\nprint(f())")


def test_strip_source_rejects_unbalanced_markers():
    with pytest.raises(RuntimeError, match="no end solution"):
        strip_source("### BEGIN SOLUTION\nx = 1\n")


def test_exercises_are_in_step_with_notebooks(tmp_path):
    """Regenerate the learner copies with nbgrader and compare them with the committed ones."""
    fresh = make_exercises(ROOT / "notebooks", tmp_path, CONFIG)
    committed = sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb"))
    assert [p.name for p in fresh] == committed, "run tools/make_exercises.py"
    for path in fresh:
        assert path.read_text() == (ROOT / "exercises" / path.name).read_text(), \
            f"exercises/{path.name} is stale: run tools/make_exercises.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_shape(path):
    """Goals first, a recap and self-checks at the end, its own lab, stopped."""
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert nb.cells[0].cell_type == "markdown" and "Goals" in nb.cells[0].source
    assert re.search(r"labkit\.start\([^)]*\bseed=", code), "each notebook builds its own seeded lab"
    assert nb.cells[-1].source.strip() == "lab.stop()"
    assert "## Recap" in text and "## Check yourself" in text
    assert 3 <= code.count("course.quiz(") - _middle_quizzes(nb) <= 5
    assert path.stat().st_size < 2_000_000
    learner = nbformat.read(ROOT / "exercises" / path.name, as_version=4)
    assert "### BEGIN SOLUTION" not in "".join(c.source for c in learner.cells)
    assert all(not c.get("outputs") for c in learner.cells if c.cell_type == "code")


def _middle_quizzes(nb):
    recap = next(i for i, c in enumerate(nb.cells) if "## Recap" in c.source)
    return sum(c.source.count("course.quiz(") for c in nb.cells[:recap])


def test_every_exercise_has_a_check():
    """Each answer cell is followed by its locked, graded check cell (the nbgrader convention)."""
    pairs = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        found = exercises(nb, path.name)
        assert [answer for answer, _ in found] == [
            cell for cell in nb.cells if "### BEGIN SOLUTION" in cell.source]
        pairs += [(path, check) for _, check in found]
    assert len(pairs) >= len(NOTEBOOKS) // 2, "the course has (almost) no exercises left"
    for path, check in pairs:
        assert "course.check" in check.source, f"{path.name}: exercise without a check"


def test_quiz_answers_and_explains():
    q = course.quiz("Who chooses the host?", ["nova-api", "nova-scheduler"], 1, "the scheduler")
    assert not q.choose(0) and "✗" in q.feedback.value
    assert q.choose(1) and "✓" in q.feedback.value and "the scheduler" in q.feedback.value
    assert "nova-scheduler" in q._repr_mimebundle_()["text/plain"]
    with pytest.raises(ValueError):
        course.quiz("?", ["a"], 3)


def test_checks_print_and_never_pass_silently(capsys):
    assert course.check_equal(1, 1, "one")
    with pytest.raises(CheckFailed) as failed:
        course.check_equal(1, 2, "two", "hint here")
    out = capsys.readouterr().out
    assert "✓ one" in out and "✗ two" in str(failed.value) and "hint here" in str(failed.value)
    assert course.check_hops([("cast", "a"), ("call", "b")], [("cast", "a"), ("call", "b")])
    with pytest.raises(CheckFailed):
        course.check_hops([("call", "b"), ("cast", "a")], [("cast", "a"), ("call", "b")])


def test_check_filter():
    class RejectsComputeOne(filters.BaseHostFilter):
        def host_passes(self, host_state, spec_obj):
            return host_state.host != "compute-1"

    class PassesAll(filters.BaseHostFilter):
        def host_passes(self, host_state, spec_obj):
            return True

    assert course.check_filter(RejectsComputeOne)
    with pytest.raises(CheckFailed):
        course.check_filter(PassesAll)
    with pytest.raises(CheckFailed):
        course.check_filter(object)
