/* Offline and installable (offline.py writes sw.js and the manifest): over http(s) only, as
   a worker cannot run from file://, and never under `serve` (its pages carry the meta below),
   so a coach always sees the latest edit. Reading pages load this; worksheet pages and packets,
   at the edge of the page budget, do not, and are kept offline all the same once the reader
   has opened any other page of the site. */
(() => {
  const d = document;
  const root = d.body.dataset.root;
  if (!navigator.serviceWorker || !/^http/.test(location.protocol) || d.querySelector("[name=guidebook-serve]")) return;
  d.head.insertAdjacentHTML("beforeend", `<link rel="manifest" href="${root}manifest.webmanifest">`);
  navigator.serviceWorker.register(root + "sw.js").catch(() => { /* the site still works online */ });
})();
