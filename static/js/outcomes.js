// Outcome charts: one line chart per indicator, drawn from the JSON the page embeds
// (the accessible table beside each chart holds the same figures).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("outcome-charts");
    if (!source || typeof window.Chart === "undefined") { return; }
    JSON.parse(source.textContent).forEach(function (series) {
      var canvas = document.getElementById("chart-" + series.id);
      if (!canvas || canvas.dataset.drawn) { return; }
      canvas.dataset.drawn = "1";
      var flat = function (value) { return series.dates.map(function () { return value; }); };
      new window.Chart(canvas, {
        type: "line",
        data: {
          // The axis reads like the table beside it ("12 Jul 2026"), not ISO dates.
          labels: series.labels,
          datasets: [
            { label: series.label, data: series.values, borderColor: "#005eb8", backgroundColor: "#005eb8", tension: 0.2 },
            { label: "Baseline", data: flat(series.baseline), borderColor: "#4c6272", borderDash: [4, 4], pointRadius: 0 },
            { label: "Target", data: flat(series.target), borderColor: "#007f3b", borderDash: [8, 4], pointRadius: 0 }
          ]
        },
        options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: false } } }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("htmx:afterSettle", draw);
})();
