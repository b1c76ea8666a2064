//! Limits on what one tool call takes in and gives back, so that an agent is never flooded and
//! a request cannot make the server hold unbounded memory.
//!
//! Long lists come a page at a time: `limit` entries from an offset that a `cursor` carries.
//! A cursor is `OFFSET.QUERY`, where QUERY is a hash of the call's other arguments: a cursor
//! handed to another query is refused instead of silently paging through something else. Each
//! page is computed from a fresh scan (the result cache makes that cheap), so a file changed
//! between two pages can shift entries; no server state is kept between calls.
//!
//! Lists are cut at [`MAX_LISTED`] entries: ranked lists keep only the best `offset + limit`
//! entries while the scan runs ([`TopK`]), and the totals still count everything.

use std::collections::BinaryHeap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::ToolError;

/// Entries one page may hold: enough for an agent to act on, small enough that a page of
/// findings with their flows stays well under a megabyte of JSON.
pub const MAX_LIMIT: usize = 500;

/// Entries a list can be paged to, in all: what is past them is counted, not listed (narrow
/// the path or the filters instead). It bounds what a ranked list keeps in memory.
pub const MAX_LISTED: usize = 10_000;

/// Paths one `scan` call may name.
pub const MAX_PATHS: usize = 64;

/// Scans running at once; further calls wait. Each scan starts its own worker processes
/// (`--jobs` of them), so this bounds the processes an agent's parallel calls can start.
pub const CONCURRENT_SCANS: usize = 2;

/// Files listed as skipped or failed in a scan's answer; the counts cover them all.
pub const MAX_NOT_ANALYZED: usize = 20;

/// Deepest syntax tree level `ast` shows. Each level is two levels of JSON nesting, and
/// common JSON readers (serde_json, Python's json) stop at around 128.
pub const MAX_AST_DEPTH: u32 = 40;

/// Default depth of `ast`.
pub const DEFAULT_AST_DEPTH: u32 = 8;

/// Largest number of nodes `ast` returns.
pub const MAX_AST_NODES: usize = 5_000;

/// Default number of nodes of `ast`.
pub const DEFAULT_AST_NODES: usize = 500;

/// Largest file `ast` dumps, in bytes: the worker's dump is about 15 times the source, and
/// even cut to a depth it is held whole while the nodes are picked.
pub const MAX_AST_FILE: u64 = 1 << 20;

/// Fixture examples `explain_rule` shows, of each kind (a finding, no finding).
pub const MAX_EXAMPLES: usize = 3;

/// Lines of one example: the flagged line and the lines that lead to it.
pub const MAX_EXAMPLE_LINES: usize = 12;

/// Smallest request line the server accepts, in bytes. rmcp drops longer lines without an
/// answer (their id cannot be read safely), so the limit must stay well above the largest
/// `scan_code` source (JSON-escaped) for that tool to answer with an error instead.
pub const MIN_REQUEST_LINE: usize = 64 << 20;

/// The request line limit for a largest accepted source of `max_source` bytes: twice that
/// (JSON escapes of code are mostly one extra byte) plus 1 MiB for the rest of the request,
/// and at least [`MIN_REQUEST_LINE`].
pub fn request_line_limit(max_source: u64) -> usize {
    let needed = max_source.saturating_mul(2).saturating_add(1 << 20);
    usize::try_from(needed)
        .unwrap_or(usize::MAX)
        .max(MIN_REQUEST_LINE)
}

/// The part of a list one call returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// Entries skipped.
    pub offset: usize,
    /// Entries returned at most.
    pub limit: usize,
    /// Hash of the query, which cursors carry.
    query: String,
}

