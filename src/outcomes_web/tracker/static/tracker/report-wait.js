// The "report is being prepared" page looks again by itself: after data-refresh-seconds it goes to
// data-refresh-url (the same page, which becomes the report or its download link once built).
// A script file, not <meta http-equiv="refresh">: a timed meta refresh fails WCAG 2.2.1 checks
// (axe-core's meta-refresh rule) and the Content-Security-Policy allows no inline script. Without
// scripts the page says so and offers "Look again now"; "Stop looking again by itself" turns it off.
(function () {
  "use strict";
  var status = document.querySelector("[data-refresh-url]");
  if (!status) {
    return;
  }
  var seconds = parseInt(status.getAttribute("data-refresh-seconds"), 10);
  window.setTimeout(function () {
    window.location.replace(status.getAttribute("data-refresh-url"));
  }, (isNaN(seconds) ? 5 : seconds) * 1000);
})();
