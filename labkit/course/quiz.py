"""A multiple-choice question that answers back: right or wrong, and why.

The questions live in a quiz bank, one JSON file per chapter
(``data/quizzes/06.json`` for ``06.00-Shelving.ipynb``), so the answer is not
in the notebook cell a learner reads right under a "Predict" prompt::

    course.quiz("06", "shelve-path")

shows question ``shelve-path`` of ``data/quizzes/06.json``.  A bank file is a
JSON list in jupyterquiz's multiple-choice schema plus an ``id``::

    [{"id": "shelve-path", "question": "Which path does a shelve take?",
      "type": "multiple_choice",
      "answers": [{"answer": "api → compute", "correct": true,
                   "feedback": "why it is right (shown once answered)"},
                  {"answer": "api → conductor → compute", "correct": false,
                   "feedback": "optional: why this one is wrong"}]}]

Exactly one answer is correct; its ``feedback`` is the explanation.

The quiz is an ipywidgets box with one button per option; clicking one says ✓
or ✗ and why.  Its saved output also carries what a page without a kernel
shows: ``text/html`` with the question, the options and the answer folded in
``<details>``, and ``text/plain`` (what nbval compares) with the question and
options only.
"""
import html
import json
import pathlib

import ipywidgets as widgets

from labkit.config import DATA_DIR

LETTERS = "ABCDEFGH"
BANK_DIR = DATA_DIR / "quizzes"


class Quiz(widgets.VBox):
    """One question; ``answer`` is the index (0 = A) or the text of the right option.

    :param feedback: optional, one text per option, said when that option is chosen.
    """

    def __init__(self, question, options, answer, explanation="", feedback=None):
        options = list(options)
        if isinstance(answer, str):
            answer = options.index(answer)
        if not 0 <= answer < len(options):
            raise ValueError("answer must name one of the options")
        if len(options) > len(LETTERS):
            raise ValueError(f"at most {len(LETTERS)} options")
        self.question, self.options = question, options
        self.answer, self.explanation = answer, explanation
        self.feedback_for = list(feedback or [""] * len(options))
        self.feedback = widgets.HTML("")
        buttons = []
        for i, option in enumerate(options):
            button = widgets.Button(description=f"{LETTERS[i]}) {option}"[:80],
                                    tooltip=option, layout=widgets.Layout(width="auto"))
            button.on_click(lambda _b, i=i: self.choose(i))
            buttons.append(button)
        title = widgets.HTML(f"<b>Quiz.</b> {html.escape(question)}")
        super().__init__([title, widgets.VBox(buttons), self.feedback])

    @classmethod
    def from_entry(cls, entry):
        """A quiz from one bank entry (see the module docstring)."""
        answers = entry["answers"]
        right = next(i for i, a in enumerate(answers) if a.get("correct"))
        feedback = [a.get("feedback", "") if i != right else "" for i, a in enumerate(answers)]
        return cls(entry["question"], [a["answer"] for a in answers], right,
                   answers[right].get("feedback", ""), feedback)

    def choose(self, index):
        """Answer the question as if button ``index`` was clicked; returns True if right."""
        right = index == self.answer
        mark = "✓ Right." if right else f"✗ Not {LETTERS[index]}."
        colour = "green" if right else "#b00"
        why = self.explanation if right else self.feedback_for[index]
        why = f" {html.escape(why)}" if why else ""
        again = "" if right else " Try again."
        self.feedback.value = f"<span style='color:{colour}'>{mark}</span>{why}{again}"
        return right

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)      # ipywidgets cuts it at 110 characters
        bundle["text/html"] = self.static_html()
        return bundle

    def static_html(self):
        """The question, the options and the answer folded away: a saved page's quiz."""
        def text(s):
            return html.escape(s, quote=False)
        options = "<br>".join(f"{LETTERS[i]}) {text(o)}" for i, o in enumerate(self.options))
        why = f" — {text(self.explanation)}" if self.explanation else ""
        right = f"{LETTERS[self.answer]}) {text(self.options[self.answer])}"
        return (f"<div class=\"labkit-quiz\"><p><b>Quiz.</b> {text(self.question)}</p>"
                f"<p>{options}</p><details><summary>Show answer</summary>"
                f"<p><b>{right}</b>{why}</p></details></div>")

    def __repr__(self):
        lines = [f"Quiz: {self.question}"]
        lines += [f"  {LETTERS[i]}) {o}" for i, o in enumerate(self.options)]
        lines.append("  (run the notebook and click an answer to check it)")
        return "\n".join(lines)


def bank_path(bank):
    """``"06"`` -> ``data/quizzes/06.json``."""
    return BANK_DIR / f"{bank}.json"


def check_entry(entry):
    """Raise ValueError unless ``entry`` is a well-formed bank question."""
    name = entry.get("id", "<no id>")
    for key in ("id", "question", "answers"):
        if not entry.get(key):
            raise ValueError(f"quiz {name}: missing {key!r}")
    if entry.get("type", "multiple_choice") != "multiple_choice":
        raise ValueError(f"quiz {name}: only multiple_choice questions are supported")
    answers = entry["answers"]
    if not 2 <= len(answers) <= len(LETTERS):
        raise ValueError(f"quiz {name}: needs 2 to {len(LETTERS)} answers")
    if any(not a.get("answer") for a in answers):
        raise ValueError(f"quiz {name}: an answer without text")
    if sum(bool(a.get("correct")) for a in answers) != 1:
        raise ValueError(f"quiz {name}: exactly one answer must be correct")
    texts = [a["answer"] for a in answers]
    if len(set(texts)) != len(texts):
        raise ValueError(f"quiz {name}: two answers are the same")


def load_bank(bank, path=None):
    """``{id: entry}`` for one bank file, checked (ids unique, one right answer each)."""
    path = pathlib.Path(path) if path else bank_path(bank)
    if not path.exists():
        raise FileNotFoundError(f"no quiz bank {bank!r} (looked for {path})")
    entries = json.loads(path.read_text())
    out = {}
    for entry in entries:
        check_entry(entry)
        if entry["id"] in out:
            raise ValueError(f"quiz bank {bank!r}: id {entry['id']!r} appears twice")
        out[entry["id"]] = entry
    return out


def quiz(bank, quiz_id, answer=None, explanation=""):
    """Show question ``quiz_id`` of bank ``bank``: ``course.quiz("06", "shelve-path")``.

    NOTE(labkit): the older inline form ``quiz(question, options, answer, explanation)``
    (options a list) still builds a :class:`Quiz`, for cells not yet moved to the bank.
    """
    if not isinstance(quiz_id, str):
        return Quiz(bank, quiz_id, answer, explanation)
    entries = load_bank(bank)
    if quiz_id not in entries:
        raise KeyError(f"no quiz {quiz_id!r} in bank {bank!r}; it has: {', '.join(entries)}")
    return Quiz.from_entry(entries[quiz_id])
