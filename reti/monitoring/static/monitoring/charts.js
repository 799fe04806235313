// Draws every <canvas data-chart="ID"> from the Chart.js configuration in the JSON element ID
// (rendered by Django's json_script). Each chart has an equivalent table on the page.
(function () {
  "use strict";
  // A point that carries a `label` (a funnel plot's region) is named in its tooltip, with its
  // rate and its number of people in the page's locale. Functions cannot travel in the JSON.
  function nameThePoints(config) {
    var format = new Intl.NumberFormat(config.options.locale, { maximumFractionDigits: 1 });
    config.options.plugins = config.options.plugins || {};
    var tooltip = (config.options.plugins.tooltip = config.options.plugins.tooltip || {});
    tooltip.callbacks = tooltip.callbacks || {};
    tooltip.callbacks.label = function (context) {
      var raw = context.raw;
      if (raw && typeof raw === "object" && raw.label) {
        return raw.label + ": " + format.format(raw.y) + " %, n " + format.format(raw.x);
      }
      return context.dataset.label + ": " + context.formattedValue;
    };
  }

  function draw() {
    if (typeof window.Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      var config = JSON.parse(source.textContent);
      config.options = config.options || {};
      config.options.animation = false;
      nameThePoints(config);
      new window.Chart(canvas, config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
