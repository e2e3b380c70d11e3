"""Answers that last and travel, in a real browser: the My answers page (text, copy,
downloads, print, share), Export all and Import's merge, progress, the export reminder, and
persist(); a locked store and "Don't save" keep all of them to what the reader allows."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import GUIDE
from .test_worksheets_browser import TYPED, fill_every_kind, pdf_text

pytestmark = pytest.mark.browser

# What the My answers page gives for TYPED, below its two header lines (title, site · date).
EVERY_KIND_TEXT = """\
Every kind of field
===================

A few lines
  First line
  second line

One word
  Tuesday

Pick some
  - Sadness
  - Other: Tired

Rate it
  4 of 5 (Low … High)

Fill the table
  Row 1
    First: He looked away
  Row 2
    Second: Maybe he was busy
"""
EVERY_KIND_MARKDOWN = """\
## Every kind of field

### A few lines

First line{hard break}
second line

### One word

Tuesday

### Pick some

- Sadness
- Other: Tired

### Rate it

4 of 5 (Low … High)

### Fill the table

| First | Second |
| --- | --- |
| He looked away |  |
|  | Maybe he was busy |
""".replace("{hard break}", "  ")  # Markdown's line break: two spaces at the end of a line
WEEK = timedelta(days=7)
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def base(every_kind_url) -> str:
    """The real guide plus a worksheet with every kind of field (conftest), over http."""
    return every_kind_url


@pytest.fixture
def context(browser):
    context = browser.new_context(accept_downloads=True)
    context.add_init_script("window.print = function () { window.printed = true; };")
    yield context
    context.close()


def sheet(base: str, name: str) -> str:
    return f"{base}/{GUIDE}/worksheets/{name}.html"


def answers_page(base: str) -> str:
    return f"{base}/{GUIDE}/my-answers.html"


def saved_status(page) -> None:
    expect(page.locator("[data-status]")).to_have_text(re.compile(r"^Saved in this browser at "))


def typed_every_kind(page, base: str) -> None:
    page.goto(sheet(base, "every-kind"))
    fill_every_kind(page)
    saved_status(page)


def typed_two_worksheets(page, base: str) -> None:
    """Answer every kind of field, and the first box of Facts and stories."""
    typed_every_kind(page, base)
    page.goto(sheet(base, "facts-and-stories"))
    page.locator("textarea").first.fill("He looked at his phone")
    saved_status(page)


def body(text: str) -> str:
    """Drop the two header lines (guide title; site and date) and the blank line after."""
    lines = text.split("\n")
    assert lines[0] == "My answers: Managing Rejection in Your Relationship"
    assert re.fullmatch(r"Guidebook · \w+ \d{1,2}, \d{4}", lines[1]), lines[1]
    assert lines[2] == ""
    return "\n".join(lines[3:])


def test_my_answers_shows_exactly_what_was_typed_for_every_field_kind(context, base):
    page = context.new_page()
    typed_every_kind(page, base)
    page.goto(sheet(base, "every-kind"))
    page.get_by_role("link", name="My answers", exact=True).click()
    assert page.url == answers_page(base)
    sheets = page.locator(".answers-sheet")
    expect(sheets).to_have_count(1)
    shown = sheets.first
    expect(shown.locator("h2")).to_have_text("Every kind of field")
    expect(shown.locator("h3")).to_have_text(
        ["A few lines", "One word", "Pick some", "Rate it", "Fill the table"])
    expect(shown.locator(".answer-text")).to_have_text(
        ["First line\nsecond line", "Tuesday", "Sadness", "Other: Tired", "4 of 5 (Low … High)",
         "He looked away", "", "", "Maybe he was busy"])
    expect(shown.locator("th")).to_have_text(["First", "Second"])
    # Worksheets without answers cannot be chosen, and say why.
    choice = page.get_by_role("checkbox", name="Facts and stories")
    expect(choice).to_be_disabled()
    expect(choice).not_to_be_checked()
    text = page.evaluate("guidebookMyAnswers.asText(guidebookMyAnswers.show())")
    assert body(text) == EVERY_KIND_TEXT


def test_copy_and_downloads_give_the_same_text(context, base, tmp_path):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    typed_every_kind(page, base)
    page.goto(answers_page(base))
    page.get_by_role("button", name="Copy as text").click()
    expect(page.locator("[data-status]")).to_have_text(
        "Your answers are copied. Paste them where you like.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert body(copied) == EVERY_KIND_TEXT
    files = {}
    for kind, name in (("txt", "Download .txt"), ("md", "Download Markdown (.md)")):
        with page.expect_download() as info:
            page.get_by_role("button", name=name).click()
        download = info.value
        assert re.fullmatch(rf"{GUIDE}-my-answers-\d{{4}}-\d\d-\d\d\.{kind}",
                            download.suggested_filename)
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        files[kind] = path.read_text(encoding="utf-8")
    assert files["txt"] == copied
    markdown = files["md"].split("\n")
    assert markdown[0] == "# My answers: Managing Rejection in Your Relationship"
    assert "\n".join(markdown[4:]) == EVERY_KIND_MARKDOWN


def test_the_reader_chooses_which_worksheets(context, base):
    page = context.new_page()
    typed_two_worksheets(page, base)
    page.goto(answers_page(base))
    expect(page.locator(".answers-sheet h2")).to_have_text(["Facts and stories",
                                                            "Every kind of field"])
    page.get_by_role("checkbox", name="Every kind of field").uncheck()
    expect(page.locator(".answers-sheet h2")).to_have_text(["Facts and stories"])
    text = page.evaluate("guidebookMyAnswers.asText(guidebookMyAnswers.show())")
    assert "Facts and stories" in text and "Every kind of field" not in text
    page.get_by_role("checkbox", name="Facts and stories").uncheck()
    expect(page.locator(".answers-empty")).to_have_text("No worksheet is chosen.")
    expect(page.get_by_role("button", name="Copy as text")).to_be_disabled()


@pytest.mark.parametrize("paper,size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_it_prints_one_page_per_worksheet(context, base, tmp_path, paper, size):
    page = context.new_page()
    typed_two_worksheets(page, base)
    page.goto(answers_page(base))
    page.select_option("[data-paper]", paper)
    page.get_by_role("button", name="Print", exact=True).click()
    assert page.evaluate("window.printed") is True
    path = tmp_path / "answers.pdf"
    page.pdf(path=str(path), prefer_css_page_size=True)
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in reader.pages} == {size}
    first, second = pdf_text(reader)
    assert "Facts and stories" in first and "He looked at his phone" in first
    assert "Every kind of field" in second and "Maybe he was busy" in second
    assert "Copy as text" not in first + second  # no reader control is printed


def test_share_is_offered_only_where_the_browser_can(browser, base):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script("delete Navigator.prototype.share;"
                             "delete Navigator.prototype.canShare;")
        typed_every_kind(page, base)
        page.goto(answers_page(base))
        expect(page.get_by_role("button", name="Copy as text")).to_be_visible()
        expect(page.get_by_role("button", name="Share…")).to_be_hidden()
        # A browser that shares files gets the text as a file.
        page.add_init_script("""
            navigator.share = (data) => { window.shared = data; return Promise.resolve(); };
            navigator.canShare = (data) => true;""")
        page.reload()
        page.get_by_role("button", name="Share…").click()
        expect(page.locator("[data-status]")).to_have_text("Shared.")
        shared = page.evaluate("""async () => ({title: window.shared.title,
            name: window.shared.files[0].name, text: await window.shared.files[0].text()})""")
        assert shared["title"] == "My answers: Managing Rejection in Your Relationship"
        assert re.fullmatch(rf"{GUIDE}-my-answers-\d{{4}}-\d\d-\d\d\.txt", shared["name"])
        assert body(shared["text"]) == EVERY_KIND_TEXT
    finally:
        context.close()


def export_all(page, tmp_path: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("button", name="Export all my answers").first.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_export_all_then_import_into_a_fresh_browser(browser, base, tmp_path):
    first = browser.new_context()
    second = browser.new_context()
    try:
        page = first.new_page()
        typed_two_worksheets(page, base)
        exported = export_all(page, tmp_path)
        data = json.loads(exported.read_text(encoding="utf-8"))
        assert data["guidebook"] == "worksheet answers" and data["site"] == "Guidebook"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*Z", data["exported"])
        sheets = data["worksheets"]
        assert sorted(sheets) == [f"guidebook:{GUIDE}/every-kind",
                                  f"guidebook:{GUIDE}/facts-and-stories"]
        assert sheets[f"guidebook:{GUIDE}/facts-and-stories"]["title"] == "Facts and stories"
        assert sheets[f"guidebook:{GUIDE}/every-kind"]["guide"] == \
            "Managing Rejection in Your Relationship"
        assert sheets[f"guidebook:{GUIDE}/every-kind"]["answers"]["one-word"] == "Tuesday"

        fresh = second.new_page()
        fresh.goto(answers_page(base))
        expect(fresh.locator(".answers-empty")).to_have_text(
            "You have not saved answers to this guide’s worksheets in this browser yet.")
        fresh.set_input_files("[data-import]", str(exported))
        expect(fresh.locator("[data-status]")).to_have_text(
            f"Answers taken from {exported.name}, by worksheet: Every kind of field (5), "
            "Facts and stories (1).")
        expect(fresh.locator(".answers-sheet h2")).to_have_text(["Facts and stories",
                                                                 "Every kind of field"])
        fresh.goto(sheet(base, "every-kind"))
        for selector, value in TYPED.items():
            target = fresh.locator(selector)
            if value is True:
                expect(target).to_be_checked()
            else:
                expect(target).to_have_value(value)

        # A newer answer in this browser is kept; the file's older one does not replace it.
        fresh.locator("#f-one-word").fill("Wednesday")
        saved_status(fresh)
        fresh.goto(answers_page(base))
        fresh.set_input_files("[data-import]", str(exported))
        expect(fresh.locator("[data-status]")).to_have_text(
            f"Nothing in {exported.name} was newer than the answers in this browser, so nothing "
            "changed. Answers kept because this browser’s were newer: 1.")
        fresh.goto(sheet(base, "every-kind"))
        expect(fresh.locator("#f-one-word")).to_have_value("Wednesday")

        # And a newer answer in the file wins over an older one here.
        page.goto(sheet(base, "every-kind"))
        page.locator("#f-a-few-lines").fill("Written later, elsewhere")
        saved_status(page)
        later = tmp_path / "later"
        later.mkdir()
        newer = export_all(page, later)
        fresh.goto(answers_page(base))
        fresh.set_input_files("[data-import]", str(newer))
        # The file's worksheet was saved later: where the two differ, its answers win.
        expect(fresh.locator("[data-status]")).to_have_text(
            f"Answers taken from {newer.name}, by worksheet: Every kind of field (2).")
        fresh.goto(sheet(base, "every-kind"))
        expect(fresh.locator("#f-a-few-lines")).to_have_value("Written later, elsewhere")
        expect(fresh.locator("#f-one-word")).to_have_value("Tuesday")
    finally:
        first.close()
        second.close()


def test_a_file_exported_from_one_worksheet_before_still_imports(context, base, tmp_path):
    # The shape of the per-worksheet files that "Export answers" wrote before Export all
    # (worksheet-transfer.js, version 1): no site, guide or time of saving.
    old = tmp_path / "every-kind-answers-2026-01-05.json"
    old.write_text(json.dumps({
        "guidebook": "worksheet answers", "version": 1, "exported": "2026-01-05T10:00:00.000Z",
        "worksheets": {f"guidebook:{GUIDE}/every-kind": {
            "title": "Every kind of field", "answers": {"one-word": "Monday", "rate": "2"}}},
    }, indent=2), encoding="utf-8")
    page = context.new_page()
    page.goto(answers_page(base))
    page.set_input_files("[data-import]", str(old))
    expect(page.locator("[data-status]")).to_have_text(
        f"Answers taken from {old.name}, by worksheet: Every kind of field (2).")
    expect(page.locator(".answers-sheet .answer-text")).to_have_text(
        ["Monday", "2 of 5 (Low … High)"])
    page.goto(sheet(base, "every-kind"))
    expect(page.locator("#f-one-word")).to_have_value("Monday")
    expect(page.locator('[name="rate"][value="2"]')).to_be_checked()
    # A file older than what was typed here since: only what this browser lacks is taken.
    page.locator('[name="one-word"]').fill("Sunday")
    saved_status(page)
    older = tmp_path / "older.json"
    older.write_text(json.dumps({
        "guidebook": "worksheet answers", "version": 1, "exported": "2026-01-01T10:00:00.000Z",
        "worksheets": {f"guidebook:{GUIDE}/every-kind": {
            "title": "Every kind of field",
            "answers": {"a-few-lines": "From the file", "one-word": "Saturday"}}},
    }), encoding="utf-8")
    page.get_by_role("link", name="My answers", exact=True).click()
    page.set_input_files("[data-import]", str(older))
    expect(page.locator("[data-status]")).to_have_text(
        "Answers taken from older.json, by worksheet: Every kind of field (1). Answers kept "
        "because this browser’s were newer: 1.")
    page.goto(sheet(base, "every-kind"))
    expect(page.locator('[name="a-few-lines"]')).to_have_value("From the file")
    expect(page.locator('[name="one-word"]')).to_have_value("Sunday")


def test_a_newer_file_replaces_a_prompts_whole_answer(context, base, tmp_path):
    """Per prompt: a newer file's checklist wins as a whole (a box unticked there is unticked
    here); an older file's answer to a prompt answered here is kept; a prompt answered only
    in the file is taken."""
    page = context.new_page()
    page.goto(sheet(base, "every-kind"))
    page.locator('[name="pick-sadness"]').check()
    page.locator('[name="pick-anger"]').check()
    page.locator('[name="one-word"]').fill("Here")
    saved_status(page)

    def write(name: str, saved: str, answers: dict) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps({
            "guidebook": "worksheet answers", "version": 2, "exported": saved,
            "worksheets": {f"guidebook:{GUIDE}/every-kind": {
                "title": "Every kind of field", "saved": saved, "answers": answers}},
        }), encoding="utf-8")
        return path

    # Saved later than anything here (2030): the file's answers win where both answered.
    newer = write("newer.json", "2030-01-01T00:00:00.000Z",
                  {"pick-sadness": True, "one-word": "There", "rate": "3"})
    page.goto(answers_page(base))
    page.set_input_files("[data-import]", str(newer))
    expect(page.locator("[data-status]")).to_have_text(
        "Answers taken from newer.json, by worksheet: Every kind of field (3).")
    expect(page.locator(".answers-sheet .answer-text")).to_have_text(
        ["There", "Sadness", "3 of 5 (Low … High)"])
    # Saved before (2020): only what this browser lacks is taken; here Sadness stays alone.
    older = write("older.json", "2020-01-01T00:00:00.000Z",
                  {"pick-anger": True, "a-few-lines": "Old lines"})
    page.set_input_files("[data-import]", str(older))
    expect(page.locator("[data-status]")).to_have_text(
        "Answers taken from older.json, by worksheet: Every kind of field (1). Answers kept "
        "because this browser’s were newer: 1.")
    page.goto(sheet(base, "every-kind"))
    expect(page.locator('[name="pick-anger"]')).not_to_be_checked()
    expect(page.locator('[name="pick-sadness"]')).to_be_checked()
    expect(page.locator('[name="a-few-lines"]')).to_have_value("Old lines")
    expect(page.locator('[name="one-word"]')).to_have_value("There")


@pytest.mark.parametrize("content", ["{not json", '{"hello": 1}', '{"guidebook": "notes"}',
                                     '{"guidebook": "worksheet answers", "worksheets": 3}'])
def test_a_file_that_is_not_an_answers_file_changes_nothing_and_says_so(context, base,
                                                                        tmp_path, content):
    page = context.new_page()
    typed_every_kind(page, base)
    page.goto(answers_page(base))
    other = tmp_path / "notes.json"
    other.write_text(content, encoding="utf-8")
    page.set_input_files("[data-import]", str(other))
    expect(page.locator("[data-status]")).to_have_text(
        "notes.json is not a Guidebook answers file, so nothing changed.")
    page.goto(answers_page(base))
    assert body(page.evaluate("guidebookMyAnswers.asText(guidebookMyAnswers.show())")) == \
        EVERY_KIND_TEXT


def test_answers_of_worksheets_not_on_this_site_are_left_out(context, base, tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({
        "guidebook": "worksheet answers", "version": 2, "exported": "2026-01-05T10:00:00.000Z",
        "worksheets": {
            "guidebook:another-guide/somewhere": {"title": "Elsewhere", "answers": {"x": "y"}},
            f"guidebook:{GUIDE}/every-kind": {"title": "Every kind of field",
                                               "answers": {"one-word": "Friday"}}},
    }), encoding="utf-8")
    page = context.new_page()
    page.goto(answers_page(base))
    page.set_input_files("[data-import]", str(other))
    expect(page.locator("[data-status]")).to_have_text(
        "Answers taken from other.json, by worksheet: Every kind of field (1). Worksheets in "
        "the file that are not on this site, left out: 1.")


def progress_lines(page) -> dict[str, str]:
    """Each worksheet card's title and progress line."""
    cards = page.locator("#worksheets .worksheet-card")
    return {card.locator(".card-link").inner_text(): card.locator(".progress-line").inner_text()
            for card in cards.all() if card.locator(".progress-line").count()}


