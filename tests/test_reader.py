"""What a reader finds: navigation, themes, search and sharing, in the HTML and in a browser."""

from __future__ import annotations

import functools
import http.server
import io
import json
import re
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .tools import build_shared_site, site_pages

BASE_URL = "https://example.org/guides/"
GUIDE = "managing-rejection"
STEP_2 = f"{GUIDE}/decide-what-is-true-for-you.html"


class Tags(HTMLParser):
    """Collect every start tag of a page with its attributes, and the text of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Return the attributes of every tag of this name whose attributes match."""
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def parse(site: Path, rel: str) -> Tags:
    parser = Tags()
    parser.feed((site / rel).read_text(encoding="utf-8"))
    return parser


def text_of(site: Path, rel: str) -> str:
    return " ".join(" ".join(parse(site, rel).text).split())


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory) -> Path:
    """The real content built with base_url set."""
    return build_shared_site(tmp_path_factory.mktemp("shared"), BASE_URL)


# --- Navigation, in the built HTML ---------------------------------------------------------


def test_step_page_shows_progress_breadcrumbs_and_reading_time(built_site):
    html = (built_site / STEP_2).read_text(encoding="utf-8")
    text = text_of(built_site, STEP_2)
    assert "Step 2 of 3" in text
    assert re.search(r"\b\d+ min read\b", text)
    assert '<progress class="step-progress" max="3" value="2"' in html
    crumbs = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', html, re.S)
    assert crumbs, "no breadcrumbs"
    assert re.findall(r'href="([^"]+)"', crumbs.group(1)) == ["../index.html", "index.html"]
    # The way back only: the current page is the heading just below, not a crumb.
    assert "aria-current" not in crumbs.group(1) and "Step 2" not in crumbs.group(1)


def test_step_pages_link_previous_and_next_in_order(built_site):
    pages = parse(built_site, STEP_2)
    assert pages.find("a", rel="prev")[0]["href"] == "rethink-the-rejection.html"
    assert pages.find("a", rel="next")[0]["href"] == "learn-from-what-happened.html"
    first = parse(built_site, f"{GUIDE}/rethink-the-rejection.html")
    assert first.find("a", rel="prev")[0]["href"] == "index.html"  # back to the introduction
    last = parse(built_site, f"{GUIDE}/learn-from-what-happened.html")
    assert last.find("a", rel="next") == []
    assert "Related reading" in text_of(built_site, f"{GUIDE}/learn-from-what-happened.html")


def test_step_page_lists_every_step_of_its_guide_marking_this_one(built_site):
    html = (built_site / STEP_2).read_text(encoding="utf-8")
    nav = re.search(r'<nav class="guide-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'href="([^"#]+)', nav) == [
        "index.html",
        "rethink-the-rejection.html",
        "learn-from-what-happened.html",
        "worksheets/index.html",
        "index.html",
    ]
    assert '<span aria-current="step">Step 2: Decide what is true for you</span>' in nav


def test_headings_have_anchors_and_the_page_toc_points_at_them(built_site):
    page = parse(built_site, STEP_2)
    ids = {a["id"] for _, a in page.tags if "id" in a}
    toc_html = re.search(
        r'<nav class="page-toc".*?</nav>', (built_site / STEP_2).read_text(encoding="utf-8"), re.S
    ).group(0)
    toc = re.findall(r'href="#([^"]+)"', toc_html)
    assert len(toc) >= 3
    assert set(toc) <= ids
    anchors = page.find("a", **{"class": "anchor"})
    assert {a["href"][1:] for a in anchors} >= set(toc)
    # Named by the page's "Link to this section:" and the heading (in the page's language).
    assert all(a["aria-labelledby"] == "anchor-label " + a["href"][1:] for a in anchors)
    assert '<span id="anchor-label" hidden>Link to this section:</span>' in (
        built_site / STEP_2).read_text(encoding="utf-8")


def test_guide_page_lists_its_steps_with_reading_times(built_site):
    html = (built_site / f"{GUIDE}/index.html").read_text(encoding="utf-8")
    steps = re.search(r'<ol class="steps-list">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'class="card-link" href="([^"]+)"', steps) == [
        "rethink-the-rejection.html",
        "decide-what-is-true-for-you.html",
        "learn-from-what-happened.html",
    ]
    assert len(re.findall(r"\d+ min read", steps)) == 3


