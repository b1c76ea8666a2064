//! GitHub code scanning's limits on an uploaded SARIF file, and keeping a run inside them.
//!
//! The service rejects a whole file that breaks a limit, so a large scan would upload nothing.
//! Its documented maximums are 20 runs per file, 25,000 results and 25,000 rules per run, 100
//! tool extensions per run, 1,000 locations and 10,000 thread-flow locations per result, 20
//! tags per rule, and 10 MB per gzip-compressed file. astscan writes one run, one location
//! and no thread flow per result, no extensions and four tags per rule, so only the result
//! count, the rule count and the file size need watching. When results must go, the most
//! severe open ones stay: [`Selection`] drops the least important first, and the writer says
//! how many it dropped in a tool notification.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

use crate::rules::{Confidence, Severity};

/// Results per run the service accepts.
pub const MAX_RESULTS: usize = 25_000;
/// Rules per run the service accepts.
pub const MAX_RULES: usize = 25_000;
/// Tags per rule the service accepts (astscan writes four).
pub const MAX_TAGS_PER_RULE: usize = 20;
/// Bytes of the uncompressed document. The service takes 10 MB of gzip; gzip never grows
/// its input by more than a few bytes per 16 KiB block, so an uncompressed document this size
/// is accepted without astscan compressing anything. The service displays only the 5,000
/// most severe results of a run, and about 14,000 of astscan's results fit in this budget,
/// so the bound costs nothing the service would have shown.
pub const MAX_DOCUMENT_BYTES: usize = 9_900_000;
/// Files that could not be analysed listed one notification each; the rest are counted in
/// one more. Keeps a scan where every file failed inside the size budget.
pub const MAX_FILE_NOTIFICATIONS: usize = 1_000;

/// How much a result matters when not all can be kept; greater is kept first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Priority {
    /// Neither suppressed in source nor in the baseline: an alert someone must look at.
    pub open: bool,
    /// The rule's severity.
    pub severity: Severity,
    /// The rule's confidence.
    pub confidence: Confidence,
}

impl Priority {
    /// How the result is described in the notification that counts dropped results.
    pub fn class(&self) -> String {
        if self.open {
            self.severity.to_string()
        } else {
            "suppressed or baselined".to_string()
        }
    }
}

/// One result waiting to be written.
struct Entry<T> {
    priority: Priority,
    /// Arrival order: the walk order, in which kept results are written.
    seq: u64,
    bytes: usize,
    item: T,
}

// The heap's top is the result least worth keeping: the lowest priority, and among equals the
// one that came last (so that which results stay does not depend on timing).
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .priority
            .cmp(&self.priority)
            .then(self.seq.cmp(&other.seq))
    }
}

impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T> Eq for Entry<T> {}

/// The results kept so far, never more than `max_count` of them nor more than `max_bytes` of
/// their serialised sizes, so memory is bounded whatever the scan finds.
pub struct Selection<T> {
    heap: BinaryHeap<Entry<T>>,
    max_count: usize,
    max_bytes: usize,
    bytes: usize,
    seen: u64,
    dropped: BTreeMap<Priority, u64>,
}

/// What a [`Selection`] left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    /// Results offered.
    pub seen: u64,
    /// Results dropped, per priority (most important last).
    pub by_priority: BTreeMap<Priority, u64>,
}

impl Dropped {
    /// Results dropped in all.
    pub fn total(&self) -> u64 {
        self.by_priority.values().sum()
    }

    /// Dropped results per [`Priority::class`], most important first, e.g. `"2 high, 5 low"`.
    pub fn describe(&self) -> String {
        let mut classes: Vec<(String, u64)> = Vec::new();
        for (p, n) in self.by_priority.iter().rev() {
            match classes.iter_mut().find(|(c, _)| *c == p.class()) {
                Some((_, m)) => *m += n,
                None => classes.push((p.class(), *n)),
            }
        }
        let parts: Vec<String> = classes.iter().map(|(c, n)| format!("{n} {c}")).collect();
        parts.join(", ")
    }
}

