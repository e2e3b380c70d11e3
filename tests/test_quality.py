"""Quality gates on every built page: valid HTML and CSS, axe in both themes, keyboard, weight.

The tools come from TOOLS_DIR (see tests/tools.py); a missing tool fails the test with how to
install it. One vnu run checks every file, one browser runs axe over every page.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import serve_directory
from .tools import axe_script, build_shared_site, site_pages, vnu_jar

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
MAX_PAGE_BYTES = 30 * 1024  # HTML + CSS + JS of one page, uncompressed


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory) -> Path:
    """The real content built with base_url set, so sharing tags and 404 links are checked."""
    return build_shared_site(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def served(built_site):
    with serve_directory(built_site) as url:
        yield url


def test_html_and_css_pass_the_nu_checker(built_site, shared_site):
    """Check every HTML, CSS and SVG file of both builds with vnu: zero errors."""
    files = [
        str(p)
        for site in (built_site, shared_site)
        for p in sorted(site.rglob("*"))
        if p.suffix in (".html", ".css", ".svg")
    ]
    assert len(files) > 20
    # Each file is named: given a folder, vnu would read the scripts as HTML.
    run = subprocess.run(
        [
            "java",
            "-jar",
            str(vnu_jar()),
            "--errors-only",
            "--format",
            "json",
            "--also-check-css",
            "--also-check-svg",
            "--stdout",
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    report = json.loads(run.stdout or run.stderr)
    errors = [
        f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in report["messages"]
    ]
    assert errors == [], "vnu errors:\n" + "\n".join(errors)


def run_axe(page, axe: Path) -> list[dict]:
    """Run axe-core on the loaded page; return its violations."""
    page.add_script_tag(path=str(axe))
    return page.evaluate(
        "tags => axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
        AXE_TAGS,
    )


def describe_violations(violations: list[dict]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        for v in violations
    )


# axe checks the contrast of text only. A form field or button must also stand out from what
# is behind it (WCAG 1.4.11, 3:1): by its border or by its own background. Native checkboxes
# and radio buttons are drawn by the browser; a see-through one is judged by its label.
CONTROL_CONTRAST = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const opaque = c => { const v = rgb(c); return v.length === 3 || v[3] > 0.5; };
  const lum = c => {
    const [r, g, b] = rgb(c).slice(0, 3).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
                            return (x + 0.05) / (y + 0.05); };
  const behind = el => {
    for (let n = el.parentElement; n; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (opaque(c)) return c;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
  };
  const controls = [];
  for (const el of document.querySelectorAll('input, textarea, select, button')) {
    if (!el.getClientRects().length || el.type === 'hidden' || el.type === 'file') continue;
    if (['checkbox', 'radio'].includes(el.type)) {
      if (parseFloat(getComputedStyle(el).opacity) < 0.1) controls.push(...el.labels);
      continue;
    }
    controls.push(el);
  }
  const edge = el => {
    const s = getComputedStyle(el), back = behind(el);
    let best = opaque(s.backgroundColor) ? ratio(s.backgroundColor, back) : 1;
    if (parseFloat(s.borderBottomWidth) >= 1 && s.borderBottomStyle !== 'none'
        && opaque(s.borderBottomColor))
      best = Math.max(best, ratio(s.borderBottomColor, back));
    return best;
  };
  const weak = [];
  for (const el of controls) {
    let best = edge(el);
    // A borderless field that fills a table cell shows its edge with the cell's border.
    if (best < 3 && el.parentElement.matches('td')) best = edge(el.parentElement);
    const name = el.tagName.toLowerCase()
      + (el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    if (best < 3) weak.push(`${name} ${best.toFixed(2)}:1`);
  }
  const counts = {};
  weak.forEach(w => { counts[w] = (counts[w] || 0) + 1; });
  return Object.entries(counts).map(([w, n]) => n > 1 ? `${w} (${n}×)` : w);
}"""


