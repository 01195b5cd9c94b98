import fcntl
import gc
import time
from pathlib import Path

import pytest

from signpost.adverts import pipeline


def _collector_enabled(_task: object) -> bool:
    return gc.isenabled()


def _fail(_task: object) -> None:
    raise ValueError("bad task")


def test_worker_tasks_run_with_the_collector_paused_and_this_process_keeps_it():
    with pipeline.Analyser(1) as analyser:
        assert list(analyser.map_later(_collector_enabled, [1, 2])) == [False, False]
    assert gc.isenabled()


def test_the_collector_is_back_after_a_task_that_failed():
    with pytest.raises(ValueError, match="bad task"):
        pipeline._without_collector(_fail, None)
    assert gc.isenabled()
    assert pipeline._without_collector(_collector_enabled, None) is False
    assert gc.isenabled()


def _first_or_wait_for(task: tuple[int, str]) -> str:
    number, flag = task
    if number == 0:
        return "first"
    deadline = time.monotonic() + 20  # the flag never comes if results wait for every task
    while time.monotonic() < deadline:
        if Path(flag).exists():
            return "saw the flag"
        time.sleep(0.01)
    return "no flag"


def test_each_result_comes_as_soon_as_its_task_is_done(tmp_path):
    # The second task waits for a flag the test sets only once it has the first result.
    flag = str(tmp_path / "flag")
    with pipeline.Analyser(1) as analyser:
        results = analyser.map_later(_first_or_wait_for, [(0, flag), (1, flag)])
        assert next(results) == "first"
        Path(flag).touch()
        assert next(results) == "saw the flag"


def _pipe_max_size() -> int:
    try:
        return int(Path("/proc/sys/fs/pipe-max-size").read_text())
    except OSError:
        return 0


def _large_result(size: int) -> bytes:
    return bytes(range(256)) * (size // 256)


@pytest.mark.skipif(
    not hasattr(fcntl, "F_GETPIPE_SZ") or _pipe_max_size() < pipeline.PIPE_BYTES,
    reason="pipe sizes are a Linux setting",
)
def test_the_pools_pipes_hold_a_whole_task_and_result():
    with pipeline.Analyser(2) as analyser:
        pool = analyser.pool
        for queue in (pool._inqueue, pool._outqueue):
            assert fcntl.fcntl(queue._writer.fileno(), fcntl.F_GETPIPE_SZ) == pipeline.PIPE_BYTES
        # Results larger than the pipe still arrive whole, in order.
        sizes = [100_000, 3 * pipeline.PIPE_BYTES, 500_000]
        results = list(analyser.map_later(_large_result, sizes))
    assert [len(result) for result in results] == [size // 256 * 256 for size in sizes]
    assert results[1] == _large_result(sizes[1])
