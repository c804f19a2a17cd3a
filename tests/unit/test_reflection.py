"""labkit.common.reflection: one name for a handler, whatever form it comes in."""
from labkit.common.reflection import get_callable_name
from labkit.nova.compute.manager import ComputeManager


def _plain():
    pass


class _Thing:
    def method(self):
        pass


def test_functions_methods_and_classes_are_named_by_module_and_qualname():
    assert get_callable_name(_plain) == f"{__name__}._plain"
    assert get_callable_name(_Thing.method) == f"{__name__}._Thing.method"
    assert get_callable_name(_Thing().method) == f"{__name__}._Thing.method"
    assert get_callable_name(ComputeManager) == "labkit.nova.compute.manager.ComputeManager"
    assert get_callable_name(ComputeManager.build_and_run_instance) == \
        "labkit.nova.compute.manager.ComputeManager.build_and_run_instance"
