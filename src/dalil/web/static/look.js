// Keyboard access to what scrolls sideways: a wide table scrolls inside its
// .table-responsive box (so a phone-width page never does); a box that really scrolls
// becomes a tab stop, so keyboard users can scroll it with the arrow keys (WCAG 2.1.1,
// axe's scrollable-region-focusable). Checked again when the window is resized and when
// htmx swaps content in. Written for dalil.
(function () {
  "use strict";
  function mark(root) {
    var boxes = (root || document).querySelectorAll(".table-responsive");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    }
  }
  var pending = null;
  function later() {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(function () { pending = null; mark(document); }, 150);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mark(document); });
  } else {
    mark(document);
  }
  window.addEventListener("resize", later);
  document.addEventListener("htmx:load", function (event) { mark(event.target.parentNode || document); });
})();