def test_progress_after_none_some_and_all_prompts(context, base):
    page = context.new_page()
    page.goto(f"{base}/{GUIDE}/index.html")
    html_before = page.locator("main").inner_html()
    assert progress_lines(page) == {}
    expect(page.get_by_role("button", name="Hide my progress")).to_have_count(0)
    expect(page.locator("[data-continue]")).to_be_hidden()

    page.goto(sheet(base, "facts-and-stories"))
    page.locator("textarea").first.fill("He looked at his phone")
    saved_status(page)
    page.goto(sheet(base, "what-is-true-for-me"))
    for box in page.locator("form textarea, form input[type=text]").all():
        box.fill("Yes")
    saved_status(page)
    page.goto(f"{base}/{GUIDE}/index.html")
    assert progress_lines(page) == {"Facts and stories": "Started: 1 of 4 prompts answered",
                                    "What is true for me": "Every prompt answered",
                                    "Learning from it": "Not started",
                                    "Every kind of field": "Not started"}
    # Continue where you left off: the worksheet edited last.
    resume = page.get_by_role("link", name="Continue where you left off: What is true for me")
    # As shown: a space's width between the colon and the title (a flex item's edge would
    # swallow it).
    gap = page.evaluate("""() => {
        const title = document.querySelector('[data-continue-title]');
        const text = title.previousSibling, colon = document.createRange();
        colon.setStart(text, text.length - 2);
        colon.setEnd(text, text.length - 1);
        return title.getBoundingClientRect().left - colon.getBoundingClientRect().right; }""")
    assert gap > 2
    resume.click()
    assert page.url == sheet(base, "what-is-true-for-me")

    # A step page shows its own worksheets' progress.
    page.goto(f"{base}/{GUIDE}/rethink-the-rejection.html")
    assert progress_lines(page) == {"Facts and stories": "Started: 1 of 4 prompts answered"}

    # Hidden, it stays hidden; shown again, it is back.
    page.goto(f"{base}/{GUIDE}/index.html")
    page.get_by_role("button", name="Hide my progress").click()
    expect(page.locator(".progress-line").first).to_be_hidden()
    expect(page.locator("[data-continue]")).to_be_hidden()
    page.reload()
    expect(page.locator(".progress-line").first).to_be_hidden()
    page.get_by_role("button", name="Show my progress").click()
    expect(page.locator(".progress-line").first).to_be_visible()
    assert html_before != page.locator("main").inner_html()


