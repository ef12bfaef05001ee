// Printing: open every folded block (a path's ties and evidence) so the paper carries what the
// screen folds away, and fold them again afterwards.
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("main details:not([open])"), function (el) {
      return !el.classList.contains("embed-box");
    });
    opened.forEach(function (el) { el.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (el) { el.open = false; });
    opened = [];
  });
})();
