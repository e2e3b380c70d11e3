/* answers.js owns the reader's answers on this device: worksheet.js, packet.js, the transfer
   and privacy code ask it, and nothing else reads or writes them. Nothing is ever sent anywhere.

   A worksheet's answers are an object {field name: text, true (a ticked box) or a scale point},
   found by the worksheet's name "<guide>/<worksheet>". They are kept per site: the key is
   "guidebook:<site>:<guide>/<worksheet>", where <site> is <body data-site>, built from the
   site's title and base_url (so two sites opened from disk, or served under one address, never
   share answers). Three ways to keep them:
     plain    localStorage, JSON {version: 1, saved: ISO time, answers}
     session  "Don't save my answers on this device": only in this page's memory
     locked   localStorage, encrypted (answers-lock.js); "open" once the passphrase is given

   window.guidebookAnswers (all promises resolve, never reject):
     site             this site's identity
     key(name)        the storage key of a worksheet
     get(name)        -> Promise of its answers ({} if none, or while locked). The first get
                      moves answers saved under the old key "guidebook:<name>" to this site's.
     set(name, a)     -> Promise of true if kept (false: the browser refused or it is locked);
                      an empty object removes them
     names()          the worksheet names with stored answers on this site
     keys()           every storage key of this site (answers and its own settings)
     mode()           "plain", "session", "locked" or "open"
     watch(fn)        call fn(name) when another tab changes a stored answer of this site
     ready            a promise: the answers can be read (when locked: once the reader unlocks)
     load(file)       -> Promise: load a script of assets/js once (the lock code, transfer)
     memory           the answers of "session" mode (name -> answers), for answers-privacy.js
     cipher           set by answers-lock.js: {seal(answers), open(record)}, only while open
     unlocked, unlock()  set by answers-lock.js: a promise, and the function that resolves it
   Loaded on first use, answers-privacy.js adds (after `await A.load("answers-privacy.js")`):
     erase()          remove every answer of this site, and its lock; keeps other sites'
     setSession(on, page)  turn "Don't save" on (erase(), then keep the answers of `page`,
                      {name: answers}, in memory) or off (store them again) -> Promise
   and the reader's controls (Don't save, Erase all, Lock); answers-lock.js the encryption;
   answers-backup.js Export all, Import and the export reminder (window.guidebookBackup), and
   on a page's first answers kept on the device, navigator.storage.persist().
   A page that shows the controls includes templates/_answer-controls.html: answers.js shows
   them and loads their code on the first press. */
(() => {
  // Short names: every worksheet page loads this. s = localStorage (or a stand-in when the
  // browser blocks it), m = the answers kept in memory ("session"), n = a worksheet's name,
  // a = its answers, r = a stored record, x = the mode.
  const b = document.body,
    P = "guidebook:" + b.dataset.site + ":",
    m = {},
    ok = (v) => Promise.resolve(v),
    key = (n) => P + n,
    parse = (text) => { try { return JSON.parse(text) || {}; } catch (e) { return {}; } },
    mode = () => s.getItem(P + "nosave") ? "session" : !s.getItem(P + "lock") ? "plain" : A.cipher ? "open" : "locked",
    load = (file) => window.guidebookLoad("js/" + file);  // site.js's loader
  let queue = ok(),  // writes happen in order, even slow encrypted ones
    k,
    s;
  try { s = localStorage; } catch (e) { s = { getItem() {}, removeItem() {}, setItem() { throw e; }, length: 0 }; }

  // Keep a worksheet's answers, or remove them when there are none; encrypted when locked.
  // The page's first answers kept on the device load answers-backup.js, which asks the
  // browser to keep this site's storage and starts the export reminder's week (k).
  function write(n, a) {
    const x = mode();
    if (x == "session") return m[n] = a, true;
    if (x == "locked") return false;
    if (!Object.keys(a).length) return s.removeItem(key(n)), true;
    k ||= load("answers-backup.js").then(() => guidebookBackup.saved());
    return (x == "open" ? A.cipher.seal(a) : ok({ version: 1, saved: new Date().toISOString(), answers: a }))
      .then((r) => (s.setItem(key(n), JSON.stringify(r)), true));
  }
  const set = (n, a) => queue = queue.then(() => write(n, a)).catch(() => false);

  function get(n) {
    const x = mode();
    if (x == "session" || x == "locked") return ok(x == "session" && m[n] || {});
    const r = s.getItem(key(n));
    if (r == null) {
      // Answers saved before sites had an identity move here, once.
      const old = "guidebook:" + n;
      const a = parse(s.getItem(old)).answers;
      return a ? set(n, a).then((kept) => (kept && s.removeItem(old), a)) : ok({});
    }
    const data = parse(r);
    return data.iv ? A.cipher.open(data).catch(() => ({})) : ok(data.answers || {});
  }

  const keys = () => Array.from({ length: s.length }, (_, i) => s.key(i)).filter((k) => k.startsWith(P)),
    name = (k) => k?.startsWith(P) && k.includes("/") && k.slice(P.length),  // of an answer's key
    names = () => keys().map(name).filter(Boolean),
    watch = (fn) => addEventListener("storage", (e) => name(e.key) && fn(name(e.key)));

  const A = window.guidebookAnswers = { site: b.dataset.site, key, keys, get, set, names, mode, watch, load, memory: m, cipher: null };
  // Locked: the lock code asks for the passphrase; ready waits until the answers are open.
  A.ready = mode() == "locked" ? load("answers-lock.js").then(() => A.unlocked) : ok();

  // The reader's controls (Don't save, Lock, Erase all): their code loads on the first press.
  const c = document.querySelector("[data-answer-controls]");
  if (c) {
    c.parentNode.hidden = false;
    c.firstElementChild.setAttribute("aria-pressed", mode() == "session");  // Don't save
    c.onclick = (e) => load("answers-privacy.js").then(() => window.guidebookPrivacy(e.target));
  }
})();