def reminder(page):
    return page.get_by_role("note").filter(
        has_text="You have not saved a copy of your answers for a week or more.")


def expect_no_reminder(page) -> None:
    """The page decided, as it loaded, that no reminder is due: it did not even load the
    script that shows one."""
    expect(page.locator("[data-worksheet-tools]")).to_be_visible()
    assert page.evaluate("""performance.getEntriesByType("resource")
        .every((entry) => !entry.name.includes("answers-backup"))""")
    expect(reminder(page)).to_have_count(0)


def test_the_export_reminder_after_seven_days(context, base):
    page = context.new_page()
    page.clock.install(time=START)
    page.goto(sheet(base, "facts-and-stories"))
    page.locator("textarea").first.fill("He looked at his phone")
    saved_status(page)
    for later, shown in ((WEEK - timedelta(minutes=1), False), (WEEK + timedelta(minutes=1), True)):
        page.clock.set_system_time(START + later)
        page.reload()
        if shown:
            expect(reminder(page)).to_be_visible()
        else:
            expect_no_reminder(page)
    # Dismissed: not again for 7 days, then again.
    dismissed = START + WEEK + timedelta(minutes=2)
    page.clock.set_system_time(dismissed)
    reminder(page).get_by_role("button", name="Remind me in 7 days").click()
    expect(reminder(page)).to_have_count(0)
    page.clock.set_system_time(dismissed + WEEK - timedelta(minutes=1))
    page.reload()
    expect_no_reminder(page)
    page.clock.set_system_time(dismissed + WEEK + timedelta(minutes=1))
    page.reload()
    expect(reminder(page)).to_be_visible()
    # Exporting answers it, and hides it for 7 days too.
    with page.expect_download():
        reminder(page).get_by_role("button", name="Export all my answers").click()
    expect(reminder(page)).to_have_count(0)
    page.reload()
    expect_no_reminder(page)


