// Autosave of a long form: the same POST as its "save the draft" button, a few seconds after a
// change, sent with `X-Autosave: 1` (the view answers JSON instead of redirecting); a status
// line says whether it was saved. Used by every form that declares, as data attributes:
//   data-autosave="<the URL to POST to>"            (the form's own address)
//   data-saved="<text when saved>" data-failed="<text when not>"
//   data-autosave-status="<id of the status line>"  (default: autosave-status)
//   data-autosave-step="<value of the step field>"  (default: save)
//   data-autosave-delay="<milliseconds>"            (default: 3000)
// Grids' scoring form and grants' application form use it.
(function () {
  "use strict";
  if (!window.fetch) return;
  function watch(form) {
    var status = document.getElementById(form.dataset.autosaveStatus || "autosave-status");
    var delay = parseInt(form.dataset.autosaveDelay || "3000", 10);
    var timer = null;
    function say(text) {
      if (status) status.textContent = text;
    }
    function save() {
      var data = new FormData(form);
      data.set("step", form.dataset.autosaveStep || "save");
      fetch(form.dataset.autosave, {
        method: "POST",
        body: data,
        headers: { "X-Autosave": "1" },
        credentials: "same-origin",
      }).then(function (response) {
        say(response.ok ? form.dataset.saved : form.dataset.failed);
      }).catch(function () {
        say(form.dataset.failed);
      });
    }
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(save, delay);
    });
  }
  document.querySelectorAll("form[data-autosave]").forEach(watch);
})();
