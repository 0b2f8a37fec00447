// 科普云地图: markers from /api/v1/venues.geojson on Leaflet, clustered; "near me" from /api/v1/venues/nearest.
// Coordinates arrive in WGS-84; for GCJ-02 tile providers (AMap) markers are shifted before they are drawn.
(function () {
  "use strict";
  var el = document.getElementById("xh-map");
  if (!el || !window.L) { return; }
  var d = el.dataset;
  var gcj = d.crs === "gcj02";

  // WGS-84 -> GCJ-02 (the published offset; identical to xinghuo.venues.geo.wgs84_to_gcj02).
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

  // Leaflet's default icon guesses its folder from its stylesheet, which fails once static files carry content
  // hashes (and races the stylesheet's loading): an icon of our own names the served files outright.
  var icon = L.icon({
    iconUrl: d.icon, iconRetinaUrl: d.icon2x, shadowUrl: d.iconShadow,
    iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], tooltipAnchor: [16, -28], shadowSize: [41, 41]
  });

  var map = L.map(el, { zoomControl: true, attributionControl: true, maxZoom: 18, minZoom: 5 }).setView([+d.centerLat, +d.centerLon], 10);
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

  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
  map.addLayer(cluster);

  function popup(p) {
    var box = document.createElement("div");
    var a = document.createElement("a");
    a.href = p.url; a.textContent = p.name; a.style.fontWeight = "600";
    var meta = document.createElement("div");
    meta.textContent = p.type_label + " · " + p.county;
    var addr = document.createElement("div");
    addr.textContent = p.address;
    box.appendChild(a); box.appendChild(meta); box.appendChild(addr);
    return box;
  }

  fetch(d.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (fc) {
      var markers = [];
      fc.features.forEach(function (f) {
        var c = f.geometry.coordinates, ll = toDisplay(c[1], c[0]);
        var m = L.marker(ll, { icon: icon, title: f.properties.name, alt: f.properties.name });
        m.bindPopup(popup(f.properties));
        markers.push(m);
      });
      cluster.addLayers(markers);
      el.dataset.markers = String(markers.length);
      if (markers.length) { map.fitBounds(cluster.getBounds(), { maxZoom: 15, padding: [20, 20] }); }
    })
    .catch(function () { el.dataset.markers = "error"; });

  var near = document.getElementById("xh-near-me");
  if (near) {
    near.addEventListener("click", function () {
      if (!navigator.geolocation) { return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        var lat = pos.coords.latitude, lon = pos.coords.longitude;
        fetch(d.nearest + "?lat=" + lat + "&lon=" + lon + "&limit=5").then(function (r) { return r.json(); }).then(function (data) {
          var box = document.getElementById("xh-nearest"), list = document.getElementById("xh-nearest-list");
          list.textContent = "";
          data.items.forEach(function (v) {
            var li = document.createElement("li"), a = document.createElement("a");
            a.href = v.url; a.textContent = v.name;
            li.appendChild(a);
            li.appendChild(document.createTextNode(" · " + (v.distance_m >= 1000 ? (v.distance_m / 1000).toFixed(1) + " 公里" : v.distance_m + " 米")));
            list.appendChild(li);
          });
          box.classList.remove("d-none");
          map.setView(toDisplay(lat, lon), 13);
        });
      });
    });
  }
})();
