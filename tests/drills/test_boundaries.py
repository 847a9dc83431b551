"""The quick drills' choice of crash points."""

from __future__ import annotations

from tests.drills.boundaries import QUICK_POINTS, crash_points


def test_the_quick_choice_kills_at_the_first_and_last_of_every_kind() -> None:
    kinds = ["saved"] * 30 + ["sent"] + ["saved"] * 10 + ["committed"] * 2

    chosen = crash_points(kinds, full=False)

    assert {1, 31, 41, 42, 43} <= set(chosen)
    assert len(chosen) <= QUICK_POINTS + len(set(kinds)) * 2
    assert chosen == sorted(set(chosen))
    assert chosen[0] >= 1
    assert chosen[-1] <= len(kinds)


def test_the_full_drill_kills_at_every_boundary() -> None:
    assert crash_points(["a", "b", "a"], full=True) == [1, 2, 3]
