/* The 百事通 map: points from the GeoJSON layer over the divisions' outlines (a plain background when
   no tiles are configured), the searcher's place with the 3 km band, and "use my location". */
(function () {
  "use strict";
  var form = document.getElementById("nearest-form");
  var locate = document.getElementById("use-location");
  var status = document.getElementById("location-status");
  var el = document.getElementById("points-map");
  if (locate && form && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      if (status && el) { status.textContent = el.dataset.labelLocating; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_lon").value = pos.coords.longitude.toFixed(6);
        document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_address").value = "";
        form.submit();
      }, function () {
        if (status && el) { status.textContent = el.dataset.labelDenied; }
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 });
    });
  }
  var address = document.getElementById("id_address");
  if (address && form) {
    // A typed address replaces an earlier browser location.
    address.addEventListener("input", function () {
      document.getElementById("id_lon").value = "";
      document.getElementById("id_lat").value = "";
    });
  }
  if (!el || !window.L) { return; }
  var map = L.map(el, { zoomSnap: 0.25 });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  } else {
    map.attributionControl.setPrefix(false);
  }
  var origin = null;
  if (el.dataset.originLon && el.dataset.originLat) {
    origin = [parseFloat(el.dataset.originLat), parseFloat(el.dataset.originLon)];
    L.circle(origin, { radius: parseFloat(el.dataset.bandKm) * 1000, color: "#1d4ed8", weight: 1, fillOpacity: 0.06 }).addTo(map);
    L.circleMarker(origin, { radius: 7, color: "#1d4ed8", fillColor: "#1d4ed8", fillOpacity: 1 }).addTo(map);
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } }).then(function (r) { return r.json(); });
  }
  getJSON(el.dataset.outlinesUrl).then(function (data) {
    L.geoJSON(data, { style: function () { return { color: "#6b7280", weight: 1, fillColor: "#e5e7eb", fillOpacity: 0.5 }; } }).addTo(map);
  });
  getJSON(el.dataset.layerUrl).then(function (data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 6, color: "#065f46", weight: 1, fillColor: "#10b981", fillOpacity: 0.9 });
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        var box = document.createElement("div");
        var title = document.createElement("a");
        title.textContent = p.name;
        title.href = el.dataset.pointUrl.replace("CODE", encodeURIComponent(p.code));
        box.appendChild(title);
        [p.kind_label, p.address, p.hours].forEach(function (text) {
          if (!text) { return; }
          var line = document.createElement("div");
          line.textContent = text;
          box.appendChild(line);
        });
        lyr.bindPopup(box);
      }
    }).addTo(map);
    if (origin) {
      map.setView(origin, 12);
    } else {
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([36.9, 119.0], 7); }
    }
  });
})();