impl Window {
    /// The window a call asks for: `limit` (default `default`, at most [`MAX_LIMIT`]) from the
    /// offset `cursor` carries, for the query `args` (the call's arguments; `limit` and
    /// `cursor` are left out of the hash) of `tool`.
    pub fn new(
        tool: &str,
        args: &impl Serialize,
        limit: Option<u32>,
        default: usize,
        cursor: Option<&str>,
    ) -> Result<Window, ToolError> {
        let limit = match limit {
            None => default,
            Some(0) => {
                return Err(ToolError::new(
                    "limit must be at least 1 (leave it out for the default)",
                ));
            }
            Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
        };
        if limit > MAX_LIMIT {
            return Err(ToolError::new(format!(
                "limit {limit} is over the maximum of {MAX_LIMIT}: ask for fewer and page with \
                 the cursor"
            )));
        }
        let query = query_hash(tool, args);
        let offset = match cursor {
            None => 0,
            Some(cursor) => parse_cursor(cursor, &query)?,
        };
        if offset >= MAX_LISTED {
            return Err(ToolError::new(format!(
                "the cursor is past the first {MAX_LISTED} entries, which is as far as lists go: \
                 narrow the path or the filters"
            )));
        }
        Ok(Window {
            offset,
            limit: limit.min(MAX_LISTED - offset),
            query,
        })
    }

    /// How many of the best entries a ranked list must keep for this window.
    pub fn keep(&self) -> usize {
        self.offset + self.limit
    }

    /// This window's entries of `items` (all of a list, best first), and the cursor of the
    /// next page if there is one. `total` is the list's full length (it may exceed
    /// `items.len()` when only the best were kept).
    pub fn page<T>(&self, items: Vec<T>, total: usize) -> (Vec<T>, Option<String>) {
        let page: Vec<T> = items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect();
        let end = self.offset + page.len();
        let next = (end < total && end < MAX_LISTED && !page.is_empty())
            .then(|| format!("{end}.{}", self.query));
        (page, next)
    }
}

/// The hash a cursor of this query carries: 8 hex digits of SHA-256 over the tool's name and
/// its arguments without `limit` and `cursor`.
fn query_hash(tool: &str, args: &impl Serialize) -> String {
    let mut value = serde_json::to_value(args).unwrap_or(serde_json::Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.remove("limit");
        map.remove("cursor");
    }
    let mut hasher = Sha256::new();
    hasher.update(tool.as_bytes());
    hasher.update([0]);
    hasher.update(value.to_string().as_bytes());
    crate::source::hex(&hasher.finalize()[..4])
}

fn parse_cursor(cursor: &str, query: &str) -> Result<usize, ToolError> {
    let malformed = || {
        ToolError::new(format!(
            "cursor {cursor:?} is not one this server gave out: pass the next_cursor of the \
             previous answer unchanged, or leave it out for the first page"
        ))
    };
    let (offset, hash) = cursor.split_once('.').ok_or_else(malformed)?;
    let offset: usize = offset.parse().map_err(|_| malformed())?;
    if hash != query {
        return Err(ToolError::new(
            "the cursor belongs to a call with other arguments: repeat the arguments of the \
             call that returned it (only limit may change), or leave it out to start again",
        ));
    }
    Ok(offset)
}

/// The `k` smallest entries by key of a stream of any length, in memory for `k` entries; ties
/// keep the order they came in.
pub struct TopK<K: Ord, T> {
    k: usize,
    seen: usize,
    heap: BinaryHeap<Entry<K, T>>,
}

struct Entry<K, T> {
    key: K,
    seq: usize,
    item: T,
}

impl<K: Ord, T> PartialEq for Entry<K, T> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.seq == other.seq
    }
}
impl<K: Ord, T> Eq for Entry<K, T> {}
impl<K: Ord, T> PartialOrd for Entry<K, T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<K: Ord, T> Ord for Entry<K, T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.key, self.seq).cmp(&(&other.key, other.seq))
    }
}

impl<K: Ord, T> TopK<K, T> {
    /// Keeps the `k` smallest.
    pub fn new(k: usize) -> Self {
        TopK {
            k,
            seen: 0,
            heap: BinaryHeap::with_capacity(k.min(MAX_LISTED) + 1),
        }
    }