@pytest.fixture(scope="module", params=["light", "dark"])
def theme_audit(request, browser, served, built_site) -> dict[str, dict[str, str]]:
    """Load every page in one theme; return axe's violations and the weak controls per page."""
    theme = request.param
    axe = axe_script()
    # axe is injected as an inline script, which the pages' CSP rightly forbids.
    context = browser.new_context(color_scheme=theme, bypass_csp=True)
    page = context.new_page()
    audit: dict[str, dict[str, str]] = {"theme": theme, "axe": {}, "contrast": {}}

    def check(name: str) -> None:
        violations = run_axe(page, axe)
        if violations:
            audit["axe"][name] = describe_violations(violations)

    try:
        for rel in site_pages(built_site):
            page.goto(f"{served}/{rel}", wait_until="load")
            scheme = page.evaluate("getComputedStyle(document.documentElement).colorScheme")
            assert scheme == theme, f"{rel} is not in the {theme} theme"
            check(rel)
            weak = page.evaluate(CONTROL_CONTRAST)
            if weak:
                audit["contrast"][rel] = "; ".join(weak)
        # Search results are made by JavaScript: check them too.
        page.goto(f"{served}/search.html?q=partner", wait_until="load")
        page.wait_for_selector("[data-search-results] li")
        check("search.html with results")
        page.goto(f"{served}/index.html", wait_until="load")
        page.fill("#header-search-input", "worksheet")
        page.wait_for_selector(".header-search-panel li")
        check("index.html with the header's search results")
    finally:
        context.close()
    return audit


def test_axe_finds_no_violations_on_any_page(theme_audit):
    """Run axe (WCAG 2.2 A/AA and best practices) on every page, in the light and dark theme."""
    found = theme_audit["axe"]
    assert found == {}, f"axe violations ({theme_audit['theme']} theme):\n" + "\n".join(
        f"{k}: {v}" for k, v in found.items()
    )


def test_form_fields_and_buttons_stand_out_from_the_page(theme_audit):
    """Every field and button has an edge of 3:1 against what is behind it (WCAG 1.4.11)."""
    weak = theme_audit["contrast"]
    assert weak == {}, f"controls under 3:1 ({theme_audit['theme']} theme):\n" + "\n".join(
        f"{k}: {v}" for k, v in weak.items()
    )


TABBABLE = """() => {
  const all = document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  // Tab enters a group of radio buttons once: at its checked button, or else its first.
  const tabStop = el => {
    if (el.type !== 'radio') return true;
    const group = [...el.form.querySelectorAll('input[type=radio]')]
      .filter(r => r.name === el.name);
    return el === (group.find(r => r.checked) || group[0]);
  };
  return [...all].filter(el => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length
    && getComputedStyle(el).visibility !== 'hidden' && tabStop(el)
  ).map(el => el.outerHTML.slice(0, 120));
}"""

