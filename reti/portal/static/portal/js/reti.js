// Bootstrap Italia's fonts: tell it where the vendored files are, then load them.
// Kept in a file because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var script = document.currentScript;
  window.__PUBLIC_PATH__ = script.dataset.fontsPath;
  if (window.bootstrap && typeof window.bootstrap.loadFonts === "function") {
    window.bootstrap.loadFonts();
  }
})();
