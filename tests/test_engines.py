"""The reader's checks in Chromium, Firefox ESR and WebKit (tests/engines.py drives them).

Each test runs once per engine, in a fresh profile, against the every-kind site that
conftest.py builds once a session. Where an engine lacks a feature, the test asserts what
the page does instead.
"""

from __future__ import annotations

import contextlib
import json
import re

import pytest
from pypdf import PdfReader

from .conftest import GUIDE, ROOT, serve_directory
from .engines import ENGINES, EngineError, open_reader

pytestmark = pytest.mark.browser

# What the reader types into the every-kind worksheet: field, as reader.active() names it (its
# name; a radio button's name=value) -> value (True = ticked).
TYPED = {
    "a-few-lines": "First line\nsecond line",
    "one-word": "Tuesday",
    "pick-sadness": True,
    "pick-other": True,
    "pick-other-text": "Tired",
    "rate=4": True,
    "grid-r1-c1": "He looked away",
    "grid-r2-c2": "Maybe he was busy",
}
SAVED = r"^Saved in this browser at "


def answers_page(base: str) -> str:
    return f"{base}/{GUIDE}/my-answers.html"


def sheet_url(base: str, name: str = "every-kind") -> str:
    return f"{base}/{GUIDE}/worksheets/{name}.html"


def field(described: str) -> str:
    """Return the CSS selector of a field named as reader.active() names it."""
    name, _, value = described.partition("=")
    return f'[name="{name}"]' + (f'[value="{value}"]' if value else "")


def fill_every_kind(reader) -> None:
    """Type into every kind of field and tick boxes, the way a reader would."""
    for described, value in TYPED.items():
        if value is True:
            reader.click(field(described))
        else:
            reader.fill(field(described), value)


def answers_on_page(reader) -> dict[str, str | bool]:
    return {described: reader.value(field(described)) for described in TYPED}


def blank() -> dict[str, str | bool]:
    return {described: (False if value is True else "") for described, value in TYPED.items()}


def status(reader) -> str:
    return reader.text("[data-worksheet-tools] [data-status]")


def wait_status(reader, pattern: str) -> str:
    return reader.wait_for(
        "(p) => { const t = document.querySelector('[data-worksheet-tools] [data-status]')"
        ".textContent; return new RegExp(p).test(t) && t; }",
        pattern,
    )


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_answers_come_back_after_reload(reader, every_kind_site, every_kind_url, scheme):
    base = every_kind_site.as_uri() if scheme == "file" else every_kind_url
    reader.goto(sheet_url(base))
    assert reader.evaluate("() => !document.querySelector('[data-worksheet-tools]').hidden")
    fill_every_kind(reader)
    wait_status(reader, SAVED)
    reader.reload()
    assert answers_on_page(reader) == TYPED
    assert status(reader) == "Your saved answers are filled in."


def test_clear_asks_first_then_empties_every_field(reader, every_kind_site):
    reader.goto(sheet_url(every_kind_site.as_uri()))
    fill_every_kind(reader)
    wait_status(reader, SAVED)
    question = "Clear all your answers on this page? This cannot be undone."
    assert reader.click("[data-clear]", dialog="dismiss") == question
    assert answers_on_page(reader) == TYPED
    assert reader.click("[data-clear]", dialog="accept") == question
    assert answers_on_page(reader) == blank()
    assert status(reader) == "Your answers were cleared."
    reader.reload()
    assert answers_on_page(reader) == blank()


