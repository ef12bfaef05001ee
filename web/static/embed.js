// The Embed button: keep the iframe code in step with the size and, with sign-in, the link's life.
(function () {
  "use strict";
  function attribute(value) {
    return String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }
  function size(value, fallback) {
    return /^\d+(\.\d+)?(px|%|vh|em|rem)?$/.test(value.trim()) ? value.trim() : fallback;
  }
  function absolute(box) {  // the server sends a path when it has no public address to trust
    var input = box.querySelector(".embed-url");
    input.value = new URL(input.value, window.location.href).href;
  }
  function update(box) {
    var url = box.querySelector(".embed-url").value;
    var width = size(box.querySelector(".embed-width").value, "100%");
    var height = size(box.querySelector(".embed-height").value, "480px");
    box.querySelector(".embed-code").value =
      '<iframe src="' + attribute(url) + '" width="' + width + '" height="' + height +
      '" style="border:0" title="Ecomap" loading="lazy"></iframe>';
  }
  function resign(box) {
    var days = box.querySelector(".embed-days");
    var query = "path=" + encodeURIComponent(box.dataset.embedPath) + "&days=" + days.value;
    fetch("/-/embed-link.json?" + query, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        box.querySelector(".embed-url").value = body.url;
        absolute(box);
        update(box);
      });
  }
  document.querySelectorAll(".embed-box").forEach(function (box) {
    box.querySelectorAll(".embed-width, .embed-height").forEach(function (input) {
      input.addEventListener("input", function () { update(box); });
    });
    var days = box.querySelector(".embed-days");
    if (days) { days.addEventListener("change", function () { resign(box); }); }
    box.querySelector(".embed-copy").addEventListener("click", function () {
      var code = box.querySelector(".embed-code");
      code.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(code.value); }
    });
    absolute(box);
    update(box);
  });
})();
