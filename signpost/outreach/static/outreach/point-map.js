// The distribution points map. The table on the page lists every point, so the page is whole
// without this script, without tiles, and when tiles fail to load.
(function () {
  "use strict";
  var container = document.getElementById("point-map");
  var data = document.getElementById("point-map-data");
  if (!container || !data || !window.L) return;
  var tileUrl = container.getAttribute("data-tile-url");
  if (!tileUrl) return;
  var points = JSON.parse(data.textContent);
  if (!points.length) return;

  container.hidden = false;
  var map = window.L.map(container, { scrollWheelZoom: false });
  var tiles = window.L.tileLayer(tileUrl, {
    maxZoom: 19,
    attribution: container.getAttribute("data-tile-attribution") || "",
  }).addTo(map);
  var failed = false;
  tiles.on("tileerror", function () {
    if (failed) return;
    failed = true;
    var notice = document.getElementById("point-map-failed");
    if (notice) notice.hidden = false;
  });

  var bounds = [];
  points.forEach(function (point) {
    var marker = window.L.marker([point.lat, point.lng], { title: point.name, alt: point.name });
    var popup = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = point.name;
    popup.appendChild(name);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(point.kind + " · " + point.area));
    marker.bindPopup(popup).addTo(map);
    bounds.push([point.lat, point.lng]);
  });
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
})();