def test_export_then_import_restores_the_answers(reader, every_kind_site):
    reader.goto(sheet_url(every_kind_site.as_uri()))
    fill_every_kind(reader)
    wait_status(reader, SAVED)
    saved = reader.download("[data-export]")
    assert re.fullmatch(r"my-answers-\d{4}-\d\d-\d\d\.json", saved.name)
    wait_status(reader, rf"^Your answers were saved to the file {re.escape(saved.name)}\.$")
    data = json.loads(saved.read_text(encoding="utf-8"))
    answers = data["worksheets"][f"guidebook:{GUIDE}/every-kind"]["answers"]
    assert answers["one-word"] == "Tuesday" and answers["rate"] == "4"

    reader.click("[data-clear]", dialog="accept")
    assert answers_on_page(reader) == blank()
    reader.goto(answers_page(every_kind_site.as_uri()))  # where Import is
    reader.upload("[data-import]", saved)
    reader.wait_for("(t) => document.querySelector('[data-status]').textContent === t",
                    f"Answers taken from {saved.name}, by worksheet: Every kind of field (5).")
    reader.goto(sheet_url(every_kind_site.as_uri()))
    assert answers_on_page(reader) == TYPED


def test_my_answers_shows_what_was_typed_and_downloads_the_same_text(reader, every_kind_site):
    from .test_my_answers_browser import EVERY_KIND_TEXT, body

    base = every_kind_site.as_uri()
    reader.goto(sheet_url(base))
    fill_every_kind(reader)
    wait_status(reader, SAVED)
    reader.goto(answers_page(base))
    reader.wait_for("() => document.querySelectorAll('.answers-sheet h2').length === 1")
    assert reader.text(".answers-sheet h2") == "Every kind of field"
    text = reader.evaluate("() => guidebookMyAnswers.asText(guidebookMyAnswers.show())")
    assert body(text) == EVERY_KIND_TEXT
    saved = reader.download("[data-download=txt]")
    assert re.fullmatch(rf"{GUIDE}-my-answers-\d{{4}}-\d\d-\d\d\.txt", saved.name)
    assert saved.read_text(encoding="utf-8") == text
    # Share shows only where the browser offers the Web Share API.
    assert reader.evaluate("() => document.querySelector('[data-share]').hidden") == \
        (not reader.run("!!navigator.share"))


def test_export_all_then_import_merges_and_keeps_the_newer_answer(reader, every_kind_site):
    base = every_kind_site.as_uri()
    reader.goto(sheet_url(base))
    fill_every_kind(reader)
    wait_status(reader, SAVED)
    saved = reader.download("[data-export]")
    reader.click("[data-erase]", dialog="accept")
    assert answers_on_page(reader) == blank()
    reader.goto(answers_page(base))
    reader.wait_for("() => !!document.querySelector('.answers-empty')")
    reader.upload("[data-import]", saved)
    reader.wait_for("(t) => document.querySelector('[data-status]').textContent === t",
                    f"Answers taken from {saved.name}, by worksheet: Every kind of field (5).")
    reader.goto(sheet_url(base))
    assert answers_on_page(reader) == TYPED
    # Typed here after the export: newer than the file's, so the import keeps it.
    reader.fill("#f-one-word", "Wednesday")
    wait_status(reader, SAVED)
    reader.goto(answers_page(base))
    reader.wait_for("() => !!document.querySelector('.answers-sheet')")
    reader.upload("[data-import]", saved)
    reader.wait_for("(t) => document.querySelector('[data-status]').textContent === t",
                    f"Nothing in {saved.name} was newer than the answers in this browser, so "
                    "nothing changed. Answers kept because this browser’s were newer: 1.")
    reader.goto(sheet_url(base))
    assert reader.value("#f-one-word") == "Wednesday"


def test_the_packet_prints_with_the_answers_saved_on_the_worksheet(reader, every_kind_site):
    reader.goto(sheet_url(every_kind_site.as_uri()))
    fill_every_kind(reader)
    wait_status(reader, SAVED)
    reader.goto(sheet_url(every_kind_site.as_uri(), "index"))
    reader.stub_print()
    reader.click("[data-print=filled]")
    assert reader.evaluate("() => window.printed") is True
    assert reader.evaluate("() => document.documentElement.classList.contains('print-mode-filled')")
    printed = reader.evaluate(
        "() => [...document.querySelectorAll('#every-kind .print-answer')].map(e => e.textContent)"
    )
    assert printed == [v for v in TYPED.values() if v is not True]
    ticked = reader.evaluate(
        "() => [...document.querySelectorAll('#every-kind .on')].map(e => e.textContent.trim())"
    )
    assert ticked == ["Sadness", "Other:Tired", "4"]  # the write-in printed beside its box
    reader.click("[data-print=blank]")
    assert reader.evaluate("() => document.documentElement.classList.contains('print-mode-blank')")


