// Volunteer pages: fill latitude/longitude from the phone's location, and reload the activity QR
// page when its code changes. No inline scripts (Content-Security-Policy).
(function () {
  "use strict";
  function locate(done, failed) {
    if (!navigator.geolocation) { failed(); return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("id_latitude").value = p.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = p.coords.longitude.toFixed(6);
      done();
    }, failed, { enableHighAccuracy: true, timeout: 10000, maximumAge: 0 });
  }
  document.querySelectorAll("[data-locate]").forEach(function (button) {
    button.addEventListener("click", function () { locate(function () {}, function () {}); });
  });
  document.querySelectorAll("form[data-geolocate]").forEach(function (form) {
    var status = document.getElementById("geo-status");
    locate(function () { if (status) { status.textContent = status.dataset.ok || status.textContent; } }, function () {});
    form.addEventListener("submit", function (event) {
      if (document.getElementById("id_latitude").value) { return; }
      event.preventDefault();
      var submitter = event.submitter;
      locate(function () { form.requestSubmit(submitter); }, function () { form.submit(); });
    });
  });
  var qr = document.querySelector("[data-refresh-in]");
  if (qr) {
    var seconds = parseInt(qr.getAttribute("data-refresh-in"), 10) || 30;
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
