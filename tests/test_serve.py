"""`python build.py serve` in a subprocess: rebuilds, error pages, recovery, safety, speed."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from guidebook.build import check
from guidebook.output import RECORD
from guidebook.pdf import pdf_jobs

from .conftest import BUILD_COMMAND, CONTENT, ROOT, TEMPLATES, free_port, make_config

STEP = "managing-rejection/1-rethink-the-rejection.md"
STEP_PAGE = "/managing-rejection/rethink-the-rejection.html"
OTHER_PAGE = "/managing-rejection/decide-what-is-true-for-you.html"
WORKSHEET = "managing-rejection/worksheets/facts-and-stories.md"


class Served:
    """A `serve` subprocess on a free port, over copies of the content and templates."""

    def __init__(self, tmp: Path, content: Path, templates: Path):
        self.content = content
        self.templates = templates
        self.output = tmp / "site"
        self.port = free_port()
        self.log = tmp / "serve.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60, *options: str, env: dict | None = None) -> Served:
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [*BUILD_COMMAND, "serve", "--port", str(self.port),
                 "--content", str(self.content), "--templates", str(self.templates),
                 "--output", str(self.output), *options],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"serve exited:\n{self.output_text()}"
            try:
                self.get("/")
                return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"serve did not answer in {timeout} s:\n{self.output_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        """Request a path exactly as written (no normalising of ../)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()

    def wait_for(self, path: str, condition, timeout: float = 15) -> tuple[float, int, str]:
        """Poll a page until condition(status, text) holds; return seconds taken too."""
        started = time.perf_counter()
        status, text = 0, ""
        while time.perf_counter() - started < timeout:
            status, text = self.get(path)
            if condition(status, text):
                return time.perf_counter() - started, status, text
            time.sleep(0.005)
        raise AssertionError(f"{path} never matched; last status {status}:\n{text[:3000]}\n"
                             f"serve printed:\n{self.output_text()}")

    def edit(self, rel: str, old: str, new: str, root: Path | None = None) -> None:
        path = (root or self.content) / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@contextlib.contextmanager
