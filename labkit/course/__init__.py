"""Course helpers for the labkit notebooks: quizzes, exercise checks, small views.

Nothing here is part of the control plane; the notebooks in ``notebooks/``
import it to give the learner feedback (``quiz`` from the bank in ``data/quizzes/``,
``check_*``), a progress bar that keeps its end (``progress``), and to print
what the trace recorded in a compact, repeatable form (``show``).
``labkit.course.exercises`` turns a notebook with solutions into a learner copy
(``tools/make_exercises.py``).
"""
from labkit.course.checks import (check, check_equal, check_filter, check_hops,
                                  check_states)
from labkit.course.progress import Progress, progress
from labkit.course.quiz import Quiz, load_bank, quiz
from labkit.course.show import (first, folded, hops, over_rabbitmq, pretty, show_message,
                                show_source, state_changes)

#: The walkthrough's ``--nic net-id=...``: the seeded "private" network (192.168.1.0/24).
PRIVATE_NET = "b745b2c6-db16-40ab-8ad7-af6da0e5e699"

__all__ = ["PRIVATE_NET", "Progress", "Quiz", "load_bank", "progress", "quiz", "check",
           "check_equal", "check_filter", "check_hops", "check_states", "first", "folded", "hops",
           "over_rabbitmq", "pretty", "show_message", "show_source", "state_changes"]
