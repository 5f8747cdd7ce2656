/* The grid map: polygons from the GeoJSON layer, coloured by open cases plus overdue visits. */
(function () {
  "use strict";
  var el = document.getElementById("grid-map");
  if (!el || !window.L) { return; }
  var COLOURS = ["#dcfce7", "#fde68a", "#fb923c", "#b91c1c"];
  function level(p) {
    var n = p.open_cases + p.overdue_visits;
    return n === 0 ? 0 : n <= 2 ? 1 : n <= 5 ? 2 : 3;
  }
  var map = L.map(el, { zoomSnap: 0.25 });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  } else {
    map.attributionControl.setPrefix(false);
  }
  function cell(text) { var td = document.createElement("td"); td.textContent = String(text); return td; }
  fetch(el.dataset.layerUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var tbody = document.querySelector("#grid-map-table tbody");
      var layer = L.geoJSON(data, {
        style: function (f) {
          return { color: "#1f2937", weight: 1, fillColor: COLOURS[level(f.properties)], fillOpacity: 0.75 };
        },
        onEachFeature: function (f, lyr) {
          var p = f.properties;
          var box = document.createElement("div");
          var title = document.createElement("strong");
          title.textContent = p.name;
          box.appendChild(title);
          [[el.dataset.labelHouseholds, p.households], [el.dataset.labelCases, p.open_cases],
           [el.dataset.labelOverdue, p.overdue_visits]].forEach(function (row) {
            var line = document.createElement("div");
            line.textContent = row[0] + "：" + row[1];
            box.appendChild(line);
          });
          lyr.bindPopup(box);
          if (tbody) {
            var tr = document.createElement("tr");
            [p.name, p.unit, p.households, p.open_cases, p.overdue_visits].forEach(function (v) { tr.appendChild(cell(v)); });
            tbody.appendChild(tr);
          }
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([37.38, 118.0], 11); }
    });
})();
