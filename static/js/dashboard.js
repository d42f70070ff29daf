// Draws the dashboard's bar charts. Each <canvas data-chart="ID"> reads its numbers from the
// <script type="application/json" id="ID"> beside it (the CSP forbids inline scripts); the
// same numbers are in the table under it, so nothing is lost without JavaScript.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Chart === "undefined") {
    return;
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: data.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: data.datasets.length > 1 } },
      },
    });
    canvas.dataset.drawn = "true";
  });
});
