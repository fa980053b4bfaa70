// The execution page of sfnlocal (sfnlocal.viewer): draws one execution document (see document.py) into the page's
// sections. No network except, in the live form, the page's own server. Large executions stay fast because
// every list (events, iterations, runs, timeline rows) is shown a page at a time.
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const PAGE = { events: 100, iterations: 60, runs: 10, timeline: 60 };
  const OUTCOME = {
    succeeded: ["✓", "succeeded"],
    failed: ["✗", "failed"],
    caught: ["⚠", "caught"],
    retried: ["↻", "retried"],
    aborted: ["■", "aborted"],
    running: ["…", "running"],
    "not-run": ["○", "not run"],
  };
  const STATUS_OUTCOME = {
    SUCCEEDED: "succeeded", FAILED: "failed", TIMED_OUT: "failed", ABORTED: "aborted", RUNNING: "running",
    PENDING_REDRIVE: "running",
  };

  const settings = JSON.parse(document.getElementById("sfn-settings").textContent);
  let root = JSON.parse(document.getElementById("sfn-document").textContent);

  // What the user is looking at: the stack of executions opened (the root, then children), the selected state
  // and run, the focused branch/iteration (a lane of the document, or a Distributed Map child), pages, filters.
  const view = {
    stack: [], // execution ARNs from the root down
    selected: null,
    run: null,
    focus: null, // {lane} or {mapRun, child}
    eventPage: 0,
    iterationPage: 0,
    runPage: 0,
    timelinePage: 0,
    filter: { kind: "all", text: "", scope: "all" },
  };

  // ---------------------------------------------------------------------------------------------- helpers
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  }

  function badge(outcome) {
    const [icon, word] = OUTCOME[outcome] || ["?", outcome];
    return el("span", { class: "badge " + outcome }, icon + " " + word);
  }

  function seconds(text) {
    return Date.parse(text) / 1000;
  }

  function duration(value) {
    if (value === null || value === undefined || isNaN(value)) return "—";
    if (value < 1) return Math.round(value * 1000) + " ms";
    if (value < 120) return (Math.round(value * 100) / 100) + " s";
    if (value < 7200) return (Math.round(value / 6) / 10) + " min";
    return (Math.round(value / 360) / 10) + " h";
  }

  function pretty(text) {
    if (text === undefined || text === null) return null;
    if (typeof text !== "string") return JSON.stringify(text, null, 2);
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch (error) {
      return text;
    }
  }

  function detailsOf(event) {
    for (const key in event) if (key.endsWith("EventDetails")) return event[key];
    return null;
  }

  function pager(total, size, page, onPage, what) {
    const pages = Math.max(1, Math.ceil(total / size));
    if (pages <= 1) return null;
    const go = (p) => () => onPage(Math.min(pages - 1, Math.max(0, p)));
    return el("div", { class: "pager", role: "navigation", "aria-label": what + " pages" },
      el("button", { type: "button", onclick: go(0), disabled: page === 0 }, "« first"),
      el("button", { type: "button", onclick: go(page - 1), disabled: page === 0, "data-page": "previous" }, "‹ previous"),
      el("span", {}, `page ${page + 1} of ${pages} (${total} ${what})`),
      el("button", { type: "button", onclick: go(page + 1), disabled: page >= pages - 1, "data-page": "next" }, "next ›"),
      el("button", { type: "button", onclick: go(pages - 1), disabled: page >= pages - 1 }, "last »"));
  }

  // ---------------------------------------------------------------------------------------------- indexes
  // Built once per source (an execution document or a Distributed Map child), on first use.
  const indexes = new WeakMap();
  function indexOf(source) {
    let index = indexes.get(source);
    if (index) return index;
    const lanes = source.lanes || [];
    const laneEvents = lanes.map(() => []);
    (source.eventLanes || []).forEach((lane, position) => laneEvents[lane] && laneEvents[lane].push(position));
    const laneChildren = lanes.map(() => []);
    lanes.forEach((lane, id) => { if (lane.parent !== null && lane.parent !== undefined) laneChildren[lane.parent].push(id); });
    const laneRuns = lanes.map(() => []);
    const byState = new Map();
    const lanesOfRun = new Map();
    (source.runs || []).forEach((run, id) => {
      laneRuns[run.lane].push(id);
      if (!byState.has(run.state)) byState.set(run.state, []);
      byState.get(run.state).push(id);
    });
    lanes.forEach((lane, id) => {
      if (lane.owner === null || lane.owner === undefined) return;
      if (!lanesOfRun.has(lane.owner)) lanesOfRun.set(lane.owner, []);
      lanesOfRun.get(lane.owner).push(id);
    });
    index = { laneEvents, laneChildren, laneRuns, byState, lanesOfRun };
    indexes.set(source, index);
    return index;
  }

  function subtree(source, lane) {
    const { laneChildren } = indexOf(source);
    const found = [];
    const stack = [lane];
    while (stack.length) {
      const next = stack.pop();
      found.push(next);
      stack.push(...laneChildren[next]);
    }
    return found;
  }

  // The events of one run: its lane's events from its Entered event to its Exited one (or the lane's next run).
  function runEvents(source, runId) {
    const run = source.runs[runId];
    const { laneEvents, laneRuns } = indexOf(source);
    const siblings = laneRuns[run.lane];
    const next = siblings[siblings.indexOf(runId) + 1];
    const last = run.exited || (next !== undefined ? source.runs[next].entered - 1 : Infinity);
    return laneEvents[run.lane].filter((position) => position + 1 >= run.entered && position + 1 <= last)
      .map((position) => source.events[position]);
  }

  // When a run began and ended on the execution's clock (seconds), read from its events; null: not ended.
  function runStart(src, run) {
    return seconds(src.events[run.entered - 1].timestamp);
  }

  function runEnd(src, run) {
    const last = run.exited || run.ended;
    return last ? seconds(src.events[last - 1].timestamp) : null;
  }

  // ---------------------------------------------------------------------------------------------- documents
  function current() {
    let doc = root;
    for (const arn of view.stack.slice(1)) {
      const child = (doc.children || []).find((candidate) => candidate.executionArn === arn);
      if (!child) break;
      doc = child;
    }
    return doc;
  }

  // Where runs come from: the execution, or the focused Distributed Map child.
  function source() {
    if (view.focus && view.focus.child) return view.focus.child;
    return current();
  }

  function focusedLanes(src) {
    if (view.focus && view.focus.lane !== undefined) return new Set(subtree(src, view.focus.lane));
    return null;
  }

  // The graph's outcome of each state: over every run, or over the focused branch/iteration's runs.
  function outcomes() {
    const doc = current();
    const result = Object.assign({}, doc.outcomes || {});
    const nested = view.focus ? nestedStates(view.focus.state) : null;
    if (!nested) return result;
    for (const name of nested) delete result[name];
    // A state cancelled because another branch or iteration failed shows "aborted", unless it failed itself.
    const rank = ["failed", "aborted", "caught", "retried", "running", "succeeded"];
    const src = source();
    const lanes = focusedLanes(src);
    const seen = {};
    for (const run of src.runs || []) {
      if (lanes && !lanes.has(run.lane)) continue;
      const outcome = run.outcome;
      (seen[run.state] = seen[run.state] || new Set()).add(outcome);
    }
    for (const [name, set] of Object.entries(seen)) result[name] = rank.find((r) => set.has(r));
    return result;
  }

  function nestedStates(owner) {
    const found = [];
    const walk = (layout, inside) => {
      for (const node of layout.nodes) {
        if (node.kind !== "state") continue;
        if (inside) found.push(node.key);
        for (const inner of node.inner || []) walk(inner, inside || node.key === owner);
      }
    };
    const layout = current().layout;
    if (layout) walk(layout, false);
    return found;
  }

  function takenTransitions(src) {
    const taken = new Set();
    const { laneRuns } = indexOf(src);
    laneRuns.forEach((runs) => {
      if (!runs.length) return;
      taken.add("\u0000" + src.runs[runs[0]].state);
      for (let i = 0; i < runs.length; i++) {
        const run = src.runs[runs[i]];
        const next = runs[i + 1];
        if (next !== undefined) taken.add(run.state + "\u0000" + src.runs[next].state);
        else if (run.exited) taken.add(run.state + "\u0000");
      }
    });
    return taken;
  }

  // ---------------------------------------------------------------------------------------------- graph
  function drawGraph() {
    const graph = document.getElementById("graph");
    graph.replaceChildren();
    const doc = current();
    const layout = doc.layout;
    if (!layout) {
      graph.setAttribute("width", 10);
      graph.setAttribute("height", 10);
      return;
    }
    graph.setAttribute("width", layout.w);
    graph.setAttribute("height", layout.h);
    graph.setAttribute("viewBox", `0 0 ${layout.w} ${layout.h}`);
    const states = outcomes();
    const taken = takenTransitions(doc);
    if (view.focus && view.focus.child) for (const key of takenTransitions(view.focus.child)) taken.add(key);
    for (const mapRun of doc.mapRuns || []) {
      for (const child of mapRun.children.slice(0, 50)) if (child.runs) for (const key of takenTransitions(child)) taken.add(key);
    }
    graph.append(drawBranch(layout, states, taken));
    const legend = document.getElementById("legend");
    legend.replaceChildren(...Object.keys(OUTCOME).map((o) => el("li", {}, badge(o))));
  }

  function drawBranch(layout, states, taken) {
    const group = svg("g");
    for (const route of layout.routes) group.append(drawRoute(route, taken));
    for (const node of layout.nodes) group.append(drawNode(node, states, taken));
    return group;
  }

  function drawRoute(route, taken) {
    const points = route.points;
    let d = `M${points[0][0]},${points[0][1]}`;
    for (let i = 1; i < points.length; i++) {
      const [ax, ay] = points[i - 1];
      const [bx, by] = points[i];
      if (route.loop || ax === bx) d += ` L${bx},${by}`;
      else {
        const middle = (ay + by) / 2;
        d += ` C${ax},${middle} ${bx},${middle} ${bx},${by}`;
      }
    }
    const [x, y] = points[points.length - 1];
    const arrow = route.loop ? `${x},${y} ${x + 10},${y - 5} ${x + 10},${y + 5}` : `${x},${y} ${x - 5},${y - 10} ${x + 5},${y - 10}`;
    const isTaken = taken.has(route.from + "\u0000" + route.to);
    const group = svg("g", { class: "transition" + (isTaken ? " taken" : ""), "data-from": route.from, "data-to": route.to },
      svg("path", { d }), svg("polygon", { class: "arrow", points: arrow }));
    if (route.label) {
      const [ax, ay] = points[0];
      const [bx, by] = points[1];
      const text = svg("text", route.loop ? { x: ax + 4, y: ay - 4 } : { x: (ax + bx) / 2 + 4, y: (ay + by) / 2 + 4 });
      text.textContent = route.label;
      group.append(text);
    }
    return group;
  }

  function drawNode(node, states, taken) {
    if (node.kind !== "state") {
      return svg("circle", { class: "terminal " + node.kind, cx: node.x + node.w / 2, cy: node.y + node.h / 2, r: node.w / 2 });
    }
    const outcome = states[node.key] || "not-run";
    const [icon, word] = OUTCOME[outcome];
    const group = svg("g", {
      class: "state" + (view.selected === node.key ? " selected" : ""),
      "data-state": node.key, "data-type": node.type, "data-outcome": outcome,
      transform: `translate(${node.x},${node.y})`, tabindex: "0", role: "button",
      "aria-label": `${node.key} (${node.type}): ${word}`,
      "aria-pressed": view.selected === node.key ? "true" : "false",
    });
    const title = svg("title");
    title.textContent = `${node.key} — ${node.type}, ${word}`;
    const name = svg("text", { class: "name", x: node.w / 2, y: 17 });
    name.textContent = node.key;
    const label = svg("text", { class: "outcome", x: node.w / 2, y: 32 });
    label.textContent = `${icon} ${word}`;
    group.append(title, svg("rect", { width: node.w, height: node.h, rx: 6 }), name, label);
    (node.inner || []).forEach((inner) => {
      const caption = node.type === "Parallel" ? `Branch #${inner.index}` : "ItemProcessor";
      const focused = view.focus && view.focus.state === node.key &&
        (node.type !== "Parallel" || view.focus.index === inner.index);
      const text = svg("text", { class: "caption", x: 2, y: -5 });
      text.textContent = caption + (focused ? " — " + focusName() : "");
      const branch = svg("g", { class: "branch" + (focused ? " focused" : ""), "data-branch": inner.index, transform: `translate(${inner.x},${inner.y})` },
        svg("rect", { class: "lane", width: inner.w, height: inner.h, rx: 4 }), text, drawBranch(inner, states, taken));
      group.append(branch);
    });
    group.addEventListener("click", (event) => { event.stopPropagation(); selectState(node.key); });
    group.addEventListener("keydown", (event) => {
      if ((event.key === "Enter" || event.key === " ") && event.target === group) {
        event.preventDefault();
        selectState(node.key);
      }
    });
    return group;
  }

  function focusName() {
    if (!view.focus) return "";
    if (view.focus.child) return `child #${view.focus.child.index} (${view.focus.child.status})`;
    const lane = source().lanes[view.focus.lane];
    return lane.kind === "iteration" ? `iteration #${lane.index}` : `branch #${lane.index}`;
  }

  // ---------------------------------------------------------------------------------------------- status
  function drawStatus() {
    const doc = current();
    const status = document.getElementById("status");
    const outcome = STATUS_OUTCOME[doc.status] || "running";
    const clock = doc.clock || {};
    const took = clock.stop !== null && clock.stop !== undefined ? duration(clock.stop - clock.start) : "running";
    status.replaceChildren(
      el("span", { class: "badge " + outcome, "data-status": doc.status }, (OUTCOME[outcome] || ["?"])[0] + " " + doc.status),
      ` · ${doc.events.length} events · started ${doc.startDate || "—"} · ${took} on the execution's clock`,
    );
    const last = doc.events[doc.events.length - 1];
    const details = last && detailsOf(last);
    if (details && (details.error || details.cause) && doc.status !== "SUCCEEDED") {
      status.append(el("div", { class: "error-box" }, el("strong", {}, details.error || ""), " ", details.cause || ""));
    }
    const crumbs = document.getElementById("breadcrumbs");
    const trail = [];
    let doc2 = root;
    trail.push([root, 1]);
    for (let depth = 1; depth < view.stack.length; depth++) {
      doc2 = (doc2.children || []).find((c) => c.executionArn === view.stack[depth]);
      if (!doc2) break;
      trail.push([doc2, depth + 1]);
    }
    crumbs.replaceChildren(...(trail.length > 1 ? trail.map(([d, depth], i) => [
      i ? " › " : "",
      i === trail.length - 1 ? el("strong", {}, d.name) : el("a", { href: "#", onclick: (e) => { e.preventDefault(); openDepth(depth); } }, d.name),
    ]).flat() : []));
  }

  function openDepth(depth) {
    view.stack = view.stack.slice(0, depth);
    resetSelection();
    render();
  }

  function resetSelection() {
    view.selected = null;
    view.run = null;
    view.focus = null;
    view.eventPage = view.iterationPage = view.runPage = view.timelinePage = 0;
  }

  // ---------------------------------------------------------------------------------------------- state panel
  function selectedRuns() {
    const src = source();
    const ids = indexOf(src).byState.get(view.selected) || [];
    const lanes = focusedLanes(src);
    return lanes ? ids.filter((id) => lanes.has(src.runs[id].lane)) : ids;
  }

  function drawStatePanel() {
    const panel = document.querySelector("#state-panel .content");
    const heading = document.getElementById("state-heading");
    if (!view.selected) {
      heading.textContent = "State";
      panel.replaceChildren(el("p", {}, "Select a state in the graph (click it, or Tab to it and press Enter)."));
      return;
    }
    const src = source();
    const runs = selectedRuns();
    heading.textContent = `State “${view.selected}”`;
    const parts = [];
    if (view.focus) parts.push(el("p", { class: "hint" }, `Runs in ${focusName()} only.`));
    if (!runs.length) {
      parts.push(el("p", { "data-outcome": "not-run" }, badge("not-run"), " This state did not run", view.focus ? " here." : "."));
      panel.replaceChildren(...parts);
      return;
    }
    parts.push(el("p", {}, `${runs.length} run${runs.length === 1 ? "" : "s"}.`));
    const start = view.runPage * PAGE.runs;
    parts.push(pager(runs.length, PAGE.runs, view.runPage, (p) => { view.runPage = p; drawStatePanel(); }, "runs"));
    runs.slice(start, start + PAGE.runs).forEach((id, i) => parts.push(drawRun(src, id, start + i + 1)));
    panel.replaceChildren(...parts.filter(Boolean));
  }

  function drawRun(src, id, number) {
    const run = src.runs[id];
    const events = runEvents(src, id);
    const entered = events[0] && detailsOf(events[0]);
    const exited = run.exited ? detailsOf(src.events[run.exited - 1]) : null;
    let parameters = null;
    let result = null;
    for (const event of events) {
      const details = detailsOf(event) || {};
      if (/Scheduled$/.test(event.type) && (details.parameters || details.input)) parameters = details.parameters || details.input;
      if (/(Succeeded)$/.test(event.type) && details.output !== undefined && !/^(Map|Parallel)/.test(event.type)) result = details.output;
    }
    const lane = src.lanes[run.lane];
    const where = lane.kind === "execution" ? "" : ` in ${lane.kind} #${lane.index}`;
    const rows = [];
    const row = (name, value, attrs) => {
      if (value === null || value === undefined) return;
      rows.push(el("dt", {}, name), el("dd", attrs || {}, typeof value === "string" ? el("pre", {}, value) : value));
    };
    const began = runStart(src, run);
    const ended = runEnd(src, run);
    const endTime = ended !== null ? ended : (src.clock && src.clock.stop);
    const origin = src.clock && src.clock.start !== undefined && src.clock.start !== null ? src.clock.start : seconds(src.events[0].timestamp);
    row("Time", `${duration(began - origin)} after the start; took ${endTime ? duration(endTime - began) : "(still running)"}`);
    row("Input", pretty(entered && entered.input), { "data-field": "input" });
    row("Parameters", pretty(parameters), { "data-field": "parameters" });
    row("Result", pretty(result), { "data-field": "result" });
    row("Output", pretty(exited && exited.output), { "data-field": "output" });
    if (exited && exited.assignedVariables) {
      const variables = {};
      for (const [key, value] of Object.entries(exited.assignedVariables)) {
        try { variables[key] = JSON.parse(value); } catch (error) { variables[key] = value; }
      }
      row("Variables", JSON.stringify(variables, null, 2), { "data-field": "variables" });
    }
    (run.failures || []).forEach((failure, index) => {
      const what = failure.retried ? `Attempt ${index + 1} failed; retried after ${duration(failure.backoff)}` :
        run.outcome === "caught" ? "Failed; caught by a Catcher" : "Failed";
      row(what, el("div", { class: "failure", "data-field": failure.retried ? "retry" : (run.outcome === "caught" ? "catch" : "failure") },
        el("strong", {}, failure.error || "(no error)"), " — ", failure.cause || "(no cause)"));
    });
    if (run.outcome === "caught") {
      const { laneRuns } = indexOf(src);
      const siblings = laneRuns[run.lane];
      const next = siblings[siblings.indexOf(id) + 1];
      if (next !== undefined) row("Caught, went on to", src.runs[next].state, { "data-field": "caught-next" });
    }
    const nested = indexOf(src).lanesOfRun.get(id) || [];
    const mapRuns = run.type === "Map" ? mapRunsOf(src, events) : [];
    if (nested.length || mapRuns.length) {
      row("Inside", el("button", { type: "button", onclick: () => { view.iterationRun = id; drawIterations(); document.getElementById("iterations").scrollIntoView({ block: "nearest" }); } },
        nested.length ? `${nested.length} ${src.lanes[nested[0]].kind === "iteration" ? "iterations" : "branches"}` : "map run children"));
    }
    const current = view.run === id;
    return el("article", { class: "run" + (current ? " current" : ""), "data-run": id, "data-outcome": run.outcome },
      el("h3", {}, `Run ${number}${where} `, badge(run.outcome)),
      el("dl", {}, rows),
      el("details", {}, el("summary", {}, `${events.length} events`),
        el("ol", {}, events.map((e) => el("li", {}, `#${e.id} ${e.type}`)))));
  }

  function mapRunsOf(src, events) {
    const arns = events.filter((e) => e.type === "MapRunStarted").map((e) => detailsOf(e).mapRunArn);
    return (current().mapRuns || []).filter((run) => arns.includes(run.mapRunArn));
  }

  // ---------------------------------------------------------------------------------------------- iterations
  function ownerRun() {
    // The Parallel or Map run whose branches/iterations are listed: the one picked, else the selected state's last.
    const doc = current();
    if (view.iterationRun !== undefined && view.iterationRun !== null && doc.runs[view.iterationRun] &&
        doc.runs[view.iterationRun].state === view.selected) return view.iterationRun;
    // While a branch or iteration is focused, its Parallel's or Map's list stays, whichever state is selected.
    if (view.focus && view.focus.lane !== undefined) return doc.lanes[view.focus.lane].owner;
    if (view.focus && view.focus.child && view.iterationRun !== null && view.iterationRun !== undefined) return view.iterationRun;
    if (!view.selected) return null;
    const ids = (indexOf(doc).byState.get(view.selected) || []).filter((id) => ["Map", "Parallel"].includes(doc.runs[id].type));
    const lanes = view.focus && !view.focus.child ? focusedLanes(doc) : null;
    const inFocus = lanes ? ids.filter((id) => lanes.has(doc.runs[id].lane)) : ids;
    return inFocus.length ? inFocus[inFocus.length - 1] : null;
  }

  function drawIterations() {
    const box = document.querySelector("#iterations .content");
    const doc = current();
    const parts = [];
    if (view.focus) {
      parts.push(el("p", {}, `Showing ${focusName()} of “${view.focus.state}”. `,
        el("button", { type: "button", "data-action": "unfocus", onclick: () => { view.focus = null; render(); } }, "Show all runs")));
    }
    const owner = ownerRun();
    if (owner === null) {
      parts.push(el("p", {}, "Select a Parallel or Map state to list its branches or iterations."));
      box.replaceChildren(...parts);
      return;
    }
    const run = doc.runs[owner];
    const lanes = indexOf(doc).lanesOfRun.get(owner) || [];
    const mapRuns = run.type === "Map" ? mapRunsOf(doc, runEvents(doc, owner)) : [];
    let items = lanes.map((lane) => ({ lane, label: `${doc.lanes[lane].kind === "iteration" ? "Iteration" : "Branch"} #${doc.lanes[lane].index}`, outcome: laneOutcome(doc, lane) }));
    for (const mapRun of mapRuns) {
      items = items.concat(mapRun.children.map((child) => ({ child, label: `Child #${child.index}`, outcome: STATUS_OUTCOME[child.status] || "running" })));
    }
    const failedOnly = view.failedOnly;
    const shown = failedOnly ? items.filter((item) => item.outcome === "failed" || item.outcome === "aborted") : items;
    parts.push(el("p", {}, `“${run.state}” (${run.type}): ${items.length} ${run.type === "Parallel" ? "branches" : "iterations"}`,
      mapRuns.length ? ` in ${mapRuns.length} map run${mapRuns.length > 1 ? "s" : ""} (Distributed)` : "", "."));
    parts.push(el("div", { class: "pager" },
      el("label", {}, el("input", { type: "checkbox", checked: failedOnly, onchange: (e) => { view.failedOnly = e.target.checked; view.iterationPage = 0; drawIterations(); } }), " failed only"),
      el("label", {}, "go to #", el("input", { type: "number", min: 0, size: 6, "aria-label": "Iteration number", onchange: (e) => {
        const wanted = Number(e.target.value);
        const position = shown.findIndex((item) => (item.lane !== undefined ? doc.lanes[item.lane].index : item.child.index) === wanted);
        if (position >= 0) { view.iterationPage = Math.floor(position / PAGE.iterations); drawIterations(); }
      } }))));
    const start = view.iterationPage * PAGE.iterations;
    parts.push(pager(shown.length, PAGE.iterations, view.iterationPage, (p) => { view.iterationPage = p; drawIterations(); }, "items"));
    parts.push(el("ul", { class: "iteration-list" }, shown.slice(start, start + PAGE.iterations).map((item) => {
      const focused = view.focus && ((item.lane !== undefined && view.focus.lane === item.lane) || (item.child && view.focus.child === item.child));
      const [icon, word] = OUTCOME[item.outcome] || ["?", item.outcome];
      return el("li", {}, el("button", {
        type: "button", class: "iteration" + (focused ? " current" : ""), "aria-pressed": focused ? "true" : "false",
        "data-lane": item.lane, "data-child": item.child ? item.child.index : null, "data-outcome": item.outcome,
        onclick: () => focusOn(run, item),
      }, `${item.label} ${icon} ${word}`));
    })));
    box.replaceChildren(...parts.filter(Boolean));
  }

  function laneOutcome(doc, lane) {
    const info = doc.lanes[lane];
    if (info.status) return STATUS_OUTCOME[info.status] || "failed";
    const rank = ["failed", "aborted", "running", "caught", "retried", "succeeded"];
    const seen = new Set();
    for (const id of subtree(doc, lane)) for (const run of indexOf(doc).laneRuns[id]) seen.add(doc.runs[run].outcome);
    const worst = rank.find((r) => seen.has(r));
    if (worst === "caught" || worst === "retried") return "succeeded";
    return worst || "not-run";
  }

  function focusOn(run, item) {
    const doc = current();
    view.iterationRun = doc.runs.indexOf(run);
    view.focus = item.child ? { state: run.state, child: item.child } : { state: run.state, lane: item.lane, index: doc.lanes[item.lane].index };
    view.runPage = 0;
    view.eventPage = 0;
    view.timelinePage = 0;
    if (item.child && !item.child.runs) view.focus.summaryOnly = true;
    render();
  }

  // ---------------------------------------------------------------------------------------------- timeline
  function drawTimeline() {
    const box = document.getElementById("timeline");
    const src = source();
    const doc = current();
    if (!src.runs) {
      box.replaceChildren(el("p", {}, "This child's history was not kept (see docs/distributed-map.md)."));
      return;
    }
    const lane = view.focus && view.focus.lane !== undefined ? view.focus.lane : 0;
    const ids = indexOf(src).laneRuns[lane] || [];
    const clock = src.clock || doc.clock;
    const first = ids.length ? runStart(src, src.runs[ids[0]]) : 0;
    const begin = lane === 0 && clock && clock.start !== null && clock.start !== undefined ? clock.start : first;
    let end = clock && clock.stop ? clock.stop : begin;
    if (lane !== 0 || !(clock && clock.stop)) {
      for (const id of ids) end = Math.max(end, runEnd(src, src.runs[id]) || runStart(src, src.runs[id]));
    }
    const span = Math.max(end - begin, 0.001);
    const pct = (t) => (100 * (t - begin) / span).toFixed(3) + "%";
    const width = (a, b) => (100 * Math.max(b - a, 0) / span).toFixed(3) + "%";
    const start = view.timelinePage * PAGE.timeline;
    const rows = ids.slice(start, start + PAGE.timeline).map((id) => {
      const run = src.runs[id];
      const began = runStart(src, run);
      const ended = runEnd(src, run);
      const stop = ended !== null ? ended : end;
      const bar = el("div", { class: "bar " + run.outcome + (run.type === "Wait" ? " wait" : ""), style: `left:${pct(began)};width:${width(began, stop)}`,
        title: `${run.state}: ${duration(stop - began)}` });
      const track = el("div", { class: "track" }, bar);
      for (const failure of run.failures || []) {
        if (!failure.retried) continue;
        const at = seconds(src.events[failure.event - 1].timestamp);
        track.append(el("div", { class: "backoff", style: `left:${pct(at)};width:${width(at, at + failure.backoff)}`, title: `backoff ${duration(failure.backoff)} after ${failure.error}` }));
      }
      const [icon, word] = OUTCOME[run.outcome];
      const backoffs = (run.failures || []).filter((f) => f.retried).map((f) => duration(f.backoff));
      const text = `${run.state} ${icon} ${word}: ${duration(began - begin)} → ${duration(stop - begin)}` +
        (run.type === "Wait" ? " (waiting)" : "") + (backoffs.length ? ` (backoff ${backoffs.join(", ")})` : "");
      return el("div", { class: "row", role: "listitem", "data-run": id, "aria-label": text },
        el("button", { type: "button", class: "label", title: text, onclick: () => { view.run = id; selectState(run.state, true); } }, `${icon} ${run.state}`), track);
    });
    box.replaceChildren(
      el("p", { class: "hint" }, lane === 0 ? "The execution's states on its clock" : `The states of ${focusName()}`,
        ` (${duration(span)}); waits striped, retry backoffs hatched.`),
      pager(ids.length, PAGE.timeline, view.timelinePage, (p) => { view.timelinePage = p; drawTimeline(); }, "runs") || "",
      el("div", { role: "list" }, rows),
      el("div", { class: "axis", "aria-hidden": "true" }, el("span", {}, "0 s"), el("span", {}, duration(span / 2)), el("span", {}, duration(span))));
  }

  // ---------------------------------------------------------------------------------------------- events
  const KINDS = {
    all: ["All events", () => true],
    states: ["States entered and exited", (e) => /State(Entered|Exited)$/.test(e.type)],
    failures: ["Failures", (e) => /(Failed|TimedOut|Aborted)$/.test(e.type)],
    tasks: ["Tasks (Lambda, services, activities)", (e) => /^(Task|LambdaFunction|Activity)/.test(e.type) && !/State/.test(e.type)],
    maps: ["Map and Parallel", (e) => /^(Map|Parallel)/.test(e.type)],
    execution: ["Execution", (e) => /^Execution/.test(e.type)],
  };

  function drawFilter() {
    const form = document.getElementById("event-filter");
    const kind = el("select", { id: "event-kind", "aria-label": "Event kind", onchange: (e) => { view.filter.kind = e.target.value; view.eventPage = 0; drawEvents(); } },
      Object.entries(KINDS).map(([key, [label]]) => el("option", { value: key, selected: view.filter.kind === key }, label)));
    const text = el("input", { id: "event-text", type: "search", placeholder: "type, state, error, payload…", "aria-label": "Search the events", value: view.filter.text,
      oninput: (e) => { view.filter.text = e.target.value; view.eventPage = 0; drawEvents(); } });
    const scope = el("select", { id: "event-scope", "aria-label": "Which events", onchange: (e) => { view.filter.scope = e.target.value; view.eventPage = 0; drawEvents(); } },
      el("option", { value: "all", selected: view.filter.scope === "all" }, "the whole execution"),
      el("option", { value: "state", selected: view.filter.scope === "state" }, "the selected state's runs"));
    form.replaceChildren(el("label", {}, "Show ", kind), el("label", {}, " of ", scope), el("label", {}, " matching ", text));
    form.onsubmit = (e) => e.preventDefault();
  }

  function filteredEvents() {
    const src = source();
    if (!src.events) return [];
    let events = src.events;
    if (view.filter.scope === "state" && view.selected) {
      const picked = [];
      for (const id of selectedRuns()) picked.push(...runEvents(src, id));
      events = picked;
    } else if (view.focus && view.focus.lane !== undefined) {
      const lanes = focusedLanes(src);
      events = events.filter((e, position) => lanes.has(src.eventLanes[position]));
    }
    const test = KINDS[view.filter.kind][1];
    const needle = view.filter.text.toLowerCase();
    return events.filter((e) => test(e) && (!needle || JSON.stringify(e).toLowerCase().includes(needle)));
  }

  function drawEvents() {
    const box = document.getElementById("events");
    const src = source();
    const events = filteredEvents();
    const start = view.eventPage * PAGE.events;
    const begin = src.events && src.events.length ? seconds(src.events[0].timestamp) : 0;
    const rows = events.slice(start, start + PAGE.events).map((event) => {
      const details = detailsOf(event);
      const text = details ? JSON.stringify(details) : "";
      const failure = /(Failed|TimedOut)$/.test(event.type);
      return el("tr", { class: failure ? "failure" : null, "data-event": event.id },
        el("td", {}, String(event.id)), el("td", {}, String(event.previousEventId)),
        el("td", {}, "+" + duration(seconds(event.timestamp) - begin)),
        el("td", {}, (failure ? "✗ " : "") + event.type),
        el("td", {}, details && details.name ? details.name : ""),
        el("td", { class: "details" }, text ? el("details", {}, el("summary", {}, text.slice(0, 120)), el("pre", {}, JSON.stringify(details, null, 2))) : ""));
    });
    box.replaceChildren(
      el("p", {}, `${events.length} of ${src.events ? src.events.length : 0} events`),
      pager(events.length, PAGE.events, view.eventPage, (p) => { view.eventPage = p; drawEvents(); }, "events") || "",
      el("table", {}, el("thead", {}, el("tr", {}, ["id", "previous", "time", "type", "state", "details"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, rows)));
  }

  // ---------------------------------------------------------------------------------------------- children
  function drawChildren() {
    const box = document.getElementById("children");
    const doc = current();
    const parts = [];
    const children = doc.children || [];
    if (children.length) {
      parts.push(el("h3", {}, "Started by this execution"));
      parts.push(el("ul", {}, children.map((child) => el("li", {},
        el("a", { href: child.href || "#child-" + encodeURIComponent(child.name), "data-execution": child.executionArn,
          onclick: child.href ? null : (e) => { e.preventDefault(); openChild(child.executionArn); } }, child.name),
        " ", badge(STATUS_OUTCOME[child.status] || "running"), ` ${child.executionArn}`))));
    }
    for (const mapRun of doc.mapRuns || []) {
      const counts = mapRun.executionCounts || {};
      parts.push(el("h3", {}, "Map run ", el("code", {}, mapRun.mapRunArn)));
      parts.push(el("p", {}, `${mapRun.status}: ${counts.succeeded || 0} succeeded, ${counts.failed || 0} failed, ${counts.aborted || 0} aborted, ${counts.timedOut || 0} timed out of ${counts.total || mapRun.children.length}. Select the Map state to browse them.`));
    }
    if (!parts.length) parts.push(el("p", {}, "None."));
    box.replaceChildren(...parts);
  }

  function openChild(arn) {
    if (!view.stack.length) view.stack = [root.executionArn];
    view.stack.push(arn);
    resetSelection();
    render();
    window.scrollTo(0, 0);
  }

  // ---------------------------------------------------------------------------------------------- waiting tasks
  async function callApi(target, body) {
    const response = await fetch(location.origin + "/", {
      method: "POST",
      headers: { "X-Amz-Target": "AWSStepFunctions." + target, "Content-Type": "application/x-amz-json-1.0" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(text);
    return text ? JSON.parse(text) : {};
  }

  function answerForm(task) {
    const output = el("textarea", { "aria-label": "Output (JSON)" }, "{}");
    const error = el("input", { "aria-label": "Error", placeholder: "error" });
    const cause = el("input", { "aria-label": "Cause", placeholder: "cause" });
    const note = el("p", { role: "status" });
    const send = (target, body) => async () => {
      try {
        await callApi(target, body());
        note.textContent = target + " sent.";
        refresh();
      } catch (problem) {
        note.textContent = target + " refused: " + problem.message;
      }
    };
    return el("div", { class: "answer" }, output,
      el("button", { type: "button", "data-action": "success", onclick: send("SendTaskSuccess", () => ({ taskToken: task.taskToken, output: output.value })) }, "Send task success"),
      " ", error, " ", cause, " ",
      el("button", { type: "button", "data-action": "failure", onclick: send("SendTaskFailure", () => ({ taskToken: task.taskToken, error: error.value || undefined, cause: cause.value || undefined })) }, "Send task failure"),
      note);
  }

  let drawnWaiting = null; // the waiting tasks the forms were drawn for: redrawn only when they change
  function drawWaiting() {
    const section = document.getElementById("waiting-section");
    const waiting = current().waiting || [];
    section.hidden = !(settings.liveUrl && waiting.length);
    if (section.hidden) {
      drawnWaiting = null;
      return;
    }
    // A refresh every second must not wipe what the user is typing into a form.
    const key = JSON.stringify(waiting.map((task) => task.taskToken || task.activityArn));
    if (key === drawnWaiting) return;
    drawnWaiting = key;
    document.getElementById("waiting").replaceChildren(...waiting.map((task) => {
      const box = el("div", { class: "waiting-task", "data-state": task.stateName },
        el("p", {}, el("strong", {}, task.stateName), task.taskToken ? " waits for its task token." : ` waits for a worker of ${task.activityArn}.`));
      if (task.taskToken) box.append(answerForm(task));
      else {
        const note = el("p", { role: "status" });
        box.append(el("button", { type: "button", "data-action": "get-activity-task", onclick: async () => {
          try {
            const got = await callApi("GetActivityTask", { activityArn: task.activityArn, workerName: "sfnlocal-viewer" });
            if (!got.taskToken) { note.textContent = "No task to take yet."; return; }
            note.replaceChildren("Input: ", el("pre", {}, pretty(got.input)));
            box.append(answerForm({ taskToken: got.taskToken }));
          } catch (problem) {
            note.textContent = "GetActivityTask refused: " + problem.message;
          }
        } }, "Take the activity task"), note);
      }
      return box;
    }));
  }

  // ---------------------------------------------------------------------------------------------- selection
  function selectState(name, keepRun) {
    const doc = current();
    if (name !== null && name !== undefined && !(doc.layout && nestedStatesAll().includes(name))) {
      throw new Error(`no state named ${JSON.stringify(name)} in this execution's graph`);
    }
    if (view.selected !== name) {
      view.runPage = 0;
      view.iterationRun = null;
      view.iterationPage = 0;
    }
    view.selected = name;
    if (!keepRun) view.run = null;
    if (view.run !== null) {
      const position = selectedRuns().indexOf(view.run);
      if (position >= 0) view.runPage = Math.floor(position / PAGE.runs);
    }
    if (view.filter.scope === "state") view.eventPage = 0;
    render();
    const node = document.querySelector(`#graph .state[data-state="${CSS.escape(name)}"]`);
    if (node && document.activeElement && document.activeElement.closest && !document.activeElement.closest("#graph")) {
      // Leave the keyboard where the user is, unless they selected from the graph.
    } else if (node) node.focus();
  }

  let allNames = null;
  function nestedStatesAll() {
    if (allNames && allNames.doc === current()) return allNames.names;
    const names = [];
    const walk = (layout) => {
      for (const node of layout.nodes) if (node.kind === "state") { names.push(node.key); (node.inner || []).forEach(walk); }
    };
    if (current().layout) walk(current().layout);
    allNames = { doc: current(), names };
    return names;
  }

  function moveRun(step) {
    const runs = selectedRuns();
    if (!runs.length) return;
    const at = runs.indexOf(view.run);
    const next = runs[Math.min(runs.length - 1, Math.max(0, at + step))];
    view.run = next;
    view.runPage = Math.floor(runs.indexOf(next) / PAGE.runs);
    drawStatePanel();
    const node = document.querySelector(`#state-panel [data-run="${next}"]`);
    if (node) node.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (typing) return;
    if (event.key === "/") {
      event.preventDefault();
      document.getElementById("event-text").focus();
    } else if (event.key === "j") moveRun(1);
    else if (event.key === "k") moveRun(-1);
    else if (event.key === "Escape" && view.focus) {
      view.focus = null;
      render();
    }
  });

  // ---------------------------------------------------------------------------------------------- render
  function render() {
    drawStatus();
    drawGraph();
    drawStatePanel();
    drawIterations();
    drawTimeline();
    drawEvents();
    drawChildren();
    drawWaiting();
  }

  // The live form: fetch the document again while the execution runs; the selection stays.
  let polling = null;
  async function refresh() {
    if (!settings.liveUrl) return;
    try {
      const response = await fetch(settings.liveUrl, { cache: "no-store" });
      if (!response.ok) return;
      const fresh = await response.json();
      const focusLane = view.focus && view.focus.lane;
      root = fresh;
      if (view.focus && view.focus.child) view.focus = null; // its object belongs to the old document
      else if (view.focus) view.focus.lane = focusLane;
      allNames = null;
      render();
    } catch (problem) {
      // The server went away: keep what is shown; the next tick tries again.
    }
    schedule();
  }

  function schedule() {
    clearTimeout(polling);
    if (settings.liveUrl && root.status === "RUNNING") polling = setTimeout(refresh, 1000);
  }

  view.stack = [root.executionArn];
  drawFilter();
  render();
  schedule();
  window.sfnViewer = {
    ready: true,
    readyAt: performance.now(), // since navigation start: the page's time to be usable
    selectState: (name) => selectState(name),
    focusIteration: (stateName, index) => {
      view.focus = null;
      selectState(stateName);
      const doc = current();
      const owner = ownerRun();
      const lane = (indexOf(doc).lanesOfRun.get(owner) || []).find((id) => doc.lanes[id].index === index);
      if (lane === undefined) throw new Error(`no iteration or branch #${index} of ${stateName}`);
      focusOn(doc.runs[owner], { lane });
    },
    openChild,
    get document() { return current(); },
  };
})();
