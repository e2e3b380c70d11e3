"""Run Guidebook on Linux the way it has to run on Windows: no fcntl, no renameat2, no fork.

`install()` takes away, for the rest of the process, what Windows does not have:

- the `fcntl` module (`import fcntl` raises ImportError, as it does on Windows);
- `renameat2` in the C library (as with a C library older than glibc 2.28), so the site is
  swapped in with the fallback of two renames;
- `os.fork`, and multiprocessing starts processes with `spawn`, Windows' only method.

filelock is imported first, so its lock is the system's own one (flock here, msvcrt.locking
on Windows: both released when a killed process ends), as it would be on Windows.

Used by tests/conftest.py when GUIDEBOOK_SIMULATE_WINDOWS=1 (the whole suite runs this
way in .ci/run), and by `python tests/windows.py ARGS...`, which runs `build.py ARGS...`
so simulated (tests start builds in subprocesses this way).

GUIDEBOOK_KILL_AT_RENAME=N (with `python tests/windows.py`) kills the process with SIGKILL
just after its Nth folder rename, to interrupt a swap at an exact point.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys

ENVIRONMENT = "GUIDEBOOK_SIMULATE_WINDOWS"
KILL_AT = "GUIDEBOOK_KILL_AT_RENAME"


class LibraryWithoutRenameat2(ctypes.CDLL):
    """A C library handle that, like an old glibc's (and unlike Windows' none), has no
    renameat2."""

    def __getattr__(self, name: str):  # noqa: ANN204 - ctypes' signature
        if name == "renameat2":
            raise AttributeError(name)
        return super().__getattr__(name)

    def __getitem__(self, name: str):  # noqa: ANN204
        if name == "renameat2":
            raise AttributeError(name)
        return super().__getitem__(name)


def simulated() -> bool:
    """Say whether the suite runs as on Windows (GUIDEBOOK_SIMULATE_WINDOWS=1)."""
    return os.environ.get(ENVIRONMENT) == "1"


def install() -> None:
    """Take fcntl, renameat2 and fork away from this process (see the module docstring)."""
    import filelock  # noqa: F401 - binds the system lock before fcntl goes

    # Idempotent: a spawned worker of a simulated suite imports conftest and runs it again.
    sys.modules["fcntl"] = None  # type: ignore[assignment]
    if not issubclass(ctypes.CDLL, LibraryWithoutRenameat2):
        ctypes.CDLL = LibraryWithoutRenameat2  # type: ignore[misc]
    multiprocessing.set_start_method("spawn", force=True)
    for name in ("fork", "forkpty"):
        if hasattr(os, name):
            delattr(os, name)


def kill_at_rename(count: int) -> None:
    """Make the write module's rename() kill this process after its `count`th rename."""
    from guidebook import write

    real = write.rename
    done = [0]

    def rename(source, target, **options) -> None:  # noqa: ANN001, ANN003
        real(source, target, **options)
        done[0] += 1
        if done[0] == count:
            os.kill(os.getpid(), signal.SIGKILL)

    write.rename = rename


def main(argv: list[str]) -> int:
    """Run build.py's command line, simulated."""
    install()
    if os.environ.get(KILL_AT, "").isdigit():
        kill_at_rename(int(os.environ[KILL_AT]))
    from guidebook.cli import main as cli

    return cli(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
