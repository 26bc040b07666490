// One-key decisions on the linkage review screen: m = same person, n = different people,
// u = unsure. Keys typed into a field (the note) are left alone. The form is looked up on
// each key press because htmx replaces it with the next pair after every decision.
// Written for dalil.
(function () {
  "use strict";
  var keys = { m: "match", n: "no_match", u: "unsure" };
  document.addEventListener("keydown", function (event) {
    if (event.target && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) { return; }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var decision = keys[event.key];
    var form = document.querySelector("form.decide");
    if (!decision || !form) { return; }
    var button = form.querySelector('button[value="' + decision + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });
})();
