"""The KurrentDB double keeps the server's rules our fixes rely on (and the recorder's quirk).

If one of these fails, the double no longer models the server, and the tests that run
against it prove nothing.
"""

from __future__ import annotations

import pytest
from eventsourcing_kurrentdb.recorders import KurrentDBApplicationRecorder
from kurrentdbclient import NewEvent, StreamState
from kurrentdbclient.exceptions import (
    InvalidCommitPositionError,
    MaximumAppendSizeExceededError,
    WrongCurrentVersionError,
)

from tests.support.kurrentdb_model import KurrentDBModel
from tests.support.kurrentdb_wiring import write_foreign_events


def append(model: KurrentDBModel, stream: str, *types: str, version=StreamState.ANY) -> int:
    events = [NewEvent(type=event_type, data=b"{}") for event_type in types]
    return model.append_events(stream, events=events, current_version=version)


def test_positions_are_increasing_byte_offsets_with_gaps():
    model = KurrentDBModel()
    first, second = append(model, "s-1", "a"), append(model, "s-1", "b")

    assert second - first > 1
    assert [e.commit_position for e in model.read_all(commit_position=first)] == [first, second]


def test_a_read_must_start_at_an_existing_position_or_the_start():
    model = KurrentDBModel()
    position = append(model, "s-1", "a")

    assert len(list(model.read_all(commit_position=0, filter_exclude=()))) == 4  # 3 system
    with pytest.raises(InvalidCommitPositionError):
        list(model.read_all(commit_position=position - 1))


def test_reading_backwards_starts_at_the_end_and_excludes_a_given_position():
    model = KurrentDBModel()
    first, second = append(model, "s-1", "a"), append(model, "s-1", "b")

    assert [e.commit_position for e in model.read_all(backwards=True, limit=2)] == [second, first]
    assert (
        next(iter(model.read_all(backwards=True, commit_position=second))).commit_position == first
    )


def test_the_default_filter_hides_system_events_but_not_other_applications():
    model = KurrentDBModel()
    write_foreign_events(model, "OtherApp.Thing")

    assert [e.type for e in model.read_all()] == ["OtherApp.Thing"]


def test_an_include_filter_of_several_types_leaves_the_middle_ones_unanchored():
    model = KurrentDBModel()
    write_foreign_events(model, "x.b.y", "a", "c")

    assert [e.type for e in model.read_all(filter_include=["a", "b", "c"])] == ["x.b.y", "a", "c"]


def test_an_append_over_the_maximum_size_is_refused():
    model = KurrentDBModel(max_append_size=100)

    with pytest.raises(MaximumAppendSizeExceededError):
        model.append_events(
            "s-1", events=[NewEvent(type="a", data=b"x" * 101)], current_version=StreamState.ANY
        )


def test_appends_check_the_expected_stream_version():
    model = KurrentDBModel()
    append(model, "s-1", "a", version=StreamState.NO_STREAM)

    with pytest.raises(WrongCurrentVersionError):
        append(model, "s-1", "b", version=StreamState.NO_STREAM)
    append(model, "s-1", "b", version=0)
    assert model.get_current_version("s-1") == 1


def test_the_library_recorder_returns_one_event_past_stop_with_a_filter():
    model = KurrentDBModel()
    recorder = KurrentDBApplicationRecorder(model)  # type: ignore[arg-type]
    start = append(model, "s-1", "x")
    wanted = append(model, "s-1", "a")
    stop = append(model, "s-1", "b")
    beyond = append(model, "s-1", "a")

    notifications = recorder.select_notifications(
        start, 10, stop=stop, topics=["a"], inclusive_of_start=False
    )

    assert [n.id for n in notifications] == [wanted, beyond]
