"""Markdown that Python-Markdown is slow on: never a hang, the file named, serve answering.

The fuzzer builds bodies from runs of the characters Markdown treats specially (the kind
of input that once took a minute: thousands of `[` on a line) and converts each with the
deadline guard; every body must come back, converted or reported, within its budget.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidebook.deadline import risk
from guidebook.markup import Converted, Converter

from .test_serve import STEP, STEP_PAGE, serving

DEADLINE = 2.0  # seconds a guarded conversion may take in these tests
# Per body: the deadline, a child process's start, and room for a busy machine.
BUDGET = timedelta(seconds=DEADLINE + 13)
TOKENS = ["[", "]", "(", ")", "![", "[^", "*", "**", "_", "`", "<", ">", "<a ", "<!--", "&",
          "'", '"', "--", "...", "\\", "|", "{", "}", "#", "- ", "1. ", "    ", "\n", "\n\n",
          "word ", "http://x.org ", "<http://x.org>", ":", "!!! note\n", "~~~", "[a](b)",
          "[a][b]", "*[HTML]: x\n", "[^1]: n\n", "> ", "a  \n", "- a\n", "## a\n", "[a]: b\n",
          "<div>", "</div>", "&amp;", "\t", "{: #x }", "x_y_", "*a*", "**a**", "é ", "\u200b"]
run = st.tuples(st.sampled_from(TOKENS), st.sampled_from([1, 2, 3, 10, 100, 300, 1000, 3000,
                                                          20000]))
bodies = st.lists(run, min_size=1, max_size=4).map(lambda runs: "".join(t * n for t, n in runs))


@settings(max_examples=40, deadline=BUDGET, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(body=bodies)
def test_no_markdown_body_takes_longer_than_its_budget(body: str) -> None:
    converter = Converter(deadline=DEADLINE)
    result = converter.convert(body, "g/1-start.md")
    assert isinstance(result, Converted)
    if converter.failures:  # stopped at the deadline, or nested too deeply: named, and empty
        assert [f.source for f in converter.failures] == ["g/1-start.md"]
        assert converter.failures[0].risk == risk(body)
        assert result.html == ""


def test_thousands_of_brackets_are_stopped_at_the_deadline_and_named() -> None:
    converter = Converter(deadline=DEADLINE)
    body = "Some notes.\n\nNotes: " + "[" * 20000 + "\n"
    result = converter.convert(body, "g/1-start.md")
    assert result.html == ""
    (failure,) = converter.failures
    assert (failure.source, failure.seconds) == ("g/1-start.md", DEADLINE)
    assert failure.risk.what == ("20,000 [ characters in one paragraph (Markdown reads each as "
                                 "a possible link)")
    assert failure.risk.line == "Notes: " + "[" * 20000 and failure.risk.col == 8
    # Nothing half-converted is kept: the next conversion tries again.
    assert converter.cache == {}


def test_a_risky_text_that_converts_in_time_gives_the_same_html() -> None:
    body = "Links: " + " ".join(f"[{n}](#n{n})" for n in range(400)) + "\n"
    assert risk(body) is not None
    guarded = Converter(deadline=60).convert(body, "g/1-start.md")
    direct = Converter(guard=False).convert(body, "g/1-start.md")
    assert guarded == direct


def child_processes(parent: int) -> list[str]:
    """Return the command lines of the processes whose parent is `parent` (Linux /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in
                          status.read_text().splitlines() if ":\t" in line)
            if int(fields.get("PPid", "0")) == parent:
                found.append((status.parent / "cmdline").read_bytes().replace(b"\0", b" ")
                             .decode())
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return found


def test_serve_answers_while_a_slow_file_converts_then_names_it(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        path = served.content / STEP
        original = path.read_text(encoding="utf-8")
        path.write_text(original + "\nNotes: " + "[" * 20000 + "\n", encoding="utf-8")
        # Wait until the conversion runs in its child process, then ask for pages meanwhile.
        answered, started = 0, time.monotonic()
        while "took longer than" not in served.output_text():
            assert time.monotonic() - started < 120, served.output_text()  # not a hang
            converting = any("guidebook.deadline" in c
                             for c in child_processes(served.process.pid))
            if converting:
                status, _ = served.get("/")
                if "took longer than" not in served.output_text():
                    assert status == 200
                    answered += 1
            time.sleep(0.05)
        assert answered > 0, "no page was asked for while the conversion ran"
        _, status, text = served.wait_for(STEP_PAGE, lambda s, t: s == 500)
        assert "1-rethink-the-rejection.md:" in text
        assert ("converting this file&#x27;s Markdown took longer than 5 seconds, so it was "
                "stopped: 20,000 [ characters in one paragraph") in text
        path.write_text(original, encoding="utf-8")
        served.wait_for(STEP_PAGE, lambda s, t: s == 200)
