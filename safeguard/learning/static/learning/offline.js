// Safeguard learning, progressive enhancement: offers a course offline (service worker) and
// keeps quiz answers made offline on this device until the connection is back.
"use strict";

const QUEUE = "safeguard-learning-answers";

function queued() {
  try {
    return JSON.parse(window.localStorage.getItem(QUEUE) || "[]");
  } catch (error) {
    return [];
  }
}

function saveQueue(items) {
  if (items.length) window.localStorage.setItem(QUEUE, JSON.stringify(items));
  else window.localStorage.removeItem(QUEUE);
}

function say(element, text) {
  if (!element) return;
  element.textContent = text;
  element.hidden = false;
}

async function sendQueued(status) {
  const items = queued();
  if (!items.length || !navigator.onLine) return;
  const left = [];
  let sentTo = null;
  for (const item of items) {
    try {
      const response = await fetch(item.url, {
        method: "POST",
        body: new URLSearchParams(item.fields),
        credentials: "same-origin",
      });
      if (response.status >= 500) left.push(item);
      else sentTo = item.course;
    } catch (error) {
      left.push(item);
    }
  }
  saveQueue(left);
  if (sentTo) {
    say(status, status && status.dataset.sent);
    window.location.assign(sentTo);
  }
}

function keepOffline(offer) {
  if (!("serviceWorker" in navigator) || !offer) return;
  const urls = (offer.dataset.urls || "").split(" ").filter(Boolean);
  const assets = Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"))
    .map((element) => element.href || element.src)
    .filter((url) => new URL(url).origin === window.location.origin);
  navigator.serviceWorker
    .register(offer.dataset.worker, { scope: offer.dataset.scope })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => {
        if (event.data && event.data.kept) {
          say(document.getElementById("offline-status"), offer.dataset.ready);
          document.body.dataset.offlineReady = "1";
        }
      };
      const refresh = offer.dataset.refresh === "1";
      registration.active.postMessage({ type: "keep-course", urls, assets, refresh }, [channel.port2]);
    })
    .catch(() => {});
}

function forgetCourses() {
  if (!("serviceWorker" in navigator) || !document.getElementById("offline-forget")) return;
  window.localStorage.removeItem(QUEUE);
  navigator.serviceWorker.getRegistration().then((registration) => {
    if (registration && registration.active) registration.active.postMessage({ type: "forget" });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  forgetCourses();
  const offer = document.getElementById("offline-offer");
  const status = document.getElementById("offline-status");
  keepOffline(offer);
  const form = document.querySelector("form.quiz");
  if (form && offer) {
    form.addEventListener("submit", (event) => {
      if (navigator.onLine) return;
      event.preventDefault();
      const fields = Array.from(new FormData(form).entries()).map(([name, value]) => [name, String(value)]);
      saveQueue([...queued(), { url: window.location.pathname, course: offer.dataset.course, fields }]);
      say(status, offer.dataset.saved);
    });
  }
  window.addEventListener("online", () => sendQueued(status));
  sendQueued(status);
});
