// The other party of a tie: suggest entities by name from the search's JSON twin.
(function () {
  const input = document.getElementById("f-other");
  const list = document.getElementById("party-options");
  if (!input || !list) return;
  let timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) return;
    timer = setTimeout(function () {
      fetch(input.dataset.search + "?limit=10&q=" + encodeURIComponent(text))
        .then(function (response) { return response.ok ? response.json() : { hits: [] }; })
        .then(function (data) {
          list.replaceChildren();
          (data.hits || []).forEach(function (hit) {
            const option = document.createElement("option");
            option.value = hit.id;
            option.label = hit.name + " (" + hit.kind + (hit.country ? ", " + hit.country : "") + ")";
            option.textContent = option.label;
            list.appendChild(option);
          });
        });
    }, 150);
  });
})();