def test_every_page_has_one_policy_and_no_inline_script_style_or_handler(built_site):
    for rel in site_pages(built_site):
        html = (built_site / rel).read_text(encoding="utf-8")
        page = parse(built_site, rel)
        policies = page.find("meta", http_equiv="Content-Security-Policy")
        assert len(policies) == 1, rel
        policy = policies[0]["content"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        # Only scripts from files run; a JSON data block (the scripts' words) is never run.
        assert all(a.get("src") or a.get("type") == "application/json"
                   for a in page.find("script")), f"inline <script> in {rel}"
        assert "<style" not in html, f"<style> in {rel}"
        inline = [(t, k) for t, a in page.tags for k in a if k == "style" or k.startswith("on")]
        assert inline == [], f"inline styles or handlers in {rel}: {inline}"


def test_every_page_has_a_description_and_the_svg_favicon(built_site):
    assert (built_site / "assets/favicon.svg").read_text().startswith("<svg")
    for rel in site_pages(built_site):
        page = parse(built_site, rel)
        assert page.find("meta", name="description")[0]["content"].strip(), rel
        icon = page.find("link", rel="icon")[0]
        assert icon["type"] == "image/svg+xml" and icon["href"].endswith("assets/favicon.svg")
        assert (built_site / rel).parent.joinpath(icon["href"]).resolve().exists(), rel


# --- Sharing --------------------------------------------------------------------------------


def test_without_base_url_there_are_no_absolute_share_links(built_site):
    assert not (built_site / "sitemap.xml").exists()
    assert "Sitemap" not in (built_site / "robots.txt").read_text()
    for rel in site_pages(built_site):
        page = parse(built_site, rel)
        assert page.find("link", rel="canonical") == [], rel
        assert [a for t, a in page.tags if a.get("property", "").startswith("og:")] == []
    home = parse(built_site, "404.html").find("a", href="index.html")
    assert home, "404.html links home relatively when the site's address is unknown"


def test_with_base_url_every_page_has_canonical_and_open_graph(shared_site):
    for rel in site_pages(shared_site):
        if rel == "404.html":
            continue
        page = parse(shared_site, rel)
        expected = BASE_URL + rel.removesuffix("index.html")
        assert page.find("link", rel="canonical")[0]["href"] == expected, rel
        og = {a["property"]: a["content"] for t, a in page.tags if "property" in a}
        assert og["og:url"] == expected
        assert og["og:title"] and og["og:description"] and og["og:site_name"] == "Guidebook"
        assert og["og:description"] == page.find("meta", name="description")[0]["content"]
    step = parse(shared_site, STEP_2)
    og = {a["property"]: a["content"] for t, a in step.tags if "property" in a}
    assert og["og:type"] == "article"
    assert og["og:title"].startswith("Step 2: Decide what is true for you")


def test_with_base_url_sitemap_and_robots_list_the_pages(shared_site):
    root = ET.fromstring((shared_site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in root.findall("s:url/s:loc", ns)]
    expected = {
        BASE_URL + rel.removesuffix("index.html")
        for rel in site_pages(shared_site)
        if rel not in ("404.html", "search.html") and not rel.endswith("/my-answers.html")
    }
    assert set(locs) == expected and len(locs) == len(expected)
    # The reader's own page is left out of the sitemap, and asks search engines to skip it.
    answers = (shared_site / "managing-rejection" / "my-answers.html").read_text()
    assert '<meta name="robots" content="noindex">' in answers
    robots = (shared_site / "robots.txt").read_text()
    assert "User-agent: *" in robots and f"Sitemap: {BASE_URL}sitemap.xml" in robots


def test_404_page_works_at_any_depth_when_the_address_is_known(shared_site):
    page = parse(shared_site, "404.html")
    urls = [
        a["href"]
        for t, a in page.tags
        if t in ("a", "link") and "href" in a and not a["href"].startswith("#")
        and "data-exit" not in a  # Exit this page leaves for another site
    ]
    urls += [a["src"] for t, a in page.tags if "src" in a]
    assert urls and all(u.startswith(BASE_URL) for u in urls), urls
    assert page.find("body")[0]["data-root"] == BASE_URL  # the search index loads from there
    assert page.find("meta", name="robots")[0]["content"] == "noindex"
    assert page.find("link", rel="canonical") == []


# --- Search index ---------------------------------------------------------------------------


def search_entries(site: Path) -> list[dict]:
    script = (site / "assets/search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.GUIDEBOOK_SEARCH=") and script.rstrip().endswith(";")
    entries = script.splitlines()[0]  # the second line has search.js's words
    return json.loads(entries[len("window.GUIDEBOOK_SEARCH=") : -1])


def test_search_index_covers_guides_steps_worksheets_and_reading(built_site):
    entries = search_entries(built_site)
    kinds = {e["k"] for e in entries}
    assert kinds == {"Guide", "Step", "Worksheet", "Reading"}
    titles = {e["t"] for e in entries}
    assert "Step 2: Decide what is true for you" in titles
    assert "Facts and stories" in titles
    for entry in entries:
        target = entry["u"].split("#")[0]
        assert (built_site / target).exists(), entry["u"]


# --- In the browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def file_site(built_site) -> str:
    return built_site.as_uri()


@pytest.mark.browser
def test_line_length_is_comfortable(page, file_site):
    """A step's paragraphs run 60-75 characters a line (median) on a wide screen."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{file_site}/{STEP_2}")
    counts = page.evaluate("""() => {
      const counts = [];
      for (const p of document.querySelectorAll('main p')) {
        if (p.textContent.length < 250) continue;
        const lines = new Map();
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        for (let node; (node = walker.nextNode());) {
          for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + 1);
            const box = range.getBoundingClientRect();
            const top = Math.round(box.top);
            if (box.height) lines.set(top, (lines.get(top) || 0) + 1);
          }
        }
        counts.push(...[...lines.values()].slice(0, -1));  // the last line is short
      }
      return counts.sort((a, b) => a - b);
    }""")
    assert len(counts) >= 10
    median = counts[len(counts) // 2]
    assert 60 <= median <= 75, f"median {median} characters a line"


def colours(page) -> tuple[str, str]:
    """Return the page's background and text colours."""
    style = "getComputedStyle(document.body)"
    return tuple(page.evaluate(f"[{style}.backgroundColor, {style}.color]"))


