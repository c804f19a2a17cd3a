"""The quiz bank (data/quizzes/), its loader, the tool that fills it, and the progress bar."""
import ast
import html
import json
import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

import repo_tools
from labkit import course
from labkit.course.quiz import BANK_DIR, check_entry, load_bank

ROOT = pathlib.Path(__file__).resolve().parents[2]
BANKS = sorted(BANK_DIR.glob("*.json"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))




@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_bank_entries_are_well_formed(path):
    """One right answer among the options, an explanation for it, ids unique in the file."""
    entries = json.loads(path.read_text())
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), f"{path.name}: repeated ids"
    for entry in entries:
        check_entry(entry)
        right = [a for a in entry["answers"] if a["correct"]]
        assert len(right) == 1 and right[0]["answer"] in [a["answer"] for a in entry["answers"]]
        assert right[0].get("feedback"), f"{path.name} {entry['id']}: no explanation"
    assert list(load_bank(path.stem)) == ids


def test_loader_refuses_a_broken_bank(tmp_path):
    entry = {"id": "q", "question": "?", "type": "multiple_choice",
             "answers": [{"answer": "a", "correct": True}, {"answer": "b", "correct": False}]}
    (tmp_path / "twice.json").write_text(json.dumps([entry, entry]))
    with pytest.raises(ValueError, match="appears twice"):
        load_bank("twice", tmp_path / "twice.json")
    for broken, message in (
            ({**entry, "answers": [{"answer": "a", "correct": True},
                                   {"answer": "b", "correct": True}]}, "exactly one"),
            ({**entry, "answers": [{"answer": "a", "correct": True}]}, "2 to"),
            ({**entry, "type": "numeric"}, "multiple_choice"),
            ({k: v for k, v in entry.items() if k != "question"}, "question")):
        with pytest.raises(ValueError, match=message):
            check_entry(broken)
    with pytest.raises(FileNotFoundError):
        course.quiz("no-such-bank", "q")


def test_a_bank_quiz_answers_from_its_entry_and_hides_the_answer_in_text():
    bank = load_bank("06")
    quiz_id, entry = next(iter(bank.items()))
    quiz = course.quiz("06", quiz_id)
    right = next(i for i, a in enumerate(entry["answers"]) if a["correct"])
    assert quiz.question == entry["question"]
    assert quiz.choose(right) and entry["answers"][right]["feedback"][:20] in quiz.feedback.value
    assert not quiz.choose((right + 1) % len(entry["answers"]))
    bundle = quiz._repr_mimebundle_()
    text, page = bundle["text/plain"], bundle["text/html"]
    assert entry["question"] in text and "Show answer" not in text
    assert all(a["answer"] in text for a in entry["answers"])
    assert text == course.quiz("06", quiz_id)._repr_mimebundle_()["text/plain"]
    shown, folded = page.split("<details>")
    why = html.escape(entry["answers"][right]["feedback"], quote=False)
    assert "<summary>Show answer</summary>" in folded and why in folded and why not in shown
    with pytest.raises(KeyError, match=quiz_id):
        course.quiz("06", "no-such-question")


def test_wrong_answers_can_say_why():
    entry = {"id": "q", "question": "Who picks the host?",
             "answers": [{"answer": "nova-api", "correct": False,
                          "feedback": "nova-api only validates and casts."},
                         {"answer": "nova-scheduler", "correct": True,
                          "feedback": "filters, then weighers"}]}
    quiz = course.Quiz.from_entry(entry)
    assert not quiz.choose(0) and "only validates" in quiz.feedback.value
    assert quiz.choose(1) and "weighers" in quiz.feedback.value


