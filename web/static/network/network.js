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

  function openUrl(raw) {
    var url = safeUrl(raw);
    if (url) navigationTarget(url).location.assign(url.href);
  }

  var data = readJson("net-data");
  var options = readJson("net-options");
  var container = document.getElementById("mynetwork");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.ecomapNetwork = network;

  network.once("afterDrawing", function () {
    document.body.dataset.ready = "1";
  });
  network.fit({ animation: false });

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
    network.fit({ animation: { duration: 300 } });
  });
  document.getElementById("net-tie-labels").addEventListener("change", function (event) {
    var show = event.target.checked;
    edges.update(
      data.edges
        .filter(function (edge) { return edge.words; })
        .map(function (edge) { return { id: edge.id, label: show ? edge.words : "" }; })
    );
  });
})();
