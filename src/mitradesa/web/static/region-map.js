/* The map of a region's villages (regions/map.html): draws the features embedded as JSON in
   #map-data with the vendored Leaflet, on a plain background (no tile server: nothing is
   fetched from another host). Each village is filled with the colour the server chose; its
   name, figure and status show on hover or focus, a click opens its page. The table under
   the map says the same in words. */
(function () {
  "use strict";
  var holder = document.getElementById("region-map");
  var source = document.getElementById("map-data");
  if (!holder || !source || typeof L === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var noFigures = holder.getAttribute("data-no-figures") || "—";
  var measure = holder.getAttribute("data-measure") || "";

  var map = L.map(holder, {
    attributionControl: false,
    zoomSnap: 0.25,
    scrollWheelZoom: false,
    tap: false
  });

  function label(props) {
    var box = document.createElement("span");
    var name = document.createElement("strong");
    name.textContent = props.nama;
    box.appendChild(name);
    var text = props.nilai === null ? noFigures : measure + " " + props.nilai;
    if (props.status) { text += " · " + props.status; }
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(text));
    return box;
  }

  var layer = L.geoJSON(data, {
    style: function (feature) {
      return { color: "#333333", weight: 1, opacity: 1, fillColor: feature.properties.warna,
               fillOpacity: 0.9 };
    },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 8, color: "#333333", weight: 1.5,
                                      fillColor: feature.properties.warna, fillOpacity: 1 });
    },
    onEachFeature: function (feature, item) {
      item.bindTooltip(label(feature.properties), { sticky: true, direction: "top" });
      item.on("click", function () { window.location.href = feature.properties.tautan; });
    }
  }).addTo(map);

  function fit() {
    var bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12], maxZoom: 13 }); }
  }
  fit();
  holder.setAttribute("data-drawn", String(data.features.length));

  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () { map.invalidateSize(); fit(); }, 150);
  });
  function forPrint() { map.invalidateSize(); fit(); }
  window.addEventListener("beforeprint", forPrint);
  window.addEventListener("afterprint", forPrint);

  var print = document.getElementById("map-print");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
