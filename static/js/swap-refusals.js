/* htmx swaps no 4xx answer by default. A form marked data-swap-refusals gets its 409/422 answer (the same
   panel, with the field messages) swapped in like a success, so a refused change explains itself in place.
   Without this script (or without JavaScript) the same answer comes as a full page. */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status, elt = e.detail.elt;
    if ((status === 409 || status === 422) && elt && elt.closest && elt.closest("[data-swap-refusals]")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
})();
