// Signpost's own script (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  document.body.classList.add("js-enabled");

  // "Leave this site": replace this page in the history, so Back does not return here.
  function leave(event) {
    var link = document.querySelector("[data-quick-exit]");
    if (!link) return;
    if (event) event.preventDefault();
    document.body.style.display = "none";
    window.location.replace(link.getAttribute("href"));
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-quick-exit]");
    if (target) leave(event);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.querySelector("[data-quick-exit]")) leave(event);
  });
})();
