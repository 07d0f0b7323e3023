// The portal's only script besides htmx: CSRF for htmx requests and focus for error summaries.
(function () {
  "use strict";

  // Every htmx request carries the CSRF token from the page's meta tag.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.content;
    }
  });

  // An error summary takes focus so screen-reader and keyboard users land on it.
  function focusErrorSummary(root) {
    var heading = (root || document).querySelector("[data-foutoverzicht] h2");
    if (heading) {
      heading.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusErrorSummary(event.target); });
})();
