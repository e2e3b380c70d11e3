"""The reader's answers belong to one site: two sites in one browser never share them.

Chromium keeps one storage for every file:// page, and one per http origin, so two Guidebook
sites opened from disk, or served under two paths of one address, would share answers if the
keys named only the guide and the worksheet (issue 11).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from guidebook.build import Config, build
from guidebook.model import QUICK_EXIT_URL, Settings

from .conftest import CONTENT, TEMPLATES, serve_directory

pytestmark = pytest.mark.browser

WORKSHEET = """\
---
title: Feelings
step: 1
---
## How do you feel? {#feel}

[lines: 3]

## What helps {#helps}

[checklist]
- [ ] A walk
- [ ] A friend
"""


def write_site(root: Path, title: str, base_url: str = "") -> Path:
    """Write a small content folder: guide `g`, one step, worksheet `ws`; return it."""
    content = root / "content"
    (content / "g" / "worksheets").mkdir(parents=True)
    (content / "site.yaml").write_text(
        f"title: {title}\n" + (f"base_url: {base_url}\n" if base_url else ""), encoding="utf-8")
    (content / "g" / "guide.md").write_text(
        "---\ntitle: A guide\nsummary: For the test.\n---\nIntroduction.\n", encoding="utf-8")
    (content / "g" / "1-first.md").write_text("---\ntitle: First\n---\nText.\n",
                                              encoding="utf-8")
    (content / "g" / "worksheets" / "ws.md").write_text(WORKSHEET, encoding="utf-8")
    return content


def build_site(root: Path, title: str, base_url: str = "") -> Path:
    content = write_site(root, title, base_url)
    build(Config(content=content, templates=TEMPLATES, output=root / "site"))
    return root / "site"


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory) -> tuple[Path, Path]:
    """Two sites whose titles differ, both with guide g and worksheet ws, in one folder."""
    parent = tmp_path_factory.mktemp("two-sites")
    return build_site(parent / "a", "Site A"), build_site(parent / "b", "Site B")


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


def feel(page):
    return page.get_by_role("textbox", name="How do you feel?")


def type_answer(page, url: str, text: str) -> None:
    page.goto(url)
    feel(page).fill(text)
    page.get_by_label("A friend").check()
    expect(page.locator("[data-status]")).to_have_text(re.compile("^Saved in this browser"))


def every_stored_text(page) -> str:
    """Every key and value of localStorage and sessionStorage, as one string."""
    return page.evaluate("""() => [localStorage, sessionStorage].map(s =>
        Object.keys(s).map(k => k + '=' + s.getItem(k)).join('\\n')).join('\\n')""")


def urls_for(scheme: str, sites: tuple[Path, Path], served: str) -> tuple[str, str]:
    """The worksheet's address on each site: from disk, or under /a/ and /b/ of one origin."""
    if scheme == "file":
        return tuple(f"{s.as_uri()}/g/worksheets/ws.html" for s in sites)  # type: ignore
    return f"{served}/a/site/g/worksheets/ws.html", f"{served}/b/site/g/worksheets/ws.html"


@pytest.fixture(scope="module")
def served(two_sites):
    with serve_directory(two_sites[0].parent.parent) as url:
        yield url


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_an_answer_typed_on_one_site_never_shows_on_the_other(context, two_sites, served,
                                                               scheme):
    url_a, url_b = urls_for(scheme, two_sites, served)
    page = context.new_page()
    type_answer(page, url_a, "Tired but hopeful")
    page.goto(url_b)
    expect(feel(page)).to_have_value("")
    assert not page.get_by_label("A friend").is_checked()
    assert page.locator("[data-status]").text_content() == ""
    # B's own answer, then Clear on B: A keeps its answer.
    type_answer(page, url_b, "Only B knows this")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-clear]")
    expect(feel(page)).to_have_value("")
    page.goto(url_a)
    expect(feel(page)).to_have_value("Tired but hopeful")
    assert page.get_by_label("A friend").is_checked()
    assert "Only B knows this" not in every_stored_text(page)
    # The packet of each site shows only its own answers.
    page.goto(url_b.replace("ws.html", "index.html"))
    assert "Tired but hopeful" not in page.locator(".packet").inner_text()
    page.goto(url_a.replace("ws.html", "index.html"))
    expect(page.locator(".sheet .print-answer")).to_have_text("Tired but hopeful")


