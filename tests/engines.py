"""One small interface to a page in three browser engines, so a reader test is written once.

- Chromium: Debian's chromium through Playwright (as the rest of the suite).
- Firefox: Debian's firefox-esr through puppeteer-core over WebDriver BiDi, driven by
  tests/firefox_bridge.cjs in Node (one JSON line per request).
- WebKit: Debian's WebKitWebDriver (webkit2gtk-driver, Safari's engine as WebKitGTK) through
  Selenium, on a virtual X display (Xvfb) that this module starts.

A missing engine fails the test with the package to install: it is never a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .tools import NODE_MODULES, require_command, require_file

ENGINES = ("chromium", "firefox", "webkit")
FIREFOX = os.environ.get("FIREFOX", "/usr/bin/firefox-esr")
BRIDGE = Path(__file__).with_name("firefox_bridge.cjs")
# How long one WebDriver command may take before the test fails, not hangs (a hang, not a
# threshold: a command takes well under a second).
COMMAND_SECONDS = 60
WAIT_SECONDS = 15.0  # how long wait_for() polls before it gives up (a hang, not a threshold)


class EngineError(AssertionError):
    """An engine refused a request; the message is the engine's own."""


class Reader:
    """A page in one engine, with a fresh profile (its own storage) per test.

    Scripts are JavaScript function expressions, called with JSON-able arguments, for
    example `reader.evaluate("(sel) => document.querySelector(sel).value", "#f-one")`;
    a returned Promise is awaited. Selectors are CSS selectors. Keys are named as
    Playwright names them ("Tab", "Shift+Tab", "Enter", "Space", "ArrowDown", "Escape").
    """

    engine = ""

    # --- what each engine provides ----------------------------------------------------
    def run(self, expression: str) -> Any:
        """Evaluate a JavaScript expression in the page; return its (awaited) JSON value."""
        raise NotImplementedError

    def goto(self, url: str) -> None:
        """Open url and wait for its load event."""
        raise NotImplementedError

    def reload(self) -> None:
        """Reload the page and wait for its load event."""
        raise NotImplementedError

    def back(self) -> None:
        """Go back one page in the tab's history, as the Back button does."""
        self.run("history.back()")

    def click(self, selector: str, dialog: str | None = None) -> str | None:
        """Click the element as a mouse would; answer a dialog it opens ("accept" or
        "dismiss"), at once or a moment later (a script loaded on first use), and return
        the dialog's text."""
        raise NotImplementedError

    def type(self, text: str) -> None:
        """Type text with the keyboard into the focused element ("\\n" presses Enter)."""
        raise NotImplementedError

    def press(self, key: str) -> None:
        """Press one key, or a chord such as "Shift+Tab", on the focused element."""
        raise NotImplementedError

    def upload(self, selector: str, file: Path) -> None:
        """Choose file in the file input found by selector, as the file picker would."""
        raise NotImplementedError

    def pdf(self, file: Path) -> None:
        """Print the page to a PDF file, in the page size its CSS asks for where the engine
        can; raise EngineError where the engine cannot print at all."""
        raise NotImplementedError

    downloads: Path  # where the engine saves what the reader downloads

    def download(self, selector: str) -> Path:
        """Click what starts a download; return the file the browser saved, once complete.
        The folder is emptied first, so that the browser never renames a file "name(1)"."""
        def files() -> set[Path]:  # WebKit's folder is its HOME: it keeps folders there too
            return {p for p in self.downloads.iterdir() if p.is_file()}

        for old in files():
            old.unlink()
        self.click(selector)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            new = files()
            done = [p for p in new if p.suffix != ".part" and p.stat().st_size]
            if done and not [p for p in new if p.suffix == ".part"]:
                return done[0]
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.engine}: no download in {self.downloads}")
            time.sleep(0.05)

    # --- built on those, the same in every engine --------------------------------------
    @property
    def url(self) -> str:
        return self.run("location.href")

    def evaluate(self, function: str, *args: Any) -> Any:
        """Call a JavaScript function expression in the page with args; return its value."""
        return self.run(f"({function})(...{json.dumps(list(args))})")

    def wait_for(self, function: str, *args: Any) -> Any:
        """Call function until it returns something truthy; return that. Fails after
        WAIT_SECONDS, saying what it waited for. Return a JSON value, not an element (an
        element arrives in Python as an empty, falsy dict from some engines: use !!el)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                value = self.evaluate(function, *args)
            except Exception as error:  # a page that is navigating has no script context
                value, last = None, error
            else:
                last = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.engine}: waited in vain for {function} {args}") from last
            time.sleep(0.05)

    def text(self, selector: str) -> str:
        return self.evaluate("(s) => document.querySelector(s).textContent", selector)

    def value(self, selector: str) -> str | bool:
        """Return a field's value, or for a checkbox or radio button whether it is ticked."""
        return self.evaluate(
            "(s) => { const el = document.querySelector(s);"
            " return ['checkbox', 'radio'].includes(el.type) ? el.checked : el.value; }",
            selector,
        )

    def focus(self, selector: str) -> None:
        self.evaluate("(s) => document.querySelector(s).focus()", selector)

    def fill(self, selector: str, text: str) -> None:
        """Empty a text field, then type text into it with the keyboard."""
        self.evaluate("(s) => { const el = document.querySelector(s); el.value = ''; el.focus(); }",
                      selector)
        self.type(text)

    def active(self) -> str:
        """Describe the focused element: a form field's name (a radio button's name=value),
        else its id, else its tag and text."""
        return self.evaluate(
            "() => { const el = document.activeElement;"
            " if (el.name) return el.type == 'radio' ? `${el.name}=${el.value}` : el.name;"
            " return el.id || `${el.tagName.toLowerCase()}: ${el.textContent.trim()}`; }"
        )

    def stub_print(self) -> None:
        """Make window.print() record that it was asked for, instead of opening a dialog."""
        self.run("window.print = () => { window.printed = true; }")

    def script_errors(self) -> list[str]:
        """Return the uncaught script errors and rejected promises of this profile's pages."""
        raise NotImplementedError

    def close(self) -> None:
        """End this profile."""


