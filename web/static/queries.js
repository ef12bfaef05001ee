// Saved queries: filter the list as you type, and re-fill dropdowns whose choices depend on
// another parameter (country -> city -> organisation) from /queries/<slug>/choices/<name>.json.
// Without JavaScript both still work: the filter is a form, "Update choices" re-renders the page.
(function () {
  "use strict";

  function setUpFilter() {
    var input = document.getElementById("query-filter");
    if (!input) return;
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-query-item]"));
    var count = document.getElementById("query-count");
    var none = document.getElementById("query-none");
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.getAttribute("data-search") || "";
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        item.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = shown + " of " + items.length + " queries";
      none.hidden = shown !== 0;
    }
    input.addEventListener("input", apply);
    apply();
  }

  function setUpCascade() {
    var form = document.querySelector("form[data-choices-base]");
    if (!form) return;
    var base = form.getAttribute("data-choices-base");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-depends-on]"));
    if (!selects.length) return;
    var refresh = form.querySelector("[data-refresh]");
    if (refresh) refresh.hidden = true;
    var latest = {};
    var pending = 0;

    function dependsOn(select) {
      return select.getAttribute("data-depends-on").split(",");
    }

    function dependents(name) {
      return selects.filter(function (select) { return dependsOn(select).indexOf(name) !== -1; });
    }

    function currentValues(names) {
      var query = new URLSearchParams();
      var data = new FormData(form);
      names.forEach(function (name) {
        data.getAll(name).forEach(function (value) { if (value !== "") query.append(name, value); });
      });
      return query;
    }

    function rebuild(select, options) {
      var keep = select.value;
      var placeholder = select.getAttribute("data-placeholder");
      while (select.firstChild) select.removeChild(select.firstChild);
      if (placeholder !== null) select.appendChild(new Option(placeholder, ""));
      options.forEach(function (option) {
        var value = String(option.value);
        select.appendChild(new Option(String(option.label), value, false, value === keep));
      });
      if (select.value !== keep && placeholder !== null) select.value = "";
    }

    function setBusy(change) {
      pending += change;
      form.setAttribute("data-pending", String(pending));
    }

    function refill(select) {
      var url = base + encodeURIComponent(select.name) + ".json?" + currentValues(dependsOn(select));
      var ticket = (latest[select.name] || 0) + 1;
      latest[select.name] = ticket;
      setBusy(1);
      select.setAttribute("aria-busy", "true");
      return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body.error || response.statusText);
            return body;
          });
        })
        .then(function (body) {
          if (latest[select.name] !== ticket) return null;
          rebuild(select, body.options);
          return update(select.name);
        })
        .catch(function (error) {
          select.setCustomValidity("Could not load the choices: " + error.message);
        })
        .then(function () {
          select.removeAttribute("aria-busy");
          setBusy(-1);
        });
    }

    function update(name) {
      return Promise.all(dependents(name).map(refill));
    }

    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target && target.name) {
        if (target.setCustomValidity) target.setCustomValidity("");
        update(target.name);
      }
    });
    form.setAttribute("data-pending", "0");
  }

  // A parameter with too many choices to list is a search box: as you type, the server
  // answers the choices whose label holds the text (given the values it depends on).
  function setUpSearch() {
    var form = document.querySelector("form[data-choices-base]");
    if (!form) return;
    var base = form.getAttribute("data-choices-base");
    form.querySelectorAll("input[data-search-choices]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      var timer = null;
      var ticket = 0;
      function search() {
        var query = new URLSearchParams();
        var data = new FormData(form);
        (input.getAttribute("data-depends-on") || "").split(",").filter(Boolean)
          .forEach(function (name) {
            data.getAll(name).forEach(function (value) { if (value !== "") query.append(name, value); });
          });
        query.set("q", input.value);
        var mine = ++ticket;
        fetch(base + encodeURIComponent(input.name) + ".json?" + query,
              { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (body) {
            if (!body || mine !== ticket) return;
            while (list.firstChild) list.removeChild(list.firstChild);
            body.options.forEach(function (option) {
              var item = document.createElement("option");
              item.value = String(option.value);
              item.textContent = String(option.label);
              list.appendChild(item);
            });
          });
      }
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(search, 150);
      });
    });
  }

  setUpFilter();
  setUpCascade();
  setUpSearch();
})();
