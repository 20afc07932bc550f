// Analysis charts: drawn with the vendored Plotly from the JSON blocks a page embeds
// (#analysis-chart-data, #analysis-chart-labels), as idm-charts.js does. No inline handlers;
// the tables beside each chart hold the same figures. When printed, every chart is redrawn at
// a fixed size that fits an A4 page and is restored afterwards.
(function () {
  "use strict";
  var CONFIG = {displayModeBar: false, responsive: true, locale: "en"};
  var FONT = {family: "DejaVu Sans, system-ui, sans-serif", size: 12, color: "#1d2521"};
  var INDEX = [
    {key: "idm", name: "IDM", color: "#1d2521", width: 3.2, dash: "solid"},
    {key: "iks", name: "IKS", color: "#2f6db5", width: 1.8, dash: "dash"},
    {key: "ike", name: "IKE", color: "#c46a1b", width: 1.8, dash: "dot"},
    {key: "ikl", name: "IKL", color: "#2a8c5a", width: 1.8, dash: "dashdot"}
  ];
  var PRINT_WIDTH = 640;  // px: within the text width of A4 portrait (12 mm margins)
  var PRINT_HEIGHT = 220;
  var drawn = [];

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function base(extra) {
    var layout = {font: FONT, margin: {l: 56, r: 16, t: 8, b: 40}, height: 300,
                  paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
                  separators: document.documentElement.lang === "id" ? ",." : ".,",
                  legend: {orientation: "h", x: 0, y: -0.18}};
    return Object.assign(layout, extra);
  }

  // IDM, IKS, IKE, IKL per year; distinct dashes keep the lines apart in black and white.
  // The Indeks Desa's page names its own lines (nilai and the six dimensions) in data.lines:
  // the headline first, drawn like the IDM's; the parts take the next styles in turn.
  var PARTS = ["#2f6db5", "#c46a1b", "#2a8c5a", "#8a4fb0", "#b8860b", "#6b7b74"];
  var DASHES = ["dash", "dot", "dashdot", "longdash", "longdashdot", "solid"];
  function linesOf(data) {
    if (!data.lines) { return INDEX; }
    return data.lines.map(function (line, i) {
      return i === 0 ? {key: line.key, name: line.name, color: INDEX[0].color, width: 3.2,
                        dash: "solid", head: true}
        : {key: line.key, name: line.name, color: PARTS[(i - 1) % PARTS.length], width: 1.8,
           dash: DASHES[(i - 1) % DASHES.length]};
    });
  }

  function indexLines(node, data) {
    var traces = linesOf(data).map(function (index) {
      return {x: data.years, y: data.series[index.key], name: index.name, type: "scatter",
              mode: "lines+markers", line: {color: index.color, width: index.width, dash: index.dash},
              marker: {size: index.key === "idm" || index.head ? 8 : 6},
              hovertemplate: index.name + " %{x}: %{y:.4f}<extra></extra>"};
    });
    return [traces, base({hovermode: "x unified", xaxis: {type: "category"},
                          yaxis: {rangemode: "tozero", tickformat: ".3f", zeroline: false}})];
  }

  // The bottom-20% gap is in each line's own units: the IDM's parts share its 0–1 scale, but
  // the Indeks Desa's nilai (0–100) and its dimensions' raw sums (up to 50 … 170) do not, so
  // its chart draws the nilai alone (the table beside it has every dimension).
  function gapLines(node, data) {
    if (!data.lines) { return indexLines(node, data); }
    return indexLines(node, Object.assign({}, data, {lines: data.lines.slice(0, 1)}));
  }

  function split(node, data, labels) {
    var traces = [
      {type: "bar", name: labels.within, x: data.years, y: data.within,
       marker: {color: "#6aa683"}, hovertemplate: labels.within + " %{x}: %{y:.4f}<extra></extra>"},
      {type: "bar", name: labels.between, x: data.years, y: data.between,
       marker: {color: "#174f36"},
       hovertemplate: labels.between + " %{x}: %{y:.4f}<extra></extra>"}
    ];
    return [traces, base({barmode: "stack", xaxis: {type: "category"},
                          yaxis: {rangemode: "tozero", tickformat: ".4f"},
                          legend: {orientation: "h", x: 0, y: -0.18, traceorder: "normal"}})];
  }

  function sigma(node, data, labels) {
    var traces = [{x: data.years, y: data.cv, name: labels.cv, type: "scatter",
                   mode: "lines+markers+text", line: {color: "#1d2521", width: 3},
                   marker: {size: 8}, text: data.cv.map(function (v) { return v.toFixed(3); }),
                   textposition: "top center", textfont: {size: 10, color: "#5d6b64"},
                   cliponaxis: false, hovertemplate: "CV %{x}: %{y:.4f}<extra></extra>"}];
    var low = Math.min.apply(null, data.cv), high = Math.max.apply(null, data.cv);
    var pad = Math.max((high - low) * 0.35, 0.005);
    return [traces, base({showlegend: false, xaxis: {type: "category"},
                          yaxis: {range: [Math.max(low - pad, 0), high + pad], tickformat: ".3f"}})];
  }

  function beta(node, data, labels) {
    var low = Math.min.apply(null, data.x), high = Math.max.apply(null, data.x);
    var traces = [
      {x: data.x, y: data.y, type: "scatter", mode: "markers", name: labels.villages,
       marker: {size: 6, color: "rgba(31,111,74,0.45)", line: {width: 0.5, color: "#174f36"}},
       hovertemplate: "%{x:.4f} → %{y:+.4f}<extra></extra>"},
      {x: [low, high], y: [data.intercept + data.slope * low, data.intercept + data.slope * high],
       type: "scatter", mode: "lines", name: labels.fit + " (b = " + data.slope.toFixed(4) + ")",
       line: {color: "#a8302b", width: 2.5}, hoverinfo: "skip"}
    ];
    return [traces, base({
      xaxis: {title: {text: labels.start, font: {size: 11}}, tickformat: ".2f", zeroline: false},
      yaxis: {title: {text: labels.growth, font: {size: 11}}, tickformat: ".3f",
              zeroline: true, zerolinecolor: "#9aa59f"},
      margin: {l: 64, r: 16, t: 8, b: 48}, legend: {orientation: "h", x: 0, y: -0.25}
    })];
  }

  function probabilities(node, data) {
    var traces = data.statuses.map(function (s) {
      return {type: "bar", orientation: "h", name: s.name, y: data.villages, x: s.share,
              marker: {color: s.color}, hovertemplate: s.name + " · %{y}: %{x:.0f}%<extra></extra>"};
    });
    return [traces, base({
      barmode: "stack", height: 90 + 24 * data.villages.length, bargap: 0.25,
      margin: {l: 8, r: 12, t: 8, b: 40},
      legend: {orientation: "h", x: 0, y: 1.0, yanchor: "bottom", traceorder: "normal"},
      xaxis: {range: [0, 100.5], dtick: 20, ticksuffix: "%"},
      yaxis: {autorange: "reversed", automargin: true, categoryorder: "array",
              categoryarray: data.villages}
    })];
  }

  var DRAW = {gini: indexLines, theil: indexLines, gap: gapLines, split: split, sigma: sigma,
              beta: beta, probabilities: probabilities};

  function draw() {
    var data = read("analysis-chart-data");
    if (!data || typeof Plotly === "undefined") { return; }
    var labels = read("analysis-chart-labels") || {};
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var kind = node.getAttribute("data-chart");
      if (DRAW[kind] && data[kind]) {
        var parts = DRAW[kind](node, data[kind], labels);
        node.textContent = "";
        Plotly.newPlot(node, parts[0], parts[1], CONFIG);
        drawn.push({node: node, kind: kind, height: parts[1].height});
      }
    });
  }

  // Printing: a fixed width, so a chart never depends on the screen it was drawn on.
  var printing = false;
  function beforePrint() {
    if (printing) { return; }
    printing = true;
    drawn.forEach(function (chart) {
      Plotly.relayout(chart.node, {width: PRINT_WIDTH, autosize: false,
                                   height: chart.kind === "probabilities" ? chart.height
                                     : PRINT_HEIGHT});
    });
  }
  function afterPrint() {
    if (!printing) { return; }
    printing = false;
    drawn.forEach(function (chart) {
      Plotly.relayout(chart.node, {width: null, height: chart.height, autosize: true});
    });
  }
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  if (window.matchMedia) {
    var query = window.matchMedia("print");
    var listen = function (event) { if (event.matches) { beforePrint(); } else { afterPrint(); } };
    if (query.addEventListener) { query.addEventListener("change", listen); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