def test_answers_saved_under_the_old_keys_are_moved_and_shown(context, two_sites):
    url_a, url_b = urls_for("file", two_sites, "")
    page = context.new_page()
    page.goto(url_a)
    old = {"version": 1, "saved": "2026-01-01T00:00:00Z",
           "answers": {"feel": "Written before the update", "helps-a-walk": True}}
    page.evaluate("value => localStorage.setItem('guidebook:g/ws', value)", json.dumps(old))
    page.reload()
    expect(feel(page)).to_have_value("Written before the update")
    assert page.get_by_label("A walk").is_checked()
    assert page.locator("[data-status]").text_content() == "Your saved answers are filled in."
    page.wait_for_function("() => Object.keys(localStorage).some((k) => k.endsWith(':backup'))")
    stored = page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
        .map(k => [k, JSON.parse(localStorage.getItem(k))]))""")
    site_a = page.evaluate("document.body.dataset.site")
    # The answers, under this site now, and when they were first kept here (the export
    # reminder's week, answers-backup.js).
    assert sorted(stored) == [f"guidebook:{site_a}:backup", f"guidebook:{site_a}:g/ws"]
    assert stored[f"guidebook:{site_a}:g/ws"]["answers"] == old["answers"]
    # Moved, not copied: the other site, opened next, does not get them too.
    page.goto(url_b)
    expect(feel(page)).to_have_value("")


def test_the_site_identity_is_stable_and_differs_between_sites(tmp_path):
    def identity(site: Path) -> str:
        html = (site / "g/worksheets/ws.html").read_text(encoding="utf-8")
        return re.search(r'<body[^>]* data-site="([0-9a-f]{12})"', html).group(1)

    first = build_site(tmp_path / "one", "Site A")
    before = identity(first)
    # A rebuild after a content edit keeps it.
    content = tmp_path / "one" / "content"
    (content / "g" / "1-first.md").write_text("---\ntitle: Renamed step\n---\nNew text.\n",
                                              encoding="utf-8")
    build(Config(content=content, templates=TEMPLATES, output=tmp_path / "one" / "site"))
    assert identity(first) == before
    assert identity(build_site(tmp_path / "two", "Site A")) == before
    assert identity(build_site(tmp_path / "three", "Site B")) != before
    assert identity(build_site(tmp_path / "four", "Site A", "https://example.org/a/")) != before
    assert Settings("Site A").identity == before


# --- Exit this page ------------------------------------------------------------------------

EXIT_URL = "https://exit.example/weather"
PAGES = {  # the pages the issue names, in the real guide
    "home": "index.html",
    "guide": "managing-rejection/index.html",
    "step": "managing-rejection/rethink-the-rejection.html",
    "worksheet": "managing-rejection/worksheets/facts-and-stories.html",
    "packet": "managing-rejection/worksheets/index.html",
    "search": "search.html",
}
COVERED = """() => document.documentElement.classList.contains('exiting')
    && getComputedStyle(document.body).display === 'none'"""


@pytest.fixture(scope="module")
def exit_site(tmp_path_factory) -> Path:
    """The real guide, with Exit this page sent to an address the tests answer themselves."""
    tmp = tmp_path_factory.mktemp("exit")
    content = tmp / "content"
    shutil.copytree(CONTENT, content)
    with (content / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write(f"quick_exit:\n  url: {EXIT_URL}\n  label: Leave this site\n")
    build(Config(content=content, templates=TEMPLATES, output=tmp / "site"))
    return tmp / "site"


@pytest.fixture(scope="module")
def exit_served(exit_site):
    with serve_directory(exit_site) as url:
        yield url


class HeldExit:
    """Answer requests to the exit address only once released, so that the test sees the page
    between the trigger and the browser leaving it."""

    def __init__(self, context, url: str = EXIT_URL):
        self.routes: list = []
        self.open = False
        context.route(url, self.hold)

    def hold(self, route) -> None:
        self.routes.append(route)
        if self.open:
            self.release()

    def release(self) -> None:
        self.open = True
        while self.routes:
            self.routes.pop().fulfill(status=200, content_type="text/html",
                                      body="<!doctype html><title>Weather</title><p>Sunny.</p>")


# Reports, from the page, how the body looks when <html> gets the class "exiting": the
# observer runs in the same task as the click or key press that set it, before anything else
# (the next page, a paint) can happen. So "covered" means covered at once, with no clock.
REPORT_COVER = """new MutationObserver(() => {
    if (document.documentElement.classList.contains('exiting'))
        window.reportCover(getComputedStyle(document.body).display);
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['class']});"""


@pytest.mark.parametrize("scheme", ["file", "http"])
@pytest.mark.parametrize("name", list(PAGES))
def test_exit_this_page_by_click_and_by_shift_three_times(browser, exit_site, exit_served,
                                                          scheme, name):
    base = exit_site.as_uri() if scheme == "file" else exit_served
    context = browser.new_context()
    held = HeldExit(context)
    covers: list[str] = []
    context.expose_function("reportCover", lambda display: covers.append(display))
    context.add_init_script(REPORT_COVER)
    try:
        page = context.new_page()
        page.goto(f"{base}/404.html")  # the page before, where Back must lead
        for trigger in ("click", "shift"):
            held.open = False
            covers.clear()
            page.goto(f"{base}/{PAGES[name]}")
            link = page.get_by_role("link", name="Leave this site")
            expect(link).to_have_attribute("href", EXIT_URL)
            if trigger == "click":
                link.click(no_wait_after=True)  # the exit address is held: no navigation yet
            else:  # the keys go to the page (nothing is focused)
                for _ in range(3):
                    page.keyboard.press("Shift")
            held.release()
            page.wait_for_url(EXIT_URL)
            assert covers == ["none"], (name, trigger)
            # The guide page was replaced in history: Back leads to the page before it.
            page.go_back()
            assert page.url == f"{base}/404.html", (name, trigger)
    finally:
        context.close()


def test_shift_with_other_keys_or_held_down_is_typing_not_exit(browser, exit_served):
    context = browser.new_context()
    held = HeldExit(context)
    try:
        page = context.new_page()
        page.goto(f"{exit_served}/{PAGES['worksheet']}")
        field = page.locator("#f-remember")
        field.click()
        page.keyboard.type("Anna And Ben Said Hello")  # Shift for each capital letter
        page.keyboard.down("Shift")
        page.keyboard.down("Shift")  # held: a repeat, not a press
        page.keyboard.up("Shift")
        assert page.evaluate(COVERED) is False
        assert held.routes == [] and page.url.endswith("facts-and-stories.html")
        expect(field).to_have_value("Anna And Ben Said Hello")
    finally:
        context.close()


def test_exit_is_next_after_the_skip_link_and_in_view_on_a_phone(browser, exit_served):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        for path in PAGES.values():
            page.goto(f"{exit_served}/{path}")
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.className") == "skip-link", path
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.dataset.exit") == "", path
            page.mouse.wheel(0, 5000)
            page.wait_for_function("() => scrollY > 0")  # scrolled, as far as the page goes
            expect(page.locator("[data-exit]")).to_be_in_viewport(ratio=1)
    finally:
        context.close()


def test_without_javascript_exit_is_a_plain_link(browser, exit_site):
    context = browser.new_context(java_script_enabled=False)
    held = HeldExit(context)
    try:
        page = context.new_page()
        page.goto(f"{exit_site.as_uri()}/{PAGES['step']}")
        link = page.get_by_role("link", name="Leave this site")
        expect(link).to_be_visible()
        held.release()  # the exit address answers at once
        link.click()
        page.wait_for_url(EXIT_URL)
        page.go_back()  # a plain link: Back returns, as after any link
        assert page.url.endswith(PAGES["step"])
    finally:
        context.close()


def test_exit_can_be_turned_off(tmp_path, browser):
    content = write_site(tmp_path, "No exit")
    with (content / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("quick_exit: false\n")
    build(Config(content=content, templates=TEMPLATES, output=tmp_path / "site"))
    html = (tmp_path / "site" / "g" / "worksheets" / "ws.html").read_text(encoding="utf-8")
    assert "data-exit" not in html and "Exit this page" not in html
    page = browser.new_page()
    try:
        page.goto((tmp_path / "site" / "g" / "worksheets" / "ws.html").as_uri())
        for _ in range(3):
            page.keyboard.press("Shift")
        assert page.evaluate(COVERED) is False
    finally:
        page.close()


# --- The reader's controls ----------------------------------------------------------------

def stored_everywhere(page) -> str:
    """Every key and value the page's origin keeps: local and session storage, cookies,
    IndexedDB databases and Cache Storage, as one text."""
    return page.evaluate("""async () => {
        const storages = [localStorage, sessionStorage].map(s =>
            Object.keys(s).map(k => k + '=' + s.getItem(k)).join('\\n'));
        const databases = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
        const caches_ = self.caches ? await caches.keys().catch(() => []) : [];
        return [...storages, document.cookie, ...databases, ...caches_].join('\\n');
    }""")


def answer(page, dialog: str = "accept") -> list[str]:
    """Answer the page's next questions (confirm) and collect their text."""
    asked: list[str] = []
    page.on("dialog", lambda d: (asked.append(d.message),
                                 d.accept() if dialog == "accept" else d.dismiss()))
    return asked


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_dont_save_keeps_nothing_on_the_device(context, two_sites, served, scheme):
    url_a, _ = urls_for(scheme, two_sites, served)
    page = context.new_page()
    asked = answer(page)
    page.goto(url_a)
    feel(page).fill("Saved before I chose")
    expect(page.locator("[data-status]")).to_have_text(re.compile("^Saved in this browser"))
    button = page.get_by_role("button", name="Don’t save my answers on this device")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    assert asked and asked[0].startswith("Stop saving your answers on this device?")
    feel(page).fill("Nobody may read this")
    page.get_by_label("A walk").check()
    expect(page.locator("[data-status]")).to_have_text(
        "Kept on this page only: nothing is saved on this device.")
    stored = stored_everywhere(page)
    assert "Nobody may read this" not in stored and "Saved before I chose" not in stored
    # The page keeps what was typed; a new tab, or a reload, shows nothing; the choice stays.
    expect(feel(page)).to_have_value("Nobody may read this")
    other = context.new_page()
    other.goto(url_a)
    expect(feel(other)).to_have_value("")
    expect(other.get_by_role("button", name="Don’t save my answers on this device")
           ).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(feel(page)).to_have_value("")
    # Turned off again: what is typed is saved again.
    button = page.get_by_role("button", name="Don’t save my answers on this device")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    feel(page).fill("Now it may stay")
    expect(page.locator("[data-status]")).to_have_text(re.compile("^Saved in this browser"))
    page.reload()
    expect(feel(page)).to_have_value("Now it may stay")


