/* Theme toggle, and the search box that loads search on first use. Pages read fully without it. */
(() => {
  "use strict";
  const doc = document.documentElement;
  const root = document.body.dataset.root || "";

  // The theme toggle: a stable label and aria-pressed (pressed = dark theme).
  const toggle = document.querySelector(".theme-toggle");
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const isDark = () => (doc.dataset.theme ? doc.dataset.theme === "dark" : dark.matches);
  const showTheme = () => toggle.setAttribute("aria-pressed", isDark());
  if (toggle) {
    showTheme();
    toggle.addEventListener("click", () => {
      const next = isDark() ? "light" : "dark";
      doc.dataset.theme = next;
      try { localStorage.setItem("guidebook:theme", next); } catch (e) { /* not remembered */ }
      showTheme();
    });
    // Follow the system setting while the page is open, unless the reader chose a theme.
    dark.addEventListener("change", showTheme);
  }

  // Search: the index and the code are scripts (they load from file:// too), fetched on first use.
  let loading = false;
  function loadSearch() {
    if (loading) return;
    loading = true;
    for (const src of ["assets/search-index.js", "assets/js/search.js"]) {
      const script = document.createElement("script");
      script.src = root + src;
      script.async = false; // run in this order: the index, then the code that reads it
      document.head.appendChild(script);
    }
  }
  for (const scope of document.querySelectorAll("[data-search]")) {
    const form = scope.querySelector("[data-search-form]");
    const input = scope.querySelector("[data-search-input]");
    const page = scope.dataset.searchPage; // set on the header's box only
    if (!form || !input) continue;
    if (!page) scope.querySelector("[data-search-status]").textContent = "Type to search.";
    input.addEventListener("focus", loadSearch);
    input.addEventListener("input", loadSearch);
    form.addEventListener("submit", (event) => {
      event.preventDefault(); // the header's box opens the search page with every result
      if (page) location.href = page + "?q=" + encodeURIComponent(input.value.trim());
    });
    if (!page && /[?&]q=/.test(location.search)) loadSearch();
  }
})();
