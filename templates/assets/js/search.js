/* Search across every guide, loaded by site.js on first use after search-index.js. */
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var index = window.GUIDEBOOK_SEARCH || [];
  // The words the reader sees, in the page's language: the index has them for each
  // language of the site (render.search_index), the search page's status says "type".
  var texts = window.GUIDEBOOK_SEARCH_TEXT || {};
  var say = texts[document.documentElement.lang] || texts[Object.keys(texts)[0]] || {};

  function wordsOf(query) { return query.toLowerCase().split(/\s+/).filter(Boolean); }

  // A word as the index has it (i18n.fold): lowercase, no accents or vowel marks, and the
  // Arabic letters typed in more than one form made one.
  function fold(word) {
    return word.normalize("NFD").replace(/\p{M}|\u0640/gu, "").toLowerCase()
      .replace(/\u0649/g, "\u064a").replace(/\u0629/g, "\u0647").normalize("NFC");
  }
  // The forms of a typed word to look for: itself, a German participle without its ge- and
  // ending (abgelehnt -> ablehn), an Arabic word without its article (الرفض -> رفض).
  function forms(word) {
    var list = [word];
    var ge = /^(ab|an|auf|aus|bei|ein|mit|nach|vor|weg|zu|zuruck|dar|her|hin|fest|los)?ge(.{3,}?)(et|t|en)$/.exec(word);
    if (ge) list.push((ge[1] || "") + ge[2]);
    var al = /^[\u0648\u0641\u0628\u0643\u0644]?(\u0627\u0644|\u0644\u0644)(.{3,})$/.exec(word);
    if (al) list.push(al[2]);
    return list;
  }
  // At most one letter added, left out, changed or two swapped (Damerau-Levenshtein <= 1).
  function oneTypo(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1)
        || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length < b.length ? a.slice(i) === b.slice(i + 1) : a.slice(i + 1) === b.slice(i);
  }
  // Another form of a word of the page: the page's word or stem starts the typed word
  // (rejected: reject), the typed word starts one of them (rejec), or one typo in a word
  // of five letters or more.
  function near(word, entry) {
    var list = forms(fold(word));
    entry.words = entry.words || (entry.w || "").split(" ");
    return entry.words.some(function (known) {
      return list.some(function (typed) {
        var longer = typed.length - known.length;  // a stem of three letters (Arabic roots): one more
        return ((known.length >= 4 ? longer <= 4 : known.length === 3 && longer <= 1) && typed.indexOf(known) === 0)
          || (typed.length >= 3 && known.indexOf(typed) === 0)
          || (typed.length >= 5 && oneTypo(typed, known));
      });
    });
  }

  // Every word must match; a match in the title counts most, then the summary, then the text,
  // then another form of a word of the page.
  function find(query) {
    var words = wordsOf(query);
    var hits = [];
    index.forEach(function (entry, order) {
      var title = entry.t.toLowerCase();
      var summary = (entry.s || "").toLowerCase();
      var text = (entry.x + " " + entry.g).toLowerCase();
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        if (title.indexOf(words[i]) >= 0) score += 10;
        else if (summary.indexOf(words[i]) >= 0) score += 3;
        else if (text.indexOf(words[i]) >= 0) score += 1;
        else if (near(words[i], entry)) score += 1;
        else return;
      }
      hits.push({ entry: entry, score: score, order: order });
    });
    return hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
  }

  // The summary, or the words around the first match when the summary does not have it.
  function snippet(entry, query) {
    var word = wordsOf(query)[0] || "";
    var text = entry.s || "";
    var at = (entry.x || "").toLowerCase().indexOf(word);
    if (at < 0 || text.toLowerCase().indexOf(word) >= 0) return text;
    var start = entry.x.lastIndexOf(" ", Math.max(0, at - 60)) + 1;
    return (start > 0 ? "…" : "") + entry.x.slice(start, start + 160) + "…";
  }

  function setup(scope) {
    var input = scope.querySelector("[data-search-input]");
    var status = scope.querySelector("[data-search-status]");
    var list = scope.querySelector("[data-search-results]");
    var inHeader = scope.hasAttribute("data-search-page");
    if (!input || !status || !list) return;

    function show() {
      var query = input.value.trim();
      list.textContent = "";
      if (!query) { status.textContent = inHeader ? "" : scope.getAttribute("data-type"); return; }
      var hits = find(query);
      var shown = hits.slice(0, inHeader ? 8 : 50);
      shown.forEach(function (hit) {
        var li = document.createElement("li");
        // A result from a guide in another language than the page's says which (WCAG 3.1.2).
        if (hit.entry.l && hit.entry.l !== document.documentElement.lang) {
          li.lang = hit.entry.l;
          li.dir = hit.entry.d || "ltr";
        }
        var a = document.createElement("a");
        a.href = root + hit.entry.u;
        a.textContent = hit.entry.t;
        var p = document.createElement("p");
        p.textContent = hit.entry.k + " · " + hit.entry.g;
        var text = snippet(hit.entry, query);
        if (text) {
          p.appendChild(document.createElement("br"));
          p.appendChild(document.createTextNode(text));
        }
        li.appendChild(a);
        li.appendChild(p);
        list.appendChild(li);
      });
      status.textContent = (hits.length === 0 ? say.none : say.found).replace("{q}", function () { return query; })
        .replace("{n}", hits.length) + (inHeader && hits.length > shown.length ? " " + say.more : "");
    }

    input.addEventListener("input", show);
    scope.addEventListener("submit", function () {
      if (inHeader || !history.replaceState) return show();
      try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value.trim())); }
      catch (e) { /* some file:// setups refuse: the results still show */ }
      show();
    });
    // Arrow keys move between the box and the results; Escape empties the header's box.
    scope.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (at < 0 && event.target !== input) return;
      if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : links[at - 1]).focus();
      } else if (event.key === "Escape" && inHeader) {
        input.value = "";
        show();
        input.focus();
      }
    });
    if (!inHeader) {
      var query = new URLSearchParams(window.location.search).get("q");
      if (query && !input.value) input.value = query;
    }
    if (input.value) show(); // the reader may have typed while search was loading
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-search]"), setup);
})();
