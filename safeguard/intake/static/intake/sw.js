// Safeguard reporting app: the public report form and follow-up as an installable app.
// Served at /report/sw.js (scope /report/), apart from the learning worker at /learn/.
// It keeps only the site's static files (styles, scripts, icons), so the form opens fast on a
// slow connection. It never keeps a page: not the form (each one carries its own one-time
// submission token), not a receipt, not a follow-up answer, and it never touches a POST.
// Nothing of a report is ever written to the device (decision 123).
"use strict";

const CACHE = "safeguard-report-app-v1";
const STATIC_URL = "__STATIC_URL__";
const ASSETS = __ASSETS__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("safeguard-report-app-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

async function staticFile(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  const fresh = fetch(request).then((response) => {
    if (response.ok && response.type === "basic") cache.put(request, response.clone());
    return response;
  });
  return kept || fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // a report, a follow-up: straight to the network
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(STATIC_URL)) return;
  event.respondWith(staticFile(request));
});