impl<T> Selection<T> {
    /// An empty selection bounded by `max_count` results and `max_bytes` bytes.
    pub fn new(max_count: usize, max_bytes: usize) -> Self {
        Selection {
            heap: BinaryHeap::new(),
            max_count,
            max_bytes,
            bytes: 0,
            seen: 0,
            dropped: BTreeMap::new(),
        }
    }

    /// Offers a result of `bytes` serialised bytes; the least important result goes if the
    /// selection is then over a bound (which may be this one).
    pub fn push(&mut self, priority: Priority, bytes: usize, item: T) {
        let seq = self.seen;
        self.seen += 1;
        self.bytes += bytes;
        self.heap.push(Entry {
            priority,
            seq,
            bytes,
            item,
        });
        self.shrink_to(self.max_bytes);
    }

    /// Drops the least important results until they take at most `max_bytes` (and at most
    /// the count bound).
    pub fn shrink_to(&mut self, max_bytes: usize) {
        while self.heap.len() > self.max_count || self.bytes > max_bytes {
            let Some(worst) = self.heap.pop() else { break };
            self.bytes -= worst.bytes;
            *self.dropped.entry(worst.priority).or_insert(0) += 1;
        }
    }

    /// Results kept now.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// The items kept now, in no particular order.
    pub fn items(&self) -> impl Iterator<Item = &T> {
        self.heap.iter().map(|e| &e.item)
    }

    /// The kept items in the order they were offered, and what was dropped.
    pub fn finish(self) -> (Vec<T>, Dropped) {
        let mut kept = self.heap.into_vec();
        kept.sort_by_key(|e| e.seq);
        (
            kept.into_iter().map(|e| e.item).collect(),
            Dropped {
                seen: self.seen,
                by_priority: self.dropped,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(severity: Severity) -> Priority {
        Priority {
            open: true,
            severity,
            confidence: Confidence::High,
        }
    }

    #[test]
    fn over_25000_results_the_most_severe_are_kept_in_walk_order() {
        let mut s = Selection::new(MAX_RESULTS, MAX_DOCUMENT_BYTES);
        // 30,000 results: every tenth high, one critical near the end, the rest low, and
        // 2,000 suppressed ones that must go before any open result.
        for i in 0..30_000u32 {
            let p = match i {
                29_999 => open(Severity::Critical),
                _ if i % 10 == 0 => open(Severity::High),
                _ if i % 15 == 1 => Priority {
                    open: false,
                    ..open(Severity::Critical)
                },
                _ => open(Severity::Low),
            };
            s.push(p, 100, (i, p));
        }
        let (kept, dropped) = s.finish();
        assert_eq!(kept.len(), MAX_RESULTS);
        assert_eq!(dropped.seen, 30_000);
        assert_eq!(dropped.total(), 5_000);
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0), "walk order");
        assert!(kept.iter().any(|(i, _)| *i == 29_999), "the critical one");
        let highs = kept
            .iter()
            .filter(|(_, p)| p.severity == Severity::High)
            .count();
        assert_eq!(highs, 3_000, "every high result");
        assert!(
            kept.iter().all(|(_, p)| p.open),
            "suppressed ones went first"
        );
        // Among the low results, the first ones in walk order stay.
        let last_low = kept
            .iter()
            .filter(|(_, p)| p.severity == Severity::Low)
            .map(|(i, _)| *i)
            .max();
        let lows = kept.len() - highs - 1;
        let first_dropped_low = (0..30_000u32)
            .filter(|i| *i != 29_999 && i % 10 != 0 && i % 15 != 1)
            .nth(lows);
        assert!(last_low < first_dropped_low);
        assert_eq!(dropped.describe(), "3000 low, 2000 suppressed or baselined");
    }

    #[test]
    fn the_byte_budget_drops_the_least_important_results() {
        let mut s = Selection::new(MAX_RESULTS, 1_000);
        for i in 0..20u32 {
            let sev = if i % 2 == 0 {
                Severity::Medium
            } else {
                Severity::Low
            };
            s.push(open(sev), 100, i);
        }
        assert_eq!(s.len(), 10);
        s.shrink_to(450);
        let (kept, dropped) = s.finish();
        assert_eq!(kept, [0, 2, 4, 6]);
        assert_eq!(dropped.describe(), "6 medium, 10 low");
    }
}
