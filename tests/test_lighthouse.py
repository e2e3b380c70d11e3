"""Lighthouse 12 on the home page, a step page and a worksheet page, served over http."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .conftest import CHROMIUM, serve_directory
from .tools import lighthouse

pytestmark = pytest.mark.browser

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MIN_SCORE = 0.95  # the goal is 1.0; this absorbs the noise of simulated throttling
# The flags verify_site.sh gives Chromium (no sandbox as root, nothing phoning home).
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)


def pages_to_audit(site: Path) -> list[str]:
    """Return the home page, the first step page and the first single worksheet page."""
    guide = sorted(p.parent for p in site.glob("*/index.html"))[0]
    steps = sorted(p for p in guide.glob("*.html") if p.name != "index.html")
    sheets = sorted(p for p in (guide / "worksheets").glob("*.html") if p.name != "index.html")
    return ["index.html"] + [p.relative_to(site).as_posix() for p in (steps[0], sheets[0])]


def run_lighthouse(url: str, out: Path) -> dict[str, float | None]:
    """Audit one URL (Lighthouse's default mobile settings); return the four scores."""
    profile = out.with_suffix(".profile")
    profile.mkdir()  # a fresh Chromium profile for each run
    run = subprocess.run(
        [
            str(lighthouse()),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--only-categories=" + ",".join(CATEGORIES),
            f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert out.exists(), f"Lighthouse did not run on {url}:\n{run.stderr[-2000:]}"
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not report.get("runtimeError"), f"Lighthouse error on {url}: {report['runtimeError']}"
    return {c["id"]: c["score"] for c in report["categories"].values()}


def failed_audits(report: dict) -> list[str]:
    """Name the audits that lost points, to say why a score is below 1."""
    return [
        f"{a['id']} ({a['score']})"
        for a in report["audits"].values()
        if a.get("score") is not None
        and a["score"] < 1
        and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    ]


def test_lighthouse_scores_on_home_step_and_worksheet(built_site, tmp_path):
    """Score performance, accessibility, best practices and SEO: at least 0.95 each."""
    lines, low = [], []
    with serve_directory(built_site) as url:
        for n, rel in enumerate(pages_to_audit(built_site)):
            out = tmp_path / f"lighthouse-{n}.json"
            scores = run_lighthouse(f"{url}/{rel}", out)
            if scores["performance"] is not None and scores["performance"] < MIN_SCORE:
                # Performance is timed on a simulated slow phone: a busy machine (other
                # tests, other processes) slows it. One more run absorbs that noise.
                again = run_lighthouse(f"{url}/{rel}", out.with_name(f"again-{n}.json"))
                if (again["performance"] or 0) > scores["performance"]:
                    scores, out = again, out.with_name(f"again-{n}.json")
            lines.append(
                f"{rel}: "
                + " ".join(
                    f"{k}={'null' if v is None else round(v * 100)}" for k, v in scores.items()
                )
            )
            if any(v is None or v < MIN_SCORE for v in scores.values()):
                report = json.loads(out.read_text(encoding="utf-8"))
                low.append(
                    f"{rel}: {scores}; audits losing points: " + ", ".join(failed_audits(report))
                )
    print("\nLighthouse " + "\n".join(lines))
    assert set(CATEGORIES) <= {k for line in lines for k in CATEGORIES if f"{k}=" in line}
    assert low == [], "Lighthouse scores below 0.95:\n" + "\n".join(low)
