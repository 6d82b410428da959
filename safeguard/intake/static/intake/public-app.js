// The reporting app (decision 123): registers the report pages' service worker and, when the
// connection drops while a report is being sent, keeps it in this page's memory and sends it
// again, telling the reporter. Nothing is written to the device. The page works without this.
"use strict";

(() => {
  const script = document.currentScript;
  if ("serviceWorker" in navigator && script && script.dataset.serviceWorker) {
    navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: script.dataset.scope }).catch(() => undefined);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("report-form");
    const status = form && form.querySelector(".send-status");
    if (!form || !status || !window.fetch) return;
    let sending = false;

    const say = (text) => {
      status.hidden = false;
      status.textContent = text;
    };

    const sendNatively = (body) => {
      // Any answer other than a receipt (a correction, a limit, a check): let the page show it.
      // The one-time token in the form makes sending it again harmless.
      const action = document.createElement("input");
      action.type = "hidden";
      action.name = "action";
      action.value = body.get("action") || "submit";
      form.appendChild(action);
      HTMLFormElement.prototype.submit.call(form);
    };

    const attempt = (body, tries) => {
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(body),
        credentials: "omit",
        cache: "no-store",
        headers: { "X-Safeguard-Submit": "fetch" },
      })
        .then((response) => {
          const type = response.headers.get("Content-Type") || "";
          if (response.ok && type.startsWith("application/json")) {
            return response.json().then((answer) => window.location.replace(answer.receipt_page));
          }
          sendNatively(body);
          return undefined;
        })
        .catch(() => {
          // The connection dropped: the report stays in memory (this variable) and is sent again.
          say(tries === 0 ? status.dataset.offline : status.dataset.retry);
          const again = () => {
            window.removeEventListener("online", again);
            clearTimeout(timer);
            attempt(body, tries + 1);
          };
          const timer = setTimeout(again, Math.min(30000, 2000 * 2 ** Math.min(tries, 4)));
          window.addEventListener("online", again);
        });
    };

    form.addEventListener("submit", (event) => {
      const submitter = event.submitter;
      if (!submitter || submitter.name !== "action" || submitter.value !== "submit") return;
      event.preventDefault();
      if (sending) return;
      sending = true;
      const body = new FormData(form);
      body.set("action", "submit");
      say(status.dataset.sending);
      attempt(body, 0);
    });
  });
})();