def test_search_from_the_header_by_keyboard(reader, every_kind_site):
    reader.goto(f"{every_kind_site.as_uri()}/{GUIDE}/decide-what-is-true-for-you.html")
    reader.focus("#header-search-input")
    reader.type("camera")
    said = reader.wait_for(
        "() => document.querySelector('.header-search-panel li a')"
        " && document.querySelector('#header-search-status').textContent"
    )
    assert re.fullmatch(r"Results for “camera”: \d+\.", said)
    first = reader.text(".header-search-panel li a")
    reader.press("ArrowDown")
    assert reader.evaluate("() => document.activeElement.textContent") == first
    target = reader.evaluate("() => document.activeElement.href")
    reader.press("Enter")
    reader.wait_for("(url) => location.href === url", target)


LIGHT_BG, DARK_BG = "rgb(253, 252, 249)", "rgb(22, 24, 27)"
BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"


def test_the_theme_toggle_switches_and_is_remembered(reader, every_kind_site):
    reader.goto(f"{every_kind_site.as_uri()}/index.html")
    assert reader.evaluate(BACKGROUND) == LIGHT_BG  # the engines' default scheme is light
    assert reader.evaluate("() => document.querySelector('.theme-toggle').ariaPressed") == "false"
    reader.click(".theme-toggle")
    assert reader.evaluate("() => document.querySelector('.theme-toggle').ariaPressed") == "true"
    assert reader.evaluate(BACKGROUND) == DARK_BG
    reader.goto(sheet_url(every_kind_site.as_uri()))
    assert reader.evaluate(BACKGROUND) == DARK_BG
    reader.focus(".theme-toggle")
    reader.press("Enter")
    reader.reload()
    assert reader.evaluate(BACKGROUND) == LIGHT_BG


