// The optional map point of the report forms (intake/_location_picker.html). Below the region
// select, the chosen region's map (drawn on the server into a <template>) takes a click, or the
// arrow keys once focused, and fills the hidden latitude and longitude; the server checks the
// point against the region and rounds it to 0.1 degree (decision 134). No request, no
// geolocation: nothing leaves the page before the form is sent. Without this file the picker
// stays hidden and the region select alone is the answer.
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const clamp = (value, low, high) => Math.min(Math.max(value, low), high);
  // Numbers stay left to right inside right-to-left text.
  const isolated = (number) => `\u2066${number.toFixed(1)}\u2069`;

  function setUp(picker) {
    if (picker.dataset.pickerReady) return;
    const form = picker.closest("form");
    const select = document.getElementById(picker.dataset.select);
    const latitude = form && form.querySelector('input[name="latitude"]');
    const longitude = form && form.querySelector('input[name="longitude"]');
    if (!select || !latitude || !longitude) return;
    picker.dataset.pickerReady = "1";
    const figure = picker.querySelector("[data-picker-figure]");
    const status = picker.querySelector("[data-picker-status]");
    const clear = picker.querySelector("[data-picker-clear]");
    const templates = new Map();
    picker.querySelectorAll("template[data-region]").forEach((template) => templates.set(template.dataset.region, template));
    let map = null; // {svg, region, marker, width, height, west, north, perLon, perLat, pad}
    let point = null; // the marker, in the map's own coordinates

    const say = (text) => {
      status.textContent = text;
    };
    const toLonLat = (x, y) => ({ lon: map.west + (x - map.pad) / map.perLon, lat: map.north - (y - map.pad) / map.perLat });
    const toXY = (lon, lat) => ({ x: map.pad + (lon - map.west) * map.perLon, y: map.pad + (map.north - lat) * map.perLat });
    const inside = (x, y) => {
      const probe = map.svg.createSVGPoint();
      probe.x = x;
      probe.y = y;
      return map.region.isPointInFill(probe);
    };

    const place = (x, y) => {
      point = { x: clamp(x, 0, map.width), y: clamp(y, 0, map.height) };
      map.marker.setAttribute("cx", point.x.toFixed(1));
      map.marker.setAttribute("cy", point.y.toFixed(1));
      map.marker.removeAttribute("visibility");
      const { lon, lat } = toLonLat(point.x, point.y);
      if (inside(point.x, point.y)) {
        map.marker.setAttribute("class", "picker-marker");
        latitude.value = lat.toFixed(4);
        longitude.value = lon.toFixed(4);
        say(picker.dataset.chosen.replace("{lat}", isolated(lat)).replace("{lon}", isolated(lon)));
      } else {
        map.marker.setAttribute("class", "picker-marker picker-marker-outside");
        latitude.value = "";
        longitude.value = "";
        say(picker.dataset.outside);
      }
    };

    const forget = () => {
      point = null;
      latitude.value = "";
      longitude.value = "";
      if (map) map.marker.setAttribute("visibility", "hidden");
    };

    const show = (code, keepPoint) => {
      figure.replaceChildren();
      map = null;
      if (!keepPoint) forget();
      const template = templates.get(code);
      figure.hidden = !template;
      clear.hidden = !template;
      if (!template) {
        forget();
        say(code ? picker.dataset.noMap : picker.dataset.chooseRegion);
        return;
      }
      figure.append(template.content.cloneNode(true));
      const svg = figure.querySelector("svg");
      const [west, north, perLon, perLat, pad] = svg.dataset.projection.split(" ").map(Number);
      const marker = document.createElementNS(SVG, "circle");
      marker.setAttribute("r", "6");
      marker.setAttribute("class", "picker-marker");
      marker.setAttribute("visibility", "hidden");
      svg.append(marker);
      map = {
        svg,
        marker,
        region: svg.querySelector(".picker-region"),
        width: Number(svg.dataset.width),
        height: Number(svg.dataset.height),
        west,
        north,
        perLon,
        perLat,
        pad,
      };
      figure.setAttribute("aria-label", picker.dataset.mapLabel.replace("{region}", template.dataset.name));
      const lat = Number.parseFloat(latitude.value);
      const lon = Number.parseFloat(longitude.value);
      if (keepPoint && Number.isFinite(lat) && Number.isFinite(lon)) {
        const { x, y } = toXY(lon, lat);
        place(x, y);
      } else {
        say(picker.dataset.cleared);
      }
    };

    figure.addEventListener("click", (event) => {
      if (!map) return;
      const screen = map.svg.createSVGPoint();
      screen.x = event.clientX;
      screen.y = event.clientY;
      const spot = screen.matrixTransform(map.svg.getScreenCTM().inverse());
      place(spot.x, spot.y);
    });

    figure.addEventListener("keydown", (event) => {
      if (!map) return;
      // One step is a tenth of a degree (the rounding of a stored point), or a 25th of the map.
      const step = Math.max(map.perLat * 0.1, map.height / 25);
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (moves[event.key] || event.key === "Enter" || event.key === " ") {
        if (!point) {
          const box = map.region.getBBox();
          place(box.x + box.width / 2, box.y + box.height / 2);
        } else if (moves[event.key]) {
          const [dx, dy] = moves[event.key];
          place(point.x + dx * step, point.y + dy * step);
        }
      } else if (event.key === "Delete" || event.key === "Backspace") {
        forget();
        say(picker.dataset.cleared);
      } else {
        return;
      }
      event.preventDefault();
    });

    clear.addEventListener("click", () => {
      forget();
      say(picker.dataset.cleared);
      figure.focus();
    });

    select.addEventListener("change", () => show(select.value, false));
    picker.hidden = false;
    show(select.value, true);
  }

  const start = () => document.querySelectorAll("[data-location-picker]").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
