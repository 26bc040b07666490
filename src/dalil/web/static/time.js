// Timestamps in the viewer's time zone. The server writes every moment as
// <time datetime="2026-12-07T01:40:15Z">2026-12-07 01:40:15 UTC</time> (the Jinja
// filter `timestamp`); this rewrites the text to the browser's local time, to the second,
// as YYYY-MM-DD HH:MM:SS (unambiguous in every language) and the zone's name in the
// page's language. The UTC text stays as the tooltip, and without JavaScript the page
// keeps it. Runs again on content that htmx swaps in (a job's progress).
(function () {
  "use strict";
  if (window.dalilTime) { return; }
  var lang = document.documentElement.lang || "en";
  var format;
  try {
    format = new Intl.DateTimeFormat([lang + "-u-nu-latn", "en"], {
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
      hourCycle: "h23", timeZoneName: "short"
    });
  } catch (e) {
    return;
  }
  function text(when) {
    var part = {};
    format.formatToParts(when).forEach(function (p) { part[p.type] = p.value; });
    return part.year + "-" + part.month + "-" + part.day + " " + part.hour + ":" +
      part.minute + ":" + part.second + " " + (part.timeZoneName || "");
  }
  function localise(root) {
    var found = (root || document).querySelectorAll("time[datetime]");
    for (var i = 0; i < found.length; i++) {
      var el = found[i];
      var at = el.getAttribute("datetime");
      if (el.dataset.local || at.length < 11) { continue; }
      var when = new Date(at);
      if (isNaN(when.getTime())) { continue; }
      el.title = el.textContent;
      el.textContent = text(when).trim();
      el.dataset.local = "1";
    }
  }
  window.dalilTime = localise;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { localise(document); });
  } else {
    localise(document);
  }
  document.addEventListener("htmx:load", function (event) { localise(event.target); });
})();
