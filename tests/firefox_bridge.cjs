/* Drive Firefox ESR for the Python tests (tests/engines.py): puppeteer-core over WebDriver
   BiDi. One JSON request a line on stdin, one JSON answer a line on stdout:
     {"op": "goto", "url": "..."}  ->  {"ok": null}   or   {"error": "message"}
   Usage: node firefox_bridge.cjs TOOLS_DIR FIREFOX_PATH DOWNLOADS_DIR
   Each "profile" op opens a fresh browser context (its own storage) with one page. */
"use strict";
const path = require("path");
const readline = require("readline");

const [toolsDir, firefox, downloads] = process.argv.slice(2);
const puppeteer = require(path.join(toolsDir, "node_modules", "puppeteer-core"));

let browser = null;
let scriptErrors = [];  // uncaught errors of the pages of this profile
let context = null;
let page = null;

// A dialog (confirm, alert) is answered as the next request said, and its text kept.
let dialogAnswer = null;
let dialogText = null;
function watchDialogs(p) {
  p.on("dialog", async (dialog) => {
    const text = dialog.message();
    if (dialogAnswer === "accept") await dialog.accept();
    else await dialog.dismiss();
    // Kept once answered: the click that asked returns only when the page has its answer
    // (and has gone on with the task that asked), not while the question is still open.
    dialogText = text;
  });
}

// The one message that is not counted as a script error: Firefox's own load of the site's
// icon (base.html's <link rel="icon" href=".../assets/favicon.svg">), which the browser
// starts by itself after a page's load event, cut off by the next navigation (a test's
// goto or reload a moment after load) while the service worker was answering it. Firefox
// then logs this for the page (measured: 4 in 100 quick navigations of a controlled page).
// No script of the page made that request and nothing failed in the site; that the worker
// does answer the icon offline is tested (test_engines.py, the offline test).
const ICON_CUT_OFF = /^Failed to load ‘https?:\/\/[^’]*\/assets\/favicon\.svg’\. A ServiceWorker intercepted the request and encountered an unexpected error\.$/;

const ops = {
  async launch() {
    browser = await puppeteer.launch({
      browser: "firefox", executablePath: firefox, headless: true,
      // Downloads go to DOWNLOADS_DIR without asking.
      extraPrefsFirefox: {
        "browser.download.dir": downloads, "browser.download.folderList": 2,
        "browser.download.useDownloadDir": true,
        "browser.download.always_ask_before_handling_new_types": false,
      },
    });
    return browser.version();
  },
  async profile({ width, height }) {
    await ops.endProfile();
    context = await browser.createBrowserContext();
    page = await context.newPage();
    await page.setViewport({ width, height });
    watchDialogs(page);
    // This profile's own list: an error of an earlier profile's page that arrives late can
    // never be counted as one of this profile's.
    const errors = scriptErrors = [];
    page.on("pageerror", (error) => {
      const message = String(error && error.message || error);
      if (!ICON_CUT_OFF.test(message)) errors.push(message);
    });
    return null;
  },
  async endProfile() {
    if (context) await context.close();
    context = null; page = null;
    return null;
  },
  async goto({ url }) { await page.goto(url, { waitUntil: "load" }); return null; },
  async reload() { await page.reload({ waitUntil: "load" }); return null; },
  async url() { return page.url(); },
  async errors() { return scriptErrors; },
  async evaluate({ expression }) { return page.evaluate(expression); },
  async click({ selector, dialog }) {
    dialogAnswer = dialog; dialogText = null;
    // Puppeteer scrolls a target just into view, where a sticky bar (Exit this page) may
    // cover it and take the click: bring it to the middle of the screen first.
    await page.$eval(selector, (el) => el.scrollIntoView({ block: "center", inline: "center" }));
    await page.click(selector);
    // A question may come a moment later, from a script loaded on the first press.
    for (let i = 0; dialog && dialogText === null && i < 300; i++) await new Promise((r) => setTimeout(r, 50));
    return dialogText;
  },
  async type({ text }) { await page.keyboard.type(text); return null; },
  async press({ key }) {
    const keys = key.split("+");
    for (const k of keys.slice(0, -1)) await page.keyboard.down(k);
    await page.keyboard.press(keys[keys.length - 1]);
    for (const k of keys.slice(0, -1).reverse()) await page.keyboard.up(k);
    return null;
  },
  async upload({ selector, file }) {
    const input = await page.$(selector);
    await input.uploadFile(file);
    return null;
  },
  async pdf({ file }) { await page.pdf({ path: file, preferCSSPageSize: true }); return null; },
  async screenshot({ file }) { await page.screenshot({ path: file }); return null; },
  async close() { if (browser) await browser.close(); browser = null; return null; },
};

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on("line", (line) => {
  queue = queue.then(async () => {
    let answer;
    try {
      const request = JSON.parse(line);
      const value = await ops[request.op](request);
      answer = { ok: value === undefined ? null : value };
    } catch (error) {
      answer = { error: String(error && error.message || error) };
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
  });
});
lines.on("close", () => { queue.then(() => ops.close()).then(() => process.exit(0)); });