    /// Offers one entry.
    pub fn push(&mut self, key: K, item: T) {
        let seq = self.seen;
        self.seen += 1;
        if self.k == 0 {
            return;
        }
        self.heap.push(Entry { key, seq, item });
        if self.heap.len() > self.k {
            self.heap.pop();
        }
    }

    /// Entries offered in all.
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// The kept entries, smallest first.
    pub fn into_sorted(self) -> Vec<T> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|e| e.item)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_each_other_through_cursors() {
        let args = serde_json::json!({"path": "src", "limit": 2});
        let first = Window::new("scan", &args, Some(2), 50, None).unwrap();
        let (page, next) = first.page((0..5).collect::<Vec<_>>(), 5);
        assert_eq!(page, [0, 1]);
        let next = next.unwrap();
        assert!(next.starts_with("2."), "{next}");
        // The limit may change between pages; the cursor still fits.
        let args = serde_json::json!({"path": "src", "limit": 3, "cursor": next});
        let second = Window::new("scan", &args, Some(3), 50, Some(&next)).unwrap();
        let (page, next) = second.page((0..5).collect::<Vec<_>>(), 5);
        assert_eq!(page, [2, 3, 4]);
        assert_eq!(next, None);
    }

    #[test]
    fn foreign_and_malformed_cursors_are_refused() {
        let a = serde_json::json!({"path": "src"});
        let b = serde_json::json!({"path": "lib"});
        let (_, next) = Window::new("scan", &a, Some(1), 50, None)
            .unwrap()
            .page(vec![1, 2], 2);
        let next = next.unwrap();
        let err = Window::new("scan", &b, None, 50, Some(&next)).unwrap_err();
        assert!(err.to_string().contains("other arguments"), "{err}");
        let err = Window::new("hotspots", &a, None, 50, Some(&next)).unwrap_err();
        assert!(err.to_string().contains("other arguments"), "{err}");
        for bad in ["", "x", "1", "-1.abc", "1.zzzzzzzz"] {
            assert!(
                Window::new("scan", &a, None, 50, Some(bad)).is_err(),
                "{bad}"
            );
        }
        let far = format!("{MAX_LISTED}.{}", query_hash("scan", &a));
        assert!(Window::new("scan", &a, None, 50, Some(&far)).is_err());
    }

    #[test]
    fn limits_are_checked() {
        let a = serde_json::json!({});
        assert!(Window::new("t", &a, Some(0), 50, None).is_err());
        assert!(Window::new("t", &a, Some(MAX_LIMIT as u32 + 1), 50, None).is_err());
        assert_eq!(Window::new("t", &a, None, 50, None).unwrap().limit, 50);
        // Near the end of what is listed, a page shrinks to fit.
        let near = format!("{}.{}", MAX_LISTED - 3, query_hash("t", &a));
        let w = Window::new("t", &a, Some(10), 50, Some(&near)).unwrap();
        assert_eq!(w.keep(), MAX_LISTED);
    }

    #[test]
    fn top_k_keeps_the_smallest_in_order_of_arrival_for_ties() {
        let mut top = TopK::new(3);
        for (key, item) in [(5, "a"), (1, "b"), (3, "c"), (1, "d"), (9, "e"), (0, "f")] {
            top.push(key, item);
        }
        assert_eq!(top.seen(), 6);
        assert_eq!(top.into_sorted(), ["f", "b", "d"]);
        let mut none: TopK<u8, u8> = TopK::new(0);
        none.push(1, 1);
        assert!(none.into_sorted().is_empty());
    }

    #[test]
    fn the_request_line_fits_the_largest_source() {
        assert_eq!(request_line_limit(10 << 20), MIN_REQUEST_LINE);
        assert_eq!(request_line_limit(100 << 20), (200 << 20) + (1 << 20));
    }
}