# --- Chromium ---------------------------------------------------------------------------


class ChromiumReader(Reader):
    engine = "chromium"

    def __init__(self, browser, width: int, height: int) -> None:
        self.downloads = Path(tempfile.mkdtemp(prefix="chromium-downloads-"))
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def run(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def reload(self) -> None:
        self.page.reload()

    def back(self) -> None:
        # Not history.back() in a script: the navigation can start before Playwright has the
        # script's answer, and the call then fails ("execution context was destroyed").
        self.page.go_back()

    def click(self, selector: str, dialog: str | None = None) -> str | None:
        seen: list[str] = []

        def answer(d) -> None:
            seen.append(d.message)
            d.accept() if dialog == "accept" else d.dismiss()

        if dialog:
            self.page.once("dialog", answer)
        self.page.click(selector)
        deadline = time.monotonic() + WAIT_SECONDS
        while dialog and not seen and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)  # lets Playwright deliver the dialog event
        return seen[0] if seen else None

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def upload(self, selector: str, file: Path) -> None:
        self.page.set_input_files(selector, str(file))

    def pdf(self, file: Path) -> None:
        self.page.pdf(path=str(file), prefer_css_page_size=True)

    def script_errors(self) -> list[str]:
        return self.errors

    def download(self, selector: str) -> Path:
        with self.page.expect_download() as info:
            self.page.click(selector)
        saved = self.downloads / info.value.suggested_filename
        info.value.save_as(saved)
        return saved

    def close(self) -> None:
        self.context.close()
        shutil.rmtree(self.downloads)


# --- Firefox ----------------------------------------------------------------------------


