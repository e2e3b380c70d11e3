/* Runs in <head> before the page paints: apply the remembered theme and paper, mark that
   scripts run (class "js") so the theme toggle and search box take their places without a
   shift, and listen for Exit this page. The paper is one of two classes, paper-a4 or
   paper-letter: the reader's choice, else the page's (data-paper-default), and for "auto"
   by the browser's region: i18n.LETTER_REGIONS use Letter.
   h = <html>, t = the theme (then the paper), p = the paper, n = Shift presses. Short: every
   page loads it, the packet at the edge of its budget. */
(function () {
  var h = document.documentElement,
    p = document.currentScript.dataset.paperDefault,
    t,
    n = [];
  h.classList.add("js");
  try {
    t = localStorage.getItem("guidebook:theme");
    if (t == "light" || t == "dark") h.dataset.theme = t;
    t = localStorage.getItem("guidebook:paper");
    if (t == "a4" || t == "letter") p = t;
  } catch (e) { /* storage may be blocked: follow the system setting and the site */ }
  if (!p || p == "auto") p = /-(US|CA|MX|PH|CL|CO|VE|PR|GT|SV|NI|CR|PA|DO|BZ)\b/i.test(navigator.language) ? "letter" : "a4";
  h.classList.add("paper-" + (p == "letter" ? p : "a4"));

  // Exit this page, after GOV.UK's component: cover the page at once (class "exiting" hides
  // the body; answers-lock.js forgets the key on it), and replace this page in history so Back
  // does not return to it. Listened for here, so it works while the page loads.
  const exit = e => {
    const l = document.querySelector("[data-exit]");  // the Exit this page link
    if (!l) return;
    if (e) e.preventDefault();
    h.classList.add("exiting");
    location.replace(l.href);
  };
  addEventListener("click", e => { if (e.target.closest?.("[data-exit]")) exit(e); });
  // Shift pressed three times within 5 seconds; only on its own (Shift held for a capital
  // letter, or with another key, is typing), and not a key held down (repeat).
  addEventListener("keydown", e => {
    if (e.key != "Shift") n = [];
    else if (!e.repeat && (n = n.filter(t => e.timeStamp - t < 5000).concat(e.timeStamp))[2]) exit();
  });
  // A page restored by Back from the browser's cache would otherwise stay covered.
  addEventListener("pageshow", () => h.classList.remove("exiting"));
})();
