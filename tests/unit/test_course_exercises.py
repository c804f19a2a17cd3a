"""labkit/course/exercises.py: the two-cell nbgrader convention of an exercise, and nbgrader's learner copy."""
import pathlib

import nbformat
import pytest

from labkit.course.exercises import exercises, make_exercises

ANSWER = "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"
CHECK = 'course.check_equal(x, 1, "x")'


def _cell(source, **nbgrader):
    meta = {"schema_version": 3, "task": False, **nbgrader} if nbgrader else {}
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta} if meta else {})


def _answer(grade_id="ex01-x"):
    return _cell(ANSWER, solution=True, grade=False, locked=False, grade_id=grade_id)


def _check(grade_id="ex01-x-check", points=1, locked=True, source=CHECK):
    return _cell(source, solution=False, grade=True, locked=locked, grade_id=grade_id,
                 points=points)


def _nb(*cells):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Goals"), *cells])


def test_an_answer_and_its_check_make_an_exercise():
    nb = _nb(_answer(), _check(), _cell("print(x)"), _answer("ex01-y"), _check("ex01-y-check"))
    assert [(a.metadata.nbgrader.grade_id, c.metadata.nbgrader.grade_id) for a, c in exercises(nb)] \
        == [("ex01-x", "ex01-x-check"), ("ex01-y", "ex01-y-check")]
    assert exercises(_nb(_cell("print(1)"))) == []


@pytest.mark.parametrize("cells, problem", [
    ([_cell(ANSWER), _check()], "solution region outside an nbgrader solution cell"),
    ([_answer()], "the next cell must be a check cell"),
    ([_answer(), _cell(CHECK)], "the next cell must be a check cell"),
    ([_answer(), _check(locked=False)], "the next cell must be a check cell"),
    ([_answer(), _check("ex01-other")], "the next cell must be a check cell"),
    ([_answer(), _check(points=0)], "a check cell has points"),
    ([_answer(), _check(source="assert x == 1")], "calls course.check_"),
    ([_cell("x = 1"), _check()], "a check cell must follow an answer cell"),
    ([_answer(), _check(), _answer(), _check()], "is used twice"),
], ids=["unmarked", "no-check", "plain-check", "unlocked", "other-id", "no-points",
        "no-course-check", "check-alone", "same-id"])
def test_a_broken_exercise_is_refused(cells, problem):
    with pytest.raises(ValueError, match=problem):
        exercises(_nb(*cells), "nb")


CONFIG = pathlib.Path(__file__).resolve().parents[2] / "tools" / "nbgrader_config.py"


def _source_dir(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    nb = _nb(_answer(), _check())
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="hi\n")]
    nbformat.write(nb, src / "01.00-X.ipynb")
    return src


def test_nbgrader_makes_the_learner_copy(tmp_path):
    written, = make_exercises(_source_dir(tmp_path), tmp_path / "out", CONFIG)
    (answer, check), = exercises(nbformat.read(written, as_version=4))
    assert answer.source == "# YOUR CODE HERE\nraise NotImplementedError()"
    assert answer.outputs == [] and answer.metadata.deletable is False
    assert check.source == CHECK and check.metadata.editable is False
    assert check.metadata.nbgrader.checksum


def test_a_broken_nbgrader_config_fails_the_run(tmp_path):
    """nbgrader itself only logs a config file that raises, and goes on without it."""
    broken = tmp_path / "nbgrader_config.py"
    broken.write_text(CONFIG.read_text() + "\nc.Execute.timeout = undefined_name\n")
    with pytest.raises(RuntimeError, match="Exception while loading config file"):
        make_exercises(_source_dir(tmp_path), tmp_path / "out", broken)
