// Timestamps in the viewer's time zone, readable in the page's language. The server writes
// every moment as <time datetime="2026-12-07T01:40:15Z">7 December 2026 01:40:15 UTC</time>
// (the Jinja filter `timestamp`, Babel's en_GB or ar_SY); this rewrites the text to the
// browser's local time, to the second, in the same shape: "7 December 2026 04:40:15 GMT+3",
// "7 كانون الأول 2026 04:40:15 GMT+3". Latin digits in both languages (as the server
// writes them), the clock as 24-hour digits, and the zone as its short English name in both
// (the Arabic form "غرينتش+3" would reorder inside a right-to-left line; the server's
// tooltip says "UTC" in both too). The UTC text stays as the tooltip, and without
// JavaScript the page keeps it. Runs again on content that htmx swaps in (a job's progress).
(function () {
  "use strict";
  if (window.dalilTime) { return; }
  var page = document.documentElement.lang === "ar" ? "ar-SY" : "en-GB";
  var format, zone;
  try {
    format = new Intl.DateTimeFormat([page + "-u-nu-latn", "en-GB"], {
      year: "numeric", month: "long", day: "numeric",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
    });
    zone = new Intl.DateTimeFormat("en-GB", { timeZoneName: "short" });
  } catch (e) {
    return;
  }
  function parts(formatter, when) {
    var part = {};
    formatter.formatToParts(when).forEach(function (p) { part[p.type] = p.value; });
    return part;
  }
  function text(when) {
    var p = parts(format, when);
    return p.day + " " + p.month + " " + p.year + " " + p.hour + ":" + p.minute + ":" +
      p.second + " " + (parts(zone, when).timeZoneName || "");
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
