/* Worksheets: save answers in this browser as the reader types; export, import, clear;
   choose the paper; print blank or with the answers. Nothing is ever sent anywhere.
   Written with arrow functions and dataset to stay small: every worksheet page loads it. */
(() => {
  "use strict";
  const doc = document;
  const root = doc.documentElement;
  const forms = [...doc.querySelectorAll("form[data-storage-key]")];
  const tools = doc.querySelector("[data-worksheet-tools]");
  const status = doc.querySelector("[data-status]");
  const PAPER = "guidebook:paper";
  let timer = 0;
  if (!forms.length || !tools) return;

  const say = (text) => { clearTimeout(timer); status.textContent = text; };
  const keyOf = (form) => form.dataset.storageKey;
  const fields = (form) => [...form.elements].filter((el) => el.name);
  const isText = (el) => el.tagName === "TEXTAREA" || el.type === "text";

  // A field's name is its id without the page's prefix and "f-" (the markup leaves names
  // out to stay small), so an answer has the same name on the worksheet and the packet.
  function nameFields(form) {
    const prefix = form.id.replace(/worksheet$/, "") + "f-";
    for (const el of form.elements) {
      if (!el.name && el.id.startsWith(prefix)) el.name = el.id.slice(prefix.length);
    }
  }

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "{}").answers || {}; } catch (e) { return {}; }
  }
  function store(key, answers) {
    try {
      if (!Object.keys(answers).length) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify({ version: 1, saved: new Date().toISOString(), answers }));
      return true;
    } catch (e) { return false; }
  }
  function read(form) {
    const answers = {};
    for (const el of fields(form)) {
      if (el.type === "checkbox") { if (el.checked) answers[el.name] = true; }
      else if (el.type === "radio") { if (el.checked) answers[el.name] = el.value; }
      else if (el.value.trim()) answers[el.name] = el.value;
    }
    return answers;
  }
  const filled = (form) => Object.keys(read(form)).length > 0;
  function fill(form, answers) {
    for (const el of fields(form)) {
      const value = answers[el.name];
      if (el.type === "checkbox") el.checked = value === true;
      else if (el.type === "radio") el.checked = String(value) === el.value;
      else el.value = typeof value === "string" ? value : "";
      copy(el);
    }
  }

  // Printed answers live in plain elements, so a long answer is never cut off at the
  // height of its box.
  function addCopy(el) {
    const copyEl = doc.createElement(el.classList.contains("other-text") ? "span" : "div");
    copyEl.className = "print-answer";
    copyEl.setAttribute("aria-hidden", "true");
    el.after(copyEl);
  }
  function copy(el) {
    if (!isText(el)) return;
    el.nextSibling.textContent = el.value.trim() ? el.value : "";
    // A field is kept on one page, unless its answer is too long to be worth moving.
    el.closest(".prompt").classList.toggle("print-long", el.value.length > 1200);
  }

  function save(form) {
    clearTimeout(timer);
    if (!store(keyOf(form), read(form))) {
      say("This browser is not letting the page save. Export your answers to keep them.");
      return;
    }
    timer = setTimeout(() => {
      say("Saved in this browser at " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
    }, 500);
  }
  function onEdit(event) {
    const el = event.target;
    copy(el);
    if (el.classList.contains("other-text") && el.value.trim()) el.parentNode.querySelector("[type=checkbox]").checked = true;
    save(event.currentTarget);
  }

  // Export and import are loaded on first use (worksheet-transfer.js), as search is: most
  // readers never need them, and every worksheet page stays light.
  let transfer = null;
  function withTransfer(run) {
    transfer = transfer || new Promise((resolve) => {
      const script = doc.createElement("script");
      script.src = doc.body.dataset.root + "assets/js/worksheet-transfer.js";
      script.onload = () => resolve(window.guidebookTransfer);
      doc.head.appendChild(script);
    });
    transfer.then(run);
  }
  function clearAnswers() {
    if (!confirm("Clear all your answers on this page? This cannot be undone.")) return;
    for (const form of forms) { fill(form, {}); store(keyOf(form), {}); }
    say("Your answers were cleared.");
  }

  function defaultPaper() {
    const setting = doc.querySelector("[data-paper-default]").dataset.paperDefault;
    if (setting !== "auto") return setting;
    // Letter in North America and a few more countries; A4 elsewhere.
    return /-(US|CA|MX|PH|CL|CO)\b/i.test(navigator.language || "") ? "letter" : "a4";
  }
  // Mark the page with one of two classes: paper-a4 or paper-letter, print-mode-*.
  function choose(first, second, pickFirst) {
    root.classList.toggle(first, pickFirst);
    root.classList.toggle(second, !pickFirst);
  }
  const setPaper = (paper) => choose("paper-letter", "paper-a4", paper === "letter");
  const setMode = (mode) => choose("print-mode-blank", "print-mode-filled", mode === "blank");
  // A printed page says where to find it again (the canonical address, when there is one).
  function fillAddresses() {
    if (!/^https?:$/.test(location.protocol) || doc.querySelector("link[rel=canonical]")) return;
    for (const el of doc.querySelectorAll("[data-print-address]")) {
      const url = new URL(el.dataset.printAddress, location.href);
      url.hash = "";
      el.textContent = url.href;
    }
  }

  for (const form of forms) {
    nameFields(form);
    fields(form).filter(isText).forEach(addCopy);
    fill(form, load(keyOf(form)));
    form.addEventListener("input", onEdit);  // also fired by checkboxes and radio buttons
  }
  if (forms.some(filled)) say("Your saved answers are filled in.");

  const paper = tools.querySelector("[data-paper]");
  try { paper.value = localStorage.getItem(PAPER) || defaultPaper(); } catch (e) { /* not remembered */ }
  if (!paper.value) paper.value = defaultPaper();  // nothing, or an unknown value, was saved
  setPaper(paper.value);
  paper.addEventListener("change", () => {
    setPaper(paper.value);
    try { localStorage.setItem(PAPER, paper.value); } catch (e) { /* not remembered */ }
  });

  setMode("filled");
  fillAddresses();
  tools.addEventListener("click", (event) => {
    const mode = event.target.dataset.print;
    if (mode) { setMode(mode); print(); }
  });
  // The browser's own Print prints what is on screen: the answers.
  addEventListener("afterprint", () => setMode("filled"));
  tools.querySelector("[data-export]").addEventListener("click", () => withTransfer((t) => t.exportAnswers(forms)));
  tools.querySelector("[data-clear]").addEventListener("click", clearAnswers);
  const fileInput = tools.querySelector("[data-import]");
  fileInput.addEventListener("change", () => {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (file) withTransfer((t) => t.importAnswers(forms, file));
  });
  // Another tab (packet or worksheet) changed the same answers.
  addEventListener("storage", (event) => {
    for (const form of forms) if (event.key === keyOf(form)) fill(form, load(keyOf(form)));
  });
  // What worksheet-transfer.js works with.
  window.guidebookWorksheet = { keyOf, read, fill, store, filled, say };
  tools.hidden = false;
})();
