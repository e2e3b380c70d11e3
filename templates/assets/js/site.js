/* Theme toggle, and the search box that loads search on first use. Pages read fully without it. */
(function () {
  "use strict";
  var doc = document.documentElement;
  var root = document.body.getAttribute("data-root") || "";

  // The theme toggle: a stable label and aria-pressed (pressed = dark theme).
  var toggle = document.querySelector(".theme-toggle");
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
  function isDark() {
    var chosen = doc.getAttribute("data-theme");
    return chosen ? chosen === "dark" : !!(dark && dark.matches);
  }
  function showTheme() { toggle.setAttribute("aria-pressed", String(isDark())); }
  if (toggle) {
    showTheme();
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      doc.setAttribute("data-theme", next);
      try { localStorage.setItem("guidebook:theme", next); } catch (e) { /* not remembered */ }
      showTheme();
    });
    // Follow the system setting while the page is open, unless the reader chose a theme.
    if (dark && dark.addEventListener) dark.addEventListener("change", showTheme);
  }

  // Search: the index and the code are scripts (they load from file:// too), fetched on first use.
  var loading = false;
  function loadSearch() {
    if (loading) return;
    loading = true;
    ["assets/search-index.js", "assets/js/search.js"].forEach(function (src) {
      var script = document.createElement("script");
      script.src = root + src;
      script.async = false; // run in this order: the index, then the code that reads it
      document.head.appendChild(script);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-search]"), function (scope) {
    var form = scope.querySelector("[data-search-form]");
    var input = scope.querySelector("[data-search-input]");
    var page = scope.getAttribute("data-search-page"); // set on the header's box only
    if (!form || !input) return;
    if (!page) scope.querySelector("[data-search-status]").textContent = "Type to search.";
    input.addEventListener("focus", loadSearch);
    input.addEventListener("input", loadSearch);
    form.addEventListener("submit", function (event) {
      event.preventDefault(); // the header's box opens the search page with every result
      if (page) window.location.href = page + "?q=" + encodeURIComponent(input.value.trim());
    });
    if (!page && /[?&]q=/.test(window.location.search)) loadSearch();
  });
})();