def test_the_reminder_never_shows_without_answers(context, base):
    page = context.new_page()
    page.clock.install(time=START + 10 * WEEK)
    page.goto(sheet(base, "facts-and-stories"))
    expect_no_reminder(page)
    assert page.evaluate("guidebookAnswers.names()") == []


PERSIST_SPY = """
    window.persistCalls = 0;
    navigator.storage.persist = () => {
        window.persistCalls++;
        return Promise.resolve(false);
    };"""


def test_the_browser_is_asked_to_keep_the_storage_after_the_first_save(context, base):
    page = context.new_page()
    page.add_init_script(PERSIST_SPY)
    page.goto(sheet(base, "facts-and-stories"))
    expect(page.locator("[data-worksheet-tools]")).to_be_visible()
    assert page.evaluate("window.persistCalls") == 0  # not for a visit that saves nothing
    page.locator("textarea").first.fill("One")
    page.wait_for_function("() => window.persistCalls === 1")
    page.locator("textarea").nth(1).fill("Two")
    saved_status(page)
    page.locator("textarea").nth(2).fill("Three")
    saved_status(page)
    assert page.evaluate("window.persistCalls") == 1



def test_an_import_asks_the_browser_to_keep_the_storage_too(context, base, tmp_path):
    """A reader restoring their answers on a new device asks for the storage to be kept."""
    page = context.new_page()
    page.add_init_script(PERSIST_SPY)
    restored = tmp_path / "restored.json"
    restored.write_text(json.dumps({
        "guidebook": "worksheet answers", "version": 2, "exported": "2026-01-05T10:00:00.000Z",
        "worksheets": {f"guidebook:{GUIDE}/every-kind": {"answers": {"one-word": "Back"}}},
    }), encoding="utf-8")
    page.goto(answers_page(base))
    assert page.evaluate("window.persistCalls") == 0
    page.set_input_files("[data-import]", str(restored))
    expect(page.locator("[data-status]")).to_have_text(
        "Answers taken from restored.json, by worksheet: Every kind of field (1).")
    page.wait_for_function("() => window.persistCalls === 1")
    site = page.evaluate("document.body.dataset.site")
    assert int(stored(page)[f"guidebook:{site}:backup"]) > 0  # the reminder's week starts


