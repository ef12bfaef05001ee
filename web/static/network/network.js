// Draw an Ecomap network page (web/templates/network/pyvis.html) with the vendored vis-network.
// Data comes from the JSON blocks; positions are fixed on the server, so physics stays off.
// Tooltips are plain strings: vis-network 9.1.2 shows them with innerText, never as HTML.
(function () {
  "use strict";

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  // Resolve a node's url against the page; only http(s) URLs are followed.
  function safeUrl(raw) {
    if (typeof raw !== "string" || raw === "") return null;
    var url;
    try {
      url = new URL(raw, window.location.href);
    } catch (error) {
      return null;
    }
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  }

  // The top window when the page is framed by a page of our own origin; else this window.
  function navigationTarget(url) {
    try {
      if (
        window.top !== window.self &&
        url.origin === window.location.origin &&
        window.top.location.origin === window.location.origin
      ) {
        return window.top;
      }
    } catch (error) {
      // a cross-origin parent: stay in this window
    }
    return window;
  }

  // Whether a page of another origin frames this one (an intranet embed).
  function framedByAnotherOrigin() {
    if (window.top === window.self) return false;
    try {
      return window.top.location.origin !== window.location.origin;
    } catch (error) {
      return true;
    }
  }

  // Open a node's page: in a new tab from an embed (our pages refuse other origins' frames).
  function openUrl(raw) {
    var url = safeUrl(raw);
    if (!url) return;
    if (framedByAnotherOrigin()) {
      window.open(url.href, "_blank", "noopener");
      return;
    }
    navigationTarget(url).location.assign(url.href);
  }

  // In a narrow frame (an intranet column) the legend starts folded, so the drawing has room.
  var legendFold = document.querySelector(".net-legend-fold");
  if (legendFold && window.matchMedia("(max-width: 480px)").matches) legendFold.open = false;

  var data = readJson("net-data");  // the drawing shown; the year slider may swap it
  var options = readJson("net-options");
  var container = document.getElementById("mynetwork");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.ecomapNetwork = network;

  network.once("afterDrawing", function () {
    fitAll(); // the labels have their sizes once drawn
    document.body.dataset.ready = "1";
  });
  // Fit the drawing to its frame with the labels inside: vis-network's fit counts the nodes
  // only, so the label of an outermost node would hang over the edge.
  function drawnBox() {
    var box = null;
    network.body.nodeIndices.forEach(function (id) {
      var node = network.body.nodes[id];
      var shape = node.shape.boundingBox;
      var label = node.labelModule.size;
      var parts = [[shape.left, shape.top, shape.right, shape.bottom]];
      if (label.width > 0) {
        parts.push([label.left, label.top, label.left + label.width, label.top + label.height]);
      }
      parts.forEach(function (p) {
        if (!box) box = { left: p[0], top: p[1], right: p[2], bottom: p[3] };
        box.left = Math.min(box.left, p[0]);
        box.top = Math.min(box.top, p[1]);
        box.right = Math.max(box.right, p[2]);
        box.bottom = Math.max(box.bottom, p[3]);
      });
    });
    return box;
  }

  function fitAll() {
    network.fit({ animation: false });
    var box = drawnBox();
    var frame = container.getBoundingClientRect();
    if (!box || box.right <= box.left || box.bottom <= box.top || !frame.width) return;
    var scale = 0.96 * Math.min(
      frame.width / (box.right - box.left),
      frame.height / (box.bottom - box.top)
    );
    network.moveTo({
      position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
      scale: Math.min(scale, network.getScale()),
      animation: false,
    });
  }
  fitAll();

  // A frame that changes size (a printed page, a turned phone) draws the whole view again,
  // unless the reader has moved or zoomed it.
  var moved = false;
  network.on("dragEnd", function () { moved = true; });
  network.on("zoom", function () { moved = true; });
  var refit = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(refit);
    refit = window.setTimeout(function () {
      if (!moved) fitAll();
    }, 60);
  });
  window.addEventListener("beforeprint", function () {
    network.redraw();
    if (!moved) fitAll();
  });

  network.on("click", function (params) {
    if (params.nodes.length === 1) {
      var node = nodes.get(params.nodes[0]);
      if (node && node.url) openUrl(node.url);
    }
  });
  network.on("hoverNode", function (params) {
    var node = nodes.get(params.node);
    container.style.cursor = node && node.url ? "pointer" : "default";
  });
  network.on("blurNode", function () {
    container.style.cursor = "default";
  });

  document.getElementById("net-fit").addEventListener("click", function () {
    moved = false;
    fitAll();
  });
  var tieLabels = document.getElementById("net-tie-labels");
  function labelTies() {
    var show = tieLabels.checked;
    edges.update(
      edges.get()
        .filter(function (edge) { return edge.words; })
        .map(function (edge) { return { id: edge.id, label: show ? edge.words : "" }; })
    );
  }
  tieLabels.addEventListener("change", labelTies);

  // The year slider: fetch the .json twin as of a year and show what is in force then. When the
  // twin holds only what is drawn (an ego network), the drawing keeps its places and hides the
  // rest; when it names more (the paths of another year), the view of that year is drawn anew.
  var years = document.getElementById("net-years");
  if (years) setUpYears(years);

  // The entity and tie ids a twin names: an ego network's nodes and edges, or its "drawn" ids.
  function twinKeys(twin) {
    if (twin.drawn) return twin.drawn;
    return {
      nodes: twin.nodes.map(function (node) { return node.id; }),
      ties: twin.edges.map(function (edge) { return edge.id; }),
    };
  }

  function setUpYears(panel) {
    var slider = document.getElementById("net-year");
    var shown = document.getElementById("net-year-shown");
    var play = document.getElementById("net-play");
    var summary = document.querySelector(".net-summary");
    var allYears = summary.textContent;
    var first = { data: data, options: options, legend: document.querySelector(".net-legend") };
    var current = first;
    var latest = 0;
    var playing = null;

    function withYear(raw, year) {
      var url = new URL(raw, window.location.href);
      url.searchParams.set("as_of", String(year));
      return url.href;
    }

    // Whether every entity and tie the twin names is in the first drawing.
    function drawnAlready(keys) {
      var nodeSet = new Set(first.data.nodes.map(function (node) { return node.key; }));
      var tieSet = new Set();
      first.data.edges.forEach(function (edge) {
        (edge.keys || []).forEach(function (key) { tieSet.add(key); });
      });
      return keys.nodes.every(function (key) { return nodeSet.has(key); }) &&
        keys.ties.every(function (key) { return tieSet.has(key); });
    }

    // Put a drawing (its data, options and legend) on the canvas in place of the current one.
    function redraw(drawing) {
      if (drawing === current) return;
      network.setOptions({ groups: drawing.options.groups });
      nodes.clear();
      edges.clear();
      nodes.add(drawing.data.nodes);
      edges.add(drawing.data.edges);
      var fold = drawing.legend.querySelector(".net-legend-fold");
      var wasFolded = current.legend.querySelector(".net-legend-fold");
      if (fold && wasFolded) fold.open = wasFolded.open;
      current.legend.replaceWith(drawing.legend);
      current = drawing;
      data = drawing.data;
      fitAll();
    }

    // Read the drawing of the view as of a year from its page (our own escaped HTML).
    function fetchDrawing(year) {
      return fetch(withYear(panel.dataset.view, year)).then(function (response) {
        if (!response.ok) throw new Error("the view for " + year + " answered " + response.status);
        return response.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        return {
          data: JSON.parse(page.getElementById("net-data").textContent),
          options: JSON.parse(page.getElementById("net-options").textContent),
          legend: document.importNode(page.querySelector(".net-legend"), true),
        };
      });
    }

    // Show the nodes and ties whose keys are given (null: everything drawn); count them.
    function keep(nodeKeys, tieKeys) {
      var nodeSet = nodeKeys && new Set(nodeKeys);
      var tieSet = tieKeys && new Set(tieKeys);
      var ties = 0;
      edges.update(
        data.edges.filter(function (edge) { return edge.keys; }).map(function (edge) {
          var kept = edge.keys.filter(function (key) { return !tieSet || tieSet.has(key); });
          var count = kept.length;
          ties += count;
          var words = count === 1 ? edge.each[edge.keys.indexOf(kept[0])] : count + " ties";
          return { id: edge.id, hidden: count === 0, words: words, count: count };
        })
      );
      var visible = data.nodes.filter(function (node) {
        return !node.key || !nodeSet || nodeSet.has(node.key);
      });
      nodes.update(
        data.nodes.filter(function (node) { return node.key; }).map(function (node) {
          return { id: node.id, hidden: Boolean(nodeSet) && !nodeSet.has(node.key) };
        })
      );
      labelTies();
      document.body.dataset.ties = String(ties);
      return { nodes: visible.filter(function (node) { return node.key; }).length, ties: ties };
    }

    function showYear(year) {
      var ticket = ++latest;
      document.body.dataset.loading = "1";
      return fetch(withYear(panel.dataset.twin, year), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("the view for " + year + " answered " + response.status);
          return response.json();
        })
        .then(function (twin) {
          var keys = twinKeys(twin);
          return drawnAlready(keys) ? { drawing: first, keys: keys }
            : fetchDrawing(year).then(function (drawing) { return { drawing: drawing, keys: keys }; });
        })
        .then(function (found) {
          if (ticket !== latest) return;
          redraw(found.drawing);
          var counts = keep(found.keys.nodes, found.keys.ties);
          shown.textContent = String(year);
          summary.textContent = counts.nodes + " nodes · " + counts.ties + " ties in force in " + year +
            (counts.ties === 0 ? ": none of these ties had begun then, or all had ended" : "");
          document.body.dataset.year = String(year);
          delete document.body.dataset.loading;
        })
        .catch(function (error) {
          if (ticket !== latest) return;
          summary.textContent = "Could not load " + year + ": " + error.message;
          delete document.body.dataset.loading;
        });
    }

    function stop() {
      if (playing !== null) window.clearTimeout(playing);
      playing = null;
      play.textContent = "▶ Play";
    }

    function step() {
      var year = Number(slider.value);
      showYear(year).then(function () {
        if (playing === null) return;
        if (year >= Number(slider.max)) return stop();
        playing = window.setTimeout(function () {
          slider.value = String(year + 1);
          step();
        }, 700);
      });
    }

    slider.addEventListener("input", function () {
      stop();
      showYear(Number(slider.value));
    });
    play.addEventListener("click", function () {
      if (playing !== null) return stop();
      if (Number(slider.value) >= Number(slider.max)) slider.value = slider.min;
      playing = 0;
      play.textContent = "❚❚ Pause";
      step();
    });
    document.getElementById("net-all-years").addEventListener("click", function () {
      stop();
      latest++;
      redraw(first);
      keep(null, null);
      shown.textContent = "all years";
      summary.textContent = allYears;
      delete document.body.dataset.year;
    });
  }
})();
