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

  // Village names on the map itself, so that a printed map can be read without hovering:
  // each name shows only while it fits inside its village at the current zoom.
  var names = [];
  layer.eachLayer(function (item) {
    var text = document.createElement("span");
    text.textContent = item.feature.properties.nama;
    var isPoint = !item.getBounds;
    var marker = L.marker(isPoint ? item.getLatLng() : item.getBounds().getCenter(), {
      interactive: false, keyboard: false,
      icon: L.divIcon({ className: "map-name" + (isPoint ? " map-name-point" : ""), html: text,
                        iconSize: null })
    }).addTo(map);
    names.push({ item: item, text: text, isPoint: isPoint, marker: marker });
  });

  function showNames() {
    var points = names.filter(function (n) { return n.isPoint; }).length;
    names.forEach(function (n) {
      var fits;
      if (n.isPoint) {
        fits = points <= 30;
      } else {
        var b = n.item.getBounds();
        var west = map.latLngToContainerPoint(b.getSouthWest());
        var east = map.latLngToContainerPoint(b.getNorthEast());
        fits = n.text.offsetWidth <= Math.abs(east.x - west.x) - 4 &&
               n.text.offsetHeight <= Math.abs(east.y - west.y) - 2;
      }
      n.text.classList.toggle("map-name-hidden", !fits);
    });
  }
  map.on("zoomend", showNames);

  function fit() {
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { paddingTopLeft: [40, 12], paddingBottomRight: [12, 12],
                              maxZoom: 13 });
    }
    showNames();
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