LIGHT_BG = "rgb(253, 252, 249)"
DARK_BG = "rgb(22, 24, 27)"


@pytest.mark.browser
def test_theme_follows_the_system_setting(browser, file_site):
    for scheme, background in (("light", LIGHT_BG), ("dark", DARK_BG)):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{file_site}/{STEP_2}")
        assert colours(page)[0] == background
        toggle = page.locator(".theme-toggle")
        assert toggle.is_visible()
        assert toggle.get_attribute("aria-pressed") == str(scheme == "dark").lower()
        context.close()


@pytest.mark.browser
def test_theme_toggle_works_by_keyboard_and_is_remembered(browser, site_url):
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(f"{site_url}/{STEP_2}")
    toggle = page.locator(".theme-toggle")
    assert toggle.inner_text().strip() == "Dark theme"  # a stable label; the state is aria-pressed
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert colours(page)[0] == DARK_BG
    assert toggle.inner_text().strip() == "Dark theme"
    # Remembered: the next page is dark from the start (theme.js runs in <head>).
    page.goto(f"{site_url}/index.html")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert colours(page)[0] == DARK_BG
    page.locator(".theme-toggle").focus()
    page.keyboard.press("Space")
    assert page.locator(".theme-toggle").get_attribute("aria-pressed") == "false"
    page.reload()
    assert colours(page)[0] == LIGHT_BG
    context.close()


@pytest.mark.browser
def test_print_is_always_light(browser, file_site):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    for theme in ("", "dark"):
        page.goto(f"{file_site}/{STEP_2}")
        if theme:
            page.evaluate("document.documentElement.dataset.theme = 'dark'")
        page.emulate_media(media="print")
        assert colours(page) == ("rgb(255, 255, 255)", "rgb(0, 0, 0)")
        page.emulate_media(media="screen")
        assert colours(page)[0] == DARK_BG
    context.close()


