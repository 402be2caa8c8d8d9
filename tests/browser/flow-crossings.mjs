// Edge crossings of a drawn diagram, counted the same way for coursegen's SVG (flow.mjs)
// and for Mermaid's (the counts in tests/fixtures/mermaid/mermaid11-crossings.json).
//
// An edge is a polyline sampled from its SVG path every 3px as [x, y, distance, length];
// two edges cross where two of their segments properly intersect, away from either
// path's first and last 12px (edges that share an end node meet there without crossing).

/** Runs in the page: every path matching `selector` inside `root`, sampled. */
export function samplePaths(root, selector) {
  return [...root.querySelectorAll(selector)].map((p) => {
    const len = p.getTotalLength();
    const pts = [];
    for (let d = 0; d <= len; d += 3) {
      const q = p.getPointAtLength(d);
      pts.push([q.x, q.y, d, len]);
    }
    return pts;
  });
}

/** Proper crossings of two sampled polylines, away from both paths' ends. */
export function crossCount(p, q) {
  let n = 0;
  const ccw = (a, b, c) => (c[1] - a[1]) * (b[0] - a[0]) - (b[1] - a[1]) * (c[0] - a[0]);
  const away = (a) => a[2] > 12 && a[3] - a[2] > 12;
  for (let i = 1; i < p.length; i++) {
    if (!away(p[i])) continue;
    for (let j = 1; j < q.length; j++) {
      if (!away(q[j])) continue;
      const [a, b, c, d] = [p[i - 1], p[i], q[j - 1], q[j]];
      if (ccw(a, b, c) * ccw(a, b, d) < 0 && ccw(c, d, a) * ccw(c, d, b) < 0) n++;
    }
  }
  return n;
}

/** Crossings between every pair of edges. */
export function crossings(edges) {
  let n = 0;
  for (let i = 0; i < edges.length; i++) for (let j = i + 1; j < edges.length; j++) n += crossCount(edges[i], edges[j]);
  return n;
}
