"""Parallel work in one place: worker processes that get their inputs explicitly.

A worker runs `work(shared, task)` for task after task and sends each result back; the
parent merges the results itself. Nothing reaches a worker through module globals, so the
same code runs whatever the start method: `spawn` (Windows, macOS, and Python's choice
wherever forking is unsafe) pickles `shared` once per worker; `fork` (Linux, when no other
thread runs) hands it over without a copy.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
POLL_SECONDS = 0.5  # how often the parent checks that its workers are still alive


class WorkerError(RuntimeError):
    """Raised in the parent when a worker raised or died; carries the worker's traceback."""


def cpu_count() -> int:
    """Return the number of CPUs this process may run on (os.process_cpu_count on 3.13+)."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return counter() or 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows and macOS before Python 3.13
        return os.cpu_count() or 1


def process_context(spawn_only: bool = False) -> BaseContext:
    """Return the multiprocessing context to start workers with.

    The platform's default start method (Python's choice: `spawn` on Windows and macOS,
    `fork` on Linux up to 3.13, `forkserver` from 3.14), except that a process running other
    threads (serve, tests) never forks: a fork copies locks other threads may hold.
    `spawn_only` asks for `spawn` everywhere (for libraries that are unsafe after fork).
    """
    method = multiprocessing.get_start_method()
    if spawn_only or (method == "fork" and threading.active_count() > 1):
        method = "spawn"
    return multiprocessing.get_context(method)


def run(context: BaseContext, workers: int, work: Callable[[S, T], R], shared: S,
        tasks: Sequence[T], fresh: bool | None = None) -> Iterator[tuple[int, R]]:
    """Run work(shared, task) for every task on `workers` processes.

    Yields (index of the task, result) in the order the results arrive. `work` must be a
    module-level function and `shared`, the tasks and the results picklable. Raises
    WorkerError if a task raised (with its traceback) or a worker died; the remaining
    workers are then stopped.

    `fresh` gives every task a new process, at most `workers` at a time; by default it
    does where processes fork. A forked worker shares the parent's memory until it writes
    to it, and merely reading Python objects writes (their reference counts): a process
    that ends after one task gives back what it copied, so the copies never add up to the
    parent's whole site (peak memory), and a fork costs milliseconds. A spawned worker
    imports and unpickles everything first, so it serves task after task.
    """
    if fresh is None:
        fresh = context.get_start_method() == "fork"
    inbox = context.Queue()
    outbox = context.Queue()
    wanted = max(1, min(workers, len(tasks)))
    limit = 1 if fresh else 0  # tasks per process; 0: until the parent sends None
    processes: list = []

    def start() -> None:
        process = context.Process(target=serve_tasks,
                                  args=(work, shared, inbox, outbox, limit), daemon=True,
                                  name=f"guidebook-worker-{len(processes)}")
        process.start()
        processes.append(process)

    try:
        for item in enumerate(tasks):
            inbox.put(item)
        for _ in range(wanted if not fresh else 0):
            inbox.put(None)
        for _ in range(wanted):
            start()
        for _ in range(len(tasks)):
            index, ok, value = receive(outbox, processes)
            if not ok:
                raise WorkerError(f"a worker process failed:\n{value}")
            if fresh and len(processes) < len(tasks):
                start()  # in place of the one that sent this result and is ending
            yield index, value
    finally:
        for process in processes:
            if process.is_alive() and not fresh:
                process.terminate()
            elif process.is_alive():
                process.join(timeout=POLL_SECONDS)  # ending after its result was sent
                if process.is_alive():
                    process.terminate()
            process.join()
        for channel in (inbox, outbox):
            channel.close()
            channel.join_thread()


def receive(outbox: Any, processes: list) -> tuple[int, bool, Any]:
    """Wait for the next result; raise WorkerError if a worker died without sending one."""
    while True:
        try:
            return outbox.get(timeout=POLL_SECONDS)
        except queue.Empty:
            dead = [p for p in processes if p.exitcode not in (None, 0)]
            if dead:
                raise WorkerError(f"worker process {dead[0].name} ended with exit code "
                                  f"{dead[0].exitcode}") from None


def serve_tasks(work: Callable[[S, T], R], shared: S, inbox: Any, outbox: Any,
                limit: int = 0) -> None:
    """In a worker: run tasks until the parent sends None, or `limit` tasks (0: no limit);
    send back each result."""
    done = 0
    while not limit or done < limit:
        item = inbox.get()
        if item is None:
            return
        index, task = item
        try:
            outbox.put((index, True, work(shared, task)))
        except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
            outbox.put((index, False, traceback.format_exc()))
        done += 1


def chunks(count: int, parts: int) -> list[tuple[int, int]]:
    """Split range(count) into about `parts` contiguous (start, end) pieces."""
    size = max(1, -(-count // max(1, parts)))
    return [(start, min(count, start + size)) for start in range(0, count, size)]
