/* Apply the reader's remembered theme before the page paints (loaded in <head>). */
(function () {
  try {
    var theme = localStorage.getItem("guidebook:theme");
    if (theme === "light" || theme === "dark") {
      document.documentElement.setAttribute("data-theme", theme);
    }
  } catch (e) { /* storage may be blocked: follow the system setting */ }
})();
