"""labkit.ids: seeded resource ids, and the ids and secrets that are never seeded."""
import collections
import re

from labkit.ids import IdGenerator


def test_a_seed_gives_the_same_resource_ids_and_no_seed_does_not():
    first, second = IdGenerator(seed=7), IdGenerator(seed=7)
    assert [first.uuid4() for _ in range(3)] == [second.uuid4() for _ in range(3)]
    assert first.mac() == second.mac()
    assert IdGenerator().uuid4() != IdGenerator().uuid4()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        first.uuid4())


def test_message_ids_are_32_hex_digits_and_unique():
    ids = {IdGenerator.message_id() for _ in range(10000)}
    assert len(ids) == 10000
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_passwords_draw_every_character_of_nova_s_alphabet_evenly():
    alphabet = set("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    passwords = [IdGenerator.password() for _ in range(5000)]
    assert {len(p) for p in passwords} == {12} and len(IdGenerator.password(40)) == 40
    counts = collections.Counter("".join(passwords))
    assert set(counts) == alphabet            # no l, I, O, 0 or 1: they read alike
    expected = 5000 * 12 / len(alphabet)
    assert all(abs(n - expected) < 0.2 * expected for n in counts.values())
