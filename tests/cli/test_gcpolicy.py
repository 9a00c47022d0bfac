"""The analysis commands' garbage-collection policy is confined to the run."""

from __future__ import annotations

import gc

import pytest

from merkwacht.cli.gcpolicy import THRESHOLDS, long_run


def test_a_run_collects_less_often_and_restores_the_settings_afterwards():
    before = gc.get_threshold()
    with long_run():
        assert gc.get_threshold() == THRESHOLDS
        assert gc.get_freeze_count() > 0  # what existed at the start is out of the collector's sight
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_settings_come_back_when_the_run_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), long_run():
        raise RuntimeError("a rule crashed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_during_a_run_are_still_collected():
    class Node:
        pass

    with long_run():
        a, b = Node(), Node()
        a.other, b.other = b, a
        marker = id(a)
        del a, b
        gc.collect()
        assert not any(id(o) == marker for o in gc.get_objects() if isinstance(o, Node))
