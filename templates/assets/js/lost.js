/* The page not found, served by a host at any missing address (/guide/steps/nope.html), when
   the site's address (base_url) is not known: its links, written for the top of the site, then
   miss, and so do its stylesheets and scripts. 404.html loads this script from the top and
   from one, two and three folders up. A browser never runs a script that came with a 404, so
   the first copy that runs is the one of the nearest folder up that has the site's files: the
   site's own (later copies, of the same site or of a site above it, do nothing). From its
   address it knows where the site is: it adds the page's stylesheets from there before the
   page shows, then points the links, pictures and scripts there. */
(function (me) {
  if (window.guidebookLost) return;
  window.guidebookLost = true;
  var root = me.src.slice(0, me.src.lastIndexOf("assets/js/lost.js"));
  if (root == new URL("./", location.href).href) return;  // at the top: every link is right
  me.dataset.sheets.split(" ").forEach(function (name) {
    var sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = root + "assets/css/" + name;
    sheet.setAttribute("blocking", "render");  // as the page's own <link>: no unstyled flash
    document.head.appendChild(sheet);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var found = "a[href], img[src], form[action], link[rel=icon], script[src]:not([src$='lost.js'])";
    document.body.setAttribute("data-root", root);
    document.body.setAttribute("data-lost", "");
    document.querySelectorAll(found).forEach(function (el) {
      var name = el.hasAttribute("href") ? "href" : el.hasAttribute("src") ? "src" : "action";
      var value = el.getAttribute(name);
      // Addresses of other sites, from the host's root, or on this page stay as they are.
      if (/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(value)) return;
      if (el.tagName == "SCRIPT") {  // it came back as a 404 and never ran: run it from there
        var again = document.createElement("script");
        again.src = new URL(value, root).href;
        document.head.appendChild(again);
      } else {
        el.setAttribute(name, new URL(value, root).href);
      }
    });
  });
})(document.currentScript);
