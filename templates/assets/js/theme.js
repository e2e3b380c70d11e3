/* Runs in <head> before the page paints: apply the remembered theme and paper, and mark that
   scripts run (class "js") so the theme toggle and the search box take their places without a
   shift. The paper is one of two classes, paper-a4 or paper-letter: the reader's choice, else
   the page's (this script's data-paper-default), and for "auto" Letter in North America and a few more
   countries, A4 elsewhere. h = <html>, t = the theme, p = the paper. */
(function () {
  var h = document.documentElement;
  var p = document.currentScript.dataset.paperDefault;
  var t;
  h.classList.add("js");
  try {
    t = localStorage.getItem("guidebook:theme");
    if (t == "light" || t == "dark") h.dataset.theme = t;
    t = localStorage.getItem("guidebook:paper");
    if (t == "a4" || t == "letter") p = t;
  } catch (e) { /* storage may be blocked: follow the system setting and the site */ }
  if (!p || p == "auto") p = /-(US|CA|MX|PH|CL|CO)\b/i.test(navigator.language) ? "letter" : "a4";
  h.classList.add(p == "letter" ? "paper-letter" : "paper-a4");
})();
