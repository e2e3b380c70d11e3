/* Worksheets: keep the answers as the reader types (answers.js stores them), print blank or
   with the answers, choose the paper, clear. Export all and the weekly export reminder load
   on first use (answers-backup.js); Import is on the guide's My answers page, linked after
   the worksheet. Nothing is ever sent anywhere.
   Short names keep it small, as every worksheet page loads it: d = document, A = answers.js,
   F = the forms, f = a form, e = a field, a = a form's answers, v = one answer. */
(() => {
  const d = document;
  const c = d.documentElement.classList;
  const A = window.guidebookAnswers;
  const F = [...d.querySelectorAll("form[data-answers]")];
  const tools = d.querySelector("[data-worksheet-tools]");
  const status = d.querySelector("[data-status]");
  let timer = 0;
  if (!F.length || !tools) return;

  // What it says is in the page's language: worksheet-text.js (made by the build, loaded on
  // first use) picks the words of the page's language; {x} is a time or a file name.
  const words = (key, x) => guidebookLoad("worksheet-text.js").then(() => GUIDEBOOK_WORKSHEET_TEXT[key].replace("{x}", () => x));
  const say = (key, x) => { clearTimeout(timer); words(key, x).then((text) => status.textContent = text); };
  const nameOf = (f) => f.dataset.answers;  // "<guide>/<worksheet>"
  const fields = (f) => [...f.elements].filter((e) => e.name);
  const isText = (e) => e.tagName == "TEXTAREA" || e.type == "text";
  const backup = (run) => A.load("answers-backup.js").then(() => run(guidebookBackup));

  function read(f) {
    const a = {};
    for (const e of fields(f)) {
      if (e.type == "checkbox" || e.type == "radio") { if (e.checked) a[e.name] = e.type == "radio" ? e.value : true; }
      else if (e.value.trim()) a[e.name] = e.value;
    }
    return a;
  }
  const filled = (f) => Object.keys(read(f)).length > 0;
  function fill(f, a) {
    for (const e of fields(f)) {
      const v = a[e.name];
      if (e.type == "checkbox") e.checked = v === true;
      else if (e.type == "radio") e.checked = String(v) == e.value;
      else e.value = typeof v == "string" ? v : "";
      copy(e);
    }
  }

  // Printed answers live in plain elements after their fields, so a long answer is never cut
  // off at the height of its box; a field is kept on one page unless its answer is too long to
  // be worth moving.
  function copy(e) {
    if (!isText(e)) return;
    e.nextSibling.textContent = e.value.trim() ? e.value : "";
    e.closest(".prompt").classList.toggle("print-long", e.value.length > 1200);
  }

  function save(f) {
    clearTimeout(timer);
    A.set(nameOf(f), read(f)).then((kept) => {
      if (!kept) say("unsaved");
      else if (A.mode() == "session") say("session");
      else timer = setTimeout(() => say("saved", new Date().toLocaleTimeString(d.documentElement.lang, { hour: "2-digit", minute: "2-digit" })), 500);
    });
  }
  function onEdit(ev) {
    const e = ev.target;
    copy(e);
    if (e.classList.contains("other-text") && e.value.trim()) e.parentNode.querySelector("[type=checkbox]").checked = true;
    save(ev.currentTarget);
  }

  // The page has one class of each pair: paper-a4 or paper-letter (theme.js chose it before the
  // page showed), print-mode-blank or -filled.
  const choose = (first, second, pickFirst) => { c.toggle(first, pickFirst); c.toggle(second, !pickFirst); };
  const setMode = (mode) => choose("print-mode-blank", "print-mode-filled", mode == "blank");

  // Each field's name is in the page (the build names every answer once, model.Answer): an
  // answer has the same name on the worksheet and the packet.
  for (const f of F) {
    for (const e of fields(f)) {
      if (!isText(e)) continue;
      const copyEl = d.createElement(e.classList.contains("other-text") ? "span" : "div");
      copyEl.className = "print-answer";
      copyEl.setAttribute("aria-hidden", "true");
      e.after(copyEl);
    }
  }
  // Fill each form with what was kept, then listen: an edit before that would be lost.
  const refill = () => Promise.all(F.map((f) => A.get(nameOf(f)).then((a) => fill(f, a))));
  A.ready.then(refill).then(() => {
    for (const f of F) f.oninput = onEdit;  // also fired by checkboxes and radio buttons
    if (F.some(filled)) say("filled");
  });

  const paper = tools.querySelector("[data-paper]");
  paper.value = c.contains("paper-letter") ? "letter" : "a4";
  paper.onchange = () => {
    choose("paper-letter", "paper-a4", paper.value == "letter");
    try { localStorage.setItem("guidebook:paper", paper.value); } catch (x) { /* not remembered */ }
  };
  setMode("filled");
  // A printed page says where to find it again (the canonical address, when there is one).
  if (/^http/.test(location.protocol) && !d.querySelector("[rel=canonical]")) {
    for (const e of d.querySelectorAll("[data-print-address]")) e.textContent = new URL(e.dataset.printAddress, location).href.replace(/#.*/, "");
  }
  // Print buttons, clear; Export all (answers-backup.js, loaded on first use).
  tools.onclick = (ev) => {
    const data = ev.target.dataset;
    if (data.print) { setMode(data.print); print(); }
    if ("export" in data) backup((b) => b.exportFrom(tools));
    // Clear asks at once (not after a script loads), so its question answers the click: the
    // question is the button's data-clear, in the page's language. Locked answers cannot be
    // cleared (nor read): it says to unlock first, rather than that they were cleared.
    if (data.clear && A.mode() == "locked") say("lockedfirst");
    else if (data.clear && confirm(data.clear)) {
      for (const f of F) { fill(f, {}); A.set(nameOf(f), {}); }
      say("cleared");
    }
  };
  // A week (in ms) after answers were first saved here or last exported, the reminder.
  try { if (Date.now() - localStorage[A.key("backup")] >= 6048e5) backup((b) => b.remind(tools)); } catch (x) { /* none */ }
  // The browser's own Print prints what is on screen: the answers.
  onafterprint = () => setMode("filled");
  // Another tab (packet or worksheet) changed the same answers.
  A.watch((n) => { for (const f of F) if (nameOf(f) == n) A.get(n).then((a) => fill(f, a)); });
  // What the privacy controls work with.
  window.guidebookWorksheet = { forms: F, nameOf, read, fill, refill };
  tools.hidden = false;
})();