# Which element shows the focus: the focused one or, when it is see-through or tiny (a styled
# radio button, a file input inside a label), its label or a near ancestor that draws a ring.
# Returns a problem, or "" when the focus is visible.
FOCUS_PROBLEM = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'focus left the page content';
  const shows = node => {
    const s = getComputedStyle(node);
    const box = node.getBoundingClientRect();
    return parseFloat(s.opacity) >= 0.9 && box.width > 4 && box.height > 4;
  };
  const hasRing = node => {
    const s = getComputedStyle(node);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return outline || (s.boxShadow && s.boxShadow !== 'none');
  };
  const candidates = [el, ...(el.labels || []), el.parentElement,
                      el.parentElement && el.parentElement.parentElement].filter(Boolean);
  for (const node of candidates) {
    if (!shows(node) || !hasRing(node)) continue;
    const box = node.getBoundingClientRect();
    if (box.bottom < 0 || box.top > innerHeight) return 'the focused element is off screen';
    return '';
  }
  return 'no visible focus indicator';
}"""


def test_every_control_is_reached_by_tab_with_a_visible_focus(browser, served, built_site):
    """Tab through each page: every control gets focus, in order, with a visible focus ring."""
    context = browser.new_context()
    page = context.new_page()
    problems = []
    try:
        for rel in site_pages(built_site):
            page.goto(f"{served}/{rel}", wait_until="load")
            expected = page.evaluate(TABBABLE)
            page.evaluate("document.activeElement && document.activeElement.blur()")
            reached = []
            for _ in range(len(expected) + 5):
                page.keyboard.press("Tab")
                here = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
                if reached and here == reached[0]:
                    break
                if here.startswith("<body"):
                    break  # tabbed past the last control
                reached.append(here)
                problem = page.evaluate(FOCUS_PROBLEM)
                if problem:
                    problems.append(f"{rel}: {problem}: {here}")
            missing = [e for e in expected if e not in reached]
            if missing:
                problems.append(f"{rel}: Tab never reaches: " + " | ".join(missing))
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def collect_page_loads(browser, base: str, pages: list[str], root: Path) -> dict[str, dict]:
    """Load each page; return what it requested, its console errors and its own files' bytes."""
    context = browser.new_context()
    loads: dict[str, dict] = {}
    try:
        for rel in pages:
            page = context.new_page()
            record = {"other_hosts": [], "errors": [], "bytes": 0, "files": []}
            loads[rel] = record

            def on_request(request, record=record) -> None:
                url = request.url
                if url.startswith(("data:", "blob:", "about:")):
                    return
                if not url.startswith(base):
                    record["other_hosts"].append(url)
                    return
                if request.resource_type in ("document", "stylesheet", "script"):
                    path = root / unquote(
                        urlsplit(url).path[len(urlsplit(base).path) :].lstrip("/")
                    )
                    if path.is_dir():
                        path = path / "index.html"
                    record["files"].append(path.relative_to(root).as_posix())
                    record["bytes"] += path.stat().st_size if path.exists() else 0

            page.on("request", on_request)
            page.on(
                "requestfailed",
                lambda r, record=record: record["errors"].append(f"failed to load {r.url}"),
            )
            page.on(
                "console",
                lambda m, record=record: (
                    record["errors"].append(m.text) if m.type in ("error", "warning") else None
                ),
            )
            page.on("pageerror", lambda e, record=record: record["errors"].append(str(e)))
            page.goto(
                f"{base}/{rel}" if not base.startswith("file:") else f"{base}{rel}",
                wait_until="load",
            )
            # Every page's stylesheet and scripts must actually apply (CSP on file:// too).
            state = page.evaluate("""() => {
              const toggle = document.querySelector('.theme-toggle');
              const before = toggle.getAttribute('aria-pressed');
              toggle.click();  // when site.js runs, the toggle switches the theme
              const header = document.querySelector('.site-header');
              return {css: getComputedStyle(header).borderBottomStyle,
                      js: document.documentElement.classList.contains('js')
                          && toggle.getAttribute('aria-pressed') !== before};
            }""")
            if state != {"css": "solid", "js": True}:
                record["errors"].append(f"stylesheet or script did not apply: {state}")
            page.close()
    finally:
        context.close()
    return loads


@pytest.fixture(scope="module")
def page_loads(browser, built_site) -> dict[str, dict[str, dict]]:
    """Load every page over file:// and over http once, for the tests below."""
    pages = site_pages(built_site)
    with serve_directory(built_site) as url:
        over_http = collect_page_loads(browser, url, pages, built_site)
    # 404.html is a host's page, shown at missing addresses over http(s), never opened from
    # disk; it looks for lost.js one to three folders up too (test_reader's 404 tests), which
    # from the top of a folder on disk is outside the site.
    on_disk = [rel for rel in pages if rel != "404.html"]
    return {
        "file": collect_page_loads(browser, built_site.as_uri() + "/", on_disk, built_site),
        "http": over_http,
    }


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_pages_load_only_the_sites_own_files(page_loads, scheme):
    """Load every page over file:// and http: no other host, no errors, CSS and JS applied."""
    loads = page_loads[scheme]
    other = {rel: r["other_hosts"] for rel, r in loads.items() if r["other_hosts"]}
    errors = {rel: r["errors"] for rel, r in loads.items() if r["errors"]}
    assert other == {}, f"requests to other hosts: {other}"
    assert errors == {}, f"errors while loading: {errors}"


def test_every_page_weighs_under_30_kb(page_loads):
    """Sum the HTML, CSS and JS each page loads: under 30 KB uncompressed for every page."""
    loads = page_loads["http"]
    weights = sorted(((r["bytes"], rel) for rel, r in loads.items()), reverse=True)
    heaviest, name = weights[0]
    print(f"\nheaviest page: {name} {heaviest / 1024:.1f} KB ({', '.join(loads[name]['files'])})")
    too_heavy = [
        f"{rel}: {size / 1024:.1f} KB ({', '.join(loads[rel]['files'])})"
        for size, rel in weights
        if size >= MAX_PAGE_BYTES
    ]
    assert too_heavy == [], "pages over 30 KB of HTML+CSS+JS:\n" + "\n".join(too_heavy)
    assert all(r["files"][0].endswith(".html") for r in loads.values())
