/* The worksheet packet: choose the paper; print blank or with the answers saved on the
   worksheet pages (asked of answers.js, only read here). Nothing is sent anywhere.
   Short names keep it small: d = document, c = the page's classes, T = the tools, P = the
   paper choice, a = a worksheet's saved answers, v = one of them, e = an element, s = a sheet,
   m = the print mode (blank: truthy). */
(() => {
  const d = document,
    c = d.documentElement.classList,
    T = d.querySelector("[data-worksheet-tools]"),
    P = T.querySelector("select"),
    A = window.guidebookAnswers,
    // A sheet's answers are saved under "guide/worksheet" (model.Worksheet.answers: the
    // packet's data-guide, the sheet's id), each under its name: a [data-a], as on the
    // worksheet page (the build names every answer, model.Answer). An answer is printed in
    // full in a plain element, before the rules it replaces (or in its table cell); a field
    // is kept on one page unless its answer is too long to be worth moving.
    fill = (s, a) => {
      for (const e of s.querySelectorAll("[data-a]")) {
        const v = a[e.dataset.a];
        if (e.tagName == "UL") for (const p of e.children) p.classList.toggle("on", p.textContent == v);
        else if (v === true) e.classList.add("on");
        else if (v?.trim?.()) {  // text, not nothing
          const x = d.createElement("span");
          x.className = "print-answer";
          x.append(v);
          e[e.tagName == "TD" ? "append" : "before"](x);
          if (v.length > 1200) e.closest(".prompt").classList.add("print-long");
        }
      }
    },
    // The page has one class of each pair: paper-a4 or paper-letter (theme.js chose it before
    // the page showed), print-mode-blank or -filled.
    choose = (one, other, on) => { c.toggle(one, on); c.toggle(other, !on); },
    mode = (m) => choose("print-mode-blank", "print-mode-filled", m);
  A.ready.then(() => d.querySelectorAll(".sheet").forEach((s) => A.get(d.querySelector(".packet").dataset.guide + "/" + s.id).then((a) => fill(s, a))));

  P.value = c.contains("paper-letter") ? "letter" : "a4";
  P.onchange = () => {
    choose("paper-letter", "paper-a4", P.value == "letter");
    try { localStorage.setItem("guidebook:paper", P.value); } catch (x) { /* not remembered */ }
  };

  // A printed page says where to find its worksheet (the canonical address, when there is one).
  if (/^http/.test(location.protocol) && !d.querySelector("[rel=canonical]")) {
    for (const e of d.querySelectorAll("[data-print-address]")) e.textContent = new URL(e.dataset.printAddress, location).href;
  }

  mode(0);
  T.onclick = (e) => {
    const m = e.target.dataset.print;
    if (m) { mode(m == "blank"); print(); }
  };
  // The browser's own Print prints what is on screen: the answers.
  onafterprint = () => mode(0);
  T.hidden = false;
})();
