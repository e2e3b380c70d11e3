/* Lock the reader's answers with a passphrase. Part of the storage module: answers.js loads it
   when this site's answers are locked, and answers-privacy.js when the reader asks to lock them.

   WebCrypto only: AES-GCM with a 256-bit key from PBKDF2-SHA-256, 310,000 iterations (OWASP's
   Password Storage Cheat Sheet, 2023), a random 16-byte salt per lock and a random 12-byte IV
   for every record written. The key is never stored: it lives in this page's memory while the
   answers are open, and is forgotten when the reader leaves the page, after 15 minutes without
   input, and on Exit this page. A forgotten passphrase cannot be recovered.

   Stored, beside the answers (answers.js):
     "guidebook:<site>:lock"  {version: 1, kdf: "PBKDF2-SHA-256", iterations, salt,
                               check: a record of the word "guidebook" (tells a wrong passphrase)}
     each worksheet's key     {version: 1, iv, data}, base64
   While locked, the page's forms are inert and answers.js's `ready` waits for the unlock.
   window.guidebookLock.offer() shows the panel to set, use or remove the lock. */
(() => {
  "use strict";
  const A = window.guidebookAnswers;
  const doc = document;
  const LOCK = A.key("lock");
  const ITERATIONS = 310000;
  const IDLE_MS = 15 * 60 * 1000;
  // WebCrypto exists only in secure contexts: https, http://localhost and 127.0.0.1, and in
  // some browsers (Chromium) file:// pages; elsewhere crypto.subtle is undefined.
  const subtle = window.isSecureContext && window.crypto && crypto.subtle;
  const text = new TextEncoder();
  const b64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)));
  const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const random = (n) => crypto.getRandomValues(new Uint8Array(n));
  let idle = 0;
  const css = doc.createElement("link");
  css.rel = "stylesheet";
  css.href = doc.body.dataset.root + "assets/css/answers-lock.css";
  doc.head.appendChild(css);

  async function derive(passphrase, salt, iterations) {
    const base = await subtle.importKey("raw", text.encode(passphrase), "PBKDF2", false, ["deriveKey"]);
    return subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, base,
      { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  }
  async function seal(key, value) {
    const iv = random(12);
    const data = await subtle.encrypt({ name: "AES-GCM", iv }, key, text.encode(JSON.stringify(value)));
    return { version: 1, iv: b64(iv), data: b64(data) };
  }
  async function open(key, record) {
    const data = await subtle.decrypt({ name: "AES-GCM", iv: unb64(record.iv) }, key, unb64(record.data));
    return JSON.parse(new TextDecoder().decode(data));
  }
  const meta = () => { try { return JSON.parse(localStorage.getItem(LOCK)); } catch (e) { return null; } };

  // Every answer of this site, read in the current mode, then written in the next one.
  async function rewrite(change) {
    const names = A.names();
    const all = await Promise.all(names.map((n) => A.get(n)));
    change();
    await Promise.all(names.map((n, i) => A.set(n, all[i])));
  }
  async function setLock(passphrase) {
    const salt = random(16);
    const key = await derive(passphrase, salt, ITERATIONS);
    const check = await seal(key, "guidebook");
    await rewrite(() => {
      localStorage.setItem(LOCK, JSON.stringify({ version: 1, kdf: "PBKDF2-SHA-256", iterations: ITERATIONS, salt: b64(salt), check }));
      A.cipher = { seal: (a) => seal(key, a), open: (r) => open(key, r) };
    });
    watchIdle();
  }
  async function unlock(passphrase) {
    const lock = meta();
    if (!lock) return true;  // another tab removed the lock
    const key = await derive(passphrase, unb64(lock.salt), lock.iterations);
    try { if (await open(key, lock.check) !== "guidebook") return false; } catch (e) { return false; }
    A.cipher = { seal: (a) => seal(key, a), open: (r) => open(key, r) };
    watchIdle();
    return true;
  }
  const removeLock = () => rewrite(() => { localStorage.removeItem(LOCK); A.cipher = null; });

  // Lock again: forget the key and start the page again, locked (nothing typed is lost:
  // every edit was stored, encrypted, as it was made).
  function relock() {
    if (A.mode() !== "open") return;
    A.cipher = null;
    doc.documentElement.classList.add("exiting");  // hide the answers before the reload
    location.reload();
  }
  function watchIdle() {
    const reset = () => { clearTimeout(idle); idle = setTimeout(relock, IDLE_MS); };
    for (const type of ["keydown", "input", "pointerdown", "scroll"]) addEventListener(type, reset, { passive: true });
    reset();
  }
  // Exit this page (theme.js marks <html class="exiting">) leaves at once; the key goes with the
  // page, and first here.
  new MutationObserver(() => {
    if (doc.documentElement.classList.contains("exiting")) A.cipher = null;
  }).observe(doc.documentElement, { attributes: true, attributeFilter: ["class"] });

  // The panel beside the controls: its forms are written here, its words are the theme's.
  const panels = () => [...doc.querySelectorAll("[data-answer-controls]")].map((row) => {
    if (!row.nextElementSibling?.hasAttribute("data-lock-panel")) {
      const panel = doc.createElement("div");
      panel.dataset.lockPanel = "";
      row.after(panel);
    }
    return row.nextElementSibling;
  });
  function show(html, onsubmit, quiet) {
    for (const panel of panels()) {
      panel.innerHTML = html;
      const form = panel.querySelector("form");
      if (form) form.onsubmit = (event) => { event.preventDefault(); onsubmit(form); };
      const cancel = panel.querySelector("[data-cancel]");
      if (cancel) cancel.onclick = () => { panel.textContent = ""; };
      const first = panel.querySelector("input, button");
      if (first && !quiet) first.focus();
    }
  }
  const message = (form, words) => { form.querySelector("[data-lock-message]").textContent = words; };
  const busy = (form, on) => { for (const b of form.querySelectorAll("button")) b.disabled = on; };
  // Its words are the page's language's (worksheet-text.js, made by the build); w(key) gives
  // them ready for HTML.
  let T = {};
  const w = (k) => T[k].replace(/[&<>"]/g, (c) => "&#" + c.charCodeAt(0) + ";");

  function showUnlock(quiet) {
    if (!subtle) {
      show("<p class=\"lock-note\">" + w("cantunlock") + "</p>", null, quiet);
      return;
    }
    show("<form class=\"lock-form\"><p><strong>" + w("locked") + "</strong> " + w("typepass") + "</p>"
      + "<p><label for=\"lock-pass\">" + w("pass") + "</label> <input type=\"password\" id=\"lock-pass\" autocomplete=\"current-password\" required></p>"
      + "<p><button class=\"button\" type=\"submit\">" + w("unlockbtn") + "</button></p><p class=\"lock-message\" role=\"alert\" data-lock-message></p>"
      + "<p class=\"lock-note\">" + w("forgot") + "</p></form>", async (form) => {
      busy(form, true);
      message(form, T.unlocking);
      const ok = await unlock(form.querySelector("input").value);
      busy(form, false);
      if (!ok) { message(form, T.wrong); form.querySelector("input").select(); return; }
      for (const panel of panels()) panel.textContent = "";
      for (const note of doc.querySelectorAll(".lock-jump")) note.remove();
      for (const f of doc.querySelectorAll("form[data-answers]")) f.inert = false;
      A.unlock();
    }, quiet);
  }

  function offer() {
    if (!subtle) { show("<p class=\"lock-note\">" + w("nocrypto") + "</p>"); return; }
    if (A.mode() === "locked") { showUnlock(); return; }
    if (A.mode() === "open") {
      show("<form class=\"lock-form\"><p>" + w("isopen") + "</p>"
        + "<p><button class=\"button\" type=\"submit\">" + w("locknow") + "</button> <button class=\"button button-quiet\" type=\"button\" data-remove>" + w("remove") + "</button></p>"
        + "<p class=\"lock-message\" role=\"alert\" data-lock-message></p></form>", relock);
      for (const b of doc.querySelectorAll("[data-lock-panel] [data-remove]")) b.onclick = async () => {
        await removeLock();
        for (const panel of panels()) panel.textContent = "";
        for (const e of doc.querySelectorAll("[data-status]")) e.textContent = T.removed;
      };
      return;
    }
    show("<form class=\"lock-form\"><p><strong>" + w("before") + "</strong> " + w("warn") + "</p>"
      + "<p><label for=\"lock-new\">" + w("newpass") + "</label> <input type=\"password\" id=\"lock-new\" autocomplete=\"new-password\" required></p>"
      + "<p><label for=\"lock-again\">" + w("again") + "</label> <input type=\"password\" id=\"lock-again\" autocomplete=\"new-password\" required></p>"
      + "<p><button class=\"button\" type=\"submit\">" + w("lockbtn") + "</button> <button class=\"button button-quiet\" type=\"button\" data-cancel>" + w("cancel") + "</button></p>"
      + "<p class=\"lock-message\" role=\"alert\" data-lock-message></p></form>", async (form) => {
      const [first, again] = form.querySelectorAll("input");
      if (first.value.length < 8) { message(form, T.short); first.focus(); return; }
      if (first.value !== again.value) { message(form, T.differ); again.select(); return; }
      busy(form, true);
      message(form, T.locking);
      await setLock(first.value);
      for (const panel of panels()) panel.textContent = "";
      for (const e of doc.querySelectorAll("[data-status]")) e.textContent = T.isopen;
    });
  }

  // A locked page's fields stay empty and take no typing, and its passphrase form may be far
  // below them (after a worksheet): say so where the reader starts, after the first status
  // line, with a link that takes them to the form.
  function pointToUnlock() {
    const status = doc.querySelector("[data-status]");
    const panel = doc.querySelector("[data-lock-panel]");
    if (!status || !panel || status.closest("[data-worksheet-tools]")?.contains(panel)
      || !(status.compareDocumentPosition(panel) & Node.DOCUMENT_POSITION_FOLLOWING)) return;
    const note = doc.createElement("p");
    note.className = "lock-jump";
    note.innerHTML = subtle ? "<strong>" + w("locked") + "</strong> <a href=\"#lock-pass\">" + w("unlockbtn") + "</a>" : w("cantunlock");
    const link = note.querySelector("a");
    if (link) link.onclick = (event) => {
      event.preventDefault();  // the address stays as it was
      const input = doc.getElementById("lock-pass");
      input.scrollIntoView({ block: "center" });
      input.focus();
    };
    status.after(note);
  }

  // Loaded on a locked page: keep the forms out of reach and ask for the passphrase.
  A.unlocked = new Promise((resolve) => { A.unlock = resolve; });
  const words = window.guidebookLoad("worksheet-text.js").then(() => { T = window.GUIDEBOOK_WORKSHEET_TEXT; });
  if (A.mode() === "locked") {
    for (const f of doc.querySelectorAll("form[data-answers]")) f.inert = true;
    words.then(() => { showUnlock(true); pointToUnlock(); });  // the page just opened: keep focus
  } else A.unlock();
  window.guidebookLock = { offer: () => words.then(offer) };
})();
