/* The site offline (written to sw.js by the build, after FILES: every page and asset with a
   hash of its bytes). Installing fetches the files whose hash is not cached yet; a page or
   asset of the list is then always answered from the cache, with or without a connection.
   A rebuild changes FILES, so the browser installs the new worker on the next visit, and the
   next page shown (at most one reload later) is the new one. Nothing else is fetched or
   sent: the worker never sees answers, which stay in the page's storage. */
"use strict";
// One cache per copy of the site (its address), so two sites on one host never mix.
const CACHE = "guidebook " + self.registration.scope;
// A file's address from the site's root: each name in its path percent-encoded, as pages link
// it ("Session #1.png" is "Session%20%231.png"): a "#", "?" or "%" in a name would otherwise
// end its path or start an escape, and installing, missing the file, would keep nothing.
const address = (path) => path.split("/").map(encodeURIComponent).join("/");
const cached = (path) => address(path) + "?v=" + FILES[path];

// The path of a request relative to the site's root, "…/" as "…/index.html"; "" if outside.
function pathOf(url) {
  const scope = new URL(self.registration.scope);
  const target = new URL(url);
  if (target.origin !== scope.origin || !target.pathname.startsWith(scope.pathname)) return "";
  const path = decodeURIComponent(target.pathname.slice(scope.pathname.length));
  return path === "" || path.endsWith("/") ? path + "index.html" : path;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const have = new Set((await cache.keys()).map((request) => new URL(request.url).href));
    for (const path of Object.keys(FILES)) {
      const key = new URL(cached(path), self.registration.scope).href;
      if (have.has(key)) continue;
      // "reload": straight from the server. Not even a conditional request: a file rewritten
      // within the same second as the last one has the same Last-Modified, and the server
      // would answer "not modified" for the browser's stale copy.
      const response = await fetch(new URL(address(path), self.registration.scope),
        { cache: "reload" });
      if (!response.ok) throw new Error("could not keep " + path + " offline: " + response.status);
      await cache.put(key, response);
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const wanted = new Set(Object.keys(FILES).map((path) => new URL(cached(path), self.registration.scope).href));
    for (const request of await cache.keys()) if (!wanted.has(request.url)) await cache.delete(request);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const path = pathOf(request.url);
  if (!path) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (FILES[path]) {
      const hit = await cache.match(new URL(cached(path), self.registration.scope));
      if (hit) return hit;
    }
    try {
      return await fetch(request);
    } catch (error) {
      // Offline, and not a file of the site: the site's own "not found" page.
      const missing = request.mode === "navigate" && FILES["404.html"] &&
        await cache.match(new URL(cached("404.html"), self.registration.scope));
      if (missing) return missing;
      throw error;
    }
  })());
});
