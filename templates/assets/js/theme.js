/* Runs in <head> before the page paints: apply the remembered theme, and mark that scripts run
   (class "js") so the theme toggle and the search box take their places without a shift. */
(function () {
  var doc = document.documentElement;
  doc.classList.add("js");
  try {
    var theme = localStorage.getItem("guidebook:theme");
    if (theme === "light" || theme === "dark") doc.setAttribute("data-theme", theme);
  } catch (e) { /* storage may be blocked: follow the system setting */ }
})();
