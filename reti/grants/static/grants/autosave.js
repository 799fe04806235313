// Autosave of the application form: the same POST as "Salva la bozza", a few seconds after a
// change; the server answers JSON and the status line says whether it was saved.
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form || !window.fetch) return;
  var status = document.getElementById("autosave-status");
  var timer = null;
  function save() {
    var data = new FormData(form);
    data.set("step", "save");
    fetch(form.dataset.autosave, {
      method: "POST",
      body: data,
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    }).then(function (response) {
      status.textContent = response.ok ? form.dataset.saved : form.dataset.failed;
    }).catch(function () {
      status.textContent = form.dataset.failed;
    });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  });
})();
