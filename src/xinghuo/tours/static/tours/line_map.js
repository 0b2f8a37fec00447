// 研学线路 and TAI科 trails: ordered points as numbered markers joined by a line, on Leaflet.
// The points come from a json_script element named by data-points ([{n, name, lat, lon, url}], WGS-84); the tiles
// from the same data- attributes as the cloud map (venues/map.js). The page lists the same points in order on the
// server, so a failed tile server or a missing script loses only the drawing.
(function () {
  "use strict";
  var el = document.getElementById("xh-line-map");
  if (!el || !window.L) { return; }
  var d = el.dataset;
  var source = document.getElementById(d.points);
  var points = source ? JSON.parse(source.textContent) : [];
  var gcj = d.crs === "gcj02";

  // WGS-84 -> GCJ-02 (the published offset; identical to xinghuo.venues.geo.wgs84_to_gcj02 and venues/map.js).
  var A = 6378245.0, EE = 0.00669342162296594323;
  function tLat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    return r;
  }
  function tLon(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    return r;
  }
  function toDisplay(lat, lon) {
    if (!gcj || lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271) { return [lat, lon]; }
    var dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
    var rad = lat / 180 * Math.PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * Math.PI);
    dLon = (dLon * 180) / (A / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lon + dLon];
  }

  var map = L.map(el, { zoomControl: true, attributionControl: true, maxZoom: 18, minZoom: 5 }).setView([+d.centerLat, +d.centerLon], 12);
  var failed = document.getElementById("xh-tiles-failed");
  function tilesFailed() { if (failed) { failed.classList.remove("d-none"); } }
  if (d.tiles) {
    var opts = { subdomains: d.subdomains, maxZoom: 18, attribution: d.attribution, key: d.key };
    var base = L.tileLayer(d.tiles, opts).addTo(map);
    base.on("tileerror", tilesFailed);
    if (d.labels) { L.tileLayer(d.labels, opts).addTo(map); }
  } else {
    tilesFailed();
  }

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
