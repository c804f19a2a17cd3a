"""A conductor task: ``execute`` runs ``_execute`` and, if it raises, ``rollback``.

Real nova: nova/conductor/tasks/base.py — TaskBase and rollback_wrapper.
"""
import functools


def rollback_wrapper(original):
    """Call the task's ``rollback(ex)`` when ``original`` raises, then re-raise."""
    @functools.wraps(original)
    def wrap(self):
        try:
            return original(self)
        except Exception as ex:
            self.rollback(ex)
            raise
    return wrap


class TaskBase:
    """One operation on one instance; subclasses write ``_execute`` (and ``rollback``)."""

    def __init__(self, context, instance):
        self.context = context
        self.instance = instance

    @rollback_wrapper
    def execute(self):
        """Run the task; its ``rollback`` undoes what it did if it fails."""
        return self._execute()

    def _execute(self):
        raise NotImplementedError()

    def rollback(self, ex):
        """Undo what ``_execute`` changed (nothing by default)."""