def stored(page) -> dict[str, str]:
    return page.evaluate("Object.fromEntries(Object.entries(localStorage))")


def test_dont_save_writes_nothing_not_even_the_reminders_clock(context, base, tmp_path):
    page = context.new_page()
    page.add_init_script(PERSIST_SPY)
    page.clock.install(time=START)
    page.goto(sheet(base, "facts-and-stories"))
    page.get_by_role("button", name="Don’t save my answers on this device").click()
    expect(page.locator("[data-status]")).to_have_text(re.compile("^Your answers are not saved"))
    page.locator("textarea").first.fill("Only on this page")
    expect(page.locator("[data-status]")).to_have_text(
        "Kept on this page only: nothing is saved on this device.")
    # Export all still gives the reader what this page holds, and writes nothing either.
    exported = export_all(page, tmp_path)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["worksheets"][f"guidebook:{GUIDE}/facts-and-stories"]["answers"] == {
        "what-happened-r1-c1": "Only on this page"}
    site = page.evaluate("document.body.dataset.site")
    assert {key for key in stored(page) if key.startswith(f"guidebook:{site}:")} == {
        f"guidebook:{site}:nosave"}
    assert page.evaluate("window.persistCalls") == 0
    page.clock.set_system_time(START + 2 * WEEK)
    page.reload()
    expect_no_reminder(page)
    # My answers, in another page, has nothing to show.
    page.goto(answers_page(base))
    expect(page.locator(".answers-empty")).to_have_text(
        "You have not saved answers to this guide’s worksheets in this browser yet.")


