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
  document.addEventListener("htmx:afterSettle", function (event) {
    // An outerHTML swap leaves the event on the replaced (detached) element.
    focusErrorSummary(event.target.isConnected ? event.target : document);
  });

  // A redrawn part may name the element that should take focus (a new row's first field); so
  // may a whole page, when the button was pressed before htmx took the form over.
  function focusNamedElement() {
    var holder = document.querySelector("[data-focus]");
    if (!holder) { return; }
    var doel = document.getElementById(holder.getAttribute("data-focus"));
    holder.removeAttribute("data-focus");
    if (doel) { doel.focus(); }
  }
  document.addEventListener("DOMContentLoaded", focusNamedElement);
  document.addEventListener("htmx:afterSettle", focusNamedElement);

  // The expand triangle of a result row: the first click loads the afmeld form below the row,
  // the next one closes it again without a request.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt;
    if (!link.hasAttribute || !link.hasAttribute("data-uitklap")) { return; }
    if (link.getAttribute("aria-expanded") === "true") {
      event.preventDefault();
      var row = link.closest("tr").nextElementSibling;
      if (row && row.classList.contains("afmeldrij")) { row.remove(); }
      link.setAttribute("aria-expanded", "false");
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var link = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!link || !link.hasAttribute || !link.hasAttribute("data-uitklap")) { return; }
    link.setAttribute("aria-expanded", "true");
    var row = link.closest("tr").nextElementSibling;
    var first = row && row.querySelector("input:not([type=hidden])");
    if (first) { first.focus(); }
  });
})();
