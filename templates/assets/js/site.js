/* Theme toggle and search. Every page reads fully without this file; it only adds. */
(function () {
  "use strict";
  var doc = document.documentElement;
  var THEME_KEY = "guidebook:theme";
  var rootPath = document.body.getAttribute("data-root") || "";

  /* Theme: a toggle button with a stable label and aria-pressed (pressed = dark). */
  function systemDark() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }
  function currentTheme() {
    return doc.getAttribute("data-theme") || (systemDark() ? "dark" : "light");
  }
  function setupThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    function show() { button.setAttribute("aria-pressed", String(currentTheme() === "dark")); }
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      doc.setAttribute("data-theme", next);
      try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* storage blocked: not remembered */ }
      show();
    });
    // Follow a change of the system setting while the page is open (when no choice is stored).
    if (window.matchMedia) {
      var query = window.matchMedia("(prefers-color-scheme: dark)");
      if (query.addEventListener) query.addEventListener("change", show);
    }
  }

  /* Search: the index is a script (works from file://), loaded only when someone searches. */
  var indexWaiters = null;
  function loadIndex(done) {
    if (window.GUIDEBOOK_SEARCH) { done(true); return; }
    if (indexWaiters) { indexWaiters.push(done); return; }
    indexWaiters = [done];
    var script = document.createElement("script");
    script.src = rootPath + "assets/search-index.js";
    function finish(ok) {
      var waiters = indexWaiters;
      indexWaiters = null;
      if (!ok) script.remove(); // a later search tries again
      waiters.forEach(function (w) { w(ok); });
    }
    script.onload = function () { finish(!!window.GUIDEBOOK_SEARCH); };
    script.onerror = function () { finish(false); };
    document.head.appendChild(script);
  }

  function findEntries(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    var hits = [];
    if (!words.length) return hits;
    (window.GUIDEBOOK_SEARCH || []).forEach(function (entry, order) {
      var title = entry.t.toLowerCase();
      var summary = (entry.s || "").toLowerCase();
      var body = (entry.x + " " + entry.g).toLowerCase();
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        if (title.indexOf(w) >= 0) score += 10;
        else if (summary.indexOf(w) >= 0) score += 3;
        else if (body.indexOf(w) >= 0) score += 1;
        else return;
      }
      hits.push({ entry: entry, score: score, order: order });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return hits;
  }

  function snippet(entry, query) {
    var text = entry.s || "";
    var word = query.toLowerCase().split(/\s+/).filter(Boolean)[0] || "";
    var at = entry.x ? entry.x.toLowerCase().indexOf(word) : -1;
    if (at >= 0 && (!text || text.toLowerCase().indexOf(word) < 0)) {
      var start = Math.max(0, entry.x.lastIndexOf(" ", Math.max(0, at - 60)) + 1);
      text = (start > 0 ? "…" : "") + entry.x.slice(start, start + 160) + "…";
    }
    return text;
  }

  function setupSearch(scope) {
    var form = scope.querySelector("[data-search-form]");
    var input = scope.querySelector("[data-search-input]");
    var status = scope.querySelector("[data-search-status]");
    var list = scope.querySelector("[data-search-results]");
    if (!form || !input || !status || !list) return;
    var searchPage = scope.getAttribute("data-search-page"); // set in the header only
    var link = scope.querySelector("[data-search-link]");
    if (link) link.hidden = true;
    form.hidden = false;
    if (!searchPage) status.textContent = "Type to search.";

    function show(query) {
      list.textContent = "";
      if (!query.trim()) { status.textContent = searchPage ? "" : "Type to search."; return; }
      loadIndex(function (ok) {
        if (input.value !== query) return; // the reader typed on meanwhile
        list.textContent = "";
        if (!ok) { status.textContent = "Search could not load its index."; return; }
        var hits = findEntries(query);
        var shown = searchPage ? hits.slice(0, 8) : hits.slice(0, 50);
        shown.forEach(function (hit) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = rootPath + hit.entry.u;
          a.textContent = hit.entry.t;
          var p = document.createElement("p");
          p.textContent = hit.entry.k + " · " + hit.entry.g;
          var text = snippet(hit.entry, query);
          if (text) {
            var q = document.createElement("span");
            q.className = "search-snippet";
            q.textContent = text;
            p.appendChild(document.createElement("br"));
            p.appendChild(q);
          }
          li.appendChild(a);
          li.appendChild(p);
          list.appendChild(li);
        });
        var count = hits.length === 0 ? "No results" :
          hits.length + (hits.length === 1 ? " result" : " results");
        status.textContent = count + " for “" + query.trim() + "”." +
          (searchPage && hits.length > shown.length ? " Press Enter to see them all." : "");
      });
    }

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
    input.addEventListener("focus", function () { loadIndex(function () {}); });
    input.addEventListener("input", function () { show(input.value); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (searchPage) {
        window.location.href = searchPage + "?q=" + encodeURIComponent(input.value.trim());
      } else {
        show(input.value);
        if (history.replaceState) {
          try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value.trim())); }
          catch (e) { /* some file:// setups refuse: the results still show */ }
        }
      }
    });
    // Arrow keys move between the input and the results; Escape closes the header's results.
    scope.addEventListener("keydown", function (event) {
      var items = links();
      var at = items.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && (event.target === input || at >= 0) && items.length) {
        event.preventDefault();
        items[Math.min(at + 1, items.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : items[at - 1]).focus();
      } else if (event.key === "Escape" && searchPage && (event.target === input || at >= 0)) {
        input.value = "";
        show("");
        input.focus();
      }
    });
    if (!searchPage) {
      var query = new URLSearchParams(window.location.search).get("q");
      if (query) { input.value = query; show(query); }
    }
  }

  setupThemeToggle();
  Array.prototype.forEach.call(document.querySelectorAll("[data-search]"), setupSearch);
})();
