// 研学线路 and TAI科 trails: ordered points as numbered markers joined by a line, on Leaflet.
// The points come from a json_script element named by data-points ([{n, name, lat, lon, url}], WGS-84); the tiles
// from the same data- attributes as the cloud map (venues/map.js). The page lists the same points in order on the
// server, so a failed tile server or a missing script loses only the drawing.
(function () {
  "use strict";
  var el = document.getElementById("xh-line-map");
  if (!el) { return; }
  if (!window.L || !window.xhMap) {  // the map script did not load: say so; the list below has every point
    var notice = document.getElementById("xh-tiles-failed");
    if (notice) { notice.classList.remove("d-none"); }
    return;
  }
  var d = el.dataset;
  var source = document.getElementById(d.points);
  var points = source ? JSON.parse(source.textContent) : [];
  var base = window.xhMap.create(el, 12), map = base.map, toDisplay = base.toDisplay;

  function numberIcon(n) {
    var span = document.createElement("span");
    span.textContent = String(n);
    return L.divIcon({ className: "xh-num-marker", html: span, iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -14] });
  }
  function popup(p) {
    var a = document.createElement("a");
    a.href = p.url; a.textContent = p.n + ". " + p.name;
    return a;
  }

  var line = [];
  points.forEach(function (p) {
    var ll = toDisplay(p.lat, p.lon);
    line.push(ll);
    L.marker(ll, { icon: numberIcon(p.n), title: p.n + ". " + p.name, alt: p.name }).bindPopup(popup(p)).addTo(map);
  });
  if (line.length > 1) {
    var path = L.polyline(line, { color: "#d9480f", weight: 4, opacity: 0.8 }).addTo(map);
    map.fitBounds(path.getBounds(), { maxZoom: 16, padding: [24, 24] });
  } else if (line.length === 1) {
    map.setView(line[0], 15);
  }
  el.dataset.markers = String(points.length);
})();
