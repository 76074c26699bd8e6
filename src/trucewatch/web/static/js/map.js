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
  function median(xs) {
    var v = xs.slice().sort(function (a, b) { return a - b; });
    return v.length ? v[(v.length - 1) >> 1] : 0;
  }
  // The first view frames the fighting: violent incidents (all markers when there are none), without
  // outliers far from the rest (a venue of talks abroad, a stray geocoding), so nothing far away shrinks it.
  function framed() {
    var pool = markers.filter(function (m) { return m.fighting; });
    if (!pool.length) pool = markers;
    var lat = median(pool.map(function (m) { return m.lat; }));
    var lon = median(pool.map(function (m) { return m.lon; }));
    var dist = pool.map(function (m) { return Math.max(Math.abs(m.lat - lat), Math.abs(m.lon - lon)); });
    var limit = Math.max(3 * median(dist), 3);  // degrees
    return pool.filter(function (m, i) { return dist[i] <= limit; });
  }
  var focus = framed();
  function fit() {
    if (!focus.length) { map.setView([20, 0], 2); return; }
    var bounds = L.latLngBounds(focus.map(function (m) { return [m.lat, m.lon]; }));
    map.fitBounds(bounds.pad(0.3), { maxZoom: 8 });
  }
  fit();
  document.getElementById("map").setAttribute("data-framed", String(focus.length));
  // Zooming (buttons, wheel, keys) must not leave the view empty: when no marker is in view after a
  // zoom, the map moves to the marker nearest its centre.
  map.on("zoomend", function () {
    if (!markers.length) return;
    var view = map.getBounds();
    if (markers.some(function (m) { return view.contains([m.lat, m.lon]); })) return;
    var c = map.getCenter();
    var near = markers.reduce(function (best, m) {
      var d = c.distanceTo([m.lat, m.lon]);
      return !best || d < best.d ? { m: m, d: d } : best;
    }, null).m;
    map.panTo([near.lat, near.lon], { animate: false });
  });
  fetch("/data/countries.geojson").then(function (r) { return r.json(); }).then(function (geo) {
    var outlines = L.geoJSON(geo, {
      style: { color: "#8b97a8", weight: 0.8, fillColor: "#eef1f5", fillOpacity: 1 },
      interactive: false
    }).addTo(map);
    outlines.bringToBack();
    document.getElementById("map").setAttribute("data-outlines", String(geo.features ? geo.features.length : 0));
  });
})();
