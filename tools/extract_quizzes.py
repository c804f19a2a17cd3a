"""Copy the notebooks' inline quizzes into the quiz bank: notebooks/*.ipynb -> data/quizzes/NN.json.

An inline quiz cell holds its own answer::

    course.quiz('Which path does a shelve take?', [...], answer=1, explanation='...')

This script reads every such call (question, options, answer, explanation),
gives it an id made from the question's words, and adds it to the bank of its
chapter (``06.00-Shelving.ipynb`` -> ``data/quizzes/06.json``) in the bank's
format (see ``labkit/course/quiz.py``).  A question already in the bank (same
text) keeps its entry and id, so running it again changes nothing and never
undoes later edits to the bank.  It prints, for every call, the cell and the
line that replaces it::

    06.00-Shelving.ipynb cell-08: course.quiz("06", "path-shelve-take")

It does not change the notebooks.

    .venv/bin/python tools/extract_quizzes.py [--dry-run]
"""
import argparse
import ast
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from labkit.course.quiz import check_entry  # noqa: E402

PARAMS = ("question", "options", "answer", "explanation")
STOPWORDS = set("""a an and are as at be by can do does did for from has have how in is it its
of on or the their then there these this to what when where which who whom why with without
you your does many much one""".split())


def quiz_calls(source):
    """The literal ``course.quiz(question, options, answer, explanation)`` calls in a cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "quiz" and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "course"):
            continue
        args = dict(zip(PARAMS, node.args))
        args.update({k.arg: k.value for k in node.keywords})
        if not isinstance(args.get("options"), (ast.List, ast.Tuple)):
            continue                       # already a bank call: course.quiz("06", "id")
        found.append({k: ast.literal_eval(v) for k, v in args.items()})
    return found


def slug(question, taken, words=4):
    """An id from the question's first meaningful words, unique among ``taken``."""
    text = question.lower().replace("'s ", " ")
    parts = [w for w in re.findall(r"[a-z0-9_]+", text) if w not in STOPWORDS]
    base = "-".join(parts[:words]) or "quiz"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def entry(call, quiz_id):
    """A bank entry (jupyterquiz's multiple-choice schema plus ``id``) from one call."""
    options = list(call["options"])
    answer = call["answer"]
    right = options.index(answer) if isinstance(answer, str) else answer
    answers = [{"answer": o, "correct": i == right} for i, o in enumerate(options)]
    if call.get("explanation"):
        answers[right]["feedback"] = call["explanation"]
    made = {"id": quiz_id, "question": call["question"], "type": "multiple_choice",
            "answers": answers}
    check_entry(made)
    return made


def extract(src, out, write=True):
    """Add every inline quiz of ``src/*.ipynb`` to ``out/NN.json``; returns the lines to print."""
    src, out = pathlib.Path(src), pathlib.Path(out)
    lines, banks = [], {}
    for path in sorted(src.glob("*.ipynb")):
        bank = path.name[:2]
        if bank not in banks:
            file = out / f"{bank}.json"
            banks[bank] = json.loads(file.read_text()) if file.exists() else []
        entries = banks[bank]
        for number, cell in enumerate(json.loads(path.read_text())["cells"]):
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for call in quiz_calls(source):
                known = next((e for e in entries if e["question"] == call["question"]), None)
                if known is None:
                    known = entry(call, slug(call["question"], {e["id"] for e in entries}))
                    entries.append(known)
                lines.append(f"{path.name} {cell.get('id', number)}: "
                             f"course.quiz({json.dumps(bank)}, {json.dumps(known['id'])})")
    if write:
        out.mkdir(parents=True, exist_ok=True)
        for bank, entries in banks.items():
            if entries:
                text = json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
                (out / f"{bank}.json").write_text(text)
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default=str(ROOT / "notebooks"))
    parser.add_argument("--out", default=str(ROOT / "data" / "quizzes"))
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = parser.parse_args(argv)
    for line in extract(args.src, args.out, write=not args.dry_run):
        print(line)


if __name__ == "__main__":
    main()
