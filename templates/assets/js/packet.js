/* The worksheet packet: choose the paper; print blank or with the answers saved on the
   worksheet pages (asked of answers.js, only read here). Nothing is sent anywhere.
   Short names keep it small: d = document, c = the page's classes, a = a worksheet's saved
   answers, v = one of them, n = a field's name, e = an element, s = a sheet. */
(() => {
  const d = document,
    c = d.documentElement.classList,
    tools = d.querySelector("[data-worksheet-tools]"),
    A = window.guidebookAnswers;

  // An answer is printed in full in a plain element, before the rules it replaces (or in its
  // table cell); a field is kept on one page unless its answer is too long to be worth moving.
  function put(e, v, w) {  // w: "before" the rules, or "append" to a cell
    if (!v?.trim?.()) return;  // nothing saved, or not text
    const x = d.createElement("span");
    x.className = "print-answer";
    x.textContent = v;
    e[w](x);
    if (v.length > 1200) e.closest(".prompt").classList.add("print-long");
  }
  // [data-a] is the worksheet page's field name; a table's cells are named by row and column.
  const fill = (s, a) => {
    for (const e of s.querySelectorAll("[data-a]")) {
      const n = e.dataset.a, v = a[n];
      if (e.tagName == "TABLE") {
        [...e.tBodies[0].rows].forEach((row, r) => [...row.cells].forEach((t, i) => put(t, a[`${n}-r${r+1}-c${i+1}`], "append")));
      } else if (e.tagName == "UL") for (const p of e.children) p.classList.toggle("on", p.textContent == v);
      else if (v === true) e.classList.add("on");
      else put(e, v, "before");
    }
  };
  A.ready.then(() => {
    for (const s of d.querySelectorAll(".sheet")) A.get(d.querySelector(".packet").dataset.guide + "/" + s.id).then((a) => fill(s, a));
  });

  // The page has one class of each pair: paper-a4 or paper-letter (theme.js chose it before the
  // page showed), print-mode-blank or -filled.
  const choose = (one, other, on) => { c.toggle(one, on); c.toggle(other, !on); },
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
  tools.onclick = (e) => {
    const m = e.target.dataset.print;
    if (m) { setMode(m == "blank"); print(); }
  };
  // The browser's own Print prints what is on screen: the answers.
  onafterprint = () => setMode(false);
  tools.hidden = false;
})();
