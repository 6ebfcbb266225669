/* Map of resilience sites (Leaflet). Reads the GeoJSON and settings from <script
   type="application/json"> elements (#site-data, #map-config); with no tiles the sites still
   show on the plain background. The list beside the map is the accessible alternative:
   its 「地図で見る」 buttons move the map to a site. On the staff page, clicking the map fills
   the latitude and longitude fields of the add-site form. No inline styles (CSP). */
(function () {
  "use strict";
  var el = document.getElementById("site-map");
  var dataEl = document.getElementById("site-data");
  var configEl = document.getElementById("map-config");
  if (!el || !dataEl || !configEl || !window.L) { return; }
  var data = JSON.parse(dataEl.textContent);
  var config = JSON.parse(configEl.textContent);
  var map = L.map(el, { zoomControl: false, keyboard: true, attributionControl: true });
  L.control.zoom({ zoomInTitle: "拡大", zoomOutTitle: "縮小" }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
  }
  var layers = {};
  function popupContent(p) {
    var box = document.createElement("div");
    var title = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = p.site_name;
    title.appendChild(strong);
    box.appendChild(title);
    var lines = [p.programme_code + " " + p.programme_name];
    if (p.district || p.address) { lines.push([p.district, p.address].filter(Boolean).join("　")); }
    if (p.scenario_codes && p.scenario_codes.length) { lines.push("リスクシナリオ: " + p.scenario_codes.join("、")); }
    if (p.department) { lines.push(p.department); }
    lines.forEach(function (text) {
      var line = document.createElement("p");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }
  var layer = L.geoJSON(data, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, {
        radius: 8, color: "#0017c1", weight: 3, fillColor: "#ffffff", fillOpacity: 1,
        className: "site-marker"
      });
    },
    style: function () { return { color: "#0017c1", weight: 5, opacity: 0.9, className: "site-shape" }; },
    onEachFeature: function (feature, lyr) {
      lyr.bindPopup(popupContent(feature.properties || {}));
      layers[String(feature.id)] = lyr;
    }
  }).addTo(map);
  el.setAttribute("data-feature-count", String(Object.keys(layers).length));
  if (layer.getLayers().length) {
    map.fitBounds(layer.getBounds().pad(0.15), { maxZoom: 16 });
  } else {
    map.setView(config.center || [35.934, 139.393], 13);
  }
  function select(id) {
    var lyr = layers[String(id)];
    if (!lyr) { return; }
    if (lyr.getLatLng) { map.setView(lyr.getLatLng(), Math.max(map.getZoom(), 16)); }
    else { map.fitBounds(lyr.getBounds(), { maxZoom: 17 }); }
    lyr.openPopup();
    document.querySelectorAll(".sites-table tr.is-selected").forEach(function (row) {
      row.classList.remove("is-selected");
    });
    var row = document.querySelector('.sites-table tr[data-site-id="' + String(id) + '"]');
    if (row) { row.classList.add("is-selected"); }
  }
  document.querySelectorAll("button.show-on-map").forEach(function (button) {
    button.addEventListener("click", function () {
      select(button.getAttribute("data-site-id"));
      el.scrollIntoView({ block: "nearest" });
    });
  });
  var form = document.getElementById("site-form");
  if (form) {
    var lat = form.querySelector('input[name="lat"]');
    var lon = form.querySelector('input[name="lon"]');
    map.on("click", function (event) {
      if (!lat || !lon) { return; }
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
    });
  }
}());
