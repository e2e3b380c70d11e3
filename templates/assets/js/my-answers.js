/* My answers: the reader's saved answers to this guide's worksheets as readable text, shown on
   the page, copied, downloaded (.txt and Markdown), printed or shared; Export all and Import
   (answers-backup.js, loaded on first use). It reads the answers through answers.js only, so a
   locked store shows nothing until the reader unlocks it (answers.js's `ready`). Nothing is sent
   anywhere; sharing goes where the reader picks, and only where the browser offers it. */
(() => {
  "use strict";
  const doc = document;
  const box = doc.querySelector(".my-answers");
  if (!box) return;
  const tools = box.querySelector("[data-answers-tools]");
  const out = box.querySelector("[data-sheets]");
  const status = tools.querySelector("[data-status]");
  const sheets = JSON.parse(box.dataset.worksheets);  // render.answer_structure
  const W = JSON.parse(box.dataset.words);  // the page's words, in its language
  const A = window.guidebookAnswers;
  const saved = {};  // worksheet name -> its answers, filled by read()
  const { siteTitle, guideTitle, fileName } = box.dataset;
  const w = (key, values) => W[key].replace(/\{(\w)\}/g, (all, k) => values[k]);
  const say = (text) => { status.textContent = text; };

  // Read every worksheet's answers ({name: text, or true for a ticked box}) through answers.js.
  const read = () => A.ready.then(() => Promise.all(sheets.map((sheet) => A.get(sheet.name).then((a) => { saved[sheet.name] = a; }))));

  // One prompt's answer, or null when it has none: {text} for lines, a short answer and a
  // scale; {items} for a checklist (a write-in after its item); {columns, rows} for a table
  // (its rows with something written, by number). The names are the page's
  // (render.answer_structure), the ones the answers are saved under.
  function answerOf(prompt, answers) {
    const typed = (name) => (name && typeof answers[name] === "string" && answers[name].trim() ? answers[name] : "");
    if (prompt.kind === "checklist") {
      const items = prompt.items.filter(([name]) => answers[name] === true)
        .map(([, label, writeIn]) => (typed(writeIn) ? w("pair", { l: label, t: typed(writeIn) }) : label));
      return items.length ? { items } : null;
    }
    if (prompt.kind === "scale") {
      const point = typed(prompt.answer);
      if (!point) return null;
      const [low, high] = prompt.labels;
      const ends = low || high ? " (" + (low || prompt.low) + " … " + (high || prompt.high) + ")" : "";
      return { text: w("scale", { v: point, h: prompt.high }) + ends };
    }
    if (prompt.kind === "table") {
      const rows = [];
      prompt.cells.forEach((names, r) => {
        const cells = names.map(typed);
        if (cells.some(Boolean)) rows.push({ number: r + 1, cells });
      });
      return rows.length ? { columns: prompt.columns, rows } : null;
    }
    return typed(prompt.answer) ? { text: answers[prompt.answer] } : null;
  }

  // The chosen worksheets that have answers: [{title, prompts: [{title, answer}]}]. A worksheet
  // without answers cannot be chosen, and says so.
  function chosen() {
    const model = [];
    for (const sheet of sheets) {
      const answers = saved[sheet.name] || {};
      const prompts = sheet.prompts.map((prompt) => ({ title: prompt.title, answer: answerOf(prompt, answers) }));
      const any = prompts.some((prompt) => prompt.answer);
      const choice = tools.querySelector(`[data-sheet="${sheet.slug}"]`);
      if (choice.disabled !== !any) choice.checked = any;  // gained or lost its answers
      choice.disabled = !any;
      choice.closest("li").querySelector("[data-no-answers]").hidden = any;
      if (any && choice.checked) model.push({ title: sheet.title, prompts });
    }
    return model;
  }

  const today = () => new Date().toLocaleDateString(doc.documentElement.lang || undefined, { dateStyle: "long" });
  const heading = () => w("title", { g: guideTitle });

  function asText(model) {
    const lines = [heading(), siteTitle + " · " + today(), ""];
    const indent = (first, text, by) => first + text.replace(/\n/g, "\n" + by);  // later lines by `by`
    for (const sheet of model) {
      lines.push(sheet.title, "=".repeat(sheet.title.length), "");
      for (const { title, answer } of sheet.prompts) {
        lines.push(title);
        if (!answer) lines.push("  (" + W.none + ")");
        else if (answer.items) answer.items.forEach((item) => lines.push(indent("  - ", item, "    ")));
        else if (answer.rows) {
          for (const { number, cells } of answer.rows) {
            lines.push("  " + w("row", { n: number }));
            cells.forEach((cell, c) => cell && lines.push(indent("    ", w("pair", { l: answer.columns[c], t: cell }), "      ")));
          }
        } else lines.push(indent("  ", answer.text, "  "));
        lines.push("");
      }
    }
    return lines.join("\n");
  }

  // Markdown (CommonMark): the reader's text escaped, so that what they typed reads as typed.
  const md = (text) => text.replace(/[\\`*_[\]<>#|]/g, "\\$&");
  function asMarkdown(model) {
    const lines = ["# " + md(heading()), "", md(siteTitle) + " · " + today(), ""];
    for (const sheet of model) {
      lines.push("## " + md(sheet.title), "");
      for (const { title, answer } of sheet.prompts) {
        lines.push("### " + md(title), "");
        if (!answer) lines.push("*" + md(W.none) + "*");
        else if (answer.items) answer.items.forEach((item) => lines.push("- " + md(item).replace(/\n/g, "  \n  ")));
        else if (answer.rows) {
          const row = (cells) => "| " + cells.map((cell) => md(cell).replace(/\n/g, "<br>")).join(" | ") + " |";
          lines.push(row(answer.columns), "|" + answer.columns.map(() => " --- |").join(""), ...answer.rows.map((r) => row(r.cells)));
        } else lines.push(md(answer.text).replace(/\n/g, "  \n"));
        lines.push("");
      }
    }
    return lines.join("\n");
  }

  const make = (tag, text, className) => {
    const el = doc.createElement(tag);
    if (text) el.textContent = text;
    if (className) el.className = className;
    return el;
  };
  // Show the chosen worksheets on the page (and so on paper: one worksheet a page).
  function show() {
    const model = chosen();
    out.replaceChildren();
    if (!model.length) {
      const any = sheets.some((sheet) => Object.keys(saved[sheet.name] || {}).length);
      out.append(make("p", any ? W.nochoice : W.empty, "answers-empty"));
    }
    for (const sheet of model) {
      const section = make("section", "", "answers-sheet");
      section.append(make("p", guideTitle + " · " + today(), "answers-sheet-guide"), make("h2", sheet.title));
      for (const { title, answer } of sheet.prompts) {
        section.append(make("h3", title));
        if (!answer) section.append(make("p", W.none, "no-answer"));
        else if (answer.items) {
          const list = make("ul");
          answer.items.forEach((item) => list.append(make("li", item, "answer-text")));
          section.append(list);
        } else if (answer.rows) {
          const table = make("table");
          const head = table.createTHead().insertRow();
          answer.columns.forEach((column) => { const th = make("th", column); th.scope = "col"; head.append(th); });
          const body = table.createTBody();
          answer.rows.forEach((row) => { const tr = body.insertRow(); row.cells.forEach((cell) => tr.append(make("td", cell, "answer-text"))); });
          const wrap = make("div", "", "table-wrap");
          wrap.append(table);
          section.append(wrap);
        } else section.append(make("p", answer.text, "answer-text"));
      }
      out.append(section);
    }
    for (const button of tools.querySelectorAll("[data-copy], [data-download], [data-share], [data-print]")) button.disabled = !model.length;
    return model;
  }

  const fileBase = () => fileName + "-" + new Date().toISOString().slice(0, 10);
  function download(kind) {
    const model = show();
    const link = doc.createElement("a");
    link.href = URL.createObjectURL(new Blob([kind === "md" ? asMarkdown(model) : asText(model)],
      { type: (kind === "md" ? "text/markdown" : "text/plain") + ";charset=utf-8" }));
    link.download = fileBase() + "." + kind;
    doc.body.appendChild(link).click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 5000);
    say(w("file", { f: link.download }));
  }
  async function copy() {
    const text = asText(show());
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      // No clipboard API here (an older browser, or a page opened from a file): the old way.
      const area = make("textarea");
      area.value = text;
      doc.body.append(area);
      area.select();
      let done = false;
      try { done = doc.execCommand("copy"); } catch (x) { /* not allowed */ }
      area.remove();
      if (!done) { say(W.nocopy); return; }
    }
    say(W.copied);
  }
  async function share() {
    const text = asText(show());
    const title = heading();
    const file = new File([text], fileBase() + ".txt", { type: "text/plain" });
    const data = navigator.canShare && navigator.canShare({ files: [file] }) ? { title, files: [file] } : { title, text };
    try {
      await navigator.share(data);
      say(W.shared);
    } catch (e) {
      if (e.name !== "AbortError") say(W.noshare);
    }
  }

  // Paper: theme.js chose it before the page showed (paper-a4 or paper-letter on <html>).
  const classes = doc.documentElement.classList;
  const paper = tools.querySelector("[data-paper]");
  paper.value = classes.contains("paper-letter") ? "letter" : "a4";
  paper.addEventListener("change", () => {
    classes.toggle("paper-letter", paper.value === "letter");
    classes.toggle("paper-a4", paper.value !== "letter");
    try { localStorage.setItem("guidebook:paper", paper.value); } catch (e) { /* not remembered */ }
  });

  const refresh = () => read().then(show);
  tools.addEventListener("change", (event) => { if (event.target.dataset.sheet) show(); });
  tools.querySelector("[data-copy]").addEventListener("click", copy);
  for (const button of tools.querySelectorAll("[data-download]")) button.addEventListener("click", () => download(button.dataset.download));
  tools.querySelector("[data-print]").addEventListener("click", () => { show(); print(); });
  const shareButton = tools.querySelector("[data-share]");
  shareButton.hidden = !navigator.share;
  shareButton.addEventListener("click", share);
  // Export all and Import (answers-backup.js, shared with worksheet pages, loaded on first use).
  const backup = (run) => A.load("answers-backup.js").then(() => run(window.guidebookBackup));
  tools.querySelector("[data-export]").addEventListener("click", () => backup((b) => b.exportFrom(tools)));
  const fileInput = tools.querySelector("[data-import]");
  fileInput.addEventListener("change", () => {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (file) backup((b) => b.importFrom(tools, file));
  });
  A.watch(refresh);  // a worksheet open in another tab saved
  // The privacy controls (Erase, Don't save, the lock) report in the status line: read again.
  new MutationObserver(refresh).observe(status, { childList: true });
  window.guidebookMyAnswers = { asText, asMarkdown, show };
  read().then(() => {
    show();
    box.querySelector("[data-answers-note]").hidden = true;
    tools.hidden = false;
  });
})();
