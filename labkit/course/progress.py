"""A progress bar whose saved output ends with its final count, not ``IntProgress(value=0…)``.

``ipywidgets.IntProgress`` is displayed when a loop starts, so the output a
notebook saves holds its state at that moment.  ``progress`` re-sends the
output when the loop ends (``update_display``), and each output carries, besides
the widget, a ``text/html`` line (``<progress>`` and "built: 1000 of 1000") for
pages without a kernel::

    with course.progress(1000, "built") as bar:
        for batch in range(10):
            ...
            bar.value = done
"""
import html

import ipywidgets as widgets
from IPython.display import display


class Progress(widgets.IntProgress):
    """An ``IntProgress`` from 0 to ``total`` that shows itself on ``with`` and saves its end."""

    def __init__(self, total, description=""):
        super().__init__(value=0, min=0, max=total, description=description)
        self._handle = None

    def show(self):
        """Display the bar (once) in the running cell's output."""
        if self._handle is None:
            self._handle = display(self, display_id=True)
        return self

    def done(self):
        """Re-send the output, so the saved page shows the final count."""
        if self._handle is not None:
            self._handle.update(self)

    def __enter__(self):
        return self.show()

    def __exit__(self, *exc):
        self.done()
        return False

    def text(self):
        return f"{self.description}: {self.value} of {self.max}".lstrip(": ")

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        # tests/nbval_sanitize.cfg folds this line: how far a bar got when a cell
        # was saved is timing, not a result
        bundle["text/html"] = (f"<div class=\"labkit-progress\"><progress value=\"{self.value}\" "
                               f"max=\"{self.max}\"></progress> {html.escape(self.text())}</div>")
        return bundle

    def __repr__(self):   # stable for nbval: the total, never the current count
        return f"Progress({self.description!r}, total={self.max})"


def progress(total, description=""):
    """A :class:`Progress` bar; use it in a ``with`` block (or call ``show()``/``done()``)."""
    return Progress(total, description)