# Where the keyboard goes on a worksheet, in order, and how focus shows there.
FOCUS_SEEN = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const label = el.closest('label');
  const ring = (s) => s && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  return ring(style) || ring(label && getComputedStyle(label)) || style.boxShadow !== 'none';
}"""


def test_a_keyboard_walk_reaches_every_field_and_tool_with_focus_shown(reader, every_kind_site):
    reader.goto(sheet_url(every_kind_site.as_uri()))
    walk, unseen = [], []
    for _ in range(80):  # from the top of the page to its end
        reader.press("Tab")
        here = reader.active()
        if here in walk[:1] or here.startswith("body:"):
            break
        walk.append(here)
        if not reader.evaluate(FOCUS_SEEN):
            unseen.append(here)
    fields = [f for f in TYPED if f != "rate=4"]
    assert [f for f in fields if f not in walk] == []
    # A radio group is one stop: with none chosen, Tab lands on its first point.
    assert "rate=0" in walk and "rate=4" not in walk
    for tool in ("Print with my answers", "Print blank", "Export all my answers",
                 "Clear my answers"):
        assert f"button: {tool}" in walk, (tool, "\n".join(walk))
    assert "a: My answers" in walk
    assert unseen == []
    # The arrow keys choose within the scale, and the choice is saved.
    reader.focus(field("rate=0"))
    reader.press("ArrowDown")
    assert reader.active() == "rate=1" and reader.value(field("rate=1")) is True
    wait_status(reader, SAVED)


@pytest.mark.parametrize("name", ENGINES)
def test_a_script_error_on_a_page_fails_the_reader_fixture(request, name, every_kind_site):
    """The reader fixture fails a test on any script error: each engine does report them."""
    session = request.getfixturevalue("browser" if name == "chromium" else f"{name}_session")
    reader = open_reader(name, session)
    try:
        reader.goto(f"{every_kind_site.as_uri()}/index.html")
        reader.run("setTimeout(() => { throw new Error('boom'); }), 1")
        reader.wait_for("() => new Promise((done) => setTimeout(() => done(true), 50))")
        # WebKit names it "Script error.": the timer was set by the driver's script, not the page's.
        assert [e for e in reader.script_errors() if "boom" in e or e == "Script error."]
    finally:
        reader.close()


CONTROLLED = ("() => navigator.serviceWorker && navigator.serviceWorker.controller"
              " && navigator.serviceWorker.ready.then(() => true)")


# What the page's icon (<link rel="icon">) is answered with: its type and first bytes.
ICON_OFFLINE = """async () => {
  const response = await fetch(document.querySelector('link[rel~=icon]').href);
  return response.headers.get('content-type') + ' ' + (await response.text()).slice(0, 4);
}"""


def test_after_one_visit_pages_open_and_answers_save_offline(reader, every_kind_site):
    """Served over http, one visit installs the service worker; with the server gone, other
    pages still open and answers still save."""
    with serve_directory(every_kind_site) as url:
        reader.goto(f"{url}/index.html")
        reader.wait_for(CONTROLLED)
    reader.goto(f"{url}/{GUIDE}/decide-what-is-true-for-you.html")
    assert reader.text("main h1") == "Decide what is true for you"
    # The site's icon too (tests/firefox_bridge.cjs counts Firefox's own icon load, cut off
    # by a navigation, as no script error: this is what makes that safe).
    assert reader.evaluate(ICON_OFFLINE) == "image/svg+xml <svg"
    reader.goto(sheet_url(url))
    fill_every_kind(reader)
    wait_status(reader, SAVED)
    reader.reload()
    assert answers_on_page(reader) == TYPED


# --- What each engine offers, measured (the README's table) -------------------------------

ROUND_TRIP = """async () => {
  if (!window.crypto || !crypto.subtle) return 'no';
  const enc = new TextEncoder(), salt = crypto.getRandomValues(new Uint8Array(16));
  const base = await crypto.subtle.importKey('raw', enc.encode('passphrase'), 'PBKDF2', false,
                                             ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    {name: 'PBKDF2', salt, iterations: 1000, hash: 'SHA-256'}, base,
    {name: 'AES-GCM', length: 256}, false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({name: 'AES-GCM', iv}, key, enc.encode('answer'));
  const plain = await crypto.subtle.decrypt({name: 'AES-GCM', iv}, key, sealed);
  return new TextDecoder().decode(plain) === 'answer' ? 'yes' : 'no';
}"""


# What navigator.storage.persist() does: "true" or "false" when the engine decides by itself,
# "asks the reader" when it is still waiting for the reader's answer to a prompt (no engine
# answers by itself after more than a moment), "no" without the call.
PERSIST_ANSWER = """async () => {
  if (!navigator.storage || !navigator.storage.persist) return 'no';
  const waiting = new Promise((resolve) => setTimeout(() => resolve('asks the reader'), 3000));
  return Promise.race([navigator.storage.persist().then(String, () => 'refused'), waiting]);
}"""


def measure(reader, site, url, tmp_path) -> dict[str, str]:
    """Return what the engine offers the reader's features, as the README's table says it."""
    found = {}
    reader.goto(f"{site.as_uri()}/index.html")
    reader.run("localStorage.setItem('probe', 'home')")
    found["storage from disk (file://)"] = "yes" if reader.run(
        "localStorage.getItem('probe')") == "home" else "no"
    reader.goto(sheet_url(site.as_uri()))
    found["storage shared by a site's folders on disk"] = "yes" if reader.run(
        "localStorage.getItem('probe')") == "home" else "no"
    found["lock (WebCrypto) from disk"] = reader.evaluate(ROUND_TRIP)
    reader.goto(sheet_url(url))
    found["lock (WebCrypto) over http"] = reader.evaluate(ROUND_TRIP)
    with serve_directory(site) as fresh:  # its own address, so its own service worker
        reader.goto(f"{fresh}/index.html")
        with contextlib.suppress(AssertionError):  # no worker: the check below says "no"
            reader.wait_for(CONTROLLED)
    try:
        reader.goto(f"{fresh}/{GUIDE}/index.html")
        offline = reader.text("main h1") != ""
    except Exception:
        offline = False
    found["offline (service worker) over http"] = "yes" if offline else "no"
    found["persist (navigator.storage.persist)"] = "yes" if reader.run(
        "!!(navigator.storage && navigator.storage.persist)") else "no"
    sizes = []
    for paper in ("a4", "letter"):
        reader.goto(sheet_url(site.as_uri()))
        reader.evaluate("(p) => { const s = document.querySelector('[data-paper]'); s.value = p;"
                        " s.dispatchEvent(new Event('change')); }", paper)
        try:
            reader.pdf(tmp_path / f"{paper}.pdf")
        except EngineError:
            sizes.append("none")
            continue
        box = PdfReader(tmp_path / f"{paper}.pdf").pages[0].mediabox
        sizes.append({(595, 842): "A4", (612, 792): "Letter"}.get(
            (round(float(box.width)), round(float(box.height))), "other"))
    found["print page sizes (A4, Letter) from CSS"] = (
        "yes" if sizes == ["A4", "Letter"] else "no print" if sizes == ["none"] * 2 else "no")
    # Last, as Firefox leaves its question open: what persist() answers a new profile.
    reader.goto(sheet_url(url))
    found["persist() in a new profile, over http"] = reader.evaluate(PERSIST_ANSWER)
    return found


def test_what_each_engine_offers_is_what_the_readme_says(reader, every_kind_site,
                                                        every_kind_url, tmp_path):
    found = measure(reader, every_kind_site, every_kind_url, tmp_path)
    print(reader.engine, found)
    assert found == readme_table()[reader.engine]


def readme_table() -> dict[str, dict[str, str]]:
    """Read the README's table of engines: {engine: {feature: cell}}."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### What works in which engine", 1)[1]
    rows = ("|" + section.split("\n\n|", 1)[1]).split("\n\n", 1)[0].splitlines()
    heads = [c.strip() for c in rows[0].strip("|").split("|")]
    names = {"Chromium": "chromium", "Firefox ESR": "firefox", "WebKit": "webkit"}
    table: dict[str, dict[str, str]] = {names[h]: {} for h in heads[1:]}
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for head, cell in zip(heads[1:], cells[1:], strict=True):
            table[names[head]][cells[0]] = cell.split(" (")[0].strip("* ")
    return table


@pytest.fixture(scope="module")
def other_site(every_kind_site, tmp_path_factory):
    """The same pages as another site: the every-kind build with another site title."""
    import shutil

    from guidebook.build import build

    from .conftest import make_config

    tmp = tmp_path_factory.mktemp("other-site")
    content = tmp / "content"
    shutil.copytree(every_kind_site.parent / "content", content)
    settings = content / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^title: .*$", "title: Another coach's site", text),
                        encoding="utf-8")
    build(make_config(tmp, content))
    return tmp / "site"


