// The network graph: records and the identifiers they share, drawn with Cytoscape.js.
// Data comes from the JSON script element the page renders; no inline script (strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  const container = document.getElementById("network-graph");
  const source = document.getElementById("network-data");
  if (!container || !source || typeof window.cytoscape !== "function") return;
  const data = JSON.parse(source.textContent);
  const graph = window.cytoscape({
    container,
    elements: [...data.nodes, ...data.edges],
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "font-size": 11,
          "text-valign": "bottom",
          "text-margin-y": 4,
          color: "#1a1a1a",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.8,
          "text-background-padding": 2,
        },
      },
      { selector: 'node[type = "record"]', style: { shape: "round-rectangle", "background-color": "#1d4f91", width: 22, height: 22 } },
      { selector: 'node[kind = "case"]', style: { "background-color": "#1e6b34" } },
      { selector: 'node[kind = "ad"]', style: { "background-color": "#6b4fa0" } },
      { selector: 'node[type = "entity"]', style: { shape: "ellipse", "background-color": "#d9480f", width: 16, height: 16 } },
      { selector: "node[?shared]", style: { width: 24, height: 24, "border-width": 2, "border-color": "#7a2500" } },
      { selector: "edge", style: { width: 1.5, "line-color": "#8a8a8a", "curve-style": "straight" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#000000" } },
    ],
    layout: { name: data.nodes.length > 150 ? "grid" : "cose", animate: false, randomize: false, padding: 20 },
  });
  graph.on("tap", "node", (event) => {
    const url = event.target.data("url");
    if (url) window.location.assign(url);
  });
  container.dataset.ready = "true";
});
