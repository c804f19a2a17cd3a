"""openstacksdk's resize, confirm, revert and cold migration against an in-process lab
(sdk_resize.py)."""


def test_sdk_resize_and_migrate(clients, lab):
    out = clients.python("sdk_resize.py", "labkit-admin").stdout.splitlines()
    assert out == ["resized m1.small True", "reverted m1.small",
                   "same-flavor 400 When resizing, instances must change flavor!",
                   "migrated True",
                   "migrations resize:confirmed resize:reverted migration:confirmed",
                   "deleted"]
    # confirmResize reaches the source host (topic compute); the revert's second half
    # goes from the destination to the source on compute-alt
    casts = [(e["name"], e.get("topic")) for e in lab.trace.events(kind="cast")]
    assert ("confirm_resize", "compute") in casts
    assert ("finish_revert_resize", "compute-alt") in casts
