//! Layering, step one: connected components, cycle breaking (which edges run against the
//! flow) and the rank of every node; no positions or sizes here.

use crate::model::flow::Graph;

/// The ranks of a graph.
#[derive(Debug, Clone)]
pub(super) struct Ranking {
    /// Node indices of each connected component, ascending; components ordered by their
    /// first node, so declaration order decides what is drawn first.
    pub components: Vec<Vec<usize>>,
    /// Rank of each node, starting at 0 in each component.
    pub rank: Vec<usize>,
    /// Per edge: true when it closes a cycle and is drawn against the flow.
    pub reversed: Vec<bool>,
    /// Per edge: false for self-loops and edges naming nodes that do not exist.
    pub ranked: Vec<bool>,
}

/// The minimum number of ranks an edge spans: a labelled edge needs a rank in between to
/// hold its label, and a longer link (`--->`) asks for more.
pub(super) fn min_len(graph: &Graph, edge: usize) -> usize {
    graph.edges.get(edge).map_or(1, |e| e.length.max(if e.label.is_some() { 2 } else { 1 }))
}

/// Breaks cycles and assigns ranks.
pub(super) fn rank(graph: &Graph) -> Ranking {
    let n = graph.nodes.len();
    let ranked: Vec<bool> = graph.edges.iter().map(|e| e.from != e.to && e.from < n && e.to < n).collect();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in graph.edges.iter().enumerate() {
        if ranked[i] {
            out[e.from].push(i);
        }
    }
    let (reversed, post_order) = break_cycles(graph, &out, &ranked);
    let rank = assign_ranks(graph, &ranked, &reversed, &post_order);
    let components = components(graph, &ranked);
    let mut ranking = Ranking { components, rank, reversed, ranked };
    normalize(&mut ranking);
    ranking
}

/// Depth-first search from the sources in declaration order; an edge into a node still on
/// the stack closes a cycle. Returns the reversed flags and the post-order.
fn break_cycles(graph: &Graph, out: &[Vec<usize>], ranked: &[bool]) -> (Vec<bool>, Vec<usize>) {
    let n = graph.nodes.len();
    let mut has_in = vec![false; n];
    for (i, e) in graph.edges.iter().enumerate() {
        if ranked[i] {
            has_in[e.to] = true;
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let mut state = vec![State::New; n];
    let mut reversed = vec![false; graph.edges.len()];
    let mut post = Vec::with_capacity(n);
    let roots = (0..n).filter(|&v| !has_in[v]).chain(0..n);
    for root in roots {
        if state[root] != State::New {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = State::OnStack;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&e) = out[v].get(*next) {
                *next += 1;
                let w = graph.edges[e].to;
                match state[w] {
                    State::New => {
                        state[w] = State::OnStack;
                        stack.push((w, 0));
                    }
                    State::OnStack => reversed[e] = true,
                    State::Done => {}
                }
            } else {
                state[v] = State::Done;
                post.push(v);
                stack.pop();
            }
        }
    }
    (reversed, post)
}

/// Longest-path ranks (reverse post-order is a topological order once the cycle edges are
/// turned around), then nodes with more edges below than above move down next to them,
/// which keeps sources beside what they feed.
fn assign_ranks(graph: &Graph, ranked: &[bool], reversed: &[bool], post: &[usize]) -> Vec<usize> {
    let n = graph.nodes.len();
    let mut up: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, e) in graph.edges.iter().enumerate() {
        if ranked[i] {
            let (a, b) = if reversed[i] { (e.to, e.from) } else { (e.from, e.to) };
            let len = min_len(graph, i);
            down[a].push((b, len));
            up[b].push((a, len));
        }
    }
    let mut rank = vec![0usize; n];
    for &v in post.iter().rev() {
        rank[v] = up[v].iter().map(|&(u, len)| rank[u] + len).max().unwrap_or(0);
    }
    for &v in post {
        if down[v].len() > up[v].len() {
            let lowest = down[v].iter().map(|&(w, len)| rank[w].saturating_sub(len)).min().unwrap_or(rank[v]);
            rank[v] = rank[v].max(lowest);
        }
    }
    rank
}

/// Connected components by union–find, ignoring direction.
fn components(graph: &Graph, ranked: &[bool]) -> Vec<Vec<usize>> {
    let n = graph.nodes.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut v: usize) -> usize {
        while parent[v] != v {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        v
    }
    for (i, e) in graph.edges.iter().enumerate() {
        if ranked[i] {
            let (a, b) = (find(&mut parent, e.from), find(&mut parent, e.to));
            // The smaller index becomes the root, so a component is named by its first node.
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut comps: Vec<Vec<usize>> = Vec::new();
    let mut comp_of_root = vec![usize::MAX; n];
    for v in 0..n {
        let r = find(&mut parent, v);
        if comp_of_root[r] == usize::MAX {
            comp_of_root[r] = comps.len();
            comps.push(Vec::new());
        }
        comps[comp_of_root[r]].push(v);
    }
    comps
}

/// Makes each component's smallest rank 0.
fn normalize(r: &mut Ranking) {
    for comp in &r.components {
        let min = comp.iter().map(|&v| r.rank[v]).min().unwrap_or(0);
        for &v in comp {
            r.rank[v] -= min;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::parse;
    use super::*;

    #[test]
    fn the_loop_back_edge_is_reversed_and_labels_take_two_ranks() {
        let g = parse("flowchart TD\nA --> B\nB -->|yes| C\nC --> A\n").unwrap();
        let r = rank(&g);
        assert_eq!(r.reversed, vec![false, false, true]);
        assert_eq!(r.rank, vec![0, 1, 3]);
    }

    #[test]
    fn sources_sit_just_above_what_they_feed() {
        let g = parse("flowchart TD\nA --> B --> C --> D\nX --> D\n").unwrap();
        let r = rank(&g);
        assert_eq!(r.rank, vec![0, 1, 2, 3, 2]);
        assert_eq!(r.components, vec![vec![0, 1, 2, 3, 4]]);
    }
}
