// Safeguard learning: keeps a published course's lessons and quiz on this device after the
// first visit, so the course can be used offline. Served at /learn/sw.js (scope /learn/).
// Only pages the server marks with "X-Safeguard-Offline: 1" are kept: public learners' course
// pages, which carry nothing that identifies the learner. Staff pages are never cached.
"use strict";

const CACHE = "safeguard-learning-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function keepable(response) {
  return response.ok && response.headers.get("X-Safeguard-Offline") === "1";
}

async function keepCourse(urls, assets, refresh) {
  const cache = await caches.open(CACHE);
  // The course page refreshes every page of the course; a lesson or the quiz only fills gaps
  // (each visit online refreshes the page it shows).
  for (const url of urls) {
    if (!refresh && (await cache.match(url, { ignoreVary: true }))) continue;
    const response = await fetch(url, { credentials: "same-origin", headers: { "X-Safeguard-Precache": "1" } });
    if (keepable(response)) await cache.put(url, response);
  }
  for (const url of assets) {
    if (await cache.match(url, { ignoreVary: true })) continue;
    const response = await fetch(url);
    if (response.ok) await cache.put(url, response);
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "forget") {
    // Signing in or out on a shared device: the next learner must not see this one's pages.
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (data.type !== "keep-course") return;
  const port = event.ports[0];
  event.waitUntil(
    keepCourse(data.urls || [], data.assets || [], Boolean(data.refresh)).then(
      () => port && port.postMessage({ kept: true }),
      () => port && port.postMessage({ kept: false }),
    ),
  );
});

async function fromNetworkOrCache(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (keepable(response)) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = (await cache.match(request, { ignoreVary: true })) || (await cache.match(request, { ignoreSearch: true, ignoreVary: true }));
    if (kept) return kept;
    throw error;
  }
}

async function fromCacheOrNetwork(request) {
  const kept = await caches.match(request, { ignoreVary: true });
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(fromCacheOrNetwork(request));
  } else if (url.pathname.startsWith("/learn/") && url.pathname !== "/learn/sw.js") {
    event.respondWith(fromNetworkOrCache(request));
  }
});
