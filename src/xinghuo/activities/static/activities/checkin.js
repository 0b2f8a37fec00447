/* Check-in by camera: read a registrant's QR (it encodes just the check-in code) with jsQR, fill the manual
   form and submit it. Without a camera, permission or this script, the manual form works the same. */
(function () {
  "use strict";
  var section = document.getElementById("checkin-scanner");
  var form = document.getElementById("checkin-form");
  if (!section || !form || typeof window.jsQR !== "function" || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var input = form.querySelector("input[name=code]");
  var start = document.getElementById("checkin-scan-start");
  var stop = document.getElementById("checkin-scan-stop");
  var error = document.getElementById("checkin-scan-error");
  var video = document.getElementById("checkin-video");
  var canvas = document.getElementById("checkin-canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var CODE = /^[A-Z0-9]{4,20}$/;

  function halt() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function tick() {
    if (!stream) {
      return;
    }
    if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var code = found && found.data ? found.data.trim().toUpperCase() : "";
      if (CODE.test(code)) {
        halt();
        input.value = code;
        form.submit();
        return;
      }
    }
    window.requestAnimationFrame(tick);
  }

  start.addEventListener("click", function () {
    error.hidden = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      start.hidden = true;
      stop.hidden = false;
      return video.play();
    }).then(function () {
      window.requestAnimationFrame(tick);
    }).catch(function () {
      halt();
      error.hidden = false;
    });
  });
  stop.addEventListener("click", halt);
  window.addEventListener("pagehide", halt);
  section.hidden = false;
})();