def _quiz_calls(path):
    """(bank, id) of bank calls and the question of inline calls, per notebook cell."""
    refs, inline = [], []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or "course.quiz(" not in cell.source:
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "quiz":
                args = [ast.literal_eval(a) for a in node.args[:2]]
                if isinstance(args[1], str):
                    refs.append(tuple(args))
                else:
                    inline.append(args[0])
    return refs, inline


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_quiz_of_a_notebook_is_in_the_bank(path):
    """Bank calls name an existing id; inline ones (not yet moved) are already in the bank."""
    refs, inline = _quiz_calls(path)
    assert refs or inline, f"{path.name} has no quiz"
    bank = path.name[:2]
    known = load_bank(bank)
    for name, quiz_id in refs:
        assert name == bank, f"{path.name} shows a quiz of another chapter's bank {name!r}"
        assert quiz_id in known, f"{path.name}: no quiz {quiz_id!r} in data/quizzes/{bank}.json"
    questions = {e["question"] for e in known.values()}
    missing = [q for q in inline if q not in questions]
    assert not missing, f"run tools/extract_quizzes.py: not in the bank: {missing}"


def test_extract_tool_fills_a_bank_once_and_keeps_edits(tmp_path):
    tool = repo_tools.load("extract_quizzes")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "course.quiz('Which service picks the host?',\n"
        "            ['nova-api', 'nova-scheduler'], answer=1, explanation='The scheduler.')"),
        nbformat.v4.new_code_cell("course.quiz('What is a cast?', ['one way', 'a call'], 0)"),
        nbformat.v4.new_code_cell('course.quiz("42", "already-moved")')]
    (tmp_path / "nb").mkdir()
    nbformat.write(nb, tmp_path / "nb" / "42.00-Test.ipynb")
    lines = tool.extract(tmp_path / "nb", tmp_path / "bank")
    assert lines == [f'42.00-Test.ipynb {nb.cells[0].id}: course.quiz("42", "service-picks-host")',
                     f'42.00-Test.ipynb {nb.cells[1].id}: course.quiz("42", "cast")']
    bank = json.loads((tmp_path / "bank" / "42.json").read_text())
    assert bank[0]["answers"] == [{"answer": "nova-api", "correct": False},
                                  {"answer": "nova-scheduler", "correct": True,
                                   "feedback": "The scheduler."}]
    bank[0]["id"] = "who-schedules"                       # a later edit to the bank
    (tmp_path / "bank" / "42.json").write_text(json.dumps(bank))
    again = tool.extract(tmp_path / "nb", tmp_path / "bank")
    assert again[0].endswith('course.quiz("42", "who-schedules")')
    assert json.loads((tmp_path / "bank" / "42.json").read_text()) == bank
    assert load_bank("42", tmp_path / "bank" / "42.json")["cast"]["answers"][0]["correct"]


def test_progress_bar_saves_its_final_count(tmp_path):
    """Run in a real kernel: the saved output ends at 3 of 3, and carries HTML for a page."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from labkit import course\n"
        "with course.progress(3, 'built') as bar:\n"
        "    for i in range(3):\n"
        "        bar.value = i + 1\n")]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    [output] = nb.cells[0].outputs
    assert output.data["text/plain"] == "Progress('built', total=3)"
    assert "built: 3 of 3" in output.data["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in output.data


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_the_right_answer_does_not_stand_out(path):
    """A learner should not find the right option by where it sits or by its length:
    in each bank no position holds the right answer in more than half the questions,
    and the right answer is the longest option in at most half of them."""
    entries = json.loads(path.read_text())
    positions, longest = {}, []
    for entry in entries:
        lengths = [len(a["answer"]) for a in entry["answers"]]
        right = next(i for i, a in enumerate(entry["answers"]) if a["correct"])
        positions.setdefault(right, []).append(entry["id"])
        if lengths[right] > max(n for i, n in enumerate(lengths) if i != right):
            longest.append(entry["id"])
    half = len(entries) // 2 if len(entries) > 3 else len(entries)
    crowded = {chr(65 + i): ids for i, ids in positions.items() if len(ids) > half}
    assert not crowded, f"{path.name}: the right answer sits at one position too often: {crowded}"
    assert len(longest) <= half, (f"{path.name}: the right answer is the longest option in "
                                  f"{len(longest)} of {len(entries)} questions: {longest}")
