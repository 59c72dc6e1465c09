"""The box untrusted work runs in (formkit.limits): a worker process with a time limit (soft,
then a hard kill) and a memory limit, replaced after it overruns."""

from __future__ import annotations

import os
import signal
import time

import pytest

from formkit.errors import FormParseError, InputError, RenderError
from formkit.limits import Messages, Worker, memory_limit_mb, run_limited, time_limit

MESSAGES = Messages(crash="the test file could not be read", error=FormParseError)


def spin() -> None:
    while True:
        pass


def stuck_in_c() -> None:
    # The soft deadline is a signal; blocked, only the hard kill can stop this.
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
    time.sleep(60)


def hog() -> int:
    blocks = [bytearray(50 * 1024 * 1024) for _ in range(100)]
    return len(blocks)


def refuse() -> None:
    raise InputError("is not what it claims to be", file="given.docx", field="body")


def crash() -> None:
    raise KeyError("nowhere")


def pid() -> int:
    return os.getpid()


def test_a_loop_is_stopped_by_the_soft_deadline() -> None:
    worker = Worker()
    with pytest.raises(FormParseError) as caught:
        worker.call(spin, (), file="loop.docx", messages=MESSAGES, timeout=0.3)
    assert str(caught.value) == "loop.docx: took longer than 0.3 seconds, so it was stopped"
    assert worker.call(pid, (), file="x", messages=MESSAGES) != os.getpid()
    worker.close()


@pytest.mark.slow
def test_work_stuck_outside_python_is_killed_and_the_worker_replaced() -> None:
    worker = Worker()
    first = worker.call(pid, (), file="x", messages=MESSAGES)
    with pytest.raises(FormParseError) as caught:
        worker.call(stuck_in_c, (), file="stuck.pdf", messages=MESSAGES, timeout=0.2)
    assert "took longer than 0.2 seconds" in str(caught.value)
    assert worker.call(pid, (), file="x", messages=MESSAGES) not in (first, os.getpid())
    worker.close()


def test_memory_is_limited() -> None:
    worker = Worker(memory_mb=200)
    with pytest.raises(FormParseError) as caught:
        worker.call(hog, (), file="big.docx", messages=MESSAGES, timeout=30)
    assert str(caught.value) == ("big.docx: needed more than 200 MB of memory, so it was stopped")
    worker.close()


def test_errors_come_back_as_themselves() -> None:
    with pytest.raises(InputError) as caught:
        run_limited(refuse, (), file="x", messages=MESSAGES)
    assert str(caught.value) == "given.docx: body: is not what it claims to be"
    with pytest.raises(KeyError, match="nowhere"):  # the batch runner's to describe
        run_limited(crash, (), file="odd.docx", messages=MESSAGES)
    render = Messages(error=RenderError)
    with pytest.raises(RenderError):
        run_limited(spin, (), file="t.docx", messages=render, timeout=0.2)


def test_the_shared_worker_is_kept_between_calls() -> None:
    first = run_limited(pid, (), file="x", messages=MESSAGES)
    assert run_limited(pid, (), file="x", messages=MESSAGES) == first != os.getpid()


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMKIT_TIME_LIMIT", "2.5")
    monkeypatch.setenv("FORMKIT_MEMORY_LIMIT_MB", "300")
    assert (time_limit(), memory_limit_mb(), time_limit(1.0)) == (2.5, 300, 1.0)
    monkeypatch.setenv("FORMKIT_TIME_LIMIT", "soon")
    monkeypatch.delenv("FORMKIT_MEMORY_LIMIT_MB")
    assert (time_limit(), memory_limit_mb()) == (10.0, 1024)
