/* Backups: "Export all my answers" writes one file with every worksheet of this site that has
   answers; Import merges such a file (or one exported from a single worksheet before) into
   this browser and says what it changed; the weekly reminder to export. Part of the storage
   module: answers.js (a page's first answers kept), worksheet.js (Export all, the reminder)
   and my-answers.js (Export all, Import) load it on first use, and it reads and writes the
   answers through answers.js only. Nothing is sent anywhere.

   The file (JSON): {guidebook: "worksheet answers", version: 2, site: the site's title,
   exported: ISO time, worksheets: {"guidebook:<guide>/<worksheet>": {guide: its guide's title,
   title, saved: ISO time of its last save here (or ""), answers}}}. Worksheets are named
   without the site, so answers travel to another copy of the guide; files of version 1 (one
   worksheet's, or a packet's) have the same shape without site, guide and saved.

   Its words are the page's language's (worksheet-text.js, made by the build): w(key, {x: ...})
   fills a message's {x}. `place` is the calling page's box of tools: what happened is said in
   its [data-status] (My answers reads the answers again when its status line changes). */
(() => {
  "use strict";
  const doc = document;
  const A = window.guidebookAnswers;
  const CLOCK = A.key("backup");  // ms: answers first saved here, last exported, or reminder put off
  const WEEK = 7 * 24 * 60 * 60 * 1000;
  let T = {};
  const words = window.guidebookLoad("worksheet-text.js").then(() => { T = window.GUIDEBOOK_WORKSHEET_TEXT; });
  const w = (key, values) => T[key].replace(/\{(\w)\}/g, (all, k) => values[k]);

  // Start the reminder's week again (an export, or "Remind me in 7 days"), or only once (the
  // first save); never in "Don't save", which writes nothing.
  function restartClock(once) {
    if (A.mode() === "session") return;
    try { if (!once || !localStorage.getItem(CLOCK)) localStorage.setItem(CLOCK, Date.now()); } catch (e) { /* not remembered */ }
  }
  // A page's first answers kept on the device (answers.js calls this): ask the browser to keep this site's storage (Chromium decides by
  // itself, Firefox asks the reader; Safari otherwise deletes it after 7 days without a
  // visit), and start the week before the reminder. Not in "Don't save": nothing is kept.
  function saved() {
    if (A.mode() === "session") return;
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => false);
    restartClock(true);
  }
  // When a worksheet's answers were last saved here (ms; 0 when unknown, as for locked answers,
  // whose records keep no time in the clear). Only the time is read here: answers come from A.get.
  function savedAt(name) {
    try { return Date.parse(JSON.parse(localStorage.getItem(A.key(name))).saved) || 0; } catch (e) { return 0; }
  }
  // The worksheets with answers in this browser: stored ones, or in "Don't save" the page's.
  const names = () => (A.mode() === "session" ? Object.keys(A.memory) : A.names()).sort();

  // The worksheets of this site (answer-names.js, made by the build; a script, so it loads
  // from file:// too): {"<guide>/<worksheet>": {guide: title, title, prompts: [[the names
  // of a prompt's answers], ...]}}.
  const worksheets = () => window.guidebookLoad("answer-names.js").then(() => {
    const found = {};
    for (const [name, sheet] of Object.entries(window.GUIDEBOOK_WORKSHEETS || {})) found[name] = { guide: sheet.g, title: sheet.t, prompts: sheet.p };
    return found;
  });

  // Write the file of every worksheet's answers; resolve to what happened, in words.
  async function exportAll() {
    await words;
    if (A.mode() === "locked") return w("lockedfirst", {});
    const known = await worksheets();
    const site = doc.querySelector(".site-title");
    const data = { guidebook: "worksheet answers", version: 2, site: site ? site.textContent.trim() : "", exported: new Date().toISOString(), worksheets: {} };
    for (const name of names()) {
      const answers = await A.get(name);
      if (!Object.keys(answers).length) continue;
      const about = known[name] || { guide: "", title: name.split("/")[1] };
      const saved = savedAt(name);
      data.worksheets["guidebook:" + name] = { guide: about.guide, title: about.title, saved: saved ? new Date(saved).toISOString() : "", answers };
    }
    if (!Object.keys(data.worksheets).length) return w("noexport", {});
    const link = doc.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    link.download = "my-answers-" + data.exported.slice(0, 10) + ".json";
    doc.body.appendChild(link).click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 5000);
    restartClock();
    return w("exported", { x: link.download });
  }

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  // Merge one worksheet's answers from a file into this browser's, prompt by prompt (a
  // prompt's answers: its text or scale point, a checklist's boxes and write-ins, a table's
  // cells). A prompt only one side has answered keeps that answer; where both have answered
  // it differently, the side saved later wins, all of the prompt's answers at once (so a box
  // unticked there is unticked here). The file's time is its worksheet's "saved", else the
  // file's "exported"; when this browser's time is unknown (locked answers), its answer is
  // kept. Answers of no prompt of the worksheet now are left out. Resolves to [prompts taken
  // from the file, prompts kept as they were here].
  async function merge(name, incoming, fileTime, prompts) {
    const ours = await A.get(name);
    const theirs = {};
    for (const [field, value] of Object.entries(Object(incoming.answers))) {
      if (typeof value === "string" || value === true) theirs[field] = value;  // an answer
    }
    const ourTime = savedAt(name);
    const newer = ourTime > 0 && (Date.parse(incoming.saved) || fileTime) > ourTime;
    const answers = { ...ours };
    let taken = 0;
    let kept = 0;
    for (const names of prompts) {
      const mine = names.filter((n) => n in ours);
      const given = names.filter((n) => n in theirs);
      if (!given.length) continue;  // the file has no answer to it
      if (mine.length === given.length && given.every((n) => same(ours[n], theirs[n]))) continue;
      if (mine.length && !newer) { kept++; continue; }
      for (const n of mine) delete answers[n];
      for (const n of given) answers[n] = theirs[n];
      taken++;
    }
    if (taken && !await A.set(name, answers)) return [0, 0];
    return [taken, kept];
  }

  // Read a file and merge it; resolve to what it changed, in words.
  const read = (file) => new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => resolve("");
    reader.readAsText(file);
  });
  async function importFile(file) {
    await words;
    let data = null;
    try { data = JSON.parse(await read(file)); } catch (e) { /* not JSON */ }
    const sheets = data && data.guidebook === "worksheet answers" && data.worksheets;
    if (!sheets || typeof sheets !== "object") return w("notours", { f: file.name });
    if (A.mode() === "locked") return w("lockedfirst", {});
    const known = await worksheets();
    const changed = [];
    let kept = 0;
    let elsewhere = 0;
    for (const [key, sheet] of Object.entries(sheets)) {
      const name = key.replace(/^guidebook:/, "");
      if (!known[name]) { elsewhere++; continue; }
      const [taken, older] = await merge(name, Object(sheet), Date.parse(data.exported) || 0, known[name].prompts);
      kept += older;
      if (taken) changed.push(w("sheetcount", { t: known[name].title, n: taken }));
    }
    const parts = [changed.length ? w("merged", { f: file.name, l: changed.join(", ") }) : w("nonewer", { f: file.name })];
    if (kept) parts.push(w("keptnewer", { n: kept }));
    if (elsewhere) parts.push(w("elsewhere", { n: elsewhere }));
    return parts.join(" ");
  }

  // Export all or import from a page, and say so there.
  const say = (place, text) => { place.querySelector("[data-status]").textContent = text; };
  async function exportFrom(place) {
    say(place, await exportAll());
    if (place.reminder) { place.reminder.remove(); place.reminder = null; }
  }
  async function importFrom(place, file) {
    say(place, await importFile(file));
  }

  // The gentle reminder on worksheet pages (worksheet.js asks when a week has passed): export
  // now, or hear about it again in a week. Only when there are answers to export.
  async function remind(place) {
    await words;
    if (!names().length || place.reminder || Date.now() - localStorage.getItem(CLOCK) < WEEK) return;
    const box = doc.createElement("div");
    box.className = "export-reminder";
    box.setAttribute("role", "note");
    const text = doc.createElement("p");
    text.textContent = w("remind", {});
    const row = doc.createElement("div");
    row.className = "tool-row";
    for (const [key, action] of [["exportall", () => exportFrom(place)], ["later", () => { restartClock(); box.remove(); place.reminder = null; }]]) {
      const button = doc.createElement("button");
      button.type = "button";
      button.className = "button button-quiet";
      button.textContent = w(key, {});
      button.addEventListener("click", action);
      row.append(button);
    }
    box.append(text, row);
    place.prepend(box);
    place.reminder = box;
  }

  window.guidebookBackup = { saved, exportAll, importFile, exportFrom, importFrom, remind };
})();