def test_two_sites_on_disk_keep_their_answers_apart(reader, every_kind_site, other_site):
    """Per-site storage: the same worksheet of another site opened from disk starts blank."""
    reader.goto(sheet_url(every_kind_site.as_uri()))
    fill_every_kind(reader)
    wait_status(reader, SAVED)
    reader.goto(sheet_url(other_site.as_uri()))
    assert answers_on_page(reader) == blank()
    reader.goto(sheet_url(every_kind_site.as_uri()))
    assert answers_on_page(reader) == TYPED


# --- The reader's controls (Don't save, the lock) and Exit this page ----------------------

STORED = "() => Object.keys(localStorage).map((k) => k + '=' + localStorage.getItem(k)).join('\\n')"


def test_dont_save_keeps_nothing_on_the_device(reader, every_kind_site):
    reader.goto(sheet_url(every_kind_site.as_uri()))
    reader.fill("#f-one-word", "Saved before I chose")
    wait_status(reader, SAVED)
    question = reader.click("[data-nosave]", dialog="accept")
    assert question.startswith("Stop saving your answers on this device?")
    reader.wait_for("() => document.querySelector('[data-nosave]').ariaPressed === 'true'")
    reader.fill("#f-one-word", "Nobody may read this")
    wait_status(reader, r"^Kept on this page only: nothing is saved on this device\.$")
    stored = reader.evaluate(STORED)
    assert "Nobody may read this" not in stored and "Saved before I chose" not in stored
    reader.reload()
    assert reader.value("#f-one-word") == ""
    assert reader.evaluate("() => document.querySelector('[data-nosave]').ariaPressed") == "true"


