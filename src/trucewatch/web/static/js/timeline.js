// Interactive incident timeline: an SVG drawn from the JSON block #timeline-data.
// Zoom (wheel, +/-), pan (drag), filter by type/actor/outlet. Text goes in via textContent only.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var DAY = 86400000;
  var data = JSON.parse(document.getElementById("timeline-data").textContent || "[]");
  var box = document.getElementById("timeline");
  var status = document.getElementById("tl-status");
  var sel = { type: document.getElementById("tl-type"), actor: document.getElementById("tl-actor"), outlet: document.getElementById("tl-outlet") };
  function ms(iso) { var p = iso.split("-"); return Date.UTC(+p[0], (+p[1] || 1) - 1, +p[2] || 1); }
  data.forEach(function (d) { d.t0 = ms(d.start); d.t1 = ms(d.end || d.start) + DAY; });
  var byId = {}; data.forEach(function (d) { byId[d.id] = d; });

  function fill(select, values) {
    values.sort().forEach(function (v) { var o = document.createElement("option"); o.value = v; o.textContent = v.replace(/_/g, " "); select.appendChild(o); });
  }
  function uniq(list) { var s = {}; list.forEach(function (v) { if (v) s[v] = 1; }); return Object.keys(s); }
  fill(sel.type, uniq(data.map(function (d) { return d.type; })));
  fill(sel.actor, uniq([].concat.apply([], data.map(function (d) { return d.actors; }))));
  fill(sel.outlet, uniq([].concat.apply([], data.map(function (d) { return d.outlets; }))));

  var full = data.length ? [Math.min.apply(null, data.map(function (d) { return d.t0; })) - DAY,
                            Math.max.apply(null, data.map(function (d) { return d.t1; })) + DAY] : [0, DAY];
  var view = full.slice();
  var W = 0, LEFT = 150, RIGHT = 24, TOP = 34, LANE = 40, ROW = 16, MAXROWS = 6;
  function radius(d) { return 5 + Math.min(14, 2.2 * Math.sqrt(d.killed || 0)); }

  function visible() {
    return data.filter(function (d) {
      return (!sel.type.value || d.type === sel.type.value) &&
             (!sel.actor.value || d.actors.indexOf(sel.actor.value) >= 0) &&
             (!sel.outlet.value || d.outlets.indexOf(sel.outlet.value) >= 0);
    });
  }
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function x(t) { return LEFT + (t - view[0]) / (view[1] - view[0]) * (W - LEFT - RIGHT); }
  function ticks() {
    var span = (view[1] - view[0]) / DAY, step, fmt;
    if (span <= 21) { step = 1; } else if (span <= 120) { step = 7; } else if (span <= 900) { step = 30; } else { step = 365; }
    var out = [], d = new Date(view[0]);
    d = new Date(Date.UTC(d.getUTCFullYear(), step >= 30 ? d.getUTCMonth() : d.getUTCMonth(), step >= 30 ? 1 : d.getUTCDate()));
    if (step === 365) d = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
    while (d.getTime() <= view[1] && out.length < 200) {
      if (d.getTime() >= view[0]) out.push(d.getTime());
      if (step === 30) d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
      else if (step === 365) d = new Date(Date.UTC(d.getUTCFullYear() + 1, 0, 1));
      else d = new Date(d.getTime() + step * DAY);
    }
    fmt = function (t) { var s = new Date(t).toISOString(); return step === 365 ? s.slice(0, 4) : step === 30 ? s.slice(0, 7) : s.slice(5, 10); };
    return { list: out, fmt: fmt };
  }

  function render() {
    W = box.clientWidth || 900;
    var items = visible();
    var lanes = uniq(items.map(function (d) { return d.type; })).sort();
    // Pack each lane into sub-rows so that dots on nearby dates do not hide each other.
    var rowsOf = {}, rowOf = {};
    lanes.forEach(function (name) {
      var ends = [];
      items.filter(function (d) { return d.type === name; })
        .sort(function (a, b) { return a.t0 - b.t0 || (a.id < b.id ? -1 : 1); })
        .forEach(function (d) {
          var cx = (x(d.t0) + x(d.t1)) / 2, r = radius(d), row = 0;
          while (row < ends.length && ends[row] > cx - r - 3) row++;
          if (row >= MAXROWS) row = row % MAXROWS;
          ends[row] = cx + r;
          rowOf[d.id] = row;
        });
      rowsOf[name] = Math.max(1, Math.min(ends.length, MAXROWS));
    });
    var laneTop = {}, H = TOP;
    lanes.forEach(function (name) { laneTop[name] = H; H += LANE + (rowsOf[name] - 1) * ROW; });
    H += 16;
    while (box.firstChild) box.removeChild(box.firstChild);
    var svg = el("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "class": "tl-svg" }, box);
    var defs = el("defs", {}, svg);
    var marker = el("marker", { id: "tl-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", "class": "tl-arrowhead" }, marker);
    var t = ticks();
    t.list.forEach(function (tt) {
      var xx = x(tt);
      el("line", { x1: xx, x2: xx, y1: TOP - 6, y2: H - 10, "class": "tl-grid" }, svg);
      var lab = el("text", { x: xx + 3, y: TOP - 12, "class": "tl-tick" }, svg); lab.textContent = t.fmt(tt);
    });
    var laneY = {};
    lanes.forEach(function (name, i) {
      var y = laneTop[name], h = LANE + (rowsOf[name] - 1) * ROW;
      laneY[name] = y + LANE / 2;
      el("rect", { x: 0, y: y, width: W, height: h, "class": i % 2 ? "tl-lane odd" : "tl-lane" }, svg);
      var lab = el("text", { x: 8, y: y + LANE / 2 + 4, "class": "tl-lane-label" }, svg); lab.textContent = name.replace(/_/g, " ");
    });
    var pos = {};
    items.forEach(function (d) {
      pos[d.id] = { x: (x(d.t0) + x(d.t1)) / 2, y: laneY[d.type] + rowOf[d.id] * ROW };
    });
    items.forEach(function (d) {
      (d.follows || []).forEach(function (f) {
        if (!pos[f]) return;
        el("path", { d: "M" + pos[f].x + "," + pos[f].y + " C" + (pos[f].x + 30) + "," + (pos[f].y - 18) + " " + (pos[d.id].x - 30) + "," + (pos[d.id].y - 18) + " " + (pos[d.id].x - 7) + "," + pos[d.id].y,
                     "class": "tl-follow", "marker-end": "url(#tl-arrow)" }, svg);
      });
    });
    var drawn = 0;
    items.forEach(function (d) {
      var x0 = x(d.t0), x1 = x(d.t1), y = pos[d.id].y;
      if (x1 < LEFT - 20 || x0 > W) return;
      drawn++;
      var a = el("a", { href: "/incidents/" + encodeURIComponent(d.id), "class": "tl-item tl-" + (d.corroboration || "single source").replace(/ /g, "-"), "data-id": d.id }, svg);
      var r = radius(d);
      if (x1 - x0 > 2 * r + 4) el("rect", { x: x0, y: y - 4, width: x1 - x0, height: 8, rx: 4,
        "class": d.precision && d.precision !== "day" ? "tl-span tl-vague" : "tl-span" }, a);
      el("circle", { cx: (x0 + x1) / 2, cy: y, r: r, "class": "tl-dot" }, a);
      var title = el("title", {}, a);
      title.textContent = d.start + (d.end && d.end !== d.start ? " – " + d.end : "") + " · " + d.type.replace(/_/g, " ") +
        (d.killed != null ? " · " + d.killed + " killed" + (d.killed_note ? " (" + d.killed_note + ")" : "") : "") + " · " + d.sources + " independent source(s)\n" + d.summary;
    });
    status.textContent = drawn + " of " + items.length + " incidents in view · " +
      new Date(view[0]).toISOString().slice(0, 10) + " – " + new Date(view[1]).toISOString().slice(0, 10);
  }

  function zoom(factor, centre) {
    var c = centre == null ? (view[0] + view[1]) / 2 : centre;
    var span = Math.max(2 * DAY, Math.min((full[1] - full[0]) * 4, (view[1] - view[0]) * factor));
    var left = (c - view[0]) / (view[1] - view[0]);
    view = [c - span * left, c + span * (1 - left)];
    render();
  }
  function timeAt(px) { return view[0] + (px - LEFT) / (W - LEFT - RIGHT) * (view[1] - view[0]); }
  box.addEventListener("wheel", function (e) {
    e.preventDefault();
    var rect = box.getBoundingClientRect();
    zoom(e.deltaY < 0 ? 0.8 : 1.25, timeAt(e.clientX - rect.left));
  }, { passive: false });
  var drag = null;
  box.addEventListener("mousedown", function (e) { drag = { x: e.clientX, view: view.slice() }; });
  window.addEventListener("mouseup", function () { drag = null; box.classList.remove("dragging"); });
  window.addEventListener("mousemove", function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x;
    if (Math.abs(dx) < 3) return;
    box.classList.add("dragging");
    var dt = dx / (W - LEFT - RIGHT) * (drag.view[1] - drag.view[0]);
    view = [drag.view[0] - dt, drag.view[1] - dt];
    render();
  });
  box.addEventListener("keydown", function (e) {
    if (e.key === "+" || e.key === "=") zoom(0.8);
    if (e.key === "-") zoom(1.25);
  });
  document.getElementById("tl-zoom-in").addEventListener("click", function () { zoom(0.7); });
  document.getElementById("tl-zoom-out").addEventListener("click", function () { zoom(1.4); });
  document.getElementById("tl-reset").addEventListener("click", function () { view = full.slice(); render(); });
  Object.keys(sel).forEach(function (k) { sel[k].addEventListener("change", render); });
  window.addEventListener("resize", render);
  render();
})();
