// Filter forms of the networks' and projects' lists: leave the "any" selects out of the
// query, so that shared URLs carry only the filters in use (?period=2007-2013, not &theme=).
(function () {
  "use strict";
  document.querySelectorAll("form[data-filter-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("select, input").forEach(function (field) {
        if (field.name && field.value === "") {
          field.disabled = true;
        }
      });
    });
  });
  // Coming back with the browser's back button, the fields must be usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-filter-form] [disabled]").forEach(function (field) {
      field.disabled = false;
    });
  });
})();