class FirefoxBridge:
    """The Node process that holds Firefox for the whole test session."""

    def __init__(self, downloads: Path) -> None:
        node = require_command("node", "nodejs")
        require_command(FIREFOX, "firefox-esr")
        self.downloads = downloads
        require_file(NODE_MODULES / "puppeteer-core" / "package.json", "puppeteer-core")
        self.process = subprocess.Popen(
            [node, str(BRIDGE), str(NODE_MODULES.parent), FIREFOX, str(downloads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )
        self.version = self.call("launch")

    def call(self, op: str, **request: Any) -> Any:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"op": op, **request}) + "\n")
        line = self.process.stdout.readline()
        if not line:
            raise EngineError(f"firefox: the bridge ended (exit {self.process.poll()})")
        answer = json.loads(line)
        if "error" in answer:
            raise EngineError(f"firefox: {op}: {answer['error']}")
        return answer["ok"]

    def close(self) -> None:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


class FirefoxReader(Reader):
    engine = "firefox"

    def __init__(self, bridge: FirefoxBridge, width: int, height: int) -> None:
        self.bridge = bridge
        self.downloads = bridge.downloads
        bridge.call("profile", width=width, height=height)

    def run(self, expression: str) -> Any:
        return self.bridge.call("evaluate", expression=expression)

    def goto(self, url: str) -> None:
        self.bridge.call("goto", url=url)

    def reload(self) -> None:
        self.bridge.call("reload")

    def click(self, selector: str, dialog: str | None = None) -> str | None:
        return self.bridge.call("click", selector=selector, dialog=dialog)

    def type(self, text: str) -> None:
        self.bridge.call("type", text=text)

    def press(self, key: str) -> None:
        self.bridge.call("press", key=key)

    def upload(self, selector: str, file: Path) -> None:
        self.bridge.call("upload", selector=selector, file=str(file))

    def pdf(self, file: Path) -> None:
        self.bridge.call("pdf", file=str(file))

    def script_errors(self) -> list[str]:
        return self.bridge.call("errors")

    def close(self) -> None:
        """End this profile now (its context), not when the next one starts."""
        self.bridge.call("endProfile")


# --- WebKit -----------------------------------------------------------------------------