def lock_with(page, passphrase: str) -> None:
    page.get_by_role("button", name="Lock my answers with a passphrase").click()
    panel = page.locator("[data-lock-panel]")
    expect(panel).to_contain_text("if you forget this passphrase, your answers are lost")
    page.get_by_label("Passphrase (at least 8 characters)").fill(passphrase)
    page.get_by_label("The same passphrase again").fill(passphrase)
    panel.get_by_role("button", name="Lock my answers").click()
    expect(page.locator("[data-status]")).to_have_text(
        re.compile("^Your answers are locked with your passphrase"))


def unlock_with(page, passphrase: str) -> None:
    page.get_by_label("Passphrase", exact=True).fill(passphrase)
    page.get_by_role("button", name="Unlock my answers").click()


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_lock_stores_only_ciphertext_and_unlocks_after_reload(context, two_sites, served,
                                                               scheme):
    url_a, url_b = urls_for(scheme, two_sites, served)
    page = context.new_page()
    page.goto(url_a)
    feel(page).fill("My private words")
    expect(page.locator("[data-status]")).to_have_text(re.compile("^Saved in this browser"))
    lock_with(page, "blue kettle song")
    feel(page).fill("My private words, and more")  # typed while open: stored encrypted
    page.wait_for_function("""() => Object.values(localStorage).some(v => v.includes('"iv"'))
        && !Object.values(localStorage).some(v => v.includes('private'))""")
    site = page.evaluate("document.body.dataset.site")
    lock = json.loads(page.evaluate(f"localStorage.getItem('guidebook:{site}:lock')"))
    assert lock["kdf"] == "PBKDF2-SHA-256" and lock["iterations"] >= 310_000
    assert len(base64.b64decode(lock["salt"])) == 16
    record = json.loads(page.evaluate(f"localStorage.getItem('guidebook:{site}:g/ws')"))
    assert set(record) == {"version", "iv", "data"}
    assert "private" not in stored_everywhere(page)

    page.reload()
    expect(feel(page)).to_have_value("")
    assert page.evaluate("document.querySelector('form[data-answers]').inert") is True
    # Above the empty, inert fields: why, and a link down to the passphrase form.
    jump = page.locator(".lock-jump")
    expect(jump).to_have_text("Your answers on this site are locked. Unlock my answers")
    assert jump.bounding_box()["y"] < feel(page).bounding_box()["y"]
    # The page did not take the reader's focus.
    assert page.evaluate("document.activeElement.id") != "lock-pass"
    jump.get_by_role("link", name="Unlock my answers").click()
    assert page.evaluate("document.activeElement.id") == "lock-pass"
    unlock_with(page, "blue kettle sing")
    expect(page.locator("[data-lock-message]")).to_have_text(
        "That passphrase does not unlock these answers. Check it and try again.")
    expect(feel(page)).to_have_value("")
    unlock_with(page, "blue kettle song")
    expect(feel(page)).to_have_value("My private words, and more")
    assert page.evaluate("document.querySelector('form[data-answers]').inert") is False
    expect(jump).to_have_count(0)
    # While open, the packet needs the passphrase too, then prints the answers.
    page.goto(url_a.replace("ws.html", "index.html"))
    assert "private" not in page.locator(".packet").inner_text()
    unlock_with(page, "blue kettle song")
    expect(page.locator(".sheet .print-answer")).to_have_text("My private words, and more")
    # The other site is not locked.
    page.goto(url_b)
    expect(page.locator("[data-lock-panel]")).to_have_count(0)


