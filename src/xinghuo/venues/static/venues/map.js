// 科普云地图: markers from /api/v1/venues.geojson on Leaflet, clustered; "near me" from /api/v1/venues/nearest.
// Coordinates arrive in WGS-84; for GCJ-02 tile providers (AMap) markers are shifted before they are drawn.
(function () {
  "use strict";
  var el = document.getElementById("xh-map");
  if (!el || !window.L || !window.xhMap) { return; }
  var d = el.dataset;
  // Leaflet's default icon guesses its folder from its stylesheet, which fails once static files carry content
  // hashes (and races the stylesheet's loading): an icon of our own names the served files outright.
  var icon = L.icon({
    iconUrl: d.icon, iconRetinaUrl: d.icon2x, shadowUrl: d.iconShadow,
    iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], tooltipAnchor: [16, -28], shadowSize: [41, 41]
  });

  var base = window.xhMap.create(el, 10), map = base.map, toDisplay = base.toDisplay;

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
