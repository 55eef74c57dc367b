// The backward explorer's script: it shows step k of the steps written in Python
// (tinygrad_lr/viz/explain.py). Every number and sentence is in the page's JSON data already;
// this script only decides, for step k, which values and gradients are known, which op is the
// current one, and which ops are done.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("explorer-data").textContent);
  const steps = data.steps;
  const last = steps.length - 1;
  const byId = (id) => document.getElementById(id);
  const prev = byId("prev"), next = byId("next"), slider = byId("slider");
  const stepLabel = byId("step"), explain = byId("explain"), info = byId("node-info");
  let current = 0;
  let selected = null;

  // Graphviz names each node and arrow of the drawing in a <title>: "t3", "op2", "group0" for
  // nodes (the keys of the data), "t3->op2" for arrows.
  const titleOf = (g) => (g.querySelector("title") || {}).textContent || "";
  const nodes = new Map();
  const edges = new Map();
  for (const g of document.querySelectorAll("#graph g.node")) nodes.set(titleOf(g).trim(), g);
  for (const g of document.querySelectorAll("#graph g.edge")) edges.set(titleOf(g).trim(), g);

  // Graphviz places each row of a label by its left end. A row this script rewrites is centred
  // on its middle instead, so that text of another length stays centred in its box.
  function centre(row) {
    const middle = parseFloat(row.getAttribute("x")) + row.getComputedTextLength() / 2;
    row.setAttribute("x", middle.toFixed(2));
    row.setAttribute("text-anchor", "middle");
  }

  // The row of a node's label that reads `text` (as Python wrote it into the drawing).
  function findRow(key, text) {
    if (text === null) return null;
    for (const row of nodes.get(key).querySelectorAll("text")) {
      if (row.textContent.replace(/\u00a0/g, " ").trim() === text) {
        centre(row);
        return row;
      }
    }
    console.error(`explorer: the node ${key} of the drawing has no row "${text}"`);
    return null;
  }

  const tensorRows = new Map(); // tensor key -> {value, grad}: the rows that change
  for (const [key, t] of Object.entries(data.tensors)) {
    if (t.box === key && nodes.has(key)) {
      tensorRows.set(key, { value: findRow(key, t.value_node), grad: findRow(key, t.grad_node) });
    }
  }
  const opNameRows = new Map(); // op key -> the row with its name, which gets a ✓ when done
  for (const [key, op] of Object.entries(data.ops)) {
    if (op.box === key && nodes.has(key)) opNameRows.set(key, findRow(key, op.name));
  }

  // A tensor's gradient at step k: the last of its timeline entries made at or before k,
  // [step, text on the node, text in the panel, final?, finite?], or null.
  function gradAt(t, k) {
    let found = null;
    for (const entry of t.grads) {
      if (entry[0] > k) break;
      found = entry;
    }
    return found;
  }

  function setClasses(el, classes) {
    for (const name of ["future", "forward", "backward", "done", "nonfinite"]) {
      el.classList.toggle(name, Boolean(classes[name]));
    }
  }

  function markTensors(k) {
    for (const [key, rows] of tensorRows) {
      const t = data.tensors[key];
      const known = k >= t.value_step;
      const grad = gradAt(t, k);
      if (rows.value) rows.value.classList.toggle("hidden", !known);
      if (rows.grad) {
        rows.grad.classList.toggle("hidden", grad === null);
        if (grad !== null) rows.grad.textContent = grad[1];
      }
      setClasses(nodes.get(key), {
        future: !known,
        nonfinite: (known && !t.finite) || (grad !== null && !grad[4]),
      });
    }
  }

  function markOps(k) {
    const step = steps[k];
    const states = (key, first, doneAt) => ({
      future: k < first,
      forward: step.phase === "forward" && step.box === key,
      backward: step.phase === "backward" && step.box === key,
      done: doneAt !== null && doneAt < k && step.box !== key,
    });
    for (const [key, op] of Object.entries(data.ops)) {
      if (op.box !== key || !nodes.has(key)) continue;
      const classes = states(key, op.forward_step, op.backward_step);
      setClasses(nodes.get(key), classes);
      const name = opNameRows.get(key);
      if (name) name.textContent = op.name + (classes.done ? " ✓" : "");
    }
    for (const [key, group] of Object.entries(data.groups)) {
      if (nodes.has(key)) setClasses(nodes.get(key), states(key, group.first_step, group.done_step));
    }
    for (const g of edges.values()) g.classList.remove("forward", "backward");
    for (const name of step.edges) {
      const edge = edges.get(name);
      if (edge) edge.classList.add(step.phase);
      else console.error(`explorer: the drawing has no arrow ${name}`);
    }
  }

  function paragraph(kind, text) {
    const p = document.createElement("p");
    p.className = kind;
    p.textContent = text;
    return p;
  }

  function showStep(k) {
    const step = steps[k];
    const title = document.createElement("h2");
    title.textContent = step.title;
    const parts = [title];
    if (step.rule) parts.push(paragraph("rule", "rule: " + step.rule));
    for (const [kind, text] of step.lines) parts.push(paragraph(kind, text));
    explain.replaceChildren(...parts);
  }

  function showParameters(k) {
    for (const cell of document.querySelectorAll("#result td.param-grad")) {
      const grad = gradAt(data.tensors[cell.dataset.key], k);
      const final = grad !== null && grad[3];
      cell.textContent = final ? grad[2] : "not computed yet";
      cell.classList.toggle("pending", !final);
    }
  }

  // What a click on a node shows: a tensor's value, gradient and the rule that made it; an
  // op's rule with its inputs and its output; the ops a folded node stands for.
  function tensorLines(t, k) {
    const lines = [["value", `${t.label}: ${t.kind}, shape ${t.shape}, ${t.dtype}`]];
    if (k < t.value_step) lines.push(["note", `value: not computed yet (step ${t.value_step})`]);
    else if (t.value === null) lines.push(["note", "value: not kept by the graph"]);
    else lines.push(["value", `value = ${t.value}`]);
    if (k >= t.value_step && !t.finite) lines.push(["warn", "⚠ the value holds nan or inf"]);
    const grad = gradAt(t, k);
    if (grad !== null) {
      lines.push(["grad", `${grad[3] ? "gradient" : "gradient so far"} = ${grad[2]}`]);
      if (!grad[4]) lines.push(["warn", "⚠ the gradient holds nan or inf"]);
    } else if (t.grads.length) {
      lines.push(["note", `gradient: not yet (the first part arrives at step ${t.grads[0][0]})`]);
    } else {
      lines.push(["note", "gradient: none (nothing that needs a gradient depends on it)"]);
    }
    if (t.producer === null) lines.push(["note", "a leaf: no op made it, so no rule"]);
    else lines.push(["rule", `made by ${data.ops[t.producer].label}: ${data.ops[t.producer].formula}`]);
    return lines;
  }

  function opLines(op, k) {
    const lines = [["value", op.label + (op.detail ? ` (${op.detail})` : "")], ["rule", op.formula]];
    op.inputs.forEach((key, i) => lines.push(["note", `${op.roles[i]}: ${data.tensors[key].label}`]));
    const when = op.backward_step === null ? "no gradient reached it"
      : `its backward runs at step ${op.backward_step}`;
    lines.push(["note", `computed at step ${op.forward_step}; ${when}`]);
    lines.push(["note", "its output:"]);
    return lines.concat(tensorLines(data.tensors[op.output], k));
  }

  function groupLines(group) {
    const lines = [["value", group.text]];
    const shown = group.ops.slice(0, 12).map((key) => data.ops[key]);
    for (const op of shown) {
      const back = op.backward_step === null ? "" : `, backward at step ${op.backward_step}`;
      lines.push(["note", `${op.label}: forward at step ${op.forward_step}${back}`]);
    }
    if (group.ops.length > shown.length) lines.push(["note", `… and ${group.ops.length - shown.length} more`]);
    return lines;
  }

  function showInfo(key) {
    if (selected !== null && nodes.has(selected)) nodes.get(selected).classList.remove("selected");
    selected = key;
    nodes.get(key).classList.add("selected");
    let lines;
    if (data.tensors[key] && data.tensors[key].box === key) lines = tensorLines(data.tensors[key], current);
    else if (data.ops[key]) lines = opLines(data.ops[key], current);
    else lines = groupLines(data.groups[key]);
    const title = document.createElement("h2");
    title.textContent = "Selected node";
    info.replaceChildren(title, ...lines.map(([kind, text]) => paragraph(kind, text)));
  }

  function show(k) {
    current = Math.max(0, Math.min(last, k));
    markTensors(current);
    markOps(current);
    showStep(current);
    showParameters(current);
    if (selected !== null) showInfo(selected);
    stepLabel.textContent = `${current} / ${last}`;
    prev.disabled = current === 0;
    next.disabled = current === last;
    slider.value = String(current);
    const box = steps[current].box;
    if (box !== null && nodes.has(box)) nodes.get(box).scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  prev.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => show(current + 1));
  slider.addEventListener("input", () => show(Number(slider.value)));
  document.addEventListener("keydown", (event) => {
    // The slider moves itself with the arrow keys (and reports it as "input").
    if (event.target === slider || event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: last };
    if (event.key in moves) {
      event.preventDefault();
      show(moves[event.key]);
    }
  });
  for (const [key, g] of nodes) {
    if (data.tensors[key] || data.ops[key] || data.groups[key]) {
      g.addEventListener("click", () => showInfo(key));
    }
  }
  byId("zoom").addEventListener("click", (event) => {
    const fit = byId("graph").classList.toggle("fit");
    event.target.textContent = fit ? "full size" : "fit to window";
  });
  show(0);
})();
