// Draws the dashboard's charts and area map from the JSON embedded in the page. Every figure
// is also in the table beneath its chart, so the page is complete without this script.
(function () {
  "use strict";

  var PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#28a197", "#6f72af"];

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function drawChart(figure) {
    var data = readJson(figure.getAttribute("data-chart-source"));
    var canvas = figure.querySelector("canvas");
    if (!data || !canvas || !window.Chart || !data.labels.length) return;
    var stacked = data.kind === "stacked";
    var type = data.kind === "line" ? "line" : "bar";
    canvas.parentNode.hidden = false;
    new window.Chart(canvas, {
      type: type,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.data.map(function (value) { return typeof value === "number" ? value : null; }),
            backgroundColor: PALETTE[index % PALETTE.length],
            borderColor: PALETTE[index % PALETTE.length],
          };
        }),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: data.labels.length > 12 && !stacked ? "y" : "x",
        plugins: { legend: { display: data.datasets.length > 1 } },
        scales: {
          x: { stacked: stacked },
          y: { stacked: stacked, beginAtZero: true },
        },
      },
    });
  }

  function shade(count, highest) {
    if (!highest) return "#f3f2f1";
    var steps = ["#deebf7", "#9ecae1", "#4292c6", "#08519c"];
    return steps[Math.min(steps.length - 1, Math.floor((count / highest) * steps.length))];
  }

  function drawMap() {
    var container = document.getElementById("area-map");
    var data = readJson("area-map-data");
    if (!container || !data || !window.L || !data.features.length) return;
    container.hidden = false;
    var map = window.L.map(container, { scrollWheelZoom: false, attributionControl: true });
    var tileUrl = container.getAttribute("data-tile-url");
    if (tileUrl) {
      var tiles = window.L.tileLayer(tileUrl, {
        maxZoom: 14,
        attribution: container.getAttribute("data-tile-attribution") || "",
      }).addTo(map);
      tiles.on("tileerror", function () {
        var notice = document.getElementById("area-map-failed");
        if (notice) notice.hidden = false;
      });
    }
    var highest = 0;
    data.features.forEach(function (feature) { highest = Math.max(highest, feature.properties.count); });
    var layer = window.L.geoJSON(data, {
      style: function (feature) {
        return { color: "#0b0c0c", weight: 1, fillOpacity: 0.75, fillColor: shade(feature.properties.count, highest) };
      },
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(feature.properties.name + ": " + feature.properties.count, { sticky: true });
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-chart-source]"), drawChart);
  drawMap();
})();
