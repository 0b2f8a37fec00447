// What every map of the platform shares (the cloud map, route and trail lines, the coordinate picker): the
// WGS-84 <-> GCJ-02 offset for Chinese tile providers such as AMap, and a Leaflet map with the configured tiles
// whose failure shows a notice instead of an empty grey box. Coordinates are stored in WGS-84; only what is
// drawn on GCJ-02 tiles is shifted. The formulas are those of xinghuo.venues.geo (tested there to under 1 m).
window.xhMap = (function () {
  "use strict";
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
  function outside(lat, lon) { return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271; }
  function wgsToGcj(lat, lon) {
    if (outside(lat, lon)) { return [lat, lon]; }
    var dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
    var rad = lat / 180 * Math.PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * Math.PI);
    dLon = (dLon * 180) / (A / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lon + dLon];
  }
  function gcjToWgs(lat, lon) {
    // The offset has no closed inverse; a few fixed-point steps get well under a metre.
    var w = [lat, lon];
    for (var i = 0; i < 4; i++) {
      var g = wgsToGcj(w[0], w[1]);
      w = [w[0] - (g[0] - lat), w[1] - (g[1] - lon)];
    }
    return w;
  }

  // A Leaflet map in `el` with the tiles its data- attributes name (data-tiles, data-labels, data-subdomains,
  // data-crs, data-attribution, data-key, data-center-lat/lon). Returns {map, toDisplay, fromDisplay}.
  function create(el, zoom) {
    var d = el.dataset, gcj = d.crs === "gcj02";
    var map = L.map(el, { zoomControl: true, attributionControl: true, maxZoom: 18, minZoom: 5 })
      .setView([+d.centerLat, +d.centerLon], zoom || 10);
    var failed = document.getElementById("xh-tiles-failed");
    function tilesFailed() { if (failed) { failed.classList.remove("d-none"); } }
    if (d.tiles) {
      var opts = { subdomains: d.subdomains, maxZoom: 18, attribution: d.attribution, key: d.key };
      L.tileLayer(d.tiles, opts).addTo(map).on("tileerror", tilesFailed);
      if (d.labels) { L.tileLayer(d.labels, opts).addTo(map); }
    } else {
      tilesFailed();
    }
    return {
      map: map,
      toDisplay: function (lat, lon) { return gcj ? wgsToGcj(lat, lon) : [lat, lon]; },
      fromDisplay: function (lat, lon) { return gcj ? gcjToWgs(lat, lon) : [lat, lon]; }
    };
  }

  return { create: create, wgsToGcj: wgsToGcj, gcjToWgs: gcjToWgs };
})();