class WebKitDriver:
    """A virtual X display and WebKitWebDriver, kept for the whole test session."""

    def __init__(self, downloads: Path) -> None:
        from selenium.webdriver.webkitgtk.service import Service

        xvfb = require_command("Xvfb", "xvfb")
        driver = require_command("WebKitWebDriver", "webkit2gtk-driver")
        read, write = os.pipe()
        self.display = subprocess.Popen(
            [xvfb, "-displayfd", str(write), "-screen", "0", "1400x1000x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as numbers:
            display = ":" + numbers.readline().strip()
        # WebKitGTK saves downloads in the user's Downloads folder, or else in HOME.
        self.downloads = downloads
        env = {**os.environ, "DISPLAY": display, "HOME": str(downloads)}
        self.service = Service(executable_path=driver, env=env)
        self.service.start()

    def session(self):
        """Start a browser session: a new WebKit process with its own, empty storage."""
        from selenium import webdriver
        from selenium.webdriver.remote.client_config import ClientConfig
        from selenium.webdriver.remote.file_detector import UselessFileDetector
        from selenium.webdriver.remote.remote_connection import RemoteConnection
        from selenium.webdriver.webkitgtk.options import Options

        connection = RemoteConnection(client_config=ClientConfig(self.service.service_url,
                                                                timeout=COMMAND_SECONDS))
        driver = webdriver.Remote(command_executor=connection, options=Options())
        # The driver reads the file itself: it has no upload command (Selenium's /se/file).
        driver.file_detector = UselessFileDetector()
        return driver

    def close(self) -> None:
        self.service.stop()
        self.display.terminate()
        self.display.wait(timeout=30)


class WebKitReader(Reader):
    engine = "webkit"
    KEYS = {"Tab": "TAB", "Enter": "ENTER", "Space": "SPACE", "ArrowDown": "ARROW_DOWN",
            "ArrowUp": "ARROW_UP", "Escape": "ESCAPE", "Shift": "SHIFT"}

    # WebDriver classic has no event for a page's script errors: the page keeps them from its
    # load on (an error while it loads is missed here, but not in the other two engines).
    LISTEN = """window.testErrors || (window.testErrors = [],
      addEventListener('error', (e) => testErrors.push(String(e.message))),
      addEventListener('unhandledrejection', (e) => testErrors.push(String(e.reason))))"""

    def __init__(self, driver: WebKitDriver, width: int, height: int) -> None:
        self.driver = driver.session()
        self.downloads = driver.downloads
        self.driver.set_window_size(width, height)
        self.errors: list[str] = []

    def run(self, expression: str) -> Any:
        return self.driver.execute_script(f"return {expression}")

    def keep_errors(self) -> None:
        """Keep the page's errors before it is left; listen on the new page (see LISTEN)."""
        self.errors += self.run("window.testErrors || []")

    def goto(self, url: str) -> None:
        self.keep_errors()
        self.driver.get(url)
        self.run(self.LISTEN)

    def reload(self) -> None:
        self.keep_errors()
        self.driver.refresh()
        self.run(self.LISTEN)

    def back(self) -> None:
        # WebDriver's Back, which returns once the page is shown: after history.back() in a
        # script, WebKitWebDriver's next script call could wait forever (2 CI runs in ~10).
        self.keep_errors()
        self.driver.back()
        self.run(self.LISTEN)

    def script_errors(self) -> list[str]:
        return self.errors + self.run("window.testErrors || []")

    def click(self, selector: str, dialog: str | None = None) -> str | None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.wait import WebDriverWait

        target = self.driver.find_element(By.CSS_SELECTOR, selector)
        # The driver scrolls a target only just into view, or not at all when a sticky bar
        # (Exit this page) shifts the page: bring it to the middle of the screen first.
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', inline: 'center'})", target)
        target.click()
        if not dialog:
            return None
        waiting = WebDriverWait(self.driver, WAIT_SECONDS)
        alert = waiting.until(expected_conditions.alert_is_present())
        text = alert.text
        alert.accept() if dialog == "accept" else alert.dismiss()
        return text

    def type(self, text: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        ActionChains(self.driver).send_keys(text.replace("\n", Keys.ENTER)).perform()

    def press(self, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        *held, last = [getattr(Keys, self.KEYS[k]) for k in key.split("+")]
        chain = ActionChains(self.driver)
        for k in held:
            chain.key_down(k)
        chain.send_keys(last)
        for k in reversed(held):
            chain.key_up(k)
        chain.perform()

    def upload(self, selector: str, file: Path) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, selector).send_keys(str(file))

    def pdf(self, file: Path) -> None:
        import base64

        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.print_page_options import PrintOptions

        try:
            data = self.driver.print_page(PrintOptions())
        except WebDriverException as error:
            raise EngineError(f"webkit: print: {error.msg}") from error
        file.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.driver.quit()


@contextmanager
def engine_session(name: str, downloads: Path) -> Iterator[Any]:
    """Start Firefox or WebKit for a whole test session, saving downloads in the folder
    downloads; yield it; stop it."""
    if name == "firefox":
        bridge = FirefoxBridge(downloads)
        try:
            yield bridge
        finally:
            bridge.close()
    else:
        driver = WebKitDriver(downloads)
        try:
            yield driver
        finally:
            driver.close()


def open_reader(name: str, session: Any, width: int = 1280, height: int = 900) -> Reader:
    """Open a fresh profile with one page in the engine called name."""
    kind = {"chromium": ChromiumReader, "firefox": FirefoxReader, "webkit": WebKitReader}[name]
    return kind(session, width, height)
