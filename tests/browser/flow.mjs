// Measures every flow diagram of a built site in Chromium, as drawn with the real fonts:
//   - no two nodes overlap,
//   - no edge passes through a node (its first and last 12px, where it meets its ends,
//     are not counted),
//   - every label lies inside its node's outline box,
//   - every subgraph box has its title, inside the box,
//   - on a 360px-wide phone, labels are not shrunk below 11px (the figure scrolls instead).
// Then prints the total number of edge crossings, so it can be set against Mermaid's.
// Prints every problem; exits 1 if there is any.
//
// usage: node tests/browser/flow.mjs <siteDir>

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { crossings, samplePaths } from './flow-crossings.mjs';
import { HERE, allPages, launch, siteDirArg, watchdog } from './lib.mjs';

watchdog(10 * 60_000, 'flow');
const siteDir = await siteDirArg('node tests/browser/flow.mjs <siteDir>');
const countsFile = path.join(HERE, '..', 'fixtures', 'mermaid', 'mermaid11-crossings.json');
const mermaidCounts = await readFile(countsFile, 'utf8').then(JSON.parse).catch(() => null);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
const problems = [];
let total = 0;
const drawn = [];
const drawnCrossings = {};
let diagrams = 0;

/** Runs in the page: the measurements of every diagram on it. */
function measure() {
  const out = [];
  for (const svg of document.querySelectorAll('svg.cg-flow-svg')) {
    const box = (el) => {
      const b = el.getBBox();
      return { x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height };
    };
    const nodes = [...svg.querySelectorAll('g.cg-flow-node')].map((g) => ({
      id: g.dataset.node,
      shape: box(g.querySelector('.cg-flow-shape')),
      text: box(g.querySelector('text')),
    }));
    // samplePaths is flow-crossings.mjs's, installed in the page below.
    const edges = window.samplePaths(svg, 'path.cg-flow-edge');
    const clusters = [...svg.querySelectorAll('g.cg-flow-cluster')].map((g) => {
      const t = g.querySelector('.cg-flow-cluster-title');
      return { id: g.dataset.subgraph, box: box(g.querySelector('rect')), title: t ? box(t) : null, text: t?.textContent ?? '' };
    });
    out.push({ nodes, edges, clusters });
  }
  return out;
}

const overlap = (a, b, d) => a.x0 + d < b.x1 && b.x0 + d < a.x1 && a.y0 + d < b.y1 && b.y0 + d < a.y1;
const inside = (p, b, d) => p[0] > b.x0 + d && p[0] < b.x1 - d && p[1] > b.y0 + d && p[1] < b.y1 - d;
const within = (a, b, d) => a.x0 >= b.x0 - d && a.y0 >= b.y0 - d && a.x1 <= b.x1 + d && a.y1 <= b.y1 + d;

for (const rel of await allPages(siteDir)) {
  const url = pathToFileURL(path.join(siteDir, rel)).href;
  await page.goto(url);
  await page.evaluate(`window.samplePaths = ${samplePaths.toString()}`);
  const found = await page.evaluate(measure);
  for (const [k, d] of found.entries()) {
    diagrams++;
    const where = `${rel} diagram ${k + 1}`;
    for (let i = 0; i < d.nodes.length; i++) {
      const n = d.nodes[i];
      const empty = n.text.x1 - n.text.x0 === 0 && n.text.y1 - n.text.y0 === 0;
      if (!empty && !within(n.text, n.shape, 1)) problems.push(`${where}: the label of \`${n.id}\` is clipped by its shape`);
      for (let j = i + 1; j < d.nodes.length; j++) {
        if (overlap(n.shape, d.nodes[j].shape, 0.5)) problems.push(`${where}: nodes \`${n.id}\` and \`${d.nodes[j].id}\` overlap`);
      }
    }
    for (const [e, pts] of d.edges.entries()) {
      const mid = pts.filter((p) => p[2] > 12 && p[3] - p[2] > 12);
      for (const n of d.nodes) {
        if (mid.some((p) => inside(p, n.shape, 3))) problems.push(`${where}: edge ${e + 1} passes through \`${n.id}\``);
      }
    }
    for (const c of d.clusters) {
      if (!c.title || c.text.trim() === '') problems.push(`${where}: subgraph \`${c.id}\` has no title`);
      else if (!within(c.title, c.box, 1)) problems.push(`${where}: the title of subgraph \`${c.id}\` leaves its box`);
    }
    const n = crossings(d.edges);
    total += n;
    const name = rel.replace(/\.html$/, '');
    if (!drawn.includes(name)) drawn.push(name);
    drawnCrossings[name] = (drawnCrossings[name] ?? 0) + n;
    console.log(`${where}: ${d.nodes.length} nodes, ${d.edges.length} edges, ${d.clusters.length} subgraphs, ${n} crossings`);
  }
  await phone.goto(url);
  const scales = await phone.evaluate(() =>
    [...document.querySelectorAll('svg.cg-flow-svg')].map((s) => s.getBoundingClientRect().width / s.viewBox.baseVal.width),
  );
  for (const [k, s] of scales.entries()) {
    if (s * 14 < 10.99) problems.push(`${rel} diagram ${k + 1}: labels are ${(s * 14).toFixed(1)}px on a 360px phone`);
  }
}

console.log(`flow: ${diagrams} diagrams, ${total} edge crossings in total`);
if (mermaidCounts) {
  const same = drawn.filter((name) => name in mermaidCounts);
  const ours = same.reduce((a, name) => a + drawnCrossings[name], 0);
  const theirs = same.reduce((a, name) => a + mermaidCounts[name], 0);
  console.log(`flow: on the ${same.length} charts Mermaid 11 also drew: coursegen ${ours} crossings, Mermaid 11 ${theirs} (tests/fixtures/mermaid/mermaid11-crossings.json)`);
}
if (diagrams === 0) problems.push('no flow diagram found');
for (const p of problems) console.log(`problem: ${p}`);
await browser.close();
process.exit(problems.length ? 1 : 0);
