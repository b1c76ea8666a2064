//! Import cycles: the strongly connected components of the file graph with more than one
//! file. petgraph's Kosaraju is used rather than its Tarjan, which recurses once per file on a
//! path: an import chain thousands of files long must not exhaust the stack.

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

/// The groups of two or more of `nodes` files that reach each other through `edges`
/// (from, to); each group in ascending order, groups ordered by their first file.
pub fn cycles(nodes: usize, edges: impl IntoIterator<Item = (usize, usize)>) -> Vec<Vec<usize>> {
    let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(nodes, 0);
    for _ in 0..nodes {
        graph.add_node(());
    }
    for (from, to) in edges {
        graph.add_edge(NodeIndex::new(from), NodeIndex::new(to), ());
    }
    let mut groups: Vec<Vec<usize>> = kosaraju_scc(&graph)
        .into_iter()
        .filter(|group| group.len() > 1)
        .map(|group| {
            let mut files: Vec<usize> = group.into_iter().map(NodeIndex::index).collect();
            files.sort_unstable();
            files
        })
        .collect();
    groups.sort_unstable();
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_two_or_more_in_order() {
        // 0 -> 1 -> 2 -> 0 is a cycle, 3 <-> 4 another, 5 -> 5 imports itself only.
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 3), (5, 5)];
        assert_eq!(cycles(6, edges), [vec![0, 1, 2], vec![3, 4]]);
        assert!(cycles(3, [(0, 1), (1, 2)]).is_empty());
    }

    #[test]
    fn a_long_chain_closed_into_a_cycle_does_not_exhaust_the_stack() {
        let n = 200_000;
        let edges = (0..n).map(|i| (i, (i + 1) % n));
        let found = cycles(n, edges);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n);
    }
}
