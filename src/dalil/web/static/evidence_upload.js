// The evidence upload form with a progress bar: the same form posted with XMLHttpRequest,
// whose upload events say how far the file has gone. Without JavaScript the form posts as
// usual. The server answers a stored item with a redirect to the gallery (followed here),
// and a refused one with the gallery page and the error beside the field (shown as is).
(function () {
  "use strict";
  function start() {
    var form = document.getElementById("ev-upload");
    if (!form || !window.XMLHttpRequest || !window.FormData) return;
    var box = document.getElementById("ev-progress");
    var bar = box.querySelector(".progress-bar");
    var status = document.getElementById("ev-status");
    var button = form.querySelector("button[type=submit]");
    function show(percent) {
      bar.style.width = percent + "%";
      box.setAttribute("aria-valuenow", String(percent));
    }
    form.addEventListener("submit", function (event) {
      var file = document.getElementById("ev-file");
      if (!file.files || file.files.length === 0) return; // the browser or server says why
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        show(percent);
        status.textContent = form.dataset.sending + " " + percent + "%";
      });
      xhr.upload.addEventListener("load", function () {
        show(100);
        status.textContent = form.dataset.sealing;
      });
      xhr.addEventListener("load", function () {
        if (xhr.status === 200 && xhr.responseURL && xhr.responseURL.indexOf("added=") !== -1) {
          window.location.assign(xhr.responseURL);
        } else if (xhr.status >= 400 && xhr.responseText) {
          document.open();
          document.write(xhr.responseText); // the gallery with the error beside the field
          document.close();
        } else {
          failed();
        }
      });
      xhr.addEventListener("error", failed);
      function failed() {
        button.disabled = false;
        box.classList.add("d-none");
        status.textContent = form.dataset.failed;
      }
      button.disabled = true;
      box.classList.remove("d-none");
      show(0);
      xhr.send(new FormData(form));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