def serving(tmp: Path):
    content = tmp / "content"
    templates = tmp / "templates"
    shutil.copytree(CONTENT, content)
    shutil.copytree(TEMPLATES, templates)
    server = Served(tmp, content, templates)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def served(tmp_path):
    """A server of its own, for a test that changes the content."""
    with serving(tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def unchanged(tmp_path_factory):
    """One server shared by the tests that change nothing."""
    with serving(tmp_path_factory.mktemp("serve")) as server:
        yield server


def test_a_saved_change_is_served_and_only_changed_files_are_written(served):
    """(How fast is measured by `python -m bench`, never asserted here.)"""
    worksheet_page = served.output / "managing-rejection/worksheets/facts-and-stories.html"
    untouched = worksheet_page.stat().st_mtime_ns
    previous = "Two people, one evening, two stories"
    for attempt in range(3):
        marker = f"Two people, one evening, edit number {attempt}"
        served.edit(STEP, previous, marker)
        served.wait_for(STEP_PAGE, lambda status, text, m=marker: m in text)
        previous = marker
        time.sleep(0.1)  # let the reload go out before the next edit
    assert worksheet_page.stat().st_mtime_ns == untouched
    assert re.search(r"Rebuilt in \d+ ms \(\d pages? changed", served.output_text())


def test_edits_where_symlinked_content_really_is_are_served(tmp_path):
    """A step file and the worksheets/ folder are symlinks to files kept elsewhere: saving
    the real files rebuilds (the system reports the real path, not the link's)."""
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(CONTENT, content)
    shutil.copytree(TEMPLATES, templates)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    guide = content / "managing-rejection"
    shutil.move(guide / "worksheets", elsewhere / "worksheets")
    (guide / "worksheets").symlink_to(elsewhere / "worksheets", target_is_directory=True)
    shutil.move(content / STEP, elsewhere / "step.md")
    (content / STEP).symlink_to(elsewhere / "step.md")
    server = Served(tmp_path, content, templates).start()
    try:
        server.edit("step.md", "Two people, one evening, two stories", "Linked step edited",
                    root=elsewhere)
        server.wait_for(STEP_PAGE, lambda status, text: "Linked step edited" in text)
        server.edit("worksheets/facts-and-stories.md", "title: Facts and stories",
                    "title: Linked facts", root=elsewhere)
        server.wait_for("/managing-rejection/worksheets/facts-and-stories.html",
                        lambda status, text: "Linked facts" in text)
        # Replaced by a rename (how many editors save): still followed.
        replaced = elsewhere / "step.md.new"
        replaced.write_text((elsewhere / "step.md").read_text(encoding="utf-8").replace(
            "Linked step edited", "Saved by rename"), encoding="utf-8")
        os.replace(replaced, elsewhere / "step.md")
        server.wait_for(STEP_PAGE, lambda status, text: "Saved by rename" in text)
    finally:
        server.stop()


def test_the_reload_script_and_badge_are_served_but_never_written(unchanged):
    status, text = unchanged.get(STEP_PAGE)
    assert status == 200
    assert f'<script src="/livereload.js?port={unchanged.port}"></script>' in text
    assert 'class="gb-dev-source"' in text
    assert "1-rethink-the-rejection.md</code>" in text  # the page's source file
    assert unchanged.get("/livereload.js")[0] == 200
    assert unchanged.get("/__guidebook__/dev.css")[0] == 200
    for page in unchanged.output.rglob("*.html"):
        written = page.read_text(encoding="utf-8")
        assert "livereload" not in written and "gb-dev" not in written, page
    assert not (unchanged.output / "__guidebook__").exists()


def test_folders_redirect_to_a_slash_and_serve_their_index(unchanged):
    connection = http.client.HTTPConnection("127.0.0.1", unchanged.port, timeout=10)
    connection.request("GET", "/managing-rejection")
    response = connection.getresponse()
    assert response.status in (301, 302)
    assert response.getheader("Location") == "/managing-rejection/"
    connection.close()
    status, text = unchanged.get("/managing-rejection/")
    assert status == 200 and "Managing Rejection" in text


TRAVERSALS = [
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/managing-rejection/../../../etc/passwd",
    "//etc/passwd",
    "/%2Fetc%2Fpasswd",
    "/leak/passwd",  # a symlink inside the output folder that points out of it
    "/.site.lock",
    "/__guidebook__/../../etc/passwd",
    "/__guidebook__/%2e%2e/serve.py",
    "/__guidebook__/",
]


def test_nothing_outside_the_output_folder_is_served(unchanged):
    leak = unchanged.output / "leak"
    leak.symlink_to("/etc")
    try:
        for path in TRAVERSALS:
            status, text = unchanged.get(path)
            assert status == 404, path
            assert "root:" not in text, path
    finally:
        leak.unlink()
    assert unchanged.get("/")[0] == 200  # and the server still answers


def test_a_missing_page_gets_the_404_page_with_status_404(unchanged):
    status, text = unchanged.get("/no-such-page.html")
    assert status == 404
    assert "This page isn" in text


def test_broken_yaml_shows_the_error_page_then_fixing_it_brings_the_page_back(served):
    served.edit(STEP, "title: Re-think the rejection", "title: [Re-think the rejection")
    _, status, text = served.wait_for(STEP_PAGE, lambda s, t: s == 500)
    assert "The site could not be rebuilt" in text
    assert "1-rethink-the-rejection.md:2" in text  # the file and the line
    assert '<pre class="gb-source">2 | title: [Re-think the rejection' in text  # the line
    assert "How to fix it:" in text
    assert "/livereload.js" in text  # so fixing the file reloads this page
    # The home page still answers: the last good build under a banner.
    status, text = served.get("/")
    assert status == 200 and "The last build failed" in text
    status, problems = served.get("/__guidebook__/problems")
    assert status == 200 and "1-rethink-the-rejection.md:2" in problems
    served.edit(STEP, "title: [Re-think the rejection", "title: Re-think the rejection, fixed")
    _, status, text = served.wait_for(STEP_PAGE, lambda s, t: s == 200)
    assert "Re-think the rejection, fixed" in text
    assert "gb-dev-banner" not in text
    assert served.process.poll() is None


def test_a_problem_in_one_page_puts_a_banner_on_the_others(served):
    served.edit(WORKSHEET, "[lines: 4]", "[lines: 400]")
    _, status, text = served.wait_for("/managing-rejection/worksheets/facts-and-stories.html",
                                      lambda s, t: s == 500)
    assert "facts-and-stories.md:" in text and "[lines] needs a number of lines" in text
    status, text = served.get(OTHER_PAGE)
    assert status == 200
    assert "The last build failed" in text
    assert 'href="/__guidebook__/problems"' in text
    served.edit(WORKSHEET, "[lines: 400]", "[lines: 4]")
    served.wait_for(OTHER_PAGE, lambda s, t: s == 200 and "gb-dev-banner" not in t)


def test_a_template_error_shows_the_template_and_line_then_recovers(served):
    template = served.templates / "step.html"
    original = template.read_text(encoding="utf-8")
    template.write_text(original.replace("{% block content %}",
                                         "{% block content %}{% if %}", 1), encoding="utf-8")
    _, status, text = served.wait_for(STEP_PAGE, lambda s, t: s == 500)
    assert "step.html:" in text and "template error" in text
    assert "{% if %}" in text  # the offending line, escaped
    assert served.get("/")[0] in (200, 500)
    template.write_text(original, encoding="utf-8")
    served.wait_for(STEP_PAGE, lambda s, t: s == 200 and "gb-dev" in t and "Two people" in t)


SHEET_PAGE = "/managing-rejection/worksheets/facts-and-stories.html"
PACKET_PAGE = "/managing-rejection/worksheets/index.html"


@pytest.mark.parametrize("name, spoilt, fine", [
    # A page template: its pages only.
    ("worksheet.html", [SHEET_PAGE], [STEP_PAGE, PACKET_PAGE, "/managing-rejection/"]),
    # A template that others import: the pages of every template that uses it.
    ("_fields.html", [SHEET_PAGE, PACKET_PAGE], [STEP_PAGE, "/"]),
])
def test_a_broken_override_shows_the_error_only_on_the_pages_made_with_it(served, name,
                                                                         spoilt, fine):
    override = served.content / "_templates" / name
    override.parent.mkdir(exist_ok=True)
    text = (served.templates / name).read_text(encoding="utf-8")
    override.write_text(text.replace("{% endmacro %}", "{% endmacro %}{% if %}", 1)
                        if "{% endmacro %}" in text else text.replace(
                            "{% block content %}", "{% block content %}{% if %}", 1),
                        encoding="utf-8")
    _, status, page = served.wait_for(spoilt[0], lambda s, t: s == 500)
    assert f"_templates/{name}:" in page and "template error" in page
    for path in spoilt[1:]:
        status, page = served.get(path)
        assert status == 500 and f"_templates/{name}:" in page, path
    for path in fine:  # the last good build, with the banner that names the problem
        status, page = served.get(path)
        assert status == 200 and "The last build failed" in page, path
    assert f"_templates/{name}:" in served.output_text()  # and in the terminal
    override.unlink()
    for path in spoilt + fine:
        served.wait_for(path, lambda s, t: s == 200 and "gb-dev-banner" not in t)


def test_a_template_expression_that_fails_is_a_template_error_not_a_bug(served):
    template = served.templates / "step.html"
    original = template.read_text(encoding="utf-8")
    template.write_text(original.replace("{% block content %}",
                                         '{% block content %}{{ step.number + " of many" }}',
                                         1), encoding="utf-8")
    _, status, text = served.wait_for(STEP_PAGE, lambda s, t: s == 500)
    assert "The site could not be rebuilt" in text
    assert "step.html:" in text
    assert ("template error: this line tries to add a number and a text with +, which "
            "cannot be done (TypeError: unsupported operand type(s) for +: &#x27;int&#x27; "
            "and &#x27;str&#x27;)") in text
    assert "{{ step.number ~ &quot; of many&quot; }}" in text  # the hint
    assert "bug in Guidebook" not in text and "Traceback" not in text
    template.write_text(original, encoding="utf-8")
    served.wait_for(STEP_PAGE, lambda s, t: s == 200)
    console = served.output_text()
    assert "template error: this line tries to add a number and a text" in console
    assert "Traceback" not in console and "bug in Guidebook" not in console


def test_an_unexpected_error_is_shown_and_the_server_keeps_going(served):
    template = served.templates / "step.html"
    original = template.read_text(encoding="utf-8")
    # url() of nothing raises a TypeError inside Guidebook, not a template error.
    template.write_text(original.replace("{% block content %}",
                                         "{% block content %}{{ url(none) }}", 1),
                        encoding="utf-8")
    _, status, text = served.wait_for(STEP_PAGE, lambda s, t: s == 500)
    assert "unexpected error" in text and "Traceback" in text
    template.write_text(original, encoding="utf-8")
    served.wait_for(STEP_PAGE, lambda s, t: s == 200)
    assert "Traceback" in served.output_text()  # printed to the console as well


def test_a_deleted_file_is_reported_where_it_is_linked_then_restoring_it_recovers(served):
    worksheet = served.content / WORKSHEET
    saved = worksheet.read_bytes()
    worksheet.unlink()
    _, status, text = served.wait_for(STEP_PAGE, lambda s, t: s == 500)
    assert "1-rethink-the-rejection.md:" in text
    assert "worksheets/facts-and-stories.md" in text and "does not exist" in text
    worksheet.write_bytes(saved)
    served.wait_for(STEP_PAGE, lambda s, t: s == 200)
    served.wait_for("/managing-rejection/worksheets/facts-and-stories.html",
                    lambda s, t: s == 200)


def test_a_renamed_step_is_followed(served):
    step = served.content / "managing-rejection/3-learn-from-what-happened.md"
    renamed = step.with_name("3-learn-from-it.md")
    step.rename(renamed)
    served.wait_for("/managing-rejection/learn-from-what-happened.html",
                    lambda s, t: s == 500 and "does not exist" in t)
    renamed.rename(step)
    served.wait_for("/managing-rejection/learn-from-what-happened.html",
                    lambda s, t: s == 200)


def test_a_removed_output_folder_is_written_again_on_the_next_save(served):
    shutil.rmtree(served.output)
    served.edit(STEP, "Two people, one evening", "After the folder went")
    served.wait_for(STEP_PAGE, lambda s, t: s == 200 and "After the folder went" in t)
    served.wait_for("/assets/css/site.css", lambda s, t: s == 200)  # written after pages
    assert (served.output / "index.html").is_file()


@pytest.mark.skipif(os.name == "nt", reason="Ctrl+C is a console event there, not a signal")
def test_stopping_says_that_the_output_is_a_preview_to_build_before_publishing(served):
    """serve writes no offline copy (sw.js) and keeps old PDFs: when the coach stops it,
    and may go and publish what it left, it says to build first."""
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(30) == 0
    assert served.output_text().endswith(
        f"\nStopped. {os.path.join(served.output, '')} holds serve's preview, without the "
        "offline copy: run `python build.py` before you publish it.\n")
    assert (served.output / "index.html").is_file() and not (served.output / "sw.js").exists()


def test_an_editor_save_with_a_swap_file_and_delete_recreate_builds_once_cleanly(served):
    step = served.content / STEP
    text = step.read_text(encoding="utf-8")
    # What vim does on :w: probe file 4913, move the file aside, write it anew, remove backup.
    (step.parent / "4913").write_text("")
    (step.parent / "4913").unlink()
    step.rename(step.with_name(step.name + "~"))
    # The editor paused between moving the file aside and writing it (a loaded computer can
    # pause it so): serve waits for the file to be back instead of building without it.
    time.sleep(0.5)
    step.write_text(text.replace("Two people, one evening", "Vim saved this"), encoding="utf-8")
    step.with_name(step.name + "~").unlink()
    served.wait_for(STEP_PAGE, lambda s, t: s == 200 and "Vim saved this" in t)
    assert "The build failed" not in served.output_text()


def test_a_first_build_that_fails_does_not_stop_the_server_or_the_browser(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    site_yaml = content / "site.yaml"
    good = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text("title: [Guidebook\n", encoding="utf-8")
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"  # stands in for the browser `--open` starts
    # Written aside and renamed, so the test never reads the file half-written.
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}.part && mv {opened}.part {opened}\n',
                       encoding="utf-8")
    browser.chmod(0o755)
    server = Served(tmp_path, content, TEMPLATES)
    try:
        server.start(60, "--open", env={**os.environ, "BROWSER": f"{browser} %s"})
        status, text = server.get("/")
        assert status == 500
        assert "site.yaml:1" in text
        url = f"http://127.0.0.1:{server.port}/"
        assert f"at {url} " in server.output_text()  # this computer only, by default
        deadline = time.monotonic() + 10
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.read_text(encoding="utf-8").strip() == url
        site_yaml.write_text(good, encoding="utf-8")
        server.wait_for("/", lambda s, t: s == 200 and "Managing Rejection" in t)
    finally:
        server.stop()


