"""Replaying the log into one generation as fast as the store takes it (a rebuild's build).

Batches are larger than the live runner's (a batch costs about the same fixed work
whatever its size), the next batch is read and decoded on a second thread while the last
one is folded and written (the databases' drivers release the GIL while they work), and
the collector runs less often meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from eventstore.log import Batch, EventLog
from projections.core import ProjectionView

REPLAY_BATCH = 10_000
# A replay allocates a few objects per event and keeps a batch of them alive: the default
# threshold (700) walks the young heap every few events and the old one ever more often.
REPLAY_GC_THRESHOLD = (100_000, 50, 100)


def replay(
    log: EventLog,
    view: ProjectionView,
    generation: int,
    until: int,
    progress: Callable[[int], None] | None = None,
    batch_size: int = REPLAY_BATCH,
) -> int:
    """Apply the log after `generation`'s position up to `until`; its position after.

    Every batch is still one transaction with its position, so an interrupted replay
    resumes where it stopped, and a batch that finds the position moved (another replay
    of the same generation) re-reads from the stored one instead of applying twice.
    """
    after = view.position(generation)
    topics = view.projector.topics

    def read(position: int) -> Batch:
        batch = log.read_batch(position, batch_size, topics)
        if batch.upto <= until:
            return batch
        return Batch([e for e in batch.events if e.position <= until], until)

    def next_read(position: int) -> Future[Batch] | None:
        return reader.submit(read, position) if position < until else None

    reader = ThreadPoolExecutor(1, thread_name_prefix=f"replay-{view.name}")
    with reader, _fewer_collections(), view.bulk():
        pending = next_read(after)
        while pending is not None:
            batch = pending.result()
            if batch.upto <= after:
                break
            pending = next_read(batch.upto)  # read while this one is written
            if view.apply(batch.events, after, batch.upto, generation):
                after = batch.upto
            else:  # written under us: read again from what is stored
                if pending is not None:
                    pending.result()
                after = view.position(generation)
                pending = next_read(after)
            if progress:
                progress(after)
    return view.position(generation)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*REPLAY_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)
