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
