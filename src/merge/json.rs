//! Merging JSON reports: their file records, de-duplicated by path and put in path order, and
//! a summary counted afresh from those records.
//!
//! The counts come from [`Summary::add`] over the merged files, never from adding up the
//! inputs' summaries, so they agree with the file list by construction (a file in two
//! inputs counts once). Timings cannot be recounted: the merged `elapsed_ms` is the longest
//! input's, since shards run side by side and the longest one is how long the whole took;
//! the rates are recomputed from it. Worker counts and rule timings are summed.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::MergeError;
use crate::report::{FileReport, Report, Summary};
use crate::rules::Severity;
use crate::rules::timing::RuleTiming;

/// The merged records and their summary.
pub struct Merged {
    /// Every file once, in path order.
    pub files: Vec<FileReport>,
    /// Totals of `files`.
    pub summary: Summary,
    /// The inputs' rule-set fingerprint.
    pub ruleset: String,
}

/// A record as compared between inputs: without the timing and the backend, which differ
/// between two runs that analysed a file the same way.
fn comparable(file: &FileReport) -> serde_json::Value {
    let mut f = file.clone();
    f.backend = None;
    if let Some(parse) = &mut f.parse {
        parse.parse_ms = 0.0;
    }
    serde_json::to_value(&f).unwrap_or_default()
}

/// Orders paths as a walk sorted by file name visits them: component by component, so that
/// `a/b.py` (in directory `a`) comes before `a.py`.
fn path_order(a: &[u8], b: &[u8]) -> Ordering {
    a.split(|&c| c == b'/').cmp(b.split(|&c| c == b'/'))
}

/// Merges `reports` (name, report), counting findings at or above `fail_threshold` as failing.
pub fn merge(
    reports: Vec<(String, Report)>,
    fail_threshold: Option<Severity>,
) -> Result<Merged, MergeError> {
    let mut by_path: HashMap<Vec<u8>, (FileReport, usize)> = HashMap::new();
    let mut elapsed_ms = 0f64;
    let mut workers_started = 0;
    let mut worker_restarts = 0;
    let mut incomplete = Vec::new();
    let mut rule_times: HashMap<String, RuleTiming> = HashMap::new();
    let ruleset = reports
        .first()
        .map(|(_, r)| r.ruleset.clone())
        .unwrap_or_default();
    let names: Vec<String> = reports.iter().map(|(name, _)| name.clone()).collect();
    for (n, (name, report)) in reports.into_iter().enumerate() {
        let s = report.summary;
        elapsed_ms = elapsed_ms.max(s.elapsed_ms);
        workers_started += s.workers_started;
        worker_restarts += s.worker_restarts;
        if let Some(why) = s.incomplete {
            incomplete.push(format!("{name}: {why}"));
        }
        for t in s.rule_times {
            match rule_times.entry(t.rule_id.clone()) {
                Entry::Occupied(mut e) => {
                    let sum = e.get_mut();
                    sum.compile_ms += t.compile_ms;
                    sum.match_ms += t.match_ms;
                    sum.files += t.files;
                    sum.findings += t.findings;
                }
                Entry::Vacant(e) => {
                    e.insert(t);
                }
            }
        }
        for file in report.files {
            match by_path.entry(file.path_raw()) {
                Entry::Occupied(seen) => {
                    let (kept, from) = seen.get();
                    if comparable(kept) != comparable(&file) {
                        return Err(MergeError::Conflict {
                            file: file.path,
                            input: name,
                            first: names[*from].clone(),
                        });
                    }
                }
                Entry::Vacant(slot) => {
                    slot.insert((file, n));
                }
            }
        }
    }
    let mut files: Vec<(Vec<u8>, FileReport)> = by_path
        .into_iter()
        .map(|(path, (file, _))| (path, file))
        .collect();
    files.sort_by(|a, b| path_order(&a.0, &b.0));
    let files: Vec<FileReport> = files.into_iter().map(|(_, f)| f).collect();

    let mut summary = Summary {
        fail_threshold,
        ..Summary::default()
    };
    for file in &files {
        summary.add(file);
    }
    summary.workers_started = workers_started;
    summary.worker_restarts = worker_restarts;
    summary.incomplete = (!incomplete.is_empty()).then(|| incomplete.join("; "));
    let mut rule_times: Vec<RuleTiming> = rule_times.into_values().collect();
    rule_times.sort_by(|a, b| {
        b.total_ms()
            .total_cmp(&a.total_ms())
            .then_with(|| a.rule_id.cmp(&b.rule_id))
    });
    summary.rule_times = rule_times;
    summary.finish(std::time::Duration::from_secs_f64(
        elapsed_ms.max(0.0) / 1000.0,
    ));
    // `finish` rounds what it is given; keep the input's figure exactly.
    summary.elapsed_ms = elapsed_ms;
    Ok(Merged {
        files,
        summary,
        ruleset,
    })
}

/// The rules a SARIF report made from merged JSON records lists: those its findings name,
/// as the built-in pack defines them, or as the findings describe them for rules of rule
/// directories (which JSON reports do not carry).
pub fn rules_of(files: &[FileReport]) -> Vec<crate::rules::Rule> {
    let builtin: HashMap<String, crate::rules::Rule> = crate::rules::builtin()
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let mut seen = std::collections::BTreeMap::new();
    for f in files
        .iter()
        .filter_map(|f| f.parse.as_ref())
        .flat_map(|p| &p.findings)
    {
        if seen.contains_key(&f.rule_id) {
            continue;
        }
        let rule = match builtin.get(&f.rule_id) {
            Some(r) if r.severity == f.severity && r.message == f.message => r.clone(),
            _ => crate::rules::Rule {
                id: f.rule_id.clone(),
                message: f.message.clone(),
                severity: f.severity,
                confidence: f.confidence,
                cwe: f.cwe,
                owasp: f.owasp.clone(),
                references: Vec::new(),
                languages: Vec::new(),
                query: String::new(),
                taint: None,
                constraints: Default::default(),
                inside: Vec::new(),
                not_inside: Vec::new(),
                source: String::new(),
            },
        };
        seen.insert(f.rule_id.clone(), rule);
    }
    seen.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_sort_as_a_walk_visits_them() {
        let mut paths: Vec<&[u8]> = vec![b"a.py", b"b/c.py", b"a/z.py", b"a/b/c.py", b"A.py"];
        paths.sort_by(|a, b| path_order(a, b));
        let expected: Vec<&[u8]> = vec![b"A.py", b"a/b/c.py", b"a/z.py", b"a.py", b"b/c.py"];
        assert_eq!(paths, expected);
    }
}
