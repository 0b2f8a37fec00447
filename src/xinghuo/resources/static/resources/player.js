// A lesson's player: resumes where the learner left off, and saves the position now and then (every 30 s of
// playing, on pause, and when the page is left) so that the next visit resumes there.
(function () {
  "use strict";
  var player = document.querySelector("[data-xh-player]");
  if (!player) return;
  var start = parseFloat(player.getAttribute("data-start") || "0");
  var url = player.getAttribute("data-position-url");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var saved = start;

  player.addEventListener("loadedmetadata", function () {
    if (start > 5 && start < player.duration - 5) player.currentTime = start;
  });

  function save() {
    if (!url || !token) return;
    var position = Math.floor(player.currentTime);
    if (Math.abs(position - saved) < 5) return;
    saved = position;
    var body = new URLSearchParams({ position: String(position), csrfmiddlewaretoken: token.value });
    if (navigator.sendBeacon) navigator.sendBeacon(url, body);
    else fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: true });
  }

  player.addEventListener("timeupdate", function () { if (player.currentTime - saved >= 30) save(); });
  player.addEventListener("pause", save);
  window.addEventListener("pagehide", save);
})();
