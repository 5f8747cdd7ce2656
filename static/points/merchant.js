// The cashier's phone: the camera reads the customer's code where the browser can (BarcodeDetector);
// a scanner gun or a pasted code works everywhere. The form keeps one request key, so a resend
// (double tap, flaky network) never redeems twice; the button is disabled while it is sent.
(function () {
  var form = document.getElementById("redeem-form"), token = document.getElementById("id_token");
  var points = document.getElementById("id_points"), submit = document.getElementById("redeem-submit");
  form.addEventListener("submit", function () { submit.disabled = true; });
  token.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); points.focus(); }
  });
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var button = document.getElementById("camera-button"), video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({formats: ["qr_code"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream; video.hidden = false; video.play();
      status.textContent = status.dataset.aim;
      var timer = setInterval(function () {
        detector.detect(video).then(function (codes) {
          if (!codes.length) return;
          clearInterval(timer);
          stream.getTracks().forEach(function (t) { t.stop(); });
          token.value = codes[0].rawValue; video.hidden = true;
          status.textContent = status.dataset.found; points.focus();
        }).catch(function () {});
      }, 300);
    }).catch(function () { status.textContent = ""; });
  });
})();
