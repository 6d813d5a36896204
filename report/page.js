// imozuru html: the page's behaviour. Vanilla JavaScript, no network. Data:
// the JSON in #imozuru-data (report/page.h): the date boundaries, every
// entity with the runs of dates it is active, the effective holdings with
// the runs of dates they are held, each identifier with the runs of dates a
// law in force restricts it, the consent gaps as rows in words with the runs
// of dates each is listed. Reach, full and open, is computed here,
// from the holdings of the date shown, the way the engine computes it
// (model/reach.cc); gaps are the engine's (model/gaps.cc), never worked out here.
// With --dates the diagrams are the frames of a time-lapse, one per date on
// one layout (render/timelapse.h), kept in <template class="frame"> and put
// into the page one at a time by the player. A person chosen in the selector
// lights what `imozuru person` finds (the "persons" of the data). Systems the
// diagram links to nothing ("isolated") are listed apart and left out of
// the first view.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('imozuru-data').textContent);
  const ui = data.ui;
  const $ = (id) => document.getElementById(id);
  const pane = $('diagram');
  const slider = $('date-slider'), dateLabel = $('date-label'), dateStatus = $('date-status');
  const search = $('search'), results = $('results'), details = $('details'), tooltip = $('tooltip');
  const openOnly = $('open-only'), gapsPanel = $('gaps');
  const personSelect = $('person'), personPanel = $('person-panel');
  const frameTemplates = Array.from(document.querySelectorAll('template.frame'));

  const systemIndex = new Map(data.systems.map((s, k) => [s.id, k]));
  const identifierIndex = new Map(data.identifiers.map((e, k) => [e.id, k]));

  // The diagram shown and its elements by entity: bound again whenever the
  // player puts another frame in (what a frame hides is not in it: null).
  let svg = null, systemEl = [], identifierEl = [], holdings = [], subtitle = [];
  let frameShown = -1;
  let whole = null, view = null;  // the whole diagram and the part shown (zoom and pan, below)
  function bindDiagram() {
    svg = pane.querySelector('svg');
    // Graphviz titles carry internal node names; the page shows its own tooltips.
    svg.querySelectorAll('title').forEach((t) => t.remove());
    systemEl = data.systems.map((s) => $('system:' + s.id));
    identifierEl = data.identifiers.map((e) => $('identifier:' + e.id));
    // Holding edges and holder-scoped markers: "holds:SYS:ID", "holder:SYS:ID".
    holdings = [];
    svg.querySelectorAll('g.holds, g.holder').forEach((el) => {
      const [, sys, id] = el.id.split(':');
      holdings.push({ el, s: systemIndex.get(sys), i: identifierIndex.get(id) });
    });
    // A frame writes its date large above the title: the page shows it
    // instead, over the diagram, where zooming and panning leave it.
    if (data.frames) {
      svg.querySelectorAll('g.graph > text').forEach((t) => {
        if (t.textContent.trim() === data.dates[frameShown]) t.classList.add('frame-large-date');
      });
    }
    // A frame names its own date; the one diagram of every date is kept true.
    subtitle = data.frames ? [] : Array.from(svg.querySelectorAll('g.graph > text'))
      .filter((node) => node.textContent.includes(data.drawn_at))
      .map((node) => ({ node, text: node.textContent }));
  }
  // Frame k in place of the one shown, at the same view.
  function showFrame(k) {
    if (k === frameShown) return;
    const old = pane.querySelector('svg');
    const fresh = frameTemplates[k].content.firstElementChild.cloneNode(true);
    if (old) old.replaceWith(fresh);
    else pane.appendChild(fresh);
    frameShown = k;
    bindDiagram();
    prepareSvg();
  }
  if (data.frames) showFrame(data.initial);
  else bindDiagram();

  let dateIndex = data.initial;
  let selected = null;  // {kind: 'identifier' | 'system', index}
  let state = null;  // what the date shown has active and held (stateAt)

  const nameOf = (e) => (data.lang === 'en' && e.name_en ? e.name_en : e.name);
  const otherName = (e) => (data.lang === 'en' ? (e.name_en && e.name !== e.name_en ? e.name : '') : e.name_en);
  const period = (e) => (e.since || e.until ? (e.since || '') + '〜' + (e.until || '') : '');

  // Runs are [a1, b1, a2, b2, ...]: active on date indices a <= k < b.
  const onAt = (runs, k) => {
    for (let r = 0; r + 1 < runs.length; r += 2) if (runs[r] <= k && k < runs[r + 1]) return true;
    return false;
  };
  const push = (map, key, value) => {
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(value);
  };
  // The model at date index k: active sets, and holdings both ways.
  function stateAt(k) {
    const active = (list) => new Set(list.map((e, i) => (onAt(e.on, k) ? i : -1)).filter((i) => i >= 0));
    const st = {
      date: data.dates[k],
      systems: active(data.systems), identifiers: active(data.identifiers),
      data: active(data.data), flows: active(data.flows),
      restricted: active(data.identifiers.map((e) => ({ on: e.restricted }))),
      personActive: !data.person || onAt(data.person.on, k),
      gaps: [],
      holds: [], identifiersOf: new Map(), holdersOf: new Map(), dataOf: new Map(), reach: new Map(),
    };
    // Rows are stored in the engine's order: those listed at k are its list.
    data.gap_rows.forEach((g, r) => { if (onAt(g.on, k)) st.gaps.push(r); });
    data.holds.forEach(([s, i, a, b]) => {
      if (a <= k && k < b) {
        st.holds.push([s, i]);
        push(st.identifiersOf, s, i);
        push(st.holdersOf, i, s);
      }
    });
    data.holds_data.forEach(([s, d, a, b]) => { if (a <= k && k < b) push(st.dataOf, s, d); });
    // Holdings are listed by system then item: keep every list ascending, as the engine's.
    [st.identifiersOf, st.holdersOf, st.dataOf].forEach((m) => m.forEach((list) => list.sort((x, y) => x - y)));
    return st;
  }

  // reach({identifier i}) or reach({system s}) at the date shown (docs/cli.md#reach):
  // every active system holding a known global identifier is reached and
  // what it holds becomes known; a quasi identifier becomes known once all
  // its components are; holder-scoped codes are learnt but join nothing.
  // Open reach (`open`, as `reach --open-only`): identifiers a law in force
  // restricts at the date are learnt but join nothing either.
  // {systems: Map s → depth, identifiers: Set}.
  function reachFrom(start, st, open) {
    const missing = new Map(), quasiOf = new Map();
    st.identifiers.forEach((q) => {
      const parts = data.identifiers[q].composed_of;
      if (data.identifiers[q].kind !== 'quasi' || !parts || !parts.length) return;
      const unique = [...new Set(parts)];
      missing.set(q, unique.length);
      unique.forEach((d) => push(quasiOf, d, q));
    });
    const depth = new Map(), known = new Set(), knownData = new Set(), queue = [];
    const learnIdentifier = (j, level) => {
      if (known.has(j) || !st.identifiers.has(j)) return;
      known.add(j);
      if (data.identifiers[j].scope !== 'global' || (open && st.restricted.has(j))) return;
      (st.holdersOf.get(j) || []).forEach((s) => {
        if (depth.has(s)) return;
        depth.set(s, level + 1);
        queue.push(s);
      });
    };
    const learnData = (d, level) => {
      if (knownData.has(d) || !st.data.has(d)) return;
      knownData.add(d);
      (quasiOf.get(d) || []).forEach((q) => {
        missing.set(q, missing.get(q) - 1);
        if (missing.get(q) === 0) learnIdentifier(q, level);
      });
    };
    if (start.kind === 'identifier') learnIdentifier(start.index, 0);
    else if (st.systems.has(start.index)) {
      depth.set(start.index, 0);
      queue.push(start.index);
    }
    for (let h = 0; h < queue.length; h++) {
      const s = queue[h];
      (st.dataOf.get(s) || []).forEach((d) => learnData(d, depth.get(s)));
      (st.identifiersOf.get(s) || []).forEach((j) => learnIdentifier(j, depth.get(s)));
    }
    return { systems: depth, identifiers: known };
  }

  // What a click lights up: reach from a global identifier that some system
  // holds at the date (nothing otherwise), or from an active system; full or
  // open (computed once per date, start and kind).
  function reachOf(kind, i, st, open) {
    const key = kind + ':' + i + (open ? ':open' : '');
    if (!st.reach.has(key)) {
      const starts = kind === 'system' || (data.identifiers[i].scope === 'global' && st.holdersOf.has(i));
      st.reach.set(key, starts ? reachFrom({ kind, index: i }, st, open) : { systems: new Map(), identifiers: new Set() });
    }
    return st.reach.get(key);
  }
  // For tests: reach from `ref` ("identifier:ID" or "system:ID", or a bare
  // identifier id) at date index k, full or open, as the engine's JSON lists
  // it; and the gaps of date index k, as the panel lists them.
  window.imozuruPage = {
    reach(ref, k, open) {
      const [kind, id] = ref.includes(':') ? ref.split(':') : ['identifier', ref];
      const index = (kind === 'system' ? systemIndex : identifierIndex).get(id);
      const r = reachOf(kind, index, stateAt(k), !!open);
      return {
        systems: [...r.systems].map(([s, d]) => ({ id: data.systems[s].id, depth: d })).sort((a, b) => (a.id < b.id ? -1 : 1)),
        identifiers: [...r.identifiers].map((j) => data.identifiers[j].id).sort(),
      };
    },
    gaps(k) {
      return stateAt(k).gaps.map((r) => data.gap_rows[r]);
    },
  };

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function section(parent, title, items) {
    parent.appendChild(el('h3', title));
    const list = el('ul');
    (items.length ? items : [ui.none]).forEach((t) => list.appendChild(el('li', t)));
    parent.appendChild(list);
  }

  function flowsOf(s, direction) {
    const active = state.flows;
    return data.flows
      .map((f, k) => ({ f, k }))
      .filter(({ f, k }) => active.has(k) && f[direction] === s)
      .map(({ f }) => {
        const other = data.systems[direction === 'from' ? f.to : f.from];
        const arrow = direction === 'from' ? '→ ' : '← ';
        return arrow + nameOf(other) + ' (' + nameOf(f) + '; ' + f.consent + (f.laws.length ? '; ' + f.laws.join(', ') : '') + ')';
      });
  }

  // Name in both languages, period, status, laws, consent and sources.
  function describe(kind, k, parent, full) {
    const e = kind === 'system' ? data.systems[k] : data.identifiers[k];
    parent.appendChild(el(full ? 'h2' : 'strong', nameOf(e)));
    if (otherName(e)) parent.appendChild(el('div', otherName(e), 'en'));
    const facts = [];
    facts.push((kind === 'system' ? ui.sector + ': ' + e.sector : ui.kind + ': ' + e.kind) + ' · ' + e.id);
    if (period(e)) facts.push(ui.period + ': ' + period(e));
    facts.push(ui.status + ': ' + e.status);
    if (kind === 'identifier') {
      facts.push(ui.regulated_by + ': ' + (e.laws.length ? e.laws.join(', ') : ui.none));
      if (e.scope === 'holder') facts.push(ui.scope_holder);
      else if (state.identifiers.has(k)) facts.push(state.restricted.has(k) ? ui.restricted : ui.open_join);
    }
    facts.forEach((f) => parent.appendChild(el('div', f)));
    if (kind === 'system') {
      section(parent, ui.flows_in, flowsOf(k, 'to'));
      section(parent, ui.flows_out, flowsOf(k, 'from'));
    }
    section(parent, ui.sources, e.sources);
  }

  function applyDate() {
    state = stateAt(dateIndex);
    // A gap selected at another date may not be one at this date.
    if (selected && selected.kind === 'gap' && !state.gaps.includes(selected.index)) selected = null;
    const d = state;
    slider.value = String(dateIndex);
    dateLabel.textContent = d.date;
    if (data.frames) {
      // The frame of the date draws what it has (and hides or ghosts the rest).
      showFrame(dateIndex);
      $('frame-date').textContent = d.date;
      if (search.value.trim()) runSearch();  // the marks of the frame before went with it
    } else {
      const systemsOn = d.systems;
      const holdsOn = new Set(d.holds.map((p) => p[0] + ':' + p[1]));
      const identifiersShown = new Set(d.holds.map((p) => p[1]));
      systemEl.forEach((node, k) => node && node.classList.toggle('inactive', !systemsOn.has(k)));
      identifierEl.forEach((node, k) => node && node.classList.toggle('inactive', !identifiersShown.has(k)));
      holdings.forEach((h) => h.el.classList.toggle('inactive', !holdsOn.has(h.s + ':' + h.i)));
    }
    const open = d.gaps.filter((r) => data.gap_rows[r].open).length;
    dateStatus.textContent = d.systems.size + ' ' + ui.active_count + ' · ' + ui.gaps_open + ' ' + open;
    // The diagram's subtitle names the date it was drawn for; keep it true.
    subtitle.forEach(({ node, text }) => { node.textContent = text.replace(data.drawn_at, d.date); });
    showGaps();
    showPerson();
    applySelection();
  }

  // One gap as the report's tables give it (report/report.cc): severity,
  // rule, subject; then the reason, consent, laws with their state, systems,
  // data, the assessment and the sources. Open: assessment if disputed;
  // closed: decision, justification, laws relied on, by.
  function gapItem(row) {
    const g = data.gap_rows[row];
    const item = el('details', undefined, 'gap ' + g.severity + (g.open ? '' : ' assessed'));
    item.dataset.key = g.key;
    if (selected && selected.kind === 'gap' && selected.index === row) item.open = true;
    const summary = el('summary');
    summary.appendChild(el('span', g.severity_text, 'severity'));
    summary.appendChild(document.createTextNode(' ' + g.rule_label + (g.open ? '' : ui.gap_assessed)));
    summary.appendChild(el('div', g.subject, 'subject'));
    item.appendChild(summary);
    const facts = [[ui.reason, g.reason], [ui.rule, g.rule]];
    if (g.consent) facts.push([ui.consent, g.consent]);
    facts.push([ui.gap_laws, g.laws]);
    facts.push([ui.gap_systems, g.systems.map((s) => nameOf(data.systems[s])).join(ui.list_separator) || ui.none]);
    if (g.data.length) facts.push([ui.gap_data, g.data.join(ui.list_separator)]);
    if (g.assessment) facts.push([ui.assessment, g.assessment]);
    if (g.decision) {
      facts.push([ui.decision, g.decision], [ui.justification, g.justification],
        [ui.assessment_laws, g.assessment_laws]);
      if (g.by) facts.push([ui.by, g.by]);
    }
    facts.push([ui.sources, g.sources]);
    facts.forEach(([label, text]) => {
      const line = el('div');
      line.appendChild(el('span', label + ': ', 'label'));
      line.appendChild(document.createTextNode(text));
      item.appendChild(line);
    });
    // Opening a gap lights the systems it involves.
    item.addEventListener('toggle', () => {
      if (item.open) select('gap', row);
      else if (selected && selected.kind === 'gap' && selected.index === row) select(null);
    });
    return item;
  }

  // The gaps of the date shown: open ones, then those an assessment closed.
  function showGaps() {
    gapsPanel.textContent = '';
    gapsPanel.appendChild(el('h2', ui.gaps + ' (' + state.date + ')'));
    if (!state.personActive) {
      gapsPanel.appendChild(el('p', ui.person_not_active, 'notice'));
      return;
    }
    if (!state.gaps.length) {
      gapsPanel.appendChild(el('p', ui.gaps_none));
      return;
    }
    const open = state.gaps.filter((r) => data.gap_rows[r].open);
    const closed = state.gaps.filter((r) => !data.gap_rows[r].open);
    [[ui.gaps_open, open, ui.gaps_open_none, 'gaps-open'], [ui.gaps_closed, closed, ui.gaps_closed_none, 'gaps-closed']]
      .forEach(([title, rows, none, id]) => {
        gapsPanel.appendChild(el('h3', title + ' (' + rows.length + ')'));
        const list = el('div');
        list.id = id;
        if (!rows.length) list.appendChild(el('p', none));
        rows.forEach((r) => list.appendChild(gapItem(r)));
        gapsPanel.appendChild(list);
      });
  }

  function clearMarks(cls) {
    svg.querySelectorAll('.' + cls).forEach((node) => node.classList.remove(cls));
  }

  function applySelection() {
    ['lit', 'reach', 'selected'].forEach(clearMarks);
    details.textContent = '';
    if (!state.personActive) details.appendChild(el('p', ui.person_not_active, 'notice'));
    if (!selected) {
      svg.classList.remove('focus');
      details.appendChild(el('p', ui.help));
      return;
    }
    svg.classList.add('focus');
    const d = state;
    if (selected.kind === 'gap') {
      // The gap opened below: its subject and the systems lit for it.
      const g = data.gap_rows[selected.index];
      g.systems.forEach((s) => systemEl[s] && systemEl[s].classList.add('lit'));
      holdings.forEach((h) => g.systems.includes(h.s) && h.el.classList.add('lit'));
      details.appendChild(el('h2', g.severity_text + ' ' + g.rule_label));
      details.appendChild(el('div', g.subject));
      section(details, ui.gap_systems, g.systems.map((s) => nameOf(data.systems[s])));
      return;
    }
    const kind = selected.kind, k = selected.index;
    const full = reachOf(kind, k, d, false), open = reachOf(kind, k, d, true);
    // The diagram shows full reach, or open reach when the box is ticked.
    const shown = openOnly.checked ? open : full;
    const reached = shown.systems, learnt = shown.identifiers;
    const byDepth = (set) => [...set.systems]
      .sort((a, b) => a[1] - b[1] || nameOf(data.systems[a[0]]).localeCompare(nameOf(data.systems[b[0]])))
      .map(([s, depth]) => ui.depth + ' ' + depth + ': ' + nameOf(data.systems[s]));
    const counts = () => {
      const line = ui.reach_count + ': ' + full.systems.size + ' / ' + d.systems.size + ' · ' +
        ui.open_reach_count + ': ' + open.systems.size;
      details.appendChild(el('p', line, 'reach-count'));
    };
    if (kind === 'identifier') {
      const i = k;
      const idNode = identifierEl[i];
      if (idNode) idNode.classList.add('lit', 'selected');
      const holders = new Set(d.holdersOf.get(i) || []);
      holders.forEach((s) => systemEl[s] && systemEl[s].classList.add('lit'));
      reached.forEach((depth, s) => systemEl[s] && !holders.has(s) && systemEl[s].classList.add('reach'));
      learnt.forEach((j) => j !== i && identifierEl[j] && identifierEl[j].classList.add('reach'));
      // A holder-scoped code reach lists is held, but joins nothing: not lit;
      // nor, in open reach, an identifier a law restricts.
      const joins = (j) => j === i || (learnt.has(j) && data.identifiers[j].scope !== 'holder' &&
        !(openOnly.checked && d.restricted.has(j)));
      holdings.forEach((h) => {
        if (reached.has(h.s) && joins(h.i)) h.el.classList.add('lit');
      });
      describe('identifier', i, details, true);
      if (!d.identifiers.has(i)) details.appendChild(el('p', ui.not_active));
      counts();
      section(details, ui.holders, [...holders].map((s) => nameOf(data.systems[s])));
    } else {
      const s = k;
      if (systemEl[s]) systemEl[s].classList.add('lit', 'selected');
      const held = d.identifiersOf.get(s) || [];
      held.forEach((i) => identifierEl[i] && identifierEl[i].classList.add('reach'));
      holdings.forEach((h) => h.s === s && h.el.classList.add('lit'));
      reached.forEach((depth, r) => r !== s && systemEl[r] && systemEl[r].classList.add('reach'));
      describe('system', s, details, true);
      if (!d.systems.has(s)) details.appendChild(el('p', ui.not_active));
      counts();
      section(details, ui.identifiers, held.map((i) => nameOf(data.identifiers[i])));
    }
    section(details, ui.reach, byDepth(full));
    section(details, ui.open_reach, byDepth(open));
  }

  function select(kind, index) {
    selected = index === undefined ? null : { kind, index };
    applySelection();
  }

  function nodeOf(target) {
    const g = target.closest && target.closest('g.system, g.identifier');
    if (!g) return null;
    const [kind, id] = g.id.split(':');
    const index = kind === 'system' ? systemIndex.get(id) : identifierIndex.get(id);
    return index === undefined ? null : { kind, index };
  }

  // On the pane, not the SVG: the player replaces the SVG.
  pane.addEventListener('click', (ev) => {
    if (!svg.contains(ev.target) || performance.now() - dragEnded < 300) return;
    const hit = nodeOf(ev.target);
    if (hit) select(hit.kind, hit.index);
    else select(null);
  });
  pane.addEventListener('mousemove', (ev) => {
    const hit = nodeOf(ev.target);
    if (!hit) {
      tooltip.hidden = true;
      return;
    }
    if (tooltip.dataset.key !== hit.kind + hit.index) {
      tooltip.textContent = '';
      describe(hit.kind, hit.index, tooltip, false);
      tooltip.dataset.key = hit.kind + hit.index;
    }
    tooltip.hidden = false;
    const x = Math.min(ev.clientX + 16, window.innerWidth - tooltip.offsetWidth - 8);
    const y = Math.min(ev.clientY + 16, window.innerHeight - tooltip.offsetHeight - 8);
    tooltip.style.left = Math.max(0, x) + 'px';
    tooltip.style.top = Math.max(0, y) + 'px';
  });
  pane.addEventListener('mouseleave', () => { tooltip.hidden = true; });

  openOnly.addEventListener('change', applySelection);
  slider.addEventListener('input', () => {
    dateIndex = Number(slider.value);
    applyDate();
  });

  function matches(query) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const found = [];
    const test = (e) => [e.id, e.name, e.name_en].some((t) => t && t.toLowerCase().includes(q));
    data.identifiers.forEach((e, k) => identifierEl[k] && test(e) && found.push({ kind: 'identifier', index: k, e }));
    data.systems.forEach((e, k) => systemEl[k] && test(e) && found.push({ kind: 'system', index: k, e }));
    return found;
  }

  function runSearch() {
    clearMarks('match');
    results.textContent = '';
    const found = matches(search.value);
    found.forEach(({ kind, index }) => (kind === 'system' ? systemEl : identifierEl)[index].classList.add('match'));
    if (search.value.trim() && !found.length) results.appendChild(el('li', ui.no_match));
    found.slice(0, 30).forEach(({ kind, index, e }) => {
      const item = el('li');
      const button = el('button', nameOf(e) + ' (' + ui[kind] + ')');
      button.type = 'button';
      button.addEventListener('click', () => {
        select(kind, index);
        centreOn((kind === 'system' ? systemEl : identifierEl)[index]);
      });
      item.appendChild(button);
      results.appendChild(item);
    });
    return found;
  }
  // --- zoom and pan: the SVG's viewBox is the window onto the diagram ---------
  // A new SVG (a frame) shows the view the one before it showed.
  function prepareSvg() {
    if (!whole) {
      whole = (svg.getAttribute('viewBox') || '0 0 ' + svg.getAttribute('width') + ' ' + svg.getAttribute('height'))
        .split(/[\s,]+/).map(Number);
      view = whole.slice();
    }
    svg.dataset.whole = whole.map((v) => v.toFixed(2)).join(' ');  // the fitted view, for tests
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    showView();
  }
  function showView() {
    svg.setAttribute('viewBox', view.map((v) => v.toFixed(2)).join(' '));
  }
  // The diagram point under a point of the screen.
  function toDiagram(clientX, clientY) {
    const m = svg.getScreenCTM().inverse();
    const p = new DOMPoint(clientX, clientY).matrixTransform(m);
    // getScreenCTM maps to the coordinates of the viewBox.
    return { x: p.x, y: p.y };
  }
  // Zoom by `factor` (> 1: closer) keeping the diagram point (cx, cy) where it is.
  function zoom(factor, cx, cy) {
    const w = Math.min(whole[2] * 4, Math.max(whole[2] / 40, view[2] / factor));
    const f = view[2] / w;
    const h = view[3] / f;
    if (cx === undefined) {
      cx = view[0] + view[2] / 2;
      cy = view[1] + view[3] / 2;
    }
    view = [cx - (cx - view[0]) / f, cy - (cy - view[1]) / f, w, h];
    showView();
  }
  function fit() {
    view = whole.slice();
    showView();
  }
  function pan(dx, dy) {
    view[0] += dx;
    view[1] += dy;
    showView();
  }
  // Centre the view on an element of the diagram, closer if it would be small.
  function centreOn(el) {
    const r = el.getBoundingClientRect(), p = pane.getBoundingClientRect();
    if (!r.width) return;
    const a = toDiagram(r.left, r.top), b = toDiagram(r.right, r.bottom);
    const cx = (a.x + b.x) / 2, cy = (a.y + b.y) / 2;
    view[0] = cx - view[2] / 2;
    view[1] = cy - view[3] / 2;
    showView();
    if (r.width < p.width / 12) zoom(Math.min(4, p.width / 12 / r.width), cx, cy);
  }
  $('zoom-in').addEventListener('click', () => zoom(1.4));
  $('zoom-out').addEventListener('click', () => zoom(1 / 1.4));
  $('zoom-fit').addEventListener('click', fit);
  pane.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const p = toDiagram(ev.clientX, ev.clientY);
    zoom(Math.exp(-ev.deltaY / 400), p.x, p.y);
  }, { passive: false });
  // Dragging pans; a press that does not move stays a click (selection).
  let drag = null, dragEnded = -1e9;
  pane.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, moved: false, id: ev.pointerId };
  });
  pane.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) pane.setPointerCapture(drag.id);
    drag.moved = true;
    pane.classList.add('dragging');
    const a = toDiagram(drag.x, drag.y), b = toDiagram(ev.clientX, ev.clientY);
    pan(a.x - b.x, a.y - b.y);
    drag.x = ev.clientX;
    drag.y = ev.clientY;
  });
  const endDrag = () => {
    // The click that ends a drag is not a selection.
    if (drag && drag.moved) dragEnded = performance.now();

    drag = null;
    pane.classList.remove('dragging');
  };
  pane.addEventListener('pointerup', endDrag);
  pane.addEventListener('pointercancel', endDrag);
  document.addEventListener('keydown', (ev) => {
    if (ev.target.closest && ev.target.closest('input, textarea, select')) return;
    const step = view[2] / 10;
    const keys = {
      '+': () => zoom(1.4), '=': () => zoom(1.4), '-': () => zoom(1 / 1.4), '0': fit,
      ArrowLeft: () => pan(-step, 0), ArrowRight: () => pan(step, 0),
      ArrowUp: () => pan(0, -step), ArrowDown: () => pan(0, step),
    };
    if (keys[ev.key]) {
      keys[ev.key]();
      ev.preventDefault();
    }
  });
  if (!data.frames) prepareSvg();

  // --- the first view: the part of the diagram that is linked together ---------
  // Systems linked to no other would fill the screen around it; they are
  // listed apart (below) and the first view is the box around the linked
  // systems, the identifiers they hold and the edges between them, in every
  // frame of a time-lapse.
  const isolated = new Set(data.isolated);
  function linkedBox(box) {
    const add = (node) => {
      if (!node) return;
      const r = node.getBoundingClientRect();
      if (!r.width && !r.height) return;
      const a = toDiagram(r.left, r.top), b = toDiagram(r.right, r.bottom);
      box = box ? [Math.min(box[0], a.x), Math.min(box[1], a.y), Math.max(box[2], b.x), Math.max(box[3], b.y)]
        : [a.x, a.y, b.x, b.y];
    };
    systemEl.forEach((node, k) => !isolated.has(k) && add(node));
    holdings.forEach((h) => {
      if (isolated.has(h.s)) return;
      add(h.el);
      add(identifierEl[h.i]);
    });
    return box;
  }
  function firstView() {
    if (!isolated.size) return whole.slice();
    let box = null;
    if (data.frames) {
      frameTemplates.forEach((_, k) => {
        showFrame(k);
        box = linkedBox(box);
      });
      showFrame(data.initial);
    } else {
      box = linkedBox(box);
    }
    if (!box) return whole.slice();
    const pad = 0.02 * Math.max(box[2] - box[0], box[3] - box[1]);
    return [box[0] - pad, box[1] - pad, box[2] - box[0] + 2 * pad, box[3] - box[1] + 2 * pad];
  }
  const first = firstView();
  view = first.slice();
  showView();
  pane.dataset.first = first.map((v) => v.toFixed(2)).join(' ');  // for tests

  const isolatedPanel = $('isolated');
  if (data.isolated.length) {
    isolatedPanel.hidden = false;
    isolatedPanel.appendChild(el('summary', ui.isolated + ' (' + data.isolated.length + ')'));
    isolatedPanel.appendChild(el('p', ui.isolated_help));
    const list = el('ul');
    data.isolated.forEach((s) => {
      const button = el('button', nameOf(data.systems[s]));
      button.type = 'button';
      button.dataset.id = data.systems[s].id;
      button.addEventListener('click', () => {
        select('system', s);
        if (systemEl[s]) centreOn(systemEl[s]);
      });
      const item = el('li');
      item.appendChild(button);
      list.appendChild(item);
    });
    isolatedPanel.appendChild(list);
  }

  // --- the time-lapse player: play/pause, previous/next, , . and Space ----------
  const playButton = $('play');
  let timer = null;
  function stepTo(k) {
    k = Math.min(data.dates.length - 1, Math.max(0, k));
    if (k === dateIndex) return;
    dateIndex = k;
    applyDate();
  }
  function setPlaying(on) {
    if (timer) clearInterval(timer);
    timer = null;
    if (on && dateIndex === data.dates.length - 1) stepTo(0);
    if (on) {
      timer = setInterval(() => {
        stepTo(dateIndex + 1);
        if (dateIndex === data.dates.length - 1) setPlaying(false);
      }, 1500);
    }
    playButton.textContent = on ? ui.pause : ui.play;
    playButton.setAttribute('aria-pressed', String(on));
  }
  if (data.frames) {
    playButton.addEventListener('click', () => setPlaying(!timer));
    $('frame-prev').addEventListener('click', () => { setPlaying(false); stepTo(dateIndex - 1); });
    $('frame-next').addEventListener('click', () => { setPlaying(false); stepTo(dateIndex + 1); });
    document.addEventListener('keydown', (ev) => {
      if (ev.target.closest && ev.target.closest('input[type=search], textarea, select')) return;
      if (ev.key === ',') $('frame-prev').click();
      else if (ev.key === '.') $('frame-next').click();
      else if (ev.key === ' ' && !(ev.target.closest && ev.target.closest('button'))) playButton.click();
      else return;
      ev.preventDefault();
    });
  }

  // --- the person selector: what `imozuru person` finds, at the date shown -----
  let person = null;  // an index into data.persons
  const runsHave = (rows, k) => new Set(rows.filter((row) => onAt(row.slice(1), k)).map((row) => row[0]));
  function showPerson() {
    if (!personSelect) return;
    clearMarks('held');
    personPanel.textContent = '';
    svg.classList.toggle('person', person !== null);
    personPanel.hidden = person === null;
    if (person === null) return;
    const p = data.persons[person], k = dateIndex;
    const systems = runsHave(p.systems, k), flows = runsHave(p.flows, k);
    const holds = p.holds.filter(([, , a, b]) => a <= k && k < b);
    systems.forEach((s) => systemEl[s] && systemEl[s].classList.add('held'));
    const heldPairs = new Set(holds.map(([s, i]) => s + ':' + i));
    holdings.forEach((h) => heldPairs.has(h.s + ':' + h.i) && h.el.classList.add('held'));
    holds.forEach(([, i]) => identifierEl[i] && identifierEl[i].classList.add('held'));
    personPanel.appendChild(el('h2', p.name));
    if (!onAt(p.on, k)) personPanel.appendChild(el('p', ui.person_not_active, 'notice'));
    section(personPanel, ui.person_records + ' (' + systems.size + ')',
      [...systems].map((s) => nameOf(data.systems[s])));
    section(personPanel, ui.person_flows + ' (' + flows.size + ')', [...flows].map((f) => {
      const flow = data.flows[f];
      return nameOf(data.systems[flow.from]) + ' → ' + nameOf(data.systems[flow.to]) + ' (' + nameOf(flow) + '; ' +
        flow.consent + ')';
    }));
    section(personPanel, ui.person_acts, p.acts.map((a) => a.name + (a.period ? ' (' + a.period + ')' : '') +
      ' · ' + a.kind + ' · ' + (onAt(a.on, k) ? ui.act_done : ui.act_not_done)));
    personPanel.lastElementChild.id = 'person-acts';
    if (p.groups.length) {
      section(personPanel, ui.person_groups, p.groups.filter((g) => onAt(g.on, k))
        .map((g) => g.name + (g.period ? ' (' + g.period + ')' : '')));
    }
  }
  if (personSelect) {
    personSelect.addEventListener('change', () => {
      person = personSelect.value === '' ? null : Number(personSelect.value);
      showPerson();
    });
  }

  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    const found = runSearch();
    if (!found.length) return;
    select(found[0].kind, found[0].index);
    // Bring the node into view: a large diagram may have it off screen.
    centreOn((found[0].kind === 'system' ? systemEl : identifierEl)[found[0].index]);
  });

  $('clear').addEventListener('click', () => {
    search.value = '';
    runSearch();
    select(null);
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') $('clear').click();
  });

  applyDate();
})();
