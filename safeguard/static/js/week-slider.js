// The hotspot page's time slider: names the week as the slider moves, and shows that week once
// it has rested for a moment (so a drag or several arrow-key presses load one page, not many).
// Progressive enhancement: without this file the slider is a plain form field sent by "Show".
(() => {
  const slider = document.getElementById("week-slider");
  const label = document.getElementById("week-slider-label");
  if (!slider || !label) return;
  const labels = (slider.dataset.weekLabels || "").split(",");
  let timer = 0;
  slider.addEventListener("input", () => {
    label.textContent = labels[Number(slider.value)] || "";
    window.clearTimeout(timer);
    timer = window.setTimeout(() => slider.form.requestSubmit(), 700);
  });
})();
