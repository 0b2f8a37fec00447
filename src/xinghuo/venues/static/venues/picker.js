// The venue form's coordinate picker: tap the map (or drag the marker, or use the phone's GPS) and the latitude
// and longitude fields are filled in WGS-84 — converted back from GCJ-02 when the tiles are AMap's. Typing in the
// fields moves the marker. Without tiles or scripts the fields still take numbers typed by hand.
(function () {
  "use strict";
  var el = document.getElementById("xh-picker");
  if (!el || !window.L || !window.xhMap) { return; }
  var lat = document.getElementById(el.dataset.lat), lon = document.getElementById(el.dataset.lon);
  if (!lat || !lon) { return; }
  var base = window.xhMap.create(el, 11), map = base.map;
  var marker = null;

  function setFields(wgs) {
    lat.value = wgs[0].toFixed(6);
    lon.value = wgs[1].toFixed(6);
  }
  function place(wgs, pan) {
    var shown = base.toDisplay(wgs[0], wgs[1]);
    if (!marker) {
      marker = L.circleMarker(shown, { radius: 9, color: "#c8102e", weight: 3, fillOpacity: 0.5 }).addTo(map);
    } else {
      marker.setLatLng(shown);
    }
    if (pan) { map.setView(shown, Math.max(map.getZoom(), 15)); }
  }
  function fromFields() {
    var a = parseFloat(lat.value), b = parseFloat(lon.value);
    if (!isNaN(a) && !isNaN(b)) { place([a, b], true); }
  }
  map.on("click", function (e) {
    var wgs = base.fromDisplay(e.latlng.lat, e.latlng.lng);
    setFields(wgs);
    place(wgs, false);
  });
  lat.addEventListener("change", fromFields);
  lon.addEventListener("change", fromFields);
  var gps = document.getElementById("xh-picker-gps");
  if (gps && navigator.geolocation) {
    gps.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var wgs = [pos.coords.latitude, pos.coords.longitude];  // a phone's GPS is WGS-84
        setFields(wgs);
        place(wgs, true);
      });
    });
  }
  fromFields();
  el.dataset.ready = "1";
})();