def test_pdfs_made_by_a_build_are_kept_and_served(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    with open(content / "site.yaml", "a", encoding="utf-8") as settings:
        settings.write("pdf: true\n")
    site, _, _ = check(make_config(tmp_path, content))
    pdf = pdf_jobs(site)[0].path
    made = tmp_path / "site" / pdf  # as `python build.py` left it
    made.parent.mkdir(parents=True)
    made.write_bytes(b"%PDF-1.7 made by the build\n")
    (tmp_path / "site" / RECORD).write_text(f"{pdf}\n")  # the build's record: it wrote it
    server = Served(tmp_path, content, TEMPLATES)
    try:
        server.start()
        server.edit(STEP, "Two people, one evening", "A rebuild after the PDFs")
        server.wait_for(STEP_PAGE, lambda s, t: "A rebuild after the PDFs" in t)
        assert made.read_bytes() == b"%PDF-1.7 made by the build\n"
        assert server.get(f"/{pdf}") == (200, "%PDF-1.7 made by the build\n")
        assert "PDFs are made by `python build.py`" in server.output_text()
    finally:
        server.stop()


@pytest.mark.browser
def test_the_browser_reloads_by_itself_after_a_save(served, page):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"http://127.0.0.1:{served.port}{STEP_PAGE}")
    # livereload.js has connected to the websocket (the page's CSP allowed it).
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector "
                           "&& window.LiveReload.connector.protocol > 0", timeout=30000)
    assert page.locator(".gb-dev-source").is_visible()
    started = time.perf_counter()
    served.edit(STEP, "Two people, one evening, two stories", "Reloaded without a click")
    page.locator("h2", has_text="Reloaded without a click").wait_for(timeout=30000)
    print(f"\nbrowser shows the change {1000 * (time.perf_counter() - started):.0f} ms "
          "after the save")
    served.edit(STEP, "title: Re-think the rejection", "title: [Re-think the rejection")
    page.locator("h1", has_text="The site could not be rebuilt").wait_for(timeout=30000)
    served.edit(STEP, "title: [Re-think the rejection", "title: Re-think the rejection")
    page.locator("h2", has_text="Reloaded without a click").wait_for(timeout=30000)
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.browser
def test_a_page_that_listens_only_after_a_rebuild_is_reloaded_then(served, page):
    """The rebuild's reload went out while the page was loading (here: its websocket held
    back until the rebuild is announced); when it connects, the server reloads it."""
    held, released = [], []

    def hold(socket) -> None:  # livereload.js gives up on a silent socket and opens another
        held.append(socket)
        if released:
            socket.connect_to_server()

    page.route_web_socket(re.compile(r"/livereload$"), hold)
    page.goto(f"http://127.0.0.1:{served.port}{STEP_PAGE}")
    deadline = time.monotonic() + 30
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # lets Playwright hand over the held websocket
    assert held, "the page never opened its websocket"
    served.edit(STEP, "Two people, one evening, two stories", "Saved while it loaded")
    served.wait_for("/", lambda status, text: "Rebuilt in" in served.output_text())
    assert page.locator("h2", has_text="Saved while it loaded").count() == 0
    released.append(True)
    held[-1].connect_to_server()  # or, if the page has closed it, the next one it opens
    page.locator("h2", has_text="Saved while it loaded").wait_for(timeout=30000)


