// The public pages' own script (the CSP forbids inline scripts). Everything works without it.
(function () {
  "use strict";
  // After a failed post, take keyboard and screen-reader users straight to the list of problems,
  // as GOV.UK Frontend's error summary does.
  var summary = document.querySelector(".govuk-error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
})();
