/* The worksheet packet: choose the paper; print blank or with the answers saved on the
   worksheet pages (asked of answers.js, only read here). Nothing is sent anywhere.
   Short names keep it small: d = document, c = the page's classes, a = a worksheet's saved
   answers, v = one of them, n = a field's name, e = an element. */
(() => {
  const d = document,
    c = d.documentElement.classList,
    tools = d.querySelector("[data-worksheet-tools]"),
    A = window.guidebookAnswers;

  // An answer is printed in full in a plain element, before the rules it replaces (or in its
  // table cell); a field is kept on one page unless its answer is too long to be worth moving.
  function put(e, v, where) {
    if (!v?.trim?.()) return;  // nothing saved, or not text
    const x = d.createElement("span");
    x.className = "print-answer";
    x.textContent = v;
    e[where](x);
    if (v.length > 1200) e.closest(".prompt").classList.add("print-long");
  }
  // [data-a] is the worksheet page's field name; a table's cells are named by row and column.
  const fill = (sheet, a) => {
    for (const e of sheet.querySelectorAll("[data-a]")) {
      const n = e.dataset.a, v = a[n];
      if (e.tagName == "TABLE") {
        [...e.tBodies[0].rows].forEach((row, r) => [...row.cells].forEach((cell, i) => put(cell, a[`${n}-r${r + 1}-c${i + 1}`], "append")));
      } else if (e.tagName == "UL") for (const point of e.children) point.classList.toggle("on", point.textContent == v);
      else if (v === true) e.classList.add("on");
      else put(e, v, "before");
    }
  };
  A.ready.then(() => {
    for (const sheet of d.querySelectorAll(".sheet")) A.get(d.querySelector(".packet").dataset.guide + "/" + sheet.id).then((a) => fill(sheet, a));
  });

  // The page has one class of each pair: paper-a4 or paper-letter (theme.js chose it before the
  // page showed), print-mode-blank or -filled.
  const choose = (first, second, pickFirst) => { c.toggle(first, pickFirst); c.toggle(second, !pickFirst); },
    setMode = (blank) => choose("print-mode-blank", "print-mode-filled", blank),
    select = tools.querySelector("select");
  select.value = c.contains("paper-letter") ? "letter" : "a4";
  select.onchange = () => {
    choose("paper-letter", "paper-a4", select.value == "letter");
    try { localStorage.setItem("guidebook:paper", select.value); } catch (e) { /* not remembered */ }
  };

  // A printed page says where to find its worksheet (the canonical address, when there is one).
  if (/^http/.test(location.protocol) && !d.querySelector("[rel=canonical]")) {
    for (const e of d.querySelectorAll("[data-print-address]")) e.textContent = new URL(e.dataset.printAddress, location).href;
  }

  setMode(false);
  tools.onclick = (event) => {
    const mode = event.target.dataset.print;
    if (mode) { setMode(mode == "blank"); print(); }
  };
  // The browser's own Print prints what is on screen: the answers.
  onafterprint = () => setMode(false);
  tools.hidden = false;
})();
