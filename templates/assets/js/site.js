/* Theme toggle, and the search box that loads search on first use. Pages read fully without it.
   Short names keep it small, as every page loads it: d = document, h = <html>. */
(() => {
  const d = document,
    h = d.documentElement;

  // The theme toggle: a stable label and aria-pressed (pressed = dark theme).
  const toggle = d.querySelector(".theme-toggle");
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const isDark = () => h.dataset.theme ? h.dataset.theme == "dark" : dark.matches;
  const showTheme = () => toggle.setAttribute("aria-pressed", isDark());
  if (toggle) {
    showTheme();
    toggle.onclick = () => {
      const next = h.dataset.theme = isDark() ? "light" : "dark";
      try { localStorage.setItem("guidebook:theme", next); } catch (e) { /* not remembered */ }
      showTheme();
    };
    // Follow the system setting while the page is open, unless the reader chose a theme.
    dark.onchange = showTheme;
  }

  // Load a file of assets/ once, as a script (a fetch would fail from file://): search, and
  // the answers' code that loads on first use. -> Promise, resolved when it ran (or failed).
  const scripts = {};
  const load = window.guidebookLoad = (file) => scripts[file] = scripts[file] || new Promise((done) => {
    const script = d.createElement("script");
    script.src = d.body.dataset.root + "assets/" + file;
    script.onload = script.onerror = done;
    d.head.appendChild(script);
  });
  // Search: the index, then the code that reads it, on first use.
  const loadSearch = () => load("search-index.js").then(() => load("js/search.js"));
  for (const scope of d.querySelectorAll("[data-search]")) {
    const form = scope.querySelector("[data-search-form]"),
      input = scope.querySelector("[data-search-input]"),
      page = scope.dataset.searchPage; // set on the header's box only
    if (!form || !input) continue;
    // The search page says to type, in the page's language (search.html's data-type).
    if (!page) scope.querySelector("[data-search-status]").textContent = scope.dataset.type;
    input.onfocus = input.oninput = loadSearch;
    form.onsubmit = (event) => {
      event.preventDefault(); // the header's box opens the search page with every result
      if (page) location.href = page + "?q=" + encodeURIComponent(input.value.trim());
    };
    if (!page && /[?&]q=/.test(location.search)) loadSearch();
  }
})();
