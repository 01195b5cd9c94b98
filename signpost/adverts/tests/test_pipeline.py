import gc

import pytest

from signpost.adverts import pipeline


def _collector_enabled(_task: object) -> bool:
    return gc.isenabled()


def _fail(_task: object) -> None:
    raise ValueError("bad task")


def test_worker_tasks_run_with_the_collector_paused_and_this_process_keeps_it():
    with pipeline.Analyser(1) as analyser:
        collect = analyser.map_later(_collector_enabled, [1, 2])
        assert collect() == [False, False]
    assert gc.isenabled()


def test_the_collector_is_back_after_a_task_that_failed():
    with pytest.raises(ValueError, match="bad task"):
        pipeline._without_collector(_fail, None)
    assert gc.isenabled()
    assert pipeline._without_collector(_collector_enabled, None) is False
    assert gc.isenabled()
