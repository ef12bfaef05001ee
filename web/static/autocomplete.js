// Entity names with suggestions: every <input data-autocomplete> becomes an ARIA 1.2 combobox
// (a list box of matches from /search.json, arrows to move, Enter to choose, Escape to close).
// A chosen suggestion is sent as the entity's id, so a name several entities bear never needs
// the chooser once picked here. Suggestions are written with textContent, never as HTML.
(function () {
  "use strict";

  var LIMIT = 8;
  var DELAY_MS = 120;
  var counter = 0;

  function setUp(input) {
    var id = "ac-" + ++counter;
    var list = document.createElement("ul");
    var status = document.createElement("span");
    var searchUrl = input.dataset.autocompleteUrl || "/search.json";
    var active = -1;
    var hits = [];
    var timer = null;
    var ticket = 0;

    list.id = id + "-list";
    list.className = "ac-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    status.className = "ac-status";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var wrapper = document.createElement("span");
    wrapper.className = "ac";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll('[role="option"]');
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var hit = hits[index];
      if (!hit) return;
      input.value = hit.name;
      input.dataset.chosenName = hit.name;
      input.dataset.chosenId = hit.id;
      close();
      status.textContent = hit.name + " chosen";
    }

    function option(hit, index) {
      var item = document.createElement("li");
      item.id = id + "-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.id = hit.id;
      var name = document.createElement("span");
      name.className = "ac-name";
      name.textContent = hit.name;
      var kind = document.createElement("span");
      kind.className = "ac-kind";
      kind.textContent = hit.kind + (hit.country ? " · " + hit.country : "");
      item.appendChild(name);
      item.appendChild(kind);
      if (hit.matched && hit.matched !== hit.name) {
        var matched = document.createElement("span");
        matched.className = "ac-matched";
        matched.textContent = "“" + hit.matched + "”";
        item.appendChild(matched);
      }
      item.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the input
        choose(index);
      });
      return item;
    }

    function show(text, found) {
      hits = found;
      list.textContent = "";
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "ac-none";
        none.textContent = "No entity matches “" + text + "”";
        list.appendChild(none);
      }
      found.forEach(function (hit, index) { list.appendChild(option(hit, index)); });
      list.hidden = false;
      active = -1;
      input.setAttribute("aria-expanded", "true");
      status.textContent = found.length
        ? found.length + " suggestion" + (found.length === 1 ? "" : "s") + "; use the arrow keys"
        : "No suggestions";
    }

    function suggest() {
      var text = input.value.trim();
      var mine = ++ticket;
      if (text.length < 2) return close();
      var url = new URL(searchUrl, window.location.href);
      url.searchParams.set("q", text);
      url.searchParams.set("limit", String(LIMIT));
      fetch(url.href, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { hits: [] }; })
        .then(function (answer) {
          if (mine === ticket && document.activeElement === input) show(text, answer.hits || []);
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      delete input.dataset.chosenId;
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) return suggest();
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
    if (input.form) {
      input.form.addEventListener("submit", function () {
        if (input.dataset.chosenId && input.value === input.dataset.chosenName) {
          input.value = input.dataset.chosenId;
        }
      });
    }
  }

  document.querySelectorAll("input[data-autocomplete]").forEach(setUp);
})();