@pytest.mark.browser
def test_search_from_the_header_by_keyboard_from_disk(page, file_site):
    """Type in the header's box on a page opened from disk: results, announced, by keyboard."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{file_site}/{STEP_2}")
    assert not [u for u in requests if "search" in u], "the search loads before it is used"
    status = page.locator("#header-search-status")
    assert status.get_attribute("role") == "status"
    page.locator("a.skip-link").focus()
    page.keyboard.press("Tab")  # skip link -> Exit this page
    page.keyboard.press("Tab")  # -> site title
    page.keyboard.press("Tab")  # -> the search box
    assert page.evaluate("document.activeElement.id") == "header-search-input"
    page.keyboard.type("camera")
    page.wait_for_selector(".header-search-panel li a")
    assert re.fullmatch(r"Results for “camera”: \d+\.", status.inner_text())
    first = page.locator(".header-search-panel li a").first
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == first.inner_text()
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "header-search-input"
    page.keyboard.press("Escape")
    assert page.locator(".header-search-panel li").count() == 0
    assert status.inner_text() == ""
    page.keyboard.type("worksheet")
    page.wait_for_selector(".header-search-panel li a")
    page.keyboard.press("ArrowDown")
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert page.url == target
    assert any(u.endswith("assets/search-index.js") for u in requests)


@pytest.mark.browser
def test_enter_in_the_header_opens_the_search_page_with_all_results(page, file_site):
    page.goto(f"{file_site}/{STEP_2}")
    page.fill("#header-search-input", "partner")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?q=partner$"))
    page.wait_for_selector("[data-search-results] li")
    assert page.input_value("#search-input") == "partner"
    status = page.locator("#search-status").inner_text()
    count = int(re.match(r"Results for “partner”: (\d+)\.$", status).group(1))
    assert count == page.locator("[data-search-results] li").count() > 3
    assert (
        page.locator("[data-search-results] a").first.get_attribute("href").startswith(GUIDE + "/")
    )


@pytest.mark.browser
def test_search_page_finds_worksheets_and_reading(page, site_url):
    page.goto(f"{site_url}/search.html")
    page.fill("#search-input", "facts stories")
    page.wait_for_selector("[data-search-results] li")
    first = page.locator("[data-search-results] li").first
    assert first.locator("a").inner_text() == "Facts and stories"
    assert "Worksheet · Managing Rejection" in first.inner_text()
    entries = search_entries_from(page)
    reading = [e for e in entries if e["k"] == "Reading"][0]
    page.fill("#search-input", reading["t"])
    page.wait_for_selector("[data-search-results] li")
    assert page.locator("[data-search-results] li a").first.inner_text() == reading["t"]
    page.fill("#search-input", "zzzqqq")
    page.wait_for_function(
        "() => document.querySelector('#search-status').textContent.startsWith('No results')"
    )
    assert page.locator("[data-search-results] li").count() == 0


def search_entries_from(page) -> list[dict]:
    return page.evaluate("window.GUIDEBOOK_SEARCH")


@pytest.mark.browser
def test_without_javascript_search_is_a_link_and_pages_read_fully(browser, file_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{file_site}/{STEP_2}")
    link = page.locator("a[data-search-link]")
    assert link.is_visible() and link.get_attribute("href") == "../search.html"
    assert not page.locator("form.header-search").is_visible()
    assert not page.locator(".theme-toggle").is_visible()
    assert page.locator("main h1").inner_text() == "Decide what is true for you"
    page.goto(f"{file_site}/search.html")
    assert "Search needs JavaScript" in page.locator("#search-status").inner_text()
    context.close()


@pytest.mark.browser
def test_skip_link_is_first_and_moves_focus_to_the_content(page, file_site):
    page.goto(f"{file_site}/{STEP_2}")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box and box["y"] >= 0, "the skip link shows when it has focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_every_page_but_search_has_the_header_search(built_site):
    """The header's search box with live results: on every page but the search page itself,
    and the worksheet pages, the packet and My answers, which link to the search page (they
    must stay under the weight budget)."""
    for rel in site_pages(built_site):
        page = parse(built_site, rel)
        has_box = bool(page.find("input", id="header-search-input"))
        light = "/worksheets/" in rel or rel.endswith("/my-answers.html")
        assert has_box == (rel != "search.html" and not light), rel
        if light:
            search = "../" * rel.count("/") + "search.html"
            links = [a for t, a in page.tags if t == "a" and a.get("href") == search]
            assert links and "data-search-link" not in links[0], rel
        if has_box:
            assert page.find("a", **{"data-search-link": ""}), (
                f"{rel}: no link for readers without JS"
            )


@pytest.mark.browser
def test_a_search_results_words_are_spaced_as_on_the_page(page, tmp_path):
    from guidebook.build import build

    from .conftest import make_config
    from .test_languages import make_site

    content = make_site(tmp_path, {
        "g/guide.md": "---\ntitle: G\nsummary: S.\n---\nIntro.\n",
        "g/1-one.md": ("---\ntitle: One\nsummary: About it.\n---\nEach one comes with a short "
                       "*worksheet*. Why it matters: see [the guide](guide.md), then **decide**;"
                       " and `code`![^1]\n\n- one\n- two\n\n[^1]: A note.\n"),
    })
    build(make_config(tmp_path, content))
    entry = next(e for e in search_entries(tmp_path / "site") if e["u"] == "g/one.html")
    assert entry["x"] == ("Each one comes with a short worksheet. Why it matters: see the "
                          "guide, then decide; and code! one two A note.")
    page.goto((tmp_path / "site" / "search.html").as_uri())
    page.fill("#search-input", "matters")
    result = page.locator("[data-search-results] li p")
    result.first.wait_for()
    assert result.inner_text() == (
        "Step · G\nEach one comes with a short worksheet. Why it matters: see the guide, then "
        "decide; and code! one two A note.…")


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """A static host as GitHub Pages or Netlify: the site in a folder of its own (`prefix`),
    and its 404.html, with status 404, at every missing address under it."""

    prefix = "/sub/"

    def log_message(self, *args) -> None:
        pass

    def send_head(self):  # noqa: ANN201 - http.server's signature
        path = self.path.split("?")[0]
        inside = path.startswith(self.prefix)
        target = Path(self.directory) / path[len(self.prefix):] if inside else None
        if target is not None and (target.is_file() or (target / "index.html").is_file()):
            self.path = "/" + path[len(self.prefix):]
            return super().send_head()
        missing = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(missing)))
        self.end_headers()
        return io.BytesIO(missing)


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["/", "/sub/"])
@pytest.mark.parametrize("missing", ["nope.html", "managing-rejection/nope.html",
                                     "managing-rejection/worksheets/nope.html"])
def test_the_404_page_looks_and_links_right_at_any_depth_without_base_url(
        browser, built_site, prefix, missing):
    handler = functools.partial(type("Host", (StaticHost,), {"prefix": prefix}),
                                directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    page = browser.new_page()
    try:
        response = page.goto(site + missing)
        assert response.status == 404
        page.locator("html.js").wait_for()  # theme.js ran (from the site's folder)
        page.locator("[data-lost]" if "/" in missing else "body").wait_for(state="attached")
        look = page.evaluate("""() => ({
            header: getComputedStyle(document.querySelector('.site-header')).borderBottomStyle,
            measure: getComputedStyle(document.querySelector('main')).maxWidth})""")
        assert look == {"header": "solid", "measure": "632px"}  # site.css applied
        home = page.get_by_role("link", name="Go to the home page")
        assert home.evaluate("a => a.href") == site + "index.html"
        guide = page.get_by_role("link", name="Managing Rejection in Your Relationship").last
        assert guide.evaluate("a => a.href") == site + "managing-rejection/index.html"
        assert page.locator("img.logo").evaluate("i => i.complete && i.naturalWidth") > 0
        page.get_by_role("button", name="Dark theme").click()  # site.js ran too
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        home.click()
        page.wait_for_url(site + "index.html")
        assert page.locator("h1").inner_text()
    finally:
        page.close()
        server.shutdown()
        server.server_close()
