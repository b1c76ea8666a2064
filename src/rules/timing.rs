//! `--time-rules`: per-rule costs summed over a scan, and the table that shows them.
//!
//! Workers measuring rules give every rule a query of its own (the normal build compiles a
//! language's pack into one query, which cannot be attributed), so a timed scan is slower
//! than a normal one; the shares between rules are what the figures are for.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::engine::RuleTime;

/// What one rule cost over a whole scan, summed over workers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RuleTiming {
    /// The rule's id.
    pub rule_id: String,
    /// Milliseconds compiling its query, summed over the workers that compiled it.
    pub compile_ms: f64,
    /// Milliseconds running its query and checking its constraints.
    pub match_ms: f64,
    /// Files in which its query ran (files with at least one node of its pattern roots).
    pub files: u64,
    /// Matches that passed its constraints (before suppressions and the baseline).
    pub findings: u64,
}

impl RuleTiming {
    /// Compile and match time together.
    pub fn total_ms(&self) -> f64 {
        self.compile_ms + self.match_ms
    }
}

/// Sums [`RuleTime`] reports from workers.
#[derive(Debug, Default)]
pub struct Totals {
    by_rule: HashMap<String, (u64, u64, u64, u64)>,
}

impl Totals {
    /// Adds one file's report.
    pub fn add(&mut self, times: &[RuleTime]) {
        for t in times {
            let e = self.by_rule.entry(t.rule_id.clone()).or_default();
            e.0 += t.compile_us;
            e.1 += t.match_us;
            e.2 += 1;
            e.3 += t.findings;
        }
    }

    /// The totals, most expensive first.
    pub fn into_sorted(self) -> Vec<RuleTiming> {
        let mut out: Vec<RuleTiming> = self
            .by_rule
            .into_iter()
            .map(|(rule_id, (c, m, files, findings))| RuleTiming {
                rule_id,
                compile_ms: c as f64 / 1000.0,
                match_ms: m as f64 / 1000.0,
                files,
                findings,
            })
            .collect();
        out.sort_by(|a, b| {
            b.total_ms()
                .total_cmp(&a.total_ms())
                .then_with(|| a.rule_id.cmp(&b.rule_id))
        });
        out
    }
}

/// Writes the table `--time-rules` prints: the `limit` most expensive rules and a total.
pub fn write_table(out: &mut dyn Write, timings: &[RuleTiming], limit: usize) -> io::Result<()> {
    if timings.is_empty() {
        return writeln!(out, "rule timing: no rule ran");
    }
    let width = timings
        .iter()
        .take(limit)
        .map(|t| t.rule_id.len())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "{:<width$}  {:>10}  {:>10}  {:>10}  {:>7}  {:>8}",
        "rule", "total ms", "compile ms", "match ms", "files", "findings"
    )?;
    for t in timings.iter().take(limit) {
        writeln!(
            out,
            "{:<width$}  {:>10.1}  {:>10.1}  {:>10.1}  {:>7}  {:>8}",
            t.rule_id,
            t.total_ms(),
            t.compile_ms,
            t.match_ms,
            t.files,
            t.findings
        )?;
    }
    if timings.len() > limit {
        writeln!(
            out,
            "… {} more rules (all of them are in the JSON summary)",
            timings.len() - limit
        )?;
    }
    let (compile, matching): (f64, f64) = timings
        .iter()
        .fold((0.0, 0.0), |(c, m), t| (c + t.compile_ms, m + t.match_ms));
    writeln!(
        out,
        "{:<width$}  {:>10.1}  {:>10.1}  {:>10.1}",
        "all rules",
        compile + matching,
        compile,
        matching
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(id: &str, compile_us: u64, match_us: u64, findings: u64) -> RuleTime {
        RuleTime {
            rule_id: id.into(),
            compile_us,
            match_us,
            findings,
        }
    }

    #[test]
    fn totals_sum_per_rule_and_sort_by_cost() {
        let mut totals = Totals::default();
        totals.add(&[time("a", 1000, 500, 1), time("b", 0, 200, 0)]);
        totals.add(&[time("a", 0, 1500, 2), time("c", 4000, 0, 0)]);
        let sorted = totals.into_sorted();
        let ids: Vec<&str> = sorted.iter().map(|t| t.rule_id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
        let a = &sorted[1];
        assert_eq!(
            (a.compile_ms, a.match_ms, a.files, a.findings),
            (1.0, 2.0, 2, 3)
        );
    }

    #[test]
    fn table_lists_the_most_expensive_and_the_total() {
        let mut totals = Totals::default();
        totals.add(&[time("slow.rule", 0, 9000, 0), time("fast", 0, 1000, 0)]);
        let mut out = Vec::new();
        write_table(&mut out, &totals.into_sorted(), 1).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("slow.rule"), "{text}");
        assert!(!text.contains("fast "), "{text}");
        assert!(text.contains("1 more rules"), "{text}");
        assert!(text.lines().last().unwrap().contains("10.0"), "{text}");
    }
}
