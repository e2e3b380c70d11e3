/* Worksheets: save answers in this browser as the reader types; export, import, clear;
   choose the paper; print blank or with the answers. Nothing is ever sent anywhere. */
(function () {
  "use strict";
  var root = document.documentElement;
  var forms = [].slice.call(document.querySelectorAll("form[data-storage-key]"));
  var tools = document.querySelector("[data-worksheet-tools]");
  var status = document.querySelector("[data-status]");
  var PAPER = "guidebook:paper";
  var timer = 0;
  if (!forms.length || !tools) return;

  function say(text) { clearTimeout(timer); status.textContent = text; }
  function keyOf(form) { return form.getAttribute("data-storage-key"); }
  function fields(form) { return [].filter.call(form.elements, function (el) { return el.name; }); }
  // A field's name is its id without the page's prefix and "f-" (the markup leaves names
  // out to stay small), so an answer has the same name on the worksheet and the packet.
  function nameFields(form) {
    var prefix = form.id.replace(/worksheet$/, "") + "f-";
    [].forEach.call(form.elements, function (el) {
      if (!el.name && el.id.indexOf(prefix) === 0) el.name = el.id.slice(prefix.length);
    });
  }
  function isText(el) { return el.tagName === "TEXTAREA" || el.type === "text"; }

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "{}").answers || {}; } catch (e) { return {}; }
  }
  function store(key, answers) {
    try {
      if (!Object.keys(answers).length) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify({ version: 1, saved: new Date().toISOString(), answers: answers }));
      return true;
    } catch (e) { return false; }
  }
  function filled(form) { return Object.keys(read(form)).length > 0; }
  function read(form) {
    var answers = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") { if (el.checked) answers[el.name] = true; }
      else if (el.type === "radio") { if (el.checked) answers[el.name] = el.value; }
      else if (el.value.trim()) answers[el.name] = el.value;
    });
    return answers;
  }
  function fill(form, answers) {
    fields(form).forEach(function (el) {
      var value = answers[el.name];
      if (el.type === "checkbox") el.checked = value === true;
      else if (el.type === "radio") el.checked = String(value) === el.value;
      else el.value = typeof value === "string" ? value : "";
      copy(el);
    });
  }

  // Printed answers live in plain elements, so a long answer is never cut off at the
  // height of its box.
  function addCopy(el) {
    var copyEl = document.createElement(el.classList.contains("other-text") ? "span" : "div");
    copyEl.className = "print-answer";
    copyEl.setAttribute("aria-hidden", "true");
    el.parentNode.insertBefore(copyEl, el.nextSibling);
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
    timer = setTimeout(function () {
      say("Saved in this browser at " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
    }, 500);
  }
  function onEdit(event) {
    var el = event.target;
    copy(el);
    if (el.classList.contains("other-text") && el.value.trim()) el.parentNode.querySelector("[type=checkbox]").checked = true;
    save(event.currentTarget);
  }

  function exportAnswers() {
    var data = { guidebook: "worksheet answers", version: 1, exported: new Date().toISOString(), worksheets: {} };
    forms.forEach(function (form) {
      data.worksheets[keyOf(form)] = { title: form.getAttribute("data-title"), answers: read(form) };
    });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    var names = keyOf(forms[0]).split(/[:/]/);  // guidebook:<guide>/<worksheet>
    link.download = (forms.length > 1 ? names[1] + "-worksheets" : names[2]) + "-answers-" + data.exported.slice(0, 10) + ".json";
    document.body.appendChild(link).click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 5000);
    say("Your answers were saved to the file " + link.download + ".");
  }
  function importAnswers(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var sheets = {};
      try { sheets = Object(JSON.parse(reader.result).worksheets); } catch (e) { /* not JSON */ }
      var found = forms.filter(function (form) { return Object(sheets[keyOf(form)]).answers; });
      if (!found.length) { say("That file has no answers for this page, so nothing changed."); return; }
      if (found.some(filled) && !window.confirm("Replace your answers on this page with the ones in " + file.name + "?")) return;
      found.forEach(function (form) { fill(form, sheets[keyOf(form)].answers); store(keyOf(form), read(form)); });
      say("Your answers from " + file.name + " are filled in.");
    };
    reader.readAsText(file);
  }
  function clearAnswers() {
    if (!window.confirm("Clear all your answers on this page? This cannot be undone.")) return;
    forms.forEach(function (form) { fill(form, {}); store(keyOf(form), {}); });
    say("Your answers were cleared.");
  }

  function defaultPaper() {
    var setting = document.querySelector("[data-paper-default]").getAttribute("data-paper-default");
    if (setting !== "auto") return setting;
    // Letter in North America and a few more countries; A4 elsewhere.
    return /-(US|CA|MX|PH|CL|CO)\b/i.test(navigator.language || "") ? "letter" : "a4";
  }
  function setPaper(paper) {
    root.classList.toggle("paper-letter", paper === "letter");
    root.classList.toggle("paper-a4", paper !== "letter");
  }
  function setMode(mode) {
    root.classList.toggle("print-mode-blank", mode === "blank");
    root.classList.toggle("print-mode-filled", mode !== "blank");
  }
  // A printed page says where to find it again (the canonical address, when there is one).
  function fillAddresses() {
    if (!/^https?:$/.test(location.protocol) || document.querySelector("link[rel=canonical]")) return;
    [].forEach.call(document.querySelectorAll("[data-print-address]"), function (el) {
      var url = new URL(el.getAttribute("data-print-address"), location.href);
      url.hash = "";
      el.textContent = url.href;
    });
  }

  forms.forEach(function (form) {
    nameFields(form);
    fields(form).filter(isText).forEach(addCopy);
    fill(form, load(keyOf(form)));
    form.addEventListener("input", onEdit);  // also fired by checkboxes and radio buttons
  });
  if (forms.some(filled)) say("Your saved answers are filled in.");

  var paper = tools.querySelector("[data-paper]");
  try { paper.value = localStorage.getItem(PAPER) || defaultPaper(); } catch (e) { /* not remembered */ }
  if (!paper.value) paper.value = defaultPaper();  // nothing, or an unknown value, was saved
  setPaper(paper.value);
  paper.addEventListener("change", function () {
    setPaper(paper.value);
    try { localStorage.setItem(PAPER, paper.value); } catch (e) { /* not remembered */ }
  });

  setMode("filled");
  fillAddresses();
  tools.addEventListener("click", function (event) {
    var mode = event.target.getAttribute("data-print");
    if (mode) { setMode(mode); window.print(); }
  });
  // The browser's own Print prints what is on screen: the answers.
  window.addEventListener("afterprint", function () { setMode("filled"); });
  tools.querySelector("[data-export]").addEventListener("click", exportAnswers);
  tools.querySelector("[data-clear]").addEventListener("click", clearAnswers);
  var fileInput = tools.querySelector("[data-import]");
  fileInput.addEventListener("change", function () {
    if (fileInput.files[0]) importAnswers(fileInput.files[0]);
    fileInput.value = "";
  });
  // Another tab (packet or worksheet) changed the same answers.
  window.addEventListener("storage", function (event) {
    forms.forEach(function (form) { if (event.key === keyOf(form)) fill(form, load(keyOf(form))); });
  });
  tools.hidden = false;
})();
