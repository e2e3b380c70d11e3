/* Theme toggle and search. Everything works without this file; it only adds. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "guidebook:theme";

  function systemDark() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  function currentTheme() {
    return root.getAttribute("data-theme") || (systemDark() ? "dark" : "light");
  }
  function setupThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    var label = button.querySelector(".theme-toggle-label");
    function show() {
      var dark = currentTheme() === "dark";
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      label.textContent = "Dark theme";
    }
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* not remembered */ }
      show();
    });
  }

  function setupSearch() {
    var form = document.querySelector("[data-search-form]");
    if (!form) return;
    var input = form.querySelector("[data-search-input]");
    var status = document.querySelector("[data-search-status]");
    var list = document.querySelector("[data-search-results]");
    var rootPath = document.body.getAttribute("data-root") || "";
    var index = window.GUIDEBOOK_SEARCH || [];
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", run);
    status.textContent = "Type to search " + index.length + " pages.";
    var params = new URLSearchParams(window.location.search);
    if (params.get("q")) { input.value = params.get("q"); run(); }

    function run() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!words.length) { status.textContent = "Type to search " + index.length + " pages."; return; }
      var hits = [];
      index.forEach(function (entry) {
        var title = entry.t.toLowerCase();
        var body = (entry.s + " " + entry.x + " " + entry.g).toLowerCase();
        var score = 0;
        for (var i = 0; i < words.length; i++) {
          var w = words[i];
          if (title.indexOf(w) >= 0) score += 10;
          else if (body.indexOf(w) >= 0) score += 1;
          else return;
        }
        hits.push({ entry: entry, score: score });
      });
      hits.sort(function (a, b) { return b.score - a.score; });
      hits.slice(0, 30).forEach(function (hit) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = rootPath + hit.entry.u;
        a.textContent = hit.entry.t;
        var p = document.createElement("p");
        p.textContent = hit.entry.k + " · " + hit.entry.g + (hit.entry.s ? " · " + hit.entry.s : "");
        li.appendChild(a);
        li.appendChild(p);
        list.appendChild(li);
      });
      status.textContent = hits.length === 0 ? "No results." :
        hits.length + (hits.length === 1 ? " result." : " results.");
    }
  }

  setupThemeToggle();
  setupSearch();
})();
