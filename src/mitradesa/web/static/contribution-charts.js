// Contribution page: per start cohort, the mean index of the villages with an intervention
// and of their comparison villages, with the start marked. Drawn with the vendored Plotly
// from #contribution-chart-data; the table under the charts holds the same figures.
(function () {
  "use strict";
  var CONFIG = {displayModeBar: false, responsive: true, locale: "en", staticPlot: false};
  var FONT = {family: "DejaVu Sans, system-ui, sans-serif", size: 12, color: "#1d2521"};
  var TREATED = "#c46a1b";
  var COMPARISON = "#2f6db5";

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function cohort(node, data, labels, measure) {
    var line = function (values, name, color, dash) {
      return {x: data.years, y: values, name: name, type: "scatter", mode: "lines+markers",
              connectgaps: false, line: {color: color, width: 2.6, dash: dash},
              marker: {size: 7, color: color},
              hovertemplate: name + " %{x}: %{y:.4f}<extra></extra>"};
    };
    var traces = [
      line(data.treated, labels.treated + " (" + data.n_treated + ")", TREATED, "solid"),
      line(data.comparison, labels.comparison + " (" + data.n_comparison + ")", COMPARISON,
           "dash")
    ];
    var at = data.start - 0.5;  // between the last year before and the first year from the start
    Plotly.newPlot(node, traces, {
      font: FONT, height: 280, margin: {l: 52, r: 12, t: 24, b: 36},
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
                  separators: document.documentElement.lang === "id" ? ",." : ".,",
      legend: {orientation: "h", x: 0, y: -0.16},
      hovermode: "x unified",
      xaxis: {dtick: 1, tickformat: "d", range: [data.years[0] - 0.3,
                                                 data.years[data.years.length - 1] + 0.3]},
      yaxis: {title: {text: measure, font: {size: 11}}, tickformat: ".2f", zeroline: false},
      shapes: [{type: "rect", xref: "x", yref: "paper", x0: at,
                x1: data.years[data.years.length - 1] + 0.3, y0: 0, y1: 1,
                fillcolor: "#eef5f0", line: {width: 0}, layer: "below"},
               {type: "line", xref: "x", yref: "paper", x0: at, x1: at, y0: 0, y1: 1,
                line: {dash: "dot", width: 1.5, color: "#555"}}],
      annotations: [{xref: "x", yref: "paper", x: at, y: 1, yanchor: "bottom",
                     xanchor: "left", showarrow: false, font: {size: 11, color: "#555"},
                     text: labels.start + " " + data.start}]
    }, CONFIG);
  }

  function draw() {
    var data = read("contribution-chart-data");
    if (!data || typeof Plotly === "undefined") { return; }
    var labels = read("contribution-chart-labels") || {};
    document.querySelectorAll("[data-cohort]").forEach(function (node) {
      var found = data.cohorts[Number(node.getAttribute("data-cohort"))];
      if (found) {
        node.textContent = "";
        cohort(node, found, labels, data.outcome);
      }
    });
  }

  function resize() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll("[data-cohort]").forEach(function (node) {
      if (node.data) { Plotly.Plots.resize(node); }
    });
  }
  // Printed pages are narrower than the screen: redraw the charts to the paper's width.
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
