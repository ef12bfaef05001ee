// Draw the whole graph (web/templates/overview.html) with the vendored sigma.js and graphology.
//
// The server sends positions laid out once per data load, in a compact form: ids and names as
// string arrays, kinds and countries as indices, positions and tied pairs as base64 typed
// arrays. Nothing here lays anything out. Sigma holds the entities; the ties are drawn by one
// WebGL layer under sigma's straight from the typed arrays (half a million edges in graphology
// and sigma cost more than a second before the first picture). Ties are hidden while the view
// moves (as on the big network pages), and nodes are drawn smaller the more crowded the
// drawing, so panning and zooming stay fluid at 100,000 entities. Names only ever go into
// textContent, never into HTML.
(function () {
  "use strict";

  const root = document.getElementById("overview");
  const stage = document.getElementById("overview-stage");
  const status = document.getElementById("overview-status");
  if (!root || !document.getElementById("overview-find")) {
    if (stage) stage.classList.add("empty");
    document.body.dataset.ready = "1";
    return;
  }
  const colours = JSON.parse(root.dataset.colours);
  const FOCUS_RATIO = 0.04; // the camera's zoom when a name is found
  const LABEL_LENGTH = 18; // longer names are shortened on the drawing, whole on hover
  const ROOM_PER_NODE = 10; // px between nodes below which nodes are drawn smaller
  const MIN_SIZE = 0.8; // px: the smallest node radius
  const MOVING_NODES = 20000; // nodes drawn while the view moves (all of them once it stops)
  const TIE_COLOUR = [0xcf / 255, 0xd6 / 255, 0xde / 255]; // #cfd6de, as on the network pages
  const number = (n) => n.toLocaleString("en");

  function decode(text, Type) {
    const bytes = Uint8Array.fromBase64 ? Uint8Array.fromBase64(text) : legacyDecode(text);
    return new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
  }

  function legacyDecode(text) {
    const raw = atob(text);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // A node's size grows with its ties; a crowded drawing shrinks every node (each then has
  // fewer pixels of its own, and software WebGL pays for every pixel drawn). Sigma grows
  // them again as the view zooms in.
  function nodeSizes(n, pairs) {
    const degree = new Uint32Array(n);
    for (let j = 0; j < pairs.length; j++) degree[pairs[j]]++;
    const room = Math.sqrt((stage.clientWidth * stage.clientHeight) / Math.max(n, 1));
    const scale = Math.min(1, room / ROOM_PER_NODE);
    const size = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      size[i] = Math.max(MIN_SIZE, Math.min(14, 2 + Math.sqrt(degree[i]) * 0.9) * scale);
    }
    return size;
  }

  // The order sigma draws in, which is the order nodes are added: while the view moves only
  // the first MOVING_NODES are drawn, so they are the best-tied quarter of them and then an
  // even spread of the rest (a fixed shuffle: the same graph moves the same way).
  function drawingOrder(n, size) {
    const byTies = Array.from({ length: n }, (_, i) => i).sort((a, b) => size[b] - size[a] || a - b);
    const first = byTies.slice(0, Math.floor(MOVING_NODES / 4));
    const rest = byTies.slice(first.length);
    const spread = (i) => Math.imul(i + 1, 2654435761) >>> 0;
    rest.sort((a, b) => spread(a) - spread(b));
    return first.concat(rest);
  }

  function shortened(name) {
    return name.length > LABEL_LENGTH ? `${name.slice(0, LABEL_LENGTH - 1)}…` : name;
  }

  function buildGraph(data) {
    const n = data.nodes;
    const xy = decode(data.xy, Float32Array);
    const pairs = decode(data.pair, Uint32Array);
    const kind = decode(data.kind, Uint8Array);
    const size = nodeSizes(n, pairs);
    const kindColour = data.kinds.map((k) => colours[k] || colours[""]);
    const graph = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    for (const i of drawingOrder(n, size)) {
      graph.addNode(String(i), {
        x: xy[2 * i], y: -xy[2 * i + 1], size: size[i],
        color: kindColour[kind[i]], label: shortened(data.name[i]),
      });
    }
    return { graph, kind, country: decode(data.country, Uint16Array), xy, pairs };
  }

  // Sigma picks which names to show by a grid; this draws a name only where it overlaps no
  // name already drawn in this frame and fits inside the drawing.
  const labelBoxes = [];

  function drawLabel(context, node, settings) {
    if (!node.label) return;
    const size = settings.labelSize;
    context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
    const box = { x: node.x + node.size + 3, y: node.y - size / 2 - 2, w: 0, h: size + 4 };
    box.w = context.measureText(node.label).width + 4;
    const clash = labelBoxes.some((other) => box.x < other.x + other.w && other.x < box.x + box.w
      && box.y < other.y + other.h && other.y < box.y + box.h);
    if (clash || box.x + box.w > stage.clientWidth || box.y < 0 || box.y + box.h > stage.clientHeight) {
      return;
    }
    labelBoxes.push(box);
    context.fillStyle = "#1d2733";
    context.fillText(node.label, box.x + 1, node.y + size / 3);
  }

  function isMoving(renderer) {
    const captor = renderer.getMouseCaptor();
    return renderer.getCamera().isAnimated() || captor.isMoving || captor.draggedEvents
      || captor.currentWheelDirection;
  }

  // The ties: one WebGL layer under sigma's canvases, one line per tied pair, positions as
  // sigma places the nodes (the affine map from graph to screen is read from sigma's own
  // graphToViewport, so zoom, pan and rotation follow). Pairs with a hidden end are left out.
  function tieLayer(xy, pairs) {
    const canvas = document.createElement("canvas");
    canvas.className = "overview-ties";
    stage.prepend(canvas);
    const gl = canvas.getContext("webgl", { antialias: false, premultipliedAlpha: true });
    if (!gl) return { draw() {}, show() {}, count: 0 };
    const shader = (type, source) => {
      const made = gl.createShader(type);
      gl.shaderSource(made, source);
      gl.compileShader(made);
      return made;
    };
    const program = gl.createProgram();
    gl.attachShader(program, shader(gl.VERTEX_SHADER,
      "attribute vec2 a_xy; uniform mat3 u_matrix;" +
      "void main() { gl_Position = vec4((u_matrix * vec3(a_xy, 1.0)).xy, 0.0, 1.0); }"));
    gl.attachShader(program, shader(gl.FRAGMENT_SHADER,
      "precision mediump float; uniform vec3 u_colour;" +
      "void main() { gl_FragColor = vec4(u_colour, 1.0); }"));
    gl.linkProgram(program);
    const buffer = gl.createBuffer();
    const where = { matrix: gl.getUniformLocation(program, "u_matrix"),
      colour: gl.getUniformLocation(program, "u_colour"), xy: gl.getAttribLocation(program, "a_xy") };
    const layer = { count: 0, drawn: false };

    // Graph coordinates are centred before they become 32-bit floats: exact enough at any zoom.
    let cx = 0, cy = 0;
    for (let i = 0; i < xy.length; i += 2) { cx += xy[i]; cy += xy[i + 1]; }
    cx /= Math.max(1, xy.length / 2);
    cy /= Math.max(1, xy.length / 2);

    layer.show = (hidden) => {
      const ends = new Float32Array(pairs.length * 2);
      let k = 0;
      for (let j = 0; j < pairs.length; j += 2) {
        const a = pairs[j], b = pairs[j + 1];
        if (hidden && (hidden[a] || hidden[b])) continue;
        ends[k++] = xy[2 * a] - cx; ends[k++] = -(xy[2 * a + 1] - cy);
        ends[k++] = xy[2 * b] - cx; ends[k++] = -(xy[2 * b + 1] - cy);
      }
      gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
      gl.bufferData(gl.ARRAY_BUFFER, ends.subarray(0, k), gl.STATIC_DRAW);
      layer.count = k / 4;
    };

    layer.draw = (renderer, visible) => {
      const width = stage.clientWidth, height = stage.clientHeight;
      const ratio = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
        canvas.style.width = `${width}px`;
        canvas.style.height = `${height}px`;
      }
      if (!visible && !layer.drawn) return; // nothing to wipe: leave the canvas untouched
      gl.viewport(0, 0, canvas.width, canvas.height);
      gl.clearColor(0, 0, 0, 0);
      gl.clear(gl.COLOR_BUFFER_BIT);
      layer.drawn = visible && layer.count > 0;
      if (!layer.drawn) return;
      // Screen position = o + x·ex + y·ey for graph (x, y): read at three points.
      const o = renderer.graphToViewport({ x: cx, y: -cy });
      const px = renderer.graphToViewport({ x: cx + 1, y: -cy });
      const py = renderer.graphToViewport({ x: cx, y: -cy + 1 });
      const [ax, ay, bx, by] = [px.x - o.x, px.y - o.y, py.x - o.x, py.y - o.y];
      gl.useProgram(program);
      gl.uniformMatrix3fv(where.matrix, false, new Float32Array([
        (2 * ax) / width, (-2 * ay) / height, 0,
        (2 * bx) / width, (-2 * by) / height, 0,
        (2 * o.x) / width - 1, 1 - (2 * o.y) / height, 1,
      ]));
      gl.uniform3fv(where.colour, TIE_COLOUR);
      gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
      gl.enableVertexAttribArray(where.xy);
      gl.vertexAttribPointer(where.xy, 2, gl.FLOAT, false, 0, 0);
      gl.drawArrays(gl.LINES, 0, layer.count * 2);
    };
    return layer;
  }

  // Sigma's point program, lighter while the view moves: no picking pass (it only finds the
  // node under the pointer, which nobody asks for mid-drag, and it doubles the work of every
  // frame), and only the first MOVING_NODES nodes (see drawingOrder): software WebGL pays
  // for every point. Sigma draws everything again, with picking, once the view stops.
  function steadyPointProgram(PointProgram) {
    return class SteadyPointProgram extends PointProgram {
      render(params) {
        if (!isMoving(this.renderer) || !this.pickProgram) return super.render(params);
        const picking = this.pickProgram;
        const count = this.verticesCount;
        this.pickProgram = null;
        this.verticesCount = Math.min(count, MOVING_NODES * this.VERTICES);
        try {
          return super.render(params);
        } finally {
          this.pickProgram = picking;
          this.verticesCount = count;
        }
      }
    };
  }

  function draw(data) {
    performance.mark("overview-data"); // the benchmark reads these marks
    const { graph, kind, country, xy, pairs } = buildGraph(data);
    performance.mark("overview-graph");
    const ties = tieLayer(xy, pairs);
    ties.show(null);
    const SigmaClass = window.Sigma.Sigma || window.Sigma;
    const renderer = new SigmaClass(graph, stage, {
      // Plain (not instanced) programs: software WebGL draws instances one by one.
      nodeProgramClasses: { circle: steadyPointProgram(window.Sigma.rendering.NodePointProgram) },
      hideLabelsOnMove: true,
      labelRenderedSizeThreshold: data.nodes <= 2000 ? 3 : 9,
      labelDensity: stage.clientWidth < 600 ? 0.12 : 0.3, // fewer names on a phone
      labelGridCellSize: 160,
      stagePadding: 50,
      defaultDrawNodeLabel: drawLabel,
      labelFont: "system-ui, sans-serif",
      zIndex: false,
      minCameraRatio: 0.002,
      maxCameraRatio: 4,
    });
    performance.mark("overview-sigma");
    renderer.on("beforeRender", () => { labelBoxes.length = 0; });
    renderer.on("afterRender", () => ties.draw(renderer, !isMoving(renderer)));
    ties.draw(renderer, true);
    const view = { data, graph, kind, country, pairs, renderer, ties, shown: data.nodes,
      focused: null };
    view.index = new Map(data.id.map((id, i) => [id, i]));
    window.ecomapOverview = view;
    // Sigma draws once as it is built; the next frame puts that drawing on screen.
    requestAnimationFrame(() => {
      view.firstDraw = performance.now();
      document.body.dataset.ready = "1";
    });
    buildFilters(view);
    bindPointer(view);
    bindFind(view);
    report(view);
  }

  function report(view) {
    const data = view.data;
    root.dataset.nodes = String(data.nodes);
    root.dataset.pairs = String(data.pairs);
    root.dataset.shown = String(view.shown);
    const which = view.shown === data.nodes ? `${number(data.nodes)} entities`
      : `${number(view.shown)} of ${number(data.nodes)} entities`;
    status.textContent = `${which}, ${number(data.pairs)} tied pairs ` +
      `(${number(data.ties)} ties). Laid out on the server for the data as of ` +
      `${data.data_as_of || "—"}.`;
  }

  function buildFilters(view) {
    const box = document.getElementById("overview-kinds");
    view.data.kinds.forEach((name, i) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.checked = true;
      input.value = String(i);
      input.dataset.kind = name;
      const swatch = document.createElement("span");
      swatch.className = "overview-swatch";
      swatch.style.background = colours[name] || colours[""];
      label.append(input, swatch, document.createTextNode(name));
      box.append(label);
    });
    const select = document.getElementById("overview-country");
    view.data.countries.forEach((code, i) => {
      const option = document.createElement("option");
      option.value = String(i);
      option.textContent = code;
      select.append(option);
    });
    box.addEventListener("change", () => applyFilters(view));
    select.addEventListener("change", () => applyFilters(view));
  }

  function applyFilters(view) {
    const on = new Uint8Array(view.data.kinds.length);
    document.querySelectorAll("#overview-kinds input:checked").forEach((input) => {
      on[Number(input.value)] = 1;
    });
    const chosen = document.getElementById("overview-country").value;
    const country = chosen === "" ? -1 : Number(chosen);
    let shown = 0;
    const hidden = new Uint8Array(view.data.nodes);
    view.graph.updateEachNodeAttributes((node, attributes) => {
      const i = Number(node);
      attributes.hidden = !on[view.kind[i]] || (country >= 0 && view.country[i] !== country);
      hidden[i] = attributes.hidden ? 1 : 0;
      if (!attributes.hidden) shown++;
      return attributes;
    }, { attributes: ["hidden"] });
    view.ties.show(shown === view.data.nodes ? null : hidden);
    view.shown = shown;
    report(view);
  }

  function describe(view, i) {
    const data = view.data;
    const code = view.country[i] < data.countries.length ? data.countries[view.country[i]] : "";
    return [data.name[i], data.kinds[view.kind[i]] + (code ? `, ${code}` : "")];
  }

  function bindPointer(view) {
    const hover = document.getElementById("overview-hover");
    const hint = hover.textContent;
    view.renderer.on("enterNode", ({ node }) => {
      const [name, what] = describe(view, Number(node));
      const strong = document.createElement("strong");
      strong.textContent = name;
      hover.replaceChildren(strong, document.createTextNode(` (${what}): click to open`));
      stage.style.cursor = "pointer";
    });
    view.renderer.on("leaveNode", () => {
      hover.textContent = hint;
      stage.style.cursor = "";
    });
    view.renderer.on("clickNode", ({ node }) => open(view, Number(node)));
  }

  function open(view, i) {
    const path = root.dataset.entity.replace("ENTITY", encodeURIComponent(view.data.id[i]));
    window.location.assign(path);
  }

  function bindFind(view) {
    const form = document.getElementById("overview-find");
    const found = document.getElementById("overview-found");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const q = form.elements.q.value.trim();
      if (!q) return;
      found.textContent = "Searching…";
      let hits = [];
      try {
        const url = `${root.dataset.search}?q=${encodeURIComponent(q)}&limit=10`;
        const answer = await fetch(url, { headers: { Accept: "application/json" } });
        hits = answer.ok ? ((await answer.json()).hits || []) : [];
      } catch (error) {
        found.textContent = `The search did not answer (${error.message}); try again.`;
        return;
      }
      hits = hits.filter((hit) => view.index.has(hit.id));
      if (!hits.length) {
        found.textContent = `No entity in the drawing is called “${q}”. ` +
          "Try part of the name, a local name or an alias.";
        return;
      }
      focus(view, view.index.get(hits[0].id));
      offerOthers(view, found, hits.slice(1));
    });
  }

  function focus(view, i) {
    const { graph, renderer } = view;
    if (view.focused !== null) graph.setNodeAttribute(String(view.focused), "highlighted", false);
    graph.setNodeAttribute(String(i), "highlighted", true);
    view.focused = i;
    const [name, what] = describe(view, i);
    const found = document.getElementById("overview-found");
    const strong = document.createElement("strong");
    strong.textContent = name;
    const hidden = graph.getNodeAttribute(String(i), "hidden");
    found.replaceChildren("Found ", strong, ` (${what})` +
      (hidden ? ": hidden by the filters above." : "."));
    const spot = renderer.getNodeDisplayData(String(i));
    root.dataset.focused = "";
    renderer.getCamera().animate({ x: spot.x, y: spot.y, ratio: FOCUS_RATIO }, { duration: 500 },
      () => { root.dataset.focused = view.data.id[i]; });
  }

  function offerOthers(view, found, others) {
    if (!others.length) return;
    found.append(document.createElement("br"), "Also: ");
    others.slice(0, 5).forEach((hit) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = hit.name;
      button.addEventListener("click", () => {
        focus(view, view.index.get(hit.id));
        offerOthers(view, document.getElementById("overview-found"),
          others.filter((other) => other !== hit));
      });
      found.append(button);
    });
  }

  fetch(root.dataset.drawing, { headers: { Accept: "application/json" } })
    .then((answer) => {
      if (!answer.ok) throw new Error(`the server answered ${answer.status}`);
      return answer.json();
    })
    .then((data) => {
      if (data.refused || !data.nodes) {
        status.textContent = data.refused || "The graph holds no entities yet: nothing to draw.";
        stage.classList.add("empty");
        document.body.dataset.ready = "1";
        return;
      }
      draw(data);
    })
    .catch((error) => {
      status.textContent = `The drawing could not be loaded (${error.message}). Reload to try again.`;
      document.body.dataset.ready = "1";
    });
})();