def test_a_rebuild_with_warnings_ends_with_no_errors_and_their_count(served):
    """The warnings come first, then the summary line, as in build and check."""
    reading = "managing-rejection/reading.md"
    served.edit(reading, "    url: unknown\n", "")
    served.wait_for("/managing-rejection/index.html",
                    lambda status, text: "no errors, 1 warning." in served.output_text())
    printed = served.output_text().rstrip("\n").split("\n")
    assert re.fullmatch(r"Rebuilt in \d+ ms \(.*\): no errors, 1 warning\.", printed[-1])
    assert "warning: the reading" in "\n".join(printed[-6:-1])


def test_a_string_added_to_a_template_while_serving_is_checked_against_the_catalogs(tmp_path):
    """serve keeps the templates' message ids between rebuilds (not parsing every template
    on each save), and reads them again once a template is saved."""
    from guidebook.cache import BuildCache
    from guidebook.serve import Rebuilder

    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(ROOT / "tests" / "languages" / "content", content)
    shutil.copytree(TEMPLATES, templates)
    config = make_config(tmp_path, content, templates=templates)
    rebuilder = Rebuilder(config, BuildCache(config.output, serve=True))
    phrase = "A phrase new to the theme"
    first = rebuilder.rebuild()
    assert first.state.ok, first.message
    assert phrase not in first.message
    step = content / "umgang-mit-kritik" / "1-trennen.md"
    step.write_text(step.read_text(encoding="utf-8") + "\nNoch ein Satz.\n", encoding="utf-8")
    assert phrase not in rebuilder.rebuild(files_moved=False).message
    template = templates / "step.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{% block content %}", '{% block content %}{{ _("' + phrase + '") }}', 1),
        encoding="utf-8")
    outcome = rebuilder.rebuild(files_moved=False)
    assert outcome.state.ok, outcome.message
    assert re.search(r'the catalog for "de" has no translation for \d+ strings?, shown in '
                     rf'English: [^\n]*"{phrase}"', outcome.message), outcome.message
    built = (config.output / "umgang-mit-kritik" / "trennen.html").read_text(encoding="utf-8")
    assert phrase in built
