// Lists in <details class="fold-phone"> are folded on a phone, below the summary that comes
// first; on a wider screen they are all shown, as they were before phones were thought of.
// Without JavaScript each opens on demand, on any screen.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (window.matchMedia("(min-width: 576px)").matches) {
    document.querySelectorAll("details.fold-phone").forEach(function (details) {
      details.open = true;
    });
  }
});
