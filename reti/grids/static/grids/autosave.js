// Autosave of the scoring form: the same POST as "Salva bozza", a few seconds after a change.
(function () {
  "use strict";
  var form = document.getElementById("scoring-form");
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
