"""Find the classes of one kind: every one in a package, or the ones a config names.

Real nova: nova/loadables.py (BaseLoader), which the scheduler's filters
(``[filter_scheduler] available_filters``, default ``all_filters``) and
weighers (``[filter_scheduler] weight_classes``, default ``all_weighers``)
are loaded with.  Nothing is registered anywhere: a class is found by where it
lives, so a filter a notebook or a test defines is seen only by the lab whose
options name it.
"""
import importlib
import inspect
import pkgutil

from labkit.nova import exception


class BaseLoader:
    """Loads the subclasses of ``loadable_cls_type`` from the package it is defined in."""

    def __init__(self, loadable_cls_type):
        self.package = loadable_cls_type.__module__
        self.loadable_cls_type = loadable_cls_type

    def _is_correct_class(self, obj):
        """A class of the right type whose name does not start with an underscore."""
        return (inspect.isclass(obj) and not obj.__name__.startswith("_")
                and issubclass(obj, self.loadable_cls_type))

    def _get_classes_from_module(self, module_name):
        module = importlib.import_module(module_name)
        # NOTE(labkit): nova takes every matching name in dir(module); only the classes
        # the module defines count here, so one it imports is not found twice.
        return [obj for name, obj in sorted(vars(module).items())
                if not name.startswith("_") and self._is_correct_class(obj)
                and obj.__module__ == module.__name__]

    def get_all_classes(self):
        """Every matching class in the modules of this package (not ``__init__``)."""
        path = importlib.import_module(self.package).__path__
        classes = []
        for info in sorted(pkgutil.iter_modules(path), key=lambda i: i.name):
            classes.extend(self._get_classes_from_module(f"{self.package}.{info.name}"))
        return classes

    def get_matching_classes(self, loadable_class_names):
        """The classes named: each a dotted path to a class, or to a function that
        returns classes (``...filters.all_filters``).

        NOTE(labkit): a class object itself is taken as well — what a notebook
        passes for a filter it has just defined (nova reads dotted paths from
        nova.conf; ``"__main__.MyFilter"`` works here too).
        """
        classes = []
        for name in loadable_class_names:
            obj = name if inspect.isclass(name) else _import_object(name)
            if self._is_correct_class(obj):
                classes.append(obj)
            elif inspect.isfunction(obj):
                for cls in obj():
                    if not self._is_correct_class(cls):
                        raise exception.ClassNotFound(class_name=cls, exception=(
                            f"{cls!r} is not a {self.loadable_cls_type.__name__}"))
                    classes.append(cls)
            else:
                raise exception.ClassNotFound(class_name=name, exception=(
                    f"not a {self.loadable_cls_type.__name__} or a function returning them"))
        return classes


def _import_object(path):
    module_name, _, attr = str(path).rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise exception.ClassNotFound(class_name=path, exception=exc) from None