PASSPHRASE = "blue kettle song"


def test_the_lock_keeps_only_ciphertext_and_unlocks_after_reload(reader, every_kind_site):
    """From disk: each engine gives file:// pages WebCrypto (see the README's table)."""
    reader.goto(sheet_url(every_kind_site.as_uri()))
    reader.fill("#f-one-word", "My private words")
    wait_status(reader, SAVED)
    reader.click("[data-lock]")
    reader.wait_for("() => !!document.querySelector('#lock-new')")
    reader.fill("#lock-new", PASSPHRASE)
    reader.fill("#lock-again", PASSPHRASE)
    reader.click("[data-lock-panel] [type=submit]")
    wait_status(reader, r"^Your answers are locked with your passphrase")
    reader.wait_for(f"() => ({STORED})().includes('\"iv\"') && !({STORED})().includes('private')")

    reader.reload()
    reader.wait_for("() => !!document.querySelector('#lock-pass')")
    assert reader.value("#f-one-word") == ""
    assert reader.evaluate("() => document.querySelector('form[data-answers]').inert") is True
    reader.fill("#lock-pass", "blue kettle sing")
    reader.click("[data-lock-panel] [type=submit]")
    reader.wait_for("(t) => document.querySelector('[data-lock-message]').textContent === t",
                    "That passphrase does not unlock these answers. Check it and try again.")
    reader.fill("#lock-pass", PASSPHRASE)
    reader.click("[data-lock-panel] [type=submit]")
    reader.wait_for("() => document.querySelector('#f-one-word').value === 'My private words'")
    assert reader.evaluate("() => document.querySelector('form[data-answers]').inert") is False


WEATHER = "<!doctype html><html lang='en'><title>Weather</title><p>Sunny.</p>"


@pytest.fixture(scope="module")
def exit_site(every_kind_site, tmp_path_factory):
    """The every-kind site whose Exit this page goes to a page on this computer; yields the
    site's http address and the exit address."""
    import shutil

    from guidebook.build import build

    from .conftest import make_config

    tmp = tmp_path_factory.mktemp("exit-site")
    (tmp / "elsewhere").mkdir()
    (tmp / "elsewhere" / "weather.html").write_text(WEATHER, encoding="utf-8")
    with serve_directory(tmp / "elsewhere") as elsewhere:
        content = tmp / "content"
        shutil.copytree(every_kind_site.parent / "content", content)
        with (content / "site.yaml").open("a", encoding="utf-8") as settings:
            settings.write(f"quick_exit:\n  url: {elsewhere}/weather.html\n")
        build(make_config(tmp, content))
        with serve_directory(tmp / "site") as url:
            yield url, f"{elsewhere}/weather.html"


@pytest.mark.parametrize("trigger", ["click", "Shift three times"])
def test_exit_this_page_leaves_and_back_skips_the_guide(reader, exit_site, trigger):
    url, weather = exit_site
    reader.goto(f"{url}/404.html")  # the page before, where Back must lead
    reader.goto(sheet_url(url))
    reader.fill("#f-one-word", "Nobody may see this")
    if trigger == "click":
        reader.click("[data-exit]")
    else:
        reader.evaluate("() => document.activeElement.blur()")
        for _ in range(3):
            reader.press("Shift")
    reader.wait_for("(u) => location.href === u", weather)
    reader.back()
    reader.wait_for("(u) => location.href === u", f"{url}/404.html")
