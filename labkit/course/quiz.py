"""A multiple-choice question that answers back: right or wrong, and why.

``quiz(question, options, answer, explanation)`` returns an ipywidgets box
with one button per option.  Clicking one says ✓ or ✗ and shows the
explanation.  Its text form (what a page without a kernel shows, and what
nbval compares) lists the question and the options, never the answer.
"""
import html

import ipywidgets as widgets

LETTERS = "ABCDEFGH"


class Quiz(widgets.VBox):
    """One question; ``answer`` is the index (0 = A) or the text of the right option."""

    def __init__(self, question, options, answer, explanation=""):
        options = list(options)
        if isinstance(answer, str):
            answer = options.index(answer)
        if not 0 <= answer < len(options):
            raise ValueError("answer must name one of the options")
        self.question, self.options = question, options
        self.answer, self.explanation = answer, explanation
        self.feedback = widgets.HTML("")
        buttons = []
        for i, option in enumerate(options):
            button = widgets.Button(description=f"{LETTERS[i]}) {option}"[:80],
                                    tooltip=option, layout=widgets.Layout(width="auto"))
            button.on_click(lambda _b, i=i: self.choose(i))
            buttons.append(button)
        title = widgets.HTML(f"<b>Quiz.</b> {html.escape(question)}")
        super().__init__([title, widgets.VBox(buttons), self.feedback])

    def choose(self, index):
        """Answer the question as if button ``index`` was clicked; returns True if right."""
        right = index == self.answer
        mark = "✓ Right." if right else f"✗ Not {LETTERS[index]}. Try again."
        colour = "green" if right else "#b00"
        why = f" {html.escape(self.explanation)}" if right and self.explanation else ""
        self.feedback.value = f"<span style='color:{colour}'>{mark}</span>{why}"
        return right

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)      # ipywidgets cuts it at 110 characters
        return bundle

    def __repr__(self):
        lines = [f"Quiz: {self.question}"]
        lines += [f"  {LETTERS[i]}) {o}" for i, o in enumerate(self.options)]
        lines.append("  (run the notebook and click an answer to check it)")
        return "\n".join(lines)


def quiz(question, options, answer, explanation=""):
    """Make a :class:`Quiz` (display it as a cell's last value)."""
    return Quiz(question, options, answer, explanation)
