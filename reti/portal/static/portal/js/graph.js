// The network-of-networks graph: draws the JSON data with cytoscape.js and makes it usable
// from the keyboard (arrows move the selection, Enter opens the node's page). The tables
// below the graph carry the same nodes and edges for screen readers and browsers without
// JavaScript; they start open and are folded here once the graph is drawn.
(function () {
  "use strict";

  var COLOURS = { network: "#0066cc", project: "#008055", organisation: "#a66300" };
  var SHAPES = { network: "round-rectangle", project: "diamond", organisation: "ellipse" };
  var MAX_NEIGHBOURS_ANNOUNCED = 5;
  // Layout by type: networks in the centre, projects around them, organisations outside.
  var RINGS = { network: 3, project: 2, organisation: 1 };
  var ZOOM_STEP = 1.5;
  var SCREEN_FONT = 11;
  // Names are drawn only where they do not overlap a name already drawn: networks first, then
  // the most connected nodes. The others are named when selected (arrows, tap) or pointed at,
  // and in the table beside the graph. A few pixels keep neighbouring names apart.
  var KIND_ORDER = { network: 0, project: 1, organisation: 2 };
  var LABEL_GAP = 2;
  // Wide enough for the tables to sit beside the graph (Bootstrap's lg breakpoint).
  var WIDE = "(min-width: 992px)";

  // On a phone both tables fold away below the graph; beside it, on a wide screen, the nodes
  // stay open (the graph's text equivalent in sight) and the edges fold.
  function foldTables() {
    var wide = window.matchMedia(WIDE).matches;
    document.querySelectorAll("#graph-tables .accordion-collapse.show").forEach(function (panel) {
      if (wide && panel.id === "graph-nodes") return;
      panel.classList.remove("show");
      var button = document.querySelector('[aria-controls="' + panel.id + '"]');
      if (button) {
        button.classList.add("collapsed");
        button.setAttribute("aria-expanded", "false");
      }
    });
  }

  function elementsFrom(data) {
    var elements = [];
    data.nodes.forEach(function (node) {
      elements.push({ group: "nodes", data: node });
    });
    data.edges.forEach(function (edge) {
      elements.push({ group: "edges", data: edge });
    });
    return elements;
  }

  function styles() {
    return [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "font-size": 10,
          "min-zoomed-font-size": 7,
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-wrap": "ellipsis",
          "text-max-width": 120,
          color: "#1a1a1a",
          "font-family": "'Titillium Web', Geneva, Tahoma, sans-serif",
          "background-color": function (node) { return COLOURS[node.data("kind")]; },
          shape: function (node) { return SHAPES[node.data("kind")]; },
          width: function (node) { return 14 + Math.min(node.data("degree"), 30); },
          height: function (node) { return 14 + Math.min(node.data("degree"), 30); },
        },
      },
      {
        // Networks are few and the graph is about them: always named, on a white ground, in
        // letters of the same size on screen at any zoom (see `onZoom`), phones included.
        selector: 'node[kind = "network"]',
        style: {
          "font-size": function (node) { return SCREEN_FONT / node.cy().zoom(); },
          "text-max-width": function (node) { return 100 / node.cy().zoom(); },
          "font-weight": "bold",
          "min-zoomed-font-size": 0,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.85,
          "text-background-padding": 1,
          "z-index": 5,
        },
      },
      {
        // A name that would overlap another is not drawn (see `placeLabels`)…
        selector: "node.quiet",
        style: { label: "" },
      },
      {
        // …until the node is pointed at.
        selector: "node.pointed",
        style: {
          label: "data(label)",
          "min-zoomed-font-size": 0,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.9,
          "text-background-padding": 2,
          "z-index": 10,
        },
      },
      {
        selector: "edge",
        style: {
          width: 1,
          "line-color": "#8a9bad",
          "curve-style": "haystack",
          opacity: 0.7,
        },
      },
      {
        selector: 'edge[kind = "link"]',
        style: {
          width: 2,
          "line-color": "#0066cc",
          "curve-style": "bezier",
          "target-arrow-shape": "triangle",
          "target-arrow-color": "#0066cc",
        },
      },
      {
        selector: "node:selected",
        style: {
          label: "data(label)",
          "border-width": 4,
          "border-color": "#ff9900",
          "font-size": 14,
          "font-weight": "bold",
          "min-zoomed-font-size": 0,
          "text-wrap": "wrap",
          "text-max-width": 240,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.9,
          "text-background-padding": 2,
          "z-index": 10,
        },
      },
      {
        selector: "edge.neighbourhood",
        style: { "line-color": "#ff9900", "target-arrow-color": "#ff9900", width: 3, opacity: 1 },
      },
    ];
  }

  function overlaps(a, b) {
    return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  }

  // Draws the names that fit: in order (networks, then by number of ties, then by name), a
  // name is kept when its box on screen overlaps no name kept before it and no node.
  function placeLabels(cy) {
    cy.batch(function () {
      cy.nodes().removeClass("quiet");
    });
    var zoom = cy.zoom();
    function named(node) {
      return node.selected() || node.hasClass("pointed");
    }
    var nodes = cy.nodes(":visible").sort(function (a, b) {
      return (named(b) - named(a)) ||
        (KIND_ORDER[a.data("kind")] - KIND_ORDER[b.data("kind")]) ||
        (b.degree() - a.degree()) || (a.data("name") < b.data("name") ? -1 : 1);
    });
    var taken = [];
    var quiet = [];
    nodes.forEach(function (node) {
      var shown = named(node) || parseFloat(node.style("font-size")) * zoom >=
        parseFloat(node.style("min-zoomed-font-size"));
      if (!shown) return;
      var box = node.renderedBoundingBox({ includeNodes: false, includeEdges: false });
      var padded = {
        x1: box.x1 - LABEL_GAP, x2: box.x2 + LABEL_GAP, y1: box.y1 - LABEL_GAP, y2: box.y2 + LABEL_GAP,
      };
      if (!named(node) && taken.some(function (other) { return overlaps(padded, other); })) {
        quiet.push(node);
      } else {
        taken.push(padded);
      }
    });
    cy.batch(function () {
      quiet.forEach(function (node) { node.addClass("quiet"); });
    });
  }

  // The nearest node in the arrow's direction, preferring nodes close to the straight line.
  function nextNode(cy, current, key) {
    var direction = {
      ArrowRight: [1, 0],
      ArrowLeft: [-1, 0],
      ArrowDown: [0, 1],
      ArrowUp: [0, -1],
    }[key];
    var from = current.position();
    var best = null;
    var bestScore = Infinity;
    cy.nodes(":visible").forEach(function (node) {
      if (node.same(current)) return;
      var to = node.position();
      var dx = to.x - from.x;
      var dy = to.y - from.y;
      var along = dx * direction[0] + dy * direction[1];
      if (along <= 0) return;
      var across = Math.abs(dx * direction[1] - dy * direction[0]);
      var score = along + 2 * across;
      if (score < bestScore) {
        bestScore = score;
        best = node;
      }
    });
    return best;
  }

  function start(container) {
    var status = document.getElementById("graph-status");
    var openLink = document.getElementById("graph-open");
    var text = container.dataset;
    var cy;

    function describe(node) {
      var neighbours = node.connectedEdges().map(function (edge) {
        var other = edge.source().same(node) ? edge.target() : edge.source();
        return other.data("label") + (edge.data("label") ? " (" + edge.data("label") + ")" : "");
      });
      var shown = neighbours.slice(0, MAX_NEIGHBOURS_ANNOUNCED).join(", ");
      if (neighbours.length > MAX_NEIGHBOURS_ANNOUNCED) shown += ", …";
      var parts = [
        node.data("name") + " — " + text["kind" + node.data("kind").charAt(0).toUpperCase() +
          node.data("kind").slice(1)] + ".",
        neighbours.length + " " + text.ties + (shown ? ": " + shown + "." : "."),
      ];
      if (node.data("url")) parts.push(text.open);
      return parts.join(" ");
    }

    function select(node) {
      cy.elements().unselect();
      cy.edges(".neighbourhood").removeClass("neighbourhood");
      node.select();
      node.connectedEdges().addClass("neighbourhood");
      placeLabels(cy);
      var box = node.renderedBoundingBox();
      if (box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height()) {
        cy.center(node);
      }
      status.textContent = describe(node);
      if (node.data("url")) {
        openLink.href = node.data("url");
        openLink.textContent = text.openLink + " " + node.data("name");
        openLink.hidden = false;
      } else {
        openLink.hidden = true;
      }
    }

    function mostConnected() {
      return cy.nodes(":visible").max(function (node) { return node.degree(); }).ele;
    }

    function selected() {
      return cy.nodes(":selected").first();
    }

    function onKey(event) {
      var current = selected();
      if (event.key === "Home" && cy.nodes(":visible").nonempty()) {
        event.preventDefault();
        select(mostConnected());
      } else if (event.key.indexOf("Arrow") === 0) {
        event.preventDefault();
        if (current.empty()) {
          select(mostConnected());
          return;
        }
        var next = nextNode(cy, current, event.key);
        if (next) select(next);
      } else if (event.key === "Enter" && current.nonempty() && current.data("url")) {
        event.preventDefault();
        window.location.assign(current.data("url"));
      }
    }

    // Zoom buttons (also for touch screens without pinch) and a filter by type.
    function controls() {
      document.querySelectorAll("[data-graph-zoom]").forEach(function (button) {
        button.addEventListener("click", function () {
          var how = button.dataset.graphZoom;
          if (how === "fit") {
            cy.fit(cy.elements(":visible"), 20);
            return;
          }
          var level = cy.zoom() * (how === "in" ? ZOOM_STEP : 1 / ZOOM_STEP);
          cy.zoom({ level: level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
        });
      });
      document.querySelectorAll("[data-graph-kind]").forEach(function (box) {
        box.addEventListener("change", function () {
          var nodes = cy.nodes('[kind = "' + box.dataset.graphKind + '"]');
          nodes.style("display", box.checked ? "element" : "none");
          if (!box.checked && nodes.filter(":selected").nonempty()) {
            cy.elements().unselect();
            status.textContent = "";
            openLink.hidden = true;
          }
          placeLabels(cy);
        });
      });
    }

    fetch(container.dataset.source, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        cy = window.cytoscape({
          container: container,
          elements: elementsFrom(data),
          style: styles(),
          layout: {
            name: "concentric",
            animate: false,
            concentric: function (node) { return RINGS[node.data("kind")]; },
            levelWidth: function () { return 1; },
            minNodeSpacing: 8,
            avoidOverlap: true,
          },
          selectionType: "single",
          boxSelectionEnabled: false,
          minZoom: 0.1,
          maxZoom: 4,
        });
        cy.on("tap", "node", function (event) { select(event.target); });
        cy.on("dbltap", "node", function (event) {
          if (event.target.data("url")) window.location.assign(event.target.data("url"));
        });
        container.addEventListener("keydown", onKey);
        var pendingZoom = null;
        cy.on("zoom", function () {
          clearTimeout(pendingZoom);
          pendingZoom = setTimeout(function () {
            cy.nodes('[kind = "network"]').updateStyle();
            placeLabels(cy);
          }, 50);
        });
        // A pointer over a node names it, whatever the names around it.
        cy.on("mouseover", "node", function (event) {
          event.target.addClass("pointed");
          placeLabels(cy);
        });
        cy.on("mouseout", "node", function (event) {
          event.target.removeClass("pointed");
          placeLabels(cy);
        });
        cy.nodes('[kind = "network"]').updateStyle();
        placeLabels(cy);
        controls();
        container.dataset.ready = "true";
        foldTables();
      })
      .catch(function () {
        status.textContent = text.error;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var view = document.getElementById("graph-view");
    var container = document.getElementById("graph");
    if (!view || !container || typeof window.cytoscape !== "function") return;
    view.hidden = false;
    var layout = document.getElementById("graph-layout");
    if (layout) layout.classList.add("is-drawn");
    start(container);
  });
})();
