//! The JSON form of a [`Graph`]: its serde shape, pretty-printed, described by the checked-in
//! `src/graph/graph.schema.json` (regenerated and compared by the test in `src/assets.rs`).
//! Every list is sorted as [`Graph`] documents, so equal inputs give equal bytes.

use super::Graph;

impl Graph {
    /// The graph as pretty JSON, ending with a newline.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising it cannot fail.
        let mut out = serde_json::to_string_pretty(self).expect("graph serialises");
        out.push('\n');
        out
    }
}

/// The graph schema as pretty JSON, as checked in at `src/graph/graph.schema.json`. Only the
/// test that regenerates the checked-in copy needs it (`schemars` is a dev-dependency).
#[cfg(test)]
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Graph);
    // Serialising a schema value into a string cannot fail.
    let mut out = serde_json::to_string_pretty(&schema).expect("schema serialises");
    out.push('\n');
    out
}
