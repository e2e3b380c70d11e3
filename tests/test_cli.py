"""The command line's own messages: usage lines, help, and misspelt options."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_a_command_missing_its_argument_shows_its_own_usage_once() -> None:
    done = run("new")
    assert done.returncode == 2
    assert done.stderr == ("usage: python build.py new [-h] [--content CONTENT] "
                           "{guide,worksheet} ...\npython build.py new: error: the following "
                           "arguments are required: kind\n")
    done = run("new", "guide")
    assert done.stderr.splitlines()[-1] == ("python build.py new guide: error: the following "
                                            "arguments are required: title")
    assert done.stderr.count("usage:") == 1


def test_a_misspelt_option_gets_a_did_you_mean() -> None:
    done = run("--outptu", "elsewhere")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == ('build.py: error: unrecognized arguments: --outptu '
                                            'elsewhere. Did you mean "--output"?')
    done = run("serve", "--prot", "8001")
    assert done.stderr.splitlines()[-1].endswith('Did you mean "--port"?')


def test_help_names_the_build_options() -> None:
    done = run("--help")
    assert done.returncode == 0
    assert ("Without a command, the options are the build's: --content, --templates, "
            "--output, --pdf,\n--edition, --strict, --force.") in done.stdout


def test_a_port_out_of_range_is_refused_before_serving() -> None:
    for port in ("99999", "65536", "-5", "eighty"):
        done = run("serve", "--port", port)
        assert done.returncode == 2, port
        assert done.stderr.splitlines()[-1] == (
            f"python build.py serve: error: argument --port: {port} is not a port: give a "
            "number from 1 to 65535, like 8000 (or 0 for any free port)")


def test_run_from_another_folder_says_where_to_run_it(tmp_path) -> None:
    """From inside content/ (`../build.py check`): one message naming the project folder,
    not one about a missing content folder and another about the templates."""
    inside = tmp_path / "content"
    inside.mkdir()
    for command in (["check"], ["build"], ["serve", "--port", "8765"]):
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), *command], cwd=inside,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 1, command
        assert done.stderr == (
            f"{inside}: there is no content/ or templates/ folder here: python build.py runs "
            "from the project folder, the one that holds build.py, content/ and templates/\n"
            f"    hint: cd {ROOT} and run it again, or pass --content and --templates with "
            "the right folders\n1 error.\n")
        assert done.stdout == ""
    assert list(tmp_path.iterdir()) == [inside]  # nothing written, no lock, no cache
