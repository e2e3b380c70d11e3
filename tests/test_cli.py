"""The command line's own messages: usage lines, help, and misspelt options."""

from __future__ import annotations

import socket
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


def test_serve_says_why_it_cannot_listen(tmp_path) -> None:
    """A port in use, and a --host that is no address of this computer (192.0.2.1 is
    TEST-NET-1, RFC 5737): each its own message, exit 1, nothing built. Both used to say
    "Another server may be using this port"."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run("serve", "--port", str(port), "--output", str(tmp_path / "site"))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"Cannot serve on 127.0.0.1:{port}: another server is using this port (another "
        f"serve, perhaps): pick another with --port, e.g. --port {port + 1}.\n")
    done = run("serve", "--host", "192.0.2.1", "--port", "8765",
               "--output", str(tmp_path / "site"))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        'Cannot serve on 192.0.2.1:8765: "192.0.2.1" is not an address of this computer: '
        "leave --host out to serve to this computer only, or give one of its own addresses "
        "(--host 0.0.0.0 serves on all of them, for a phone on the same network).\n")
    assert not (tmp_path / "site").exists()
