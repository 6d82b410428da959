// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select.auto-submit").forEach((select) => {
    select.addEventListener("change", () => {
      // A switch that belongs to a bigger form (the public report's language) names its button.
      const submitter = select.dataset.submitter && document.getElementById(select.dataset.submitter);
      if (submitter) select.form.requestSubmit(submitter);
      else select.form.submit();
    });
  });
  document.querySelectorAll(".js-hide").forEach((element) => element.classList.add("visually-hidden"));
  document.querySelectorAll("[data-confirm]").forEach((element) => {
    element.addEventListener("click", (event) => {
      if (!window.confirm(element.dataset.confirm)) event.preventDefault();
    });
  });
  // The case list's "select all on this page" also ticks each row's box of its form.
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    box.addEventListener("change", () => {
      const rows = `input[name="${box.dataset.selectAll}"][form="${box.form.id}"]`;
      document.querySelectorAll(rows).forEach((row) => (row.checked = box.checked));
    });
  });
  document.querySelectorAll("[data-copy]").forEach((button) => {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(button.dataset.copy).then(() => {
        const status = button.parentElement.querySelector(".copy-status");
        if (status && button.dataset.copied) status.textContent = button.dataset.copied;
      });
    });
  });
  // Quick exit (decision 122): the link works without script; with it, the neutral site
  // replaces this page in the history, and Escape pressed three times does the same.
  const exit = document.querySelector("[data-quick-exit]");
  if (exit) {
    const leave = (event) => {
      if (event) event.preventDefault();
      document.body.hidden = true;
      window.location.replace(exit.href);
    };
    exit.addEventListener("click", leave);
    let presses = [];
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      const now = Date.now();
      presses = presses.filter((time) => now - time < 2000).concat([now]);
      if (presses.length >= 3) leave(event);
    });
  }
});
