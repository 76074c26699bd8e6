// Incident map: Leaflet (vendored) over bundled country outlines; no tile server.
(function () {
  "use strict";
  var markers = JSON.parse(document.getElementById("map-data").textContent || "[]");
  var map = L.map("map", { worldCopyJump: false, minZoom: 2, maxZoom: 12, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Outlines: Natural Earth");
  var COLORS = { "corroborated": "#1f7a4d", "single source": "#c77d12", "contested": "#b3261e" };
  var layer = L.featureGroup().addTo(map);
  markers.forEach(function (m) {
    var c = COLORS[m.corroboration] || COLORS["single source"];
    var circle = L.circleMarker([m.lat, m.lon], {
      radius: m.radius, color: "#ffffff", weight: 1.5, fillColor: c, fillOpacity: 0.78, className: "incident-marker"
    });
    // Popup content is built from DOM nodes and textContent: nothing from the data is parsed as HTML.
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.href = "/incidents/" + encodeURIComponent(m.id);
    a.textContent = (m.type || "incident").replace(/_/g, " ") + " · " + (m.date || "undated");
    var p = document.createElement("div");
    p.textContent = (m.place || "") + (m.killed != null ? " · " + m.killed + " killed" + (m.killed_note ? " (" + m.killed_note + ")" : "") : "");
    var s = document.createElement("div");
    s.className = "popup-summary";
    s.textContent = m.summary || "";
    div.appendChild(a); div.appendChild(p); div.appendChild(s);
    circle.bindPopup(div);
    circle.bindTooltip(document.createTextNode((m.place || "") + " — " + (m.type || "").replace(/_/g, " ")));
    circle.addTo(layer);
  });
  function fit() {
    if (markers.length) map.fitBounds(layer.getBounds().pad(0.6), { maxZoom: 7 });
    else map.setView([20, 0], 2);
  }
  fit();
  fetch("/data/countries.geojson").then(function (r) { return r.json(); }).then(function (geo) {
    var outlines = L.geoJSON(geo, {
      style: { color: "#8b97a8", weight: 0.8, fillColor: "#eef1f5", fillOpacity: 1 },
      interactive: false
    }).addTo(map);
    outlines.bringToBack();
    document.getElementById("map").setAttribute("data-outlines", String(geo.features ? geo.features.length : 0));
  });
})();
