/* The reader's controls over their answers on this device: "Don't save my answers on this
   device", "Erase all my answers" and "Lock my answers with a passphrase". Part of the storage
   module: answers.js loads it on the first press of one of them, and it adds to
   window.guidebookAnswers
     erase()               remove every answer of this site (any mode) and its lock, and the
                           answers saved before sites had an identity; the "Don't save" choice
                           stays; other sites' answers are never touched
     setSession(on, page)  turn "Don't save" on: erase(), then keep `page` ({name: answers},
                           what this page shows) in memory only; or off: store `page` again.
                           -> Promise
   Nothing is sent anywhere. */
(() => {
  "use strict";
  const A = window.guidebookAnswers;
  const doc = document;
  const NOSAVE = A.key("nosave");
  const forget = (k) => { try { localStorage.removeItem(k); } catch (e) { /* nothing kept */ } };

  // Answers saved before sites had an identity ("guidebook:<guide>/<worksheet>") belong to no
  // site yet (answers.js moves one to this site when its worksheet is opened): erase them too,
  // or they would come back.
  const legacy = () => Object.keys(localStorage).filter((k) => /^guidebook:[^:]+\/[^:]+$/.test(k));
  A.erase = () => {
    try { for (const k of [...A.keys(), ...legacy()]) if (k !== NOSAVE) forget(k); } catch (e) { /* nothing kept */ }
    for (const n in A.memory) delete A.memory[n];
    A.cipher = null;
  };
  A.setSession = (on, page) => {
    if (on) A.erase();
    try { if (on) localStorage.setItem(NOSAVE, "1"); else forget(NOSAVE); } catch (e) { /* not remembered */ }
    return Promise.all(Object.entries(page || {}).map(([n, a]) => A.set(n, a)));
  };

  // What the page shows, by worksheet name: on a worksheet page its form's answers.
  function shown() {
    const w = window.guidebookWorksheet;
    const answers = {};
    if (w) for (const f of w.forms) answers[w.nameOf(f)] = w.read(f);
    return answers;
  }
  // Empty what the page shows: a worksheet's fields, the packet's printed answers.
  function emptyPage() {
    const w = window.guidebookWorksheet;
    if (w) for (const f of w.forms) w.fill(f, {});
    for (const e of doc.querySelectorAll(".packet .print-answer")) e.remove();
    for (const e of doc.querySelectorAll(".packet .on")) e.classList.remove("on");
  }
  // After erase, or Don't save turned on, nothing is locked any more.
  function unlocked() {
    for (const f of doc.querySelectorAll("form[data-answers]")) f.inert = false;
    for (const p of doc.querySelectorAll("[data-lock-panel]")) p.textContent = "";
    if (A.unlock) A.unlock();
  }
  const say = (text) => { for (const e of doc.querySelectorAll("[data-status]")) e.textContent = text; };

  async function dontSave(button) {
    const on = button.getAttribute("aria-pressed") !== "true";
    if (on && (A.names().length || A.mode() === "locked") && !confirm(T.stopsave)) return;
    await A.setSession(on, shown());
    if (on) unlocked();
    for (const b of doc.querySelectorAll("[data-nosave]")) b.setAttribute("aria-pressed", on);
    say(on ? T.nosave : T.saveagain);
  }

  function eraseAll() {
    if (!confirm(T.erase)) return;
    A.erase();
    emptyPage();
    unlocked();
    say(T.erased);
  }

  function lock() {
    if (A.mode() === "session") {
      say(T.nolock);
      return;
    }
    A.load("answers-lock.js").then(() => window.guidebookLock.offer());
  }

  // Its words are the page's language's (worksheet-text.js, made by the build).
  let T;
  window.guidebookPrivacy = (button) => window.guidebookLoad("worksheet-text.js").then(() => {
    T = window.GUIDEBOOK_WORKSHEET_TEXT;
    const data = button.dataset;
    if ("nosave" in data) dontSave(button);
    else if ("erase" in data) eraseAll();
    else if ("lock" in data) lock();
  });
})();
