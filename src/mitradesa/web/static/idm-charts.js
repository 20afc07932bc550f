// Draws the IDM charts from the JSON blocks the pages embed; the tables beside them hold the
// same figures for readers without JavaScript or charts.
(function () {
  "use strict";
  var COLORS = {"SANGAT TERTINGGAL": "#b42318", "TERTINGGAL": "#e07b39", "BERKEMBANG": "#d9b310",
                "MAJU": "#3f9b5c", "MANDIRI": "#1d6b45"};
  var CONFIG = {displayModeBar: false, responsive: true};
  var LAYOUT = {margin: {l: 44, r: 12, t: 10, b: 36}, height: 300, font: {size: 12},
                legend: {orientation: "h", y: -0.18}, paper_bgcolor: "rgba(0,0,0,0)",
                plot_bgcolor: "rgba(0,0,0,0)"};
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function layout(extra) { return Object.assign({}, LAYOUT, extra); }
  function village(data) {
    var years = data.years.map(String);
    var lines = ["idm", "iks", "ike", "ikl"].map(function (key) {
      return {x: years, y: data[key], name: key.toUpperCase(), mode: "lines+markers",
              line: {width: key === "idm" ? 3 : 1.5}};
    });
    var shapes = data.thresholds.map(function (t) {
      return {type: "line", xref: "paper", x0: 0, x1: 1, y0: t.upper, y1: t.upper,
              line: {dash: "dot", width: 1, color: "#888"}};
    });
    Plotly.newPlot("trend-chart", lines, layout({yaxis: {range: [0, 1]}, shapes: shapes,
      xaxis: {type: "category"}}), CONFIG);
    var labels = data.sub.map(function (s) { return s.index + " · " + s.name; });
    Plotly.newPlot("sub-chart", [{type: "bar", orientation: "h", y: labels,
      x: data.sub.map(function (s) { return Math.round(s.share * 100); }),
      marker: {color: "#3f7f6a"}, hovertemplate: "%{y}: %{x}%<extra></extra>"}],
      layout({height: 40 + 24 * labels.length, margin: {l: 230, r: 12, t: 10, b: 30},
              xaxis: {range: [0, 100], ticksuffix: "%"}, yaxis: {autorange: "reversed"}}),
      CONFIG);
  }
  function region(data) {
    var years = data.years.map(String);
    var bars = data.statuses.map(function (status) {
      return {type: "bar", name: status, x: years, marker: {color: COLORS[status]},
              y: data.years.map(function (y) { return (data.counts[String(y)] || {})[status] || 0; })};
    });
    Plotly.newPlot("status-chart", bars, layout({barmode: "stack", xaxis: {type: "category"}}),
                   CONFIG);
  }
  function draw() {
    if (typeof Plotly === "undefined") { return; }
    var v = read("idm-data");
    if (v) { village(v); }
    var r = read("idm-region-data");
    if (r) { region(r); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
}());