def test_lock_closes_after_15_minutes_without_input(context, two_sites):
    url_a, _ = urls_for("file", two_sites, "")
    page = context.new_page()
    page.clock.install()
    page.goto(url_a)
    feel(page).fill("Idle words")
    lock_with(page, "quiet evening")
    page.clock.run_for("14:00")
    feel(page).press("End")  # input keeps it open
    page.clock.run_for("14:00")
    expect(feel(page)).to_have_value("Idle words")
    with page.expect_navigation():
        page.clock.run_for("01:01")
    expect(page.get_by_role("button", name="Unlock my answers")).to_be_visible()
    expect(feel(page)).to_have_value("")
    unlock_with(page, "quiet evening")
    expect(feel(page)).to_have_value("Idle words")


def test_exit_this_page_locks_the_answers_at_once(context, two_sites):
    url_a, _ = urls_for("file", two_sites, "")
    held = HeldExit(context, QUICK_EXIT_URL)
    locked: list[bool] = []
    context.expose_function("reportLocked", lambda value: locked.append(value))
    # Reported after every observer of the class change has run (answers-lock.js's too).
    context.add_init_script("""new MutationObserver(() => {
        if (document.documentElement.classList.contains('exiting'))
            queueMicrotask(() => window.reportLocked(window.guidebookAnswers.cipher === null));
    }).observe(document, {attributes: true, subtree: true, attributeFilter: ['class']});""")
    page = context.new_page()
    page.goto(url_a)
    feel(page).fill("Leave me locked")
    lock_with(page, "garden gate")
    assert page.evaluate("window.guidebookAnswers.mode()") == "open"
    page.get_by_role("link", name="Exit this page").click(no_wait_after=True)
    held.release()
    page.wait_for_url(QUICK_EXIT_URL)
    assert locked == [True]


