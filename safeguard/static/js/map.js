// Pan and zoom for the server-rendered maps (safeguard/core/maps.py), by buttons and keyboard,
// and a read-out of the area under the pointer or focus. Progressive enhancement: without this
// file every map is a plain picture with a tooltip per area and the page's table.
(() => {
  const clamp = (value, low, high) => Math.min(Math.max(value, low), high);

  function setUp(widget) {
    if (widget.dataset.mapReady) return;
    widget.dataset.mapReady = "1";
    const svg = widget.querySelector("svg.map");
    if (!svg) return;
    const width = Number(svg.dataset.width);
    const height = Number(svg.dataset.height);
    let view = { x: 0, y: 0, w: width, h: height };

    const apply = () => {
      svg.setAttribute("viewBox", `${view.x.toFixed(1)} ${view.y.toFixed(1)} ${view.w.toFixed(1)} ${view.h.toFixed(1)}`);
      svg.dataset.zoom = (width / view.w).toFixed(2);
    };
    const zoom = (factor) => {
      const w = clamp(view.w / factor, width / 16, width);
      const h = (w * height) / width;
      view = {
        x: clamp(view.x + (view.w - w) / 2, 0, width - w),
        y: clamp(view.y + (view.h - h) / 2, 0, height - h),
        w,
        h,
      };
      apply();
    };
    const pan = (dx, dy) => {
      view.x = clamp(view.x + dx * view.w * 0.2, 0, width - view.w);
      view.y = clamp(view.y + dy * view.h * 0.2, 0, height - view.h);
      apply();
    };
    const reset = () => {
      view = { x: 0, y: 0, w: width, h: height };
      apply();
    };
    const moves = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] };

    const controls = widget.querySelector(".map-controls");
    if (controls) controls.hidden = false;
    widget.querySelectorAll("[data-map-zoom]").forEach((button) =>
      button.addEventListener("click", () => zoom(button.dataset.mapZoom === "in" ? 1.5 : 1 / 1.5)),
    );
    widget.querySelectorAll("[data-map-pan]").forEach((button) =>
      button.addEventListener("click", () => pan(...moves[button.dataset.mapPan])),
    );
    widget.querySelectorAll("[data-map-reset]").forEach((button) => button.addEventListener("click", reset));

    const figure = widget.querySelector(".map-figure");
    figure.addEventListener("keydown", (event) => {
      if (event.target !== figure) return;
      const keys = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down" };
      if (keys[event.key]) pan(...moves[keys[event.key]]);
      else if (event.key === "+" || event.key === "=") zoom(1.5);
      else if (event.key === "-" || event.key === "_") zoom(1 / 1.5);
      else if (event.key === "0") reset();
      else return;
      event.preventDefault();
    });

    const readout = widget.querySelector("[data-map-readout]");
    const show = (event) => {
      const area = event.target.closest("[data-label]") || event.target.querySelector?.("[data-label]");
      if (area && readout) readout.textContent = area.dataset.label;
    };
    svg.addEventListener("mouseover", show);
    svg.addEventListener("focusin", show);
  }

  const start = () => document.querySelectorAll("[data-map]").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
