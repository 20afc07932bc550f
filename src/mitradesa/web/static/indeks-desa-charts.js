// Indeks Desa charts: drawn with the vendored Plotly from the JSON blocks a page embeds
// (#id-chart-data, #id-chart-labels), as idm-charts.js does. No inline handlers; the tables
// next to each chart hold the same figures for readers without JavaScript or charts.
(function () {
  "use strict";
  var CONFIG = {displayModeBar: false, responsive: true, locale: "en"};
  var FONT = {family: "DejaVu Sans, system-ui, sans-serif", size: 12, color: "#1d2521"};
  var BAR = "#2f6db5";

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function base(extra) {
    var layout = {font: FONT, margin: {l: 48, r: 16, t: 8, b: 40}, height: 300,
                  paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
                  separators: document.documentElement.lang === "id" ? ",." : ".,",
                  legend: {orientation: "h", x: 0, y: -0.15}};
    return Object.assign(layout, extra);
  }

  function wrap(text, width) {
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    lines.push(line);
    return lines.join("<br>");
  }

  function shares(node, names, persen, texts, labels) {
    var narrow = node.clientWidth < 480;
    var shown = names.map(function (n) { return wrap(n, narrow ? 14 : 22); });
    Plotly.newPlot(node, [{
      type: "bar", orientation: "h", y: shown, x: persen, marker: {color: BAR},
      text: texts, textposition: "inside", insidetextanchor: "end",
      hovertemplate: "%{y}: %{x:.0f}%<extra></extra>"
    }], base({
      height: 70 + (narrow ? 44 : 36) * names.length, bargap: 0.3,
      margin: {l: 8, r: 12, t: 8, b: 40},
      xaxis: {range: [0, 101], dtick: 25, ticksuffix: "%",
              title: {text: labels.share || "", font: {size: 11}}},
      yaxis: {autorange: "reversed", automargin: true, tickfont: {size: narrow ? 10 : 12}}
    }), CONFIG);
  }

  function dimensions(node, data, labels) {
    var texts = data.scores.map(function (s, k) { return s + "/" + data.maxima[k]; });
    shares(node, data.names, data.persen, texts, labels);
  }

  function profile(node, data, labels) {
    var texts = data.persen.map(function (p) { return Math.round(p) + "%"; });
    shares(node, data.names, data.persen, texts, labels);
  }

  function counts(node, data) {
    var traces = data.statuses.map(function (s) {
      return {type: "bar", name: s.name, x: data.years, y: s.counts,
              marker: {color: s.color}, hovertemplate: s.name + " %{x}: %{y}<extra></extra>"};
    });
    Plotly.newPlot(node, traces, base({
      height: 260, barmode: "stack", bargap: data.years.length < 3 ? 0.6 : 0.25,
      xaxis: {type: "category"}, yaxis: {rangemode: "tozero"},
      legend: {orientation: "h", x: 0, y: -0.2, traceorder: "normal"}
    }), CONFIG);
  }

  function draw() {
    var data = read("id-chart-data");
    if (!data || typeof Plotly === "undefined") { return; }
    var labels = read("id-chart-labels") || {};
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var kind = node.getAttribute("data-chart");
      if (kind === "counts") {
        var family = node.getAttribute("data-family");
        var found = (data.families || []).filter(function (f) { return f.family === family; });
        if (found.length) { node.textContent = ""; counts(node, found[0]); }
      } else if (kind === "dimensions" && data.dimensions) {
        node.textContent = ""; dimensions(node, data.dimensions, labels);
      } else if (kind === "profile" && data.profile) {
        node.textContent = ""; profile(node, data.profile, labels);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
