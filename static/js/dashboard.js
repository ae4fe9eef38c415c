// Dashboard charts: drawn from the JSON the page embeds (each chart's table beside it
// holds the same figures, with links). Clicking a bar opens the rows behind it.
(function () {
  "use strict";
  var COLOURS = ["#005eb8", "#007f3b", "#330072", "#8a1538", "#4c6272", "#7c2855", "#00a499", "#ed8b00"];
  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof window.Chart === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var chart = charts[canvas.dataset.chart];
      if (!chart || canvas.dataset.drawn) { return; }
      canvas.dataset.drawn = "1";
      var horizontal = chart.type === "funnel";
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: chart.labels,
          datasets: [{
            label: chart.label,
            data: chart.values,
            backgroundColor: chart.labels.map(function (_, i) { return COLOURS[i % COLOURS.length]; })
          }]
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          indexAxis: horizontal ? "y" : "x",
          plugins: { legend: { display: false } },
          scales: horizontal ? { x: { beginAtZero: true, ticks: { precision: 0 } } } : { y: { beginAtZero: true } },
          onClick: function (event, elements) {
            if (!elements.length || !chart.links || !chart.links[elements[0].index]) { return; }
            window.location.assign(chart.links[elements[0].index]);
          }
        }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