def test_where_webcrypto_is_missing_the_lock_says_why(context, two_sites):
    url_a, _ = urls_for("file", two_sites, "")
    page = context.new_page()
    page.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")
    page.goto(url_a)
    page.get_by_role("button", name="Lock my answers with a passphrase").click()
    expect(page.locator("[data-lock-panel]")).to_contain_text(
        "Locking is not available on this page: this browser offers encryption only to pages")


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_erase_all_empties_every_worksheet_of_this_site_only(context, two_sites, served,
                                                             scheme):
    url_a, url_b = urls_for(scheme, two_sites, served)
    page = context.new_page()
    type_answer(page, url_b, "B keeps this")
    type_answer(page, url_a, "A loses this")
    page.evaluate("""() => localStorage.setItem('guidebook:g/other',
        JSON.stringify({version: 1, answers: {feel: 'from before sites had names'}}))""")
    asked: list[str] = []
    page.goto(url_a.replace("ws.html", "index.html"))  # the packet has the controls too
    expect(page.locator(".sheet .print-answer")).to_have_text("A loses this")
    erase = page.get_by_role("button", name="Erase all my answers")
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    erase.click()
    # The question comes once the erase scripts have loaded. Until it has been answered, the
    # second handler below would answer this first question too, and the second go unanswered.
    deadline = time.monotonic() + 60  # a hang, not a speed
    while not asked and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # lets Playwright deliver the dialog event
    assert len(asked) == 1, "the first Erase all asked no question"
    expect(page.locator(".sheet .print-answer")).to_have_text("A loses this")
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    erase.click()
    expect(page.locator("[data-status]")).to_have_text(
        "All your answers to this site’s worksheets were erased from this device.")
    assert asked == ["Erase all your answers to every worksheet of this site on this device? "
                     "This cannot be undone."] * 2
    expect(page.locator(".sheet .print-answer")).to_have_count(0)
    page.goto(url_a)
    expect(feel(page)).to_have_value("")
    stored = stored_everywhere(page)
    assert "A loses this" not in stored and "from before sites had names" not in stored
    page.goto(url_b)
    expect(feel(page)).to_have_value("B keeps this")


def test_clear_on_a_locked_page_says_to_unlock_first_and_keeps_the_answers(context,
                                                                           two_sites):
    """Clear my answers on a page whose answers are locked (after a reload): it said "Your
    answers were cleared." and cleared nothing, so a reader who believed it found them back
    after unlocking. Now it asks nothing, says to unlock first, and the answers stay."""
    url_a, _ = urls_for("file", two_sites, "")
    page = context.new_page()
    page.goto(url_a)
    feel(page).fill("Still here")
    expect(page.locator("[data-status]")).to_have_text(re.compile("^Saved in this browser"))
    lock_with(page, "blue kettle song")
    page.reload()
    expect(page.locator(".lock-jump")).to_have_count(1)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Clear my answers").click()
    expect(page.locator("[data-status]")).to_have_text(
        "Your answers are locked: unlock them with your passphrase first.")
    assert asked == []
    unlock_with(page, "blue kettle song")
    expect(feel(page)).to_have_value("Still here")
