/* The worksheet packet: choose the paper; print blank or with the answers saved on the
   worksheet pages (worksheet.js's localStorage entries, only read here). Nothing is sent
   anywhere. Short names keep it small. */
(() => {
  const doc = document;
  const classes = doc.documentElement.classList;
  const tools = doc.querySelector("[data-worksheet-tools]");
  const packet = doc.querySelector(".packet");
  const PAPER = "guidebook:paper";

  // An answer is printed in full in a plain element, before the rules it replaces (or in its
  // table cell); a field is kept on one page unless its answer is too long to be worth moving.
  function put(el, text, where) {
    if (!text?.trim?.()) return;  // nothing saved, or not text
    const span = doc.createElement("span");
    span.className = "print-answer";
    span.textContent = text;
    el[where](span);
    if (text.length > 1200) el.closest(".prompt").classList.add("print-long");
  }
  for (const sheet of doc.querySelectorAll(".sheet")) {
    let saved = {};
    try { saved = JSON.parse(localStorage.getItem(packet.dataset.key + sheet.id)).answers || {}; } catch (e) { /* none */ }
    for (const el of sheet.querySelectorAll("[data-a]")) {
      const name = el.dataset.a;
      const value = saved[name];
      if (el.tagName == "TABLE") {
        [...el.tBodies[0].rows].forEach((row, r) => [...row.cells].forEach((cell, c) =>
          put(cell, saved[`${name}-r${r + 1}-c${c + 1}`], "append")));
      } else if (el.tagName == "UL") {
        for (const point of el.children) point.classList.toggle("on", point.textContent == value);
      } else if (value === true) el.classList.add("on");
      else put(el, value, "before");
    }
  }

  // The page has one class of each pair: paper-a4 or paper-letter, print-mode-blank or -filled.
  const setPaper = (letter) => { classes.toggle("paper-letter", letter); classes.toggle("paper-a4", !letter); };
  const setMode = (blank) => { classes.toggle("print-mode-blank", blank); classes.toggle("print-mode-filled", !blank); };
  // The site's setting, or else Letter in North America and a few more countries (as worksheet.js).
  let paper = packet.dataset.paperDefault;
  if (paper == "auto") paper = /-(US|CA|MX|PH|CL|CO)\b/i.test(navigator.language) ? "letter" : "a4";
  const select = tools.querySelector("select");
  try { select.value = localStorage.getItem(PAPER) || paper; } catch (e) { /* not remembered */ }
  if (!select.value) select.value = paper;  // an unknown value was saved
  setPaper(select.value == "letter");
  select.onchange = () => {
    setPaper(select.value == "letter");
    try { localStorage.setItem(PAPER, select.value); } catch (e) { /* not remembered */ }
  };

  // A printed page says where to find its worksheet (the canonical address, when there is one).
  if (/^http/.test(location.protocol) && !doc.querySelector("[rel=canonical]")) {
    for (const el of doc.querySelectorAll("[data-print-address]")) el.textContent = new URL(el.dataset.printAddress, location).href;
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
