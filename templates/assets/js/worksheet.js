/* Worksheets: keep answers in this browser as the reader types, export and import them,
   choose the paper and print blank or with the answers. Nothing is ever sent anywhere. */
(function () {
  "use strict";
  var root = document.documentElement;
  var forms = [].slice.call(document.querySelectorAll("form[data-storage-key]"));
  var tools = document.querySelector("[data-worksheet-tools]");
  var status = document.querySelector("[data-status]");
  var PAPER = "guidebook:paper";
  var timer = 0;
  if (!forms.length || !tools) return;

  function say(text) { status.textContent = text; }
  function keyOf(form) { return form.getAttribute("data-storage-key"); }
  function fields(form) {
    return [].filter.call(form.elements, function (el) { return el.name; });
  }
  function isText(el) { return el.tagName === "TEXTAREA" || el.type === "text"; }

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "{}").answers || {}; } catch (e) { return {}; }
  }
  function store(key, answers) {
    try {
      if (Object.keys(answers).length) {
        localStorage.setItem(key, JSON.stringify({ version: 1, saved: new Date().toISOString(), answers: answers }));
      } else {
        localStorage.removeItem(key);
      }
      return true;
    } catch (e) { return false; }
  }
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
    var copyEl = el.nextSibling;
    if (copyEl && copyEl.className === "print-answer") copyEl.textContent = el.value.trim() ? el.value : "";
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
    if (!el.name) return;
    if (isText(el)) copy(el);
    if (el.classList.contains("other-text") && el.value.trim()) el.parentNode.querySelector("[type=checkbox]").checked = true;
    save(event.currentTarget);
  }

  function fileName() {
    var key = keyOf(forms[0]).split(":")[1];
    var day = new Date().toISOString().slice(0, 10);
    return (forms.length > 1 ? key.split("/")[0] + "-worksheets" : key.split("/")[1]) + "-answers-" + day + ".json";
  }
  function exportAnswers() {
    var data = { guidebook: "worksheet answers", version: 1, exported: new Date().toISOString(), worksheets: {} };
    forms.forEach(function (form) {
      data.worksheets[keyOf(form)] = { title: form.getAttribute("data-title"), answers: read(form) };
    });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    link.download = fileName();
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 5000);
    say("Your answers were saved to the file " + link.download + ".");
  }
  function importAnswers(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var sheets;
      try { sheets = JSON.parse(reader.result).worksheets; } catch (e) { sheets = null; }
      if (!sheets || typeof sheets !== "object") {
        say("That file is not a file of worksheet answers, so nothing changed.");
        return;
      }
      var found = forms.filter(function (form) {
        var sheet = sheets[keyOf(form)];
        return sheet && sheet.answers && typeof sheet.answers === "object";
      });
      if (!found.length) { say("That file has no answers for this page, so nothing changed."); return; }
      var busy = found.some(function (form) { return Object.keys(read(form)).length; });
      if (busy && !window.confirm("Replace your answers on this page with the ones in " + file.name + "?")) return;
      found.forEach(function (form) {
        fill(form, sheets[keyOf(form)].answers);
        store(keyOf(form), read(form));
      });
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
    var setting = (document.querySelector("[data-paper-default]") || root).getAttribute("data-paper-default");
    if (setting === "a4" || setting === "letter") return setting;
    // Letter is the usual paper in North America and a few other countries; A4 elsewhere.
    return /-(US|CA|MX|PH|CL|CO)\b/i.test(navigator.language || "") ? "letter" : "a4";
  }
  function setPaper(paper) {
    root.classList.toggle("paper-letter", paper === "letter");
    root.classList.toggle("paper-a4", paper !== "letter");
  }
  function setMode(mode) {
    root.classList.toggle("print-blank", mode === "blank");
    root.classList.toggle("print-filled", mode !== "blank");
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
    fields(form).filter(isText).forEach(addCopy);
    fill(form, load(keyOf(form)));
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
  });
  try {
    localStorage.setItem("guidebook:test", "1");
    localStorage.removeItem("guidebook:test");
    if (forms.some(function (form) { return Object.keys(read(form)).length; })) say("Your saved answers are filled in.");
  } catch (e) {
    say("This browser is not letting the page save answers. You can still fill in, print, and export them.");
  }

  var paperSelect = tools.querySelector("[data-paper]");
  var paper;
  try { paper = localStorage.getItem(PAPER); } catch (e) { paper = null; }
  paper = paper === "a4" || paper === "letter" ? paper : defaultPaper();
  paperSelect.value = paper;
  setPaper(paper);
  paperSelect.addEventListener("change", function () {
    setPaper(paperSelect.value);
    try { localStorage.setItem(PAPER, paperSelect.value); } catch (e) { /* not remembered */ }
  });

  setMode("filled");
  fillAddresses();
  [].forEach.call(tools.querySelectorAll("[data-print]"), function (button) {
    button.addEventListener("click", function () {
      setMode(button.getAttribute("data-print"));
      window.print();
    });
  });
  // Printing from the browser's menu prints what is on screen: the answers.
  window.addEventListener("afterprint", function () { setMode("filled"); });
  tools.querySelector("[data-export]").addEventListener("click", exportAnswers);
  tools.querySelector("[data-clear]").addEventListener("click", clearAnswers);
  var fileInput = tools.querySelector("[data-import]");
  fileInput.addEventListener("change", function () {
    if (fileInput.files[0]) importAnswers(fileInput.files[0]);
    fileInput.value = "";
  });
  // Another tab (the packet or the single worksheet) changed the same answers.
  window.addEventListener("storage", function (event) {
    forms.forEach(function (form) { if (event.key === keyOf(form)) fill(form, load(keyOf(form))); });
  });
  tools.hidden = false;
})();
