// IDM charts: drawn with the vendored Plotly from the JSON blocks a page embeds
// (#idm-chart-data, #idm-chart-labels). No inline handlers; the tables next to each chart
// hold the same figures for readers without JavaScript or charts.
(function () {
  "use strict";
  var CONFIG = {displayModeBar: false, responsive: true, locale: "en"};
  var FONT = {family: "DejaVu Sans, system-ui, sans-serif", size: 12, color: "#1d2521"};
  var LINES = {idm: "#1d2521", iks: "#2f6db5", ike: "#c46a1b", ikl: "#2a8c5a"};
  var INDEX_COLORS = {IKS: "#2f6db5", IKE: "#c46a1b", IKL: "#2a8c5a"};

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function base(extra) {
    var layout = {font: FONT, margin: {l: 48, r: 16, t: 8, b: 40}, height: 320,
                  paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
                  separators: document.documentElement.lang === "id" ? ",." : ".,",
                  legend: {orientation: "h", x: 0, y: -0.15}};
    return Object.assign(layout, extra);
  }

  function trend(node, data) {
    var traces = ["idm", "iks", "ike", "ikl"].map(function (key) {
      return {x: data.years, y: data[key], name: key.toUpperCase(), type: "scatter",
              mode: "lines+markers", line: {color: LINES[key], width: key === "idm" ? 3.5 : 1.6},
              marker: {size: key === "idm" ? 9 : 6},
              hovertemplate: key.toUpperCase() + " %{x}: %{y:.4f}<extra></extra>"};
    });
    var shapes = data.thresholds.map(function (t) {
      return {type: "line", xref: "paper", x0: 0, x1: 1, y0: t.value, y1: t.value,
              line: {dash: "dot", width: 1.2, color: t.color}};
    });
    var notes = data.thresholds.map(function (t) {
      return {xref: "paper", x: 1.01, xanchor: "left", y: t.value, yanchor: "middle",
              text: t.label, showarrow: false, font: {size: 10, color: t.color}};
    });
    Plotly.newPlot(node, traces, base({
      shapes: shapes, annotations: notes, hovermode: "x unified",
      margin: {l: 44, r: 86, t: 8, b: 40},
      xaxis: {type: "category", title: {text: ""}},
      yaxis: {range: [0, 1.02], tickformat: ".1f", zeroline: false}
    }), CONFIG);
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

  function subdims(node, data, labels) {
    var narrow = node.clientWidth < 480;
    var names = data.names.map(function (n) { return narrow ? wrap(n, 20) : n; });
    var traces = ["IKS", "IKE", "IKL"].map(function (index) {
      var rows = data.index.map(function (i, k) { return i === index ? k : -1; })
        .filter(function (k) { return k >= 0; });
      return {
        type: "bar", orientation: "h", name: index,
        y: rows.map(function (k) { return names[k]; }),
        x: rows.map(function (k) { return data.persen[k]; }),
        marker: {color: INDEX_COLORS[index]},
        text: rows.map(function (k) { return Math.round(data.persen[k]) + "%"; }),
        textposition: "inside", insidetextanchor: "end",
        hovertemplate: index + " · %{y}: %{x:.0f}%<extra></extra>"
      };
    });
    Plotly.newPlot(node, traces, base({
      height: 90 + (narrow ? 34 : 24) * names.length, bargap: 0.25,
      margin: {l: 8, r: 12, t: 8, b: 40},
      legend: {orientation: "h", x: 0, y: 1.0, yanchor: "bottom", traceorder: "normal"},
      xaxis: {range: [0, 101], dtick: 25, ticksuffix: "%", title: {text: labels.share, font: {size: 11}}},
      yaxis: {autorange: "reversed", automargin: true, categoryorder: "array",
              categoryarray: names, tickfont: {size: narrow ? 10 : 12}}
    }), CONFIG);
  }

  function counts(node, data) {
    var traces = data.statuses.map(function (s) {
      return {type: "bar", name: s.name, x: data.years, y: s.counts,
              marker: {color: s.color}, hovertemplate: s.name + " %{x}: %{y}<extra></extra>"};
    });
    Plotly.newPlot(node, traces, base({
      barmode: "stack", xaxis: {type: "category"}, yaxis: {rangemode: "tozero"},
      legend: {orientation: "h", x: 0, y: -0.15, traceorder: "normal"}
    }), CONFIG);
  }

  var DRAW = {trend: trend, subdims: subdims, counts: counts};

  function draw() {
    var data = read("idm-chart-data");
    if (!data || typeof Plotly === "undefined") { return; }
    var labels = read("idm-chart-labels") || {};
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var kind = node.getAttribute("data-chart");
      if (DRAW[kind] && data[kind]) {
        node.textContent = "";
        DRAW[kind](node, data[kind], labels);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