def test_locked_answers_show_nowhere_until_unlocked(context, base, tmp_path):
    from .test_answers_browser import lock_with, unlock_with

    page = context.new_page()
    typed_every_kind(page, base)
    lock_with(page, "blue kettle song")
    page.wait_for_function("""() => !Object.values(localStorage).some(
        (v) => v.includes("Tuesday"))""")
    # My answers asks for the passphrase and shows nothing before it.
    page.goto(answers_page(base))
    expect(page.get_by_label("Passphrase", exact=True)).to_be_visible()
    expect(page.locator(".answers-sheet")).to_have_count(0)
    assert "Tuesday" not in page.locator("main").inner_text()
    # Progress on the guide page shows nothing, and asks for nothing.
    page.goto(f"{base}/{GUIDE}/index.html")
    expect(page.locator("[data-progress-place]")).to_be_attached()
    expect(page.locator(".progress-line")).to_have_count(0)
    expect(page.locator("[data-continue]")).to_be_hidden()
    expect(page.get_by_label("Passphrase", exact=True)).to_have_count(0)
    # Export all on a locked worksheet page says to unlock first.
    page.goto(sheet(base, "every-kind"))
    page.get_by_role("button", name="Export all my answers").click()
    expect(page.locator("[data-worksheet-tools] [data-status]")).to_have_text(
        "Your answers are locked: unlock them with your passphrase first.")
    # Unlocked, My answers shows them, and Export all holds them in the clear.
    page.goto(answers_page(base))
    unlock_with(page, "blue kettle song")
    expect(page.locator(".answers-sheet h2")).to_have_text(["Every kind of field"])
    assert body(page.evaluate("guidebookMyAnswers.asText(guidebookMyAnswers.show())")) == \
        EVERY_KIND_TEXT
    exported = export_all(page, tmp_path)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["worksheets"][f"guidebook:{GUIDE}/every-kind"]["answers"]["one-word"] == \
        "Tuesday"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_pages_with_answers_pass_axe_and_show_their_controls(browser, base, theme):
    """What only shows with answers saved (My answers, progress, Continue, the reminder)
    passes axe in both themes, and its controls stand out (test_quality's checks)."""
    from .test_quality import CONTROL_CONTRAST, describe_violations, run_axe
    from .tools import axe_script

    context = browser.new_context(color_scheme=theme, bypass_csp=True)
    found = {}
    try:
        page = context.new_page()
        page.clock.install(time=START)
        typed_every_kind(page, base)
        page.clock.set_system_time(START + 2 * WEEK)
        checks = {
            "my-answers": (answers_page(base), ".answers-sheet"),
            "guide with progress": (f"{base}/{GUIDE}/index.html", ".progress-line"),
            "step with progress": (f"{base}/{GUIDE}/decide-what-is-true-for-you.html",
                                   ".progress-line"),
            "worksheet with the reminder": (sheet(base, "every-kind"), ".export-reminder"),
        }
        for name, (url, shown) in checks.items():
            page.goto(url)
            expect(page.locator(shown).first).to_be_visible()
            violations = run_axe(page, axe_script())
            weak = page.evaluate(CONTROL_CONTRAST)
            if violations or weak:
                found[name] = describe_violations(violations) + "; ".join(weak)
    finally:
        context.close()
    assert found == {}


def test_my_answers_is_reached_and_used_by_keyboard(context, base):
    page = context.new_page()
    typed_every_kind(page, base)
    page.goto(answers_page(base))
    reached, seen = [], set()
    for _ in range(80):
        page.keyboard.press("Tab")
        element, here = page.evaluate("""() => { const el = document.activeElement;
            return [el.outerHTML.slice(0, 200),
                    (el.labels && el.labels[0] ? el.labels[0] : el).textContent.trim()]; }""")
        if element in seen or element.startswith("<body"):
            break
        seen.add(element)
        reached.append(here)
    for control in ("Every kind of field", "Copy as text", "Download .txt",
                    "Download Markdown (.md)", "Print", "Export all my answers",
                    "Import answers"):  # Share… shows only where the browser shares
        assert any(r.startswith(control) for r in reached), (control, reached)
    # A worksheet chosen off with the keyboard leaves the page.
    page.get_by_role("checkbox", name="Every kind of field").focus()
    page.keyboard.press("Space")
    expect(page.locator(".answers-sheet")).to_have_count(0)
