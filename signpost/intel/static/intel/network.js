// The network view: draws the elements the page passed as JSON (json_script) with Cytoscape.js.
// The table beside the graph carries the same information for those who cannot use the drawing.
(function () {
  "use strict";
  var source = document.getElementById("network-elements");
  var container = document.getElementById("network-graph");
  if (!source || !container || !window.cytoscape) return;
  var elements = JSON.parse(source.textContent);
  if (!elements.length) return;

  var colours = {
    "case": "#1d70b8", "person": "#d4351c", "phone": "#00703c", "email": "#4c2c92",
    "handle": "#912b88", "vehicle": "#f47738", "document": "#505a5f", "place": "#85994b",
    "advert": "#28a197", "group": "#003078", "referral": "#b58840"
  };
  var shapes = {
    "case": "round-rectangle", "person": "ellipse", "advert": "diamond", "group": "hexagon",
    "referral": "triangle", "place": "rhomboid"
  };

  var cy = window.cytoscape({
    container: container,
    elements: elements,
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          "label": "data(label)",
          "font-size": 9,
          "text-wrap": "ellipsis",
          "text-max-width": 110,
          "background-color": function (node) { return colours[node.data("type")] || "#505a5f"; },
          "shape": function (node) { return shapes[node.data("type")] || "round-tag"; },
          "width": function (node) { return 14 + Math.min(node.data("degree"), 12) * 2; },
          "height": function (node) { return 14 + Math.min(node.data("degree"), 12) * 2; }
        }
      },
      { selector: "node[?seed]", style: { "border-width": 4, "border-color": "#ffdd00" } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#b1b4b6" } },
      {
        selector: "edge[kind = 'same_person']",
        style: { "line-style": "dashed", "line-color": "#d4351c", "width": 2.5 }
      },
      { selector: ":selected", style: { "border-width": 4, "border-color": "#0b0c0c" } }
    ],
    layout: { name: elements.length > 250 ? "concentric" : "cose", animate: false, padding: 20 }
  });

  // Selecting a node highlights its row in the table, so both views stay in step.
  cy.on("tap", "node", function (event) {
    var id = event.target.id();
    document.querySelectorAll("[data-node-row]").forEach(function (row) {
      row.classList.toggle("intel-row--selected", row.getAttribute("data-node-row") === id);
    });
    var status = document.getElementById("network-selection");
    if (status) {
      status.textContent = event.target.data("label") + " (" + event.target.degree() + ")";
    }
  });
  container.setAttribute("data-ready", "true");
})();
