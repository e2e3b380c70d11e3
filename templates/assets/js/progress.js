/* Progress, gently: on the guide page and step pages, each worksheet card says in words whether
   the reader has not started it, started it, or answered every prompt, counted from the answers
   saved in this browser (through answers.js); the guide page offers to continue the worksheet
   saved last. With nothing saved, or the answers locked, the page stays as it is. The reader can
   hide it all; the choice is remembered for this site ("guidebook:<site>:progress").
   Its words are the page's: data-words on [data-progress-place] ({d} and {t} numbers). */
(() => {
  "use strict";
  const doc = document;
  const A = window.guidebookAnswers;
  const cards = [...doc.querySelectorAll("[data-progress-name]")];
  const place = doc.querySelector("[data-progress-place]");
  // Locked answers are not read here (no passphrase is asked on a reading page).
  if (!A || !cards.length || !place || A.mode() === "locked") return;
  const W = JSON.parse(place.dataset.words);
  const HIDDEN = A.key("progress");

  // When a worksheet's answers were last saved (ms), for "Continue": the time on the record
  // answers.js keeps (only the time is read here; the answers come from A.get).
  function savedAt(name) {
    try { return Date.parse(JSON.parse(localStorage.getItem(A.key(name))).saved) || 0; } catch (e) { return 0; }
  }
  const hiddenByReader = () => { try { return localStorage.getItem(HIDDEN) === "hidden"; } catch (e) { return false; } };
  function hideByReader(hide) {
    try { if (hide) localStorage.setItem(HIDDEN, "hidden"); else localStorage.removeItem(HIDDEN); } catch (e) { /* not remembered */ }
  }

  // How many of a worksheet's prompts have an answer. An answer's name is its prompt's id, or
  // the id, "-" and more (a box, a write-in, a table cell: worksheet.answer_names): its prompt
  // is the one with the longest id it starts with.
  function answered(ids, answers) {
    const done = new Set();
    for (const [name, value] of Object.entries(answers)) {
      if (value !== true && !String(value).trim()) continue;
      const owner = ids.filter((id) => name === id || name.startsWith(id + "-")).sort((a, b) => b.length - a.length)[0];
      if (owner) done.add(owner);
    }
    return done.size;
  }

  A.ready.then(() => Promise.all(cards.map((card) => A.get(card.dataset.progressName).then((answers) => {
    const ids = card.dataset.progressPrompts.split(" ").filter(Boolean);
    return { card, when: savedAt(card.dataset.progressName), count: answered(ids, answers), total: ids.length };
  })))).then(show);

  // "Started: 2 of 5 prompts answered" in the form for its number (the page's plural rule,
  // _macros.html's progress_place).
  const started = (count) => W.some[+W.plural[count]] || W.some[W.some.length - 1];

  function show(states) {
    // With nothing saved for these worksheets, the page looks as it always did.
    if (!states.some((state) => state.count)) return;
    for (const state of states) {
      const line = doc.createElement("p");
      line.className = "progress-line";
      line.dataset.state = !state.count ? "none" : state.count < state.total ? "started" : "done";
      line.textContent = !state.count ? W.none : state.count < state.total
        ? started(state.count).replace("{d}", state.count).replace("{t}", state.total) : W.all;
      state.card.append(line);
    }

    // Continue where you left off: the worksheet saved last (on the guide page only).
    const latest = states.filter((state) => state.count).sort((a, b) => b.when - a.when)[0];
    const resume = doc.querySelector("[data-continue]");
    if (resume) {
      const link = latest.card.querySelector("a");
      resume.querySelector("a").href = link.href;
      resume.querySelector("[data-continue-title]").textContent = link.textContent;
    }

    const toggle = doc.createElement("button");
    toggle.type = "button";
    toggle.className = "button button-quiet progress-toggle";
    const hide = (hidden) => {
      doc.documentElement.classList.toggle("progress-hidden", hidden);
      toggle.textContent = hidden ? W.show : W.hide;
      if (resume) resume.hidden = hidden;
    };
    toggle.addEventListener("click", () => {
      const hidden = !doc.documentElement.classList.contains("progress-hidden");
      hideByReader(hidden);
      hide(hidden);
    });
    place.append(toggle);
    hide(hiddenByReader());
  }
})();
