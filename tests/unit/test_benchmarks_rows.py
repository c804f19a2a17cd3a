"""The benchmark table's rows: what a refused action and a resize's two parts print."""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import in_kernel, moves  # noqa: E402
from benchmarks.__main__ import _row  # noqa: E402
from benchmarks.client import Refused  # noqa: E402

NO_SUCH_ACTION = {"badRequest": {"code": 400, "message": "There is no such action: resize"}}
CONFLICT = {"conflictingRequest": {"code": 409, "message": "Cannot 'resize' instance while "
                                   "it is in task_state resize_prep"}}


def test_an_action_nova_api_does_not_route_is_not_served():
    assert Refused("resize", 400, NO_SUCH_ACTION).not_served
    assert moves.why_not(Refused("resize", 400, NO_SUCH_ACTION)) == \
        "not measured: this lab does not serve `resize` yet"


def test_a_refusal_for_this_server_is_a_failure_with_nova_s_message():
    refused = Refused("resize", 409, CONFLICT)
    assert not refused.not_served
    assert moves.why_not(refused) == ("failed: `resize` answered 409 Cannot 'resize' instance "
                                      "while it is in task_state resize_prep")
    bad = {"badRequest": {"code": 400, "message": "Invalid input for field/attribute resize."}}
    assert not Refused("resize", 400, bad).not_served
    assert moves.why_not(Refused("os-migrateLive", 500, None)) == \
        "failed: `os-migrateLive` answered 500"


def test_a_row_not_measured_keeps_its_target_and_says_why():
    row = _row(moves.LIVE_MIGRATION, "not measured: this lab does not serve `x` yet")
    assert row == ("| live migration → ACTIVE on another host | not measured: this lab does "
                   "not serve `x` yet | | | < 40 ms | |")


def test_the_resize_row_adds_up_its_parts_and_names_their_medians():
    samples = {moves.PARTS[0]: [0.020, 0.022, 0.030], moves.PARTS[1]: [0.008, 0.009, 0.012]}
    assert moves.parts_text(samples) == "resize 22.0 + confirm 9.0 ms"
    row = _row(moves.RESIZE, [0.028, 0.031, 0.042], lab_medians=[0.031],
               note=moves.parts_text(samples))
    assert row == ("| resize + confirm → ACTIVE | 31.0 ms | 42.0 ms | 28.0–42.0 ms; "
                   "resize 22.0 + confirm 9.0 ms | < 40 ms met |  |")


def test_the_kernel_rows_name_where_the_client_ran_and_its_poll():
    rows = in_kernel.kernel_rows({"boot → ACTIVE": [0.015]}, 0.001)
    assert rows == {"boot → ACTIVE (client in the kernel, 1 ms poll)": [0.015]}
    assert set(in_kernel.ROWS) == {"boot → ACTIVE", "shelve → SHELVED_OFFLOADED",
                                   "unshelve → ACTIVE"}


def test_the_clients_take_turns_in_blocks_of_ten_rounds():
    from benchmarks.__main__ import _blocks
    assert _blocks(30) == [10, 10, 10]
    assert _blocks(25) == [10, 10, 5]
    assert _blocks(2) == [2]
    assert _blocks(0) == []
