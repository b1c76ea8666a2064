//! Merging SARIF reports: every run of every input into one run.
//!
//! - Rules are listed once each (by id) in `tool.driver.rules`, and every result's
//!   `ruleIndex` is rewritten to the merged list.
//! - Artifacts, when runs list them, are listed once each (by location), and every
//!   `artifactLocation.index` is rewritten to the merged list.
//! - Results are grouped by the file of their first location. A file with results in two
//!   inputs keeps one copy when the copies agree and is an error when they do not.
//! - `originalUriBaseIds` must be the same in every run: a relative URI means nothing once
//!   its base is ambiguous. JSON reports have relative paths and no such restriction.
//! - The category (`automationDetails.id`) must be the same, unless one is given.
//! - One invocation: successful only if every input's was; the notifications of all.
//! - Code scanning's limits apply to the merged run as to a scan's ([`sarif_limits`]).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde_json::{Value, json};

use super::MergeError;
use super::input::runs;
use crate::report::sarif_limits::{self, Priority, Selection};
use crate::rules::{Confidence, Severity};

/// The merged document and what decides the exit code.
pub struct Merged {
    /// The SARIF document, one run.
    pub doc: Value,
    /// Open results at or above the failing severity.
    pub failing: u64,
    /// Whether every input's invocation succeeded (every file analysed, every scan whole).
    pub complete: bool,
}

/// The severity of a rule as its descriptor states it (`security-severity`, else `level`).
fn rule_severity(descriptor: &Value) -> Severity {
    let score = descriptor["properties"]["security-severity"]
        .as_str()
        .and_then(|s| s.parse::<f64>().ok());
    match score {
        Some(s) if s >= 9.0 => Severity::Critical,
        Some(s) if s >= 7.0 => Severity::High,
        Some(s) if s >= 4.0 => Severity::Medium,
        Some(_) => Severity::Low,
        None => match descriptor["defaultConfiguration"]["level"].as_str() {
            Some("error") => Severity::High,
            Some("warning") => Severity::Medium,
            _ => Severity::Low,
        },
    }
}

/// The severity of a result whose rule is unknown, from its level.
fn level_severity(result: &Value) -> Severity {
    match result["level"].as_str() {
        Some("error") => Severity::High,
        Some("note") | Some("none") => Severity::Low,
        _ => Severity::Medium,
    }
}

fn confidence(result: &Value) -> Confidence {
    match result["properties"]["confidence"].as_str() {
        Some("high") => Confidence::High,
        Some("low") => Confidence::Low,
        _ => Confidence::Medium,
    }
}

/// Whether a result is an open alert (not suppressed in source or by a baseline).
fn is_open(result: &Value) -> bool {
    result["suppressions"]
        .as_array()
        .is_none_or(|s| s.is_empty())
}

/// The key an artifact location is de-duplicated by.
fn location_key(location: &Value) -> String {
    format!(
        "{}\u{0}{}",
        location["uriBaseId"].as_str().unwrap_or_default(),
        location["uri"].as_str().unwrap_or_default()
    )
}

/// Rewrites every `artifactLocation.index` below `value` through `map` (old → new).
fn reindex_artifacts(value: &mut Value, map: &[usize]) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Object(location)) = object.get_mut("artifactLocation")
                && let Some(old) = location.get("index").and_then(Value::as_u64)
                && let Some(&new) = map.get(old as usize)
            {
                location.insert("index".into(), json!(new));
            }
            for v in object.values_mut() {
                reindex_artifacts(v, map);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| reindex_artifacts(v, map)),
        _ => {}
    }
}

/// The same member of every run: equal, or the error `differ` makes of (input, found, first,
/// expected).
fn agreed(
    runs: &[(String, &Value)],
    member: impl Fn(&Value) -> Value,
    differ: impl Fn(String, String, String, String) -> MergeError,
) -> Result<Value, MergeError> {
    let Some((first_name, first)) = runs.first() else {
        return Ok(Value::Null);
    };
    let expected = member(first);
    for (name, run) in runs {
        let found = member(run);
        if found != expected {
            return Err(differ(
                name.clone(),
                found.to_string(),
                first_name.clone(),
                expected.to_string(),
            ));
        }
    }
    Ok(expected)
}

/// Merges the SARIF documents `docs` (name, document) into one run; `category` replaces the
/// inputs' categories; open results at or above `fail_threshold` count as failing.
pub fn merge(
    docs: &[(String, Value)],
    category: Option<&str>,
    fail_threshold: Option<Severity>,
) -> Result<Merged, MergeError> {
    let all: Vec<(String, &Value)> = docs
        .iter()
        .flat_map(|(name, doc)| runs(doc).iter().map(move |run| (name.clone(), run)))
        .collect();
    let bases = agreed(
        &all,
        |run| run["originalUriBaseIds"].clone(),
        |input, found, first, expected| MergeError::Root {
            input,
            found,
            first,
            expected,
        },
    )?;
    let category = match category {
        Some(c) => {
            let mut c = c.to_string();
            if !c.ends_with('/') {
                c.push('/');
            }
            json!(c)
        }
        None => agreed(
            &all,
            |run| run["automationDetails"]["id"].clone(),
            |input, found, first, expected| MergeError::Category {
                input,
                found,
                first,
                expected,
            },
        )?,
    };

    let mut rules: Vec<Value> = Vec::new();
    let mut rule_index: HashMap<String, usize> = HashMap::new();
    let mut artifacts: Vec<Value> = Vec::new();
    let mut artifact_index: HashMap<String, usize> = HashMap::new();
    // Results by file, and the input each file's results came from.
    let mut by_file: HashMap<String, (Vec<Value>, String)> = HashMap::new();
    let mut notifications: Vec<Value> = Vec::new();
    let mut complete = true;
    for (name, run) in &all {
        let run_rules = run["tool"]["driver"]["rules"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        for rule in run_rules {
            let id = rule["id"].as_str().unwrap_or_default().to_string();
            if let Entry::Vacant(e) = rule_index.entry(id) {
                e.insert(rules.len());
                rules.push(rule.clone());
            }
        }
        let mut artifact_map = Vec::new();
        for artifact in run["artifacts"].as_array().map_or(&[][..], Vec::as_slice) {
            let key = location_key(&artifact["location"]);
            let n = *artifact_index.entry(key).or_insert_with(|| {
                artifacts.push(artifact.clone());
                artifacts.len() - 1
            });
            artifact_map.push(n);
        }
        let mut files: Vec<(String, Vec<Value>)> = Vec::new();
        let mut file_of: HashMap<String, usize> = HashMap::new();
        for result in run["results"].as_array().map_or(&[][..], Vec::as_slice) {
            let mut result = result.clone();
            let id = result["ruleId"].as_str().map(str::to_string).or_else(|| {
                let i = result["ruleIndex"].as_u64()? as usize;
                run_rules.get(i)?["id"].as_str().map(str::to_string)
            });
            if let Some(object) = result.as_object_mut() {
                object.remove("ruleIndex");
                if let Some(&i) = id.as_ref().and_then(|id| rule_index.get(id)) {
                    object.insert("ruleIndex".into(), json!(i));
                }
            }
            reindex_artifacts(&mut result, &artifact_map);
            let file =
                location_key(&result["locations"][0]["physicalLocation"]["artifactLocation"]);
            let slot = *file_of.entry(file.clone()).or_insert_with(|| {
                files.push((file, Vec::new()));
                files.len() - 1
            });
            files[slot].1.push(result);
        }
        for (file, results) in files {
            match by_file.entry(file) {
                Entry::Occupied(seen) => {
                    let (kept, from) = seen.get();
                    if *kept != results {
                        let shown = seen.key().split('\u{0}').nth(1).unwrap_or_default();
                        return Err(MergeError::Conflict {
                            file: shown.to_string(),
                            input: name.clone(),
                            first: from.clone(),
                        });
                    }
                }
                Entry::Vacant(slot) => {
                    slot.insert((results, name.clone()));
                }
            }
        }
        for invocation in run["invocations"].as_array().map_or(&[][..], Vec::as_slice) {
            complete &= invocation["executionSuccessful"].as_bool().unwrap_or(false);
            for note in invocation["toolExecutionNotifications"]
                .as_array()
                .map_or(&[][..], Vec::as_slice)
            {
                if !notifications.contains(note) {
                    notifications.push(note.clone());
                }
            }
        }
    }

    // Files in path order, results in their input's order within a file.
    let mut files: Vec<(String, Vec<Value>)> = by_file
        .into_iter()
        .map(|(file, (results, _))| (file, results))
        .collect();
    files.sort_by(|a, b| {
        a.0.as_bytes()
            .split(|&c| c == b'/')
            .cmp(b.0.as_bytes().split(|&c| c == b'/'))
    });
    let severity_of = |result: &Value| {
        result["ruleIndex"]
            .as_u64()
            .and_then(|i| rules.get(i as usize))
            .map_or_else(|| level_severity(result), rule_severity)
    };
    let mut selection = Selection::new(sarif_limits::MAX_RESULTS, sarif_limits::MAX_DOCUMENT_BYTES);
    let mut failing = 0;
    for result in files.into_iter().flat_map(|(_, results)| results) {
        let severity = severity_of(&result);
        let open = is_open(&result);
        if open && fail_threshold.is_some_and(|t| severity >= t) {
            failing += 1;
        }
        let bytes = result.to_string().len() + 1;
        let priority = Priority {
            open,
            severity,
            confidence: confidence(&result),
        };
        selection.push(priority, bytes, result);
    }
    let fixed = serde_json::to_vec(&rules).map_or(0, |v| v.len())
        + serde_json::to_vec(&notifications).map_or(0, |v| v.len())
        + serde_json::to_vec(&artifacts).map_or(0, |v| v.len())
        + 4096;
    selection.shrink_to(sarif_limits::MAX_DOCUMENT_BYTES.saturating_sub(fixed));
    let (results, dropped) = selection.finish();
    if dropped.total() > 0 {
        let text = format!(
            "{} of {} results written, the most severe: GitHub code scanning rejects a run of \
             more than {} results or a file of more than 10 MB. Left out: {}.",
            results.len(),
            dropped.seen,
            sarif_limits::MAX_RESULTS,
            dropped.describe(),
        );
        eprintln!("astscan: warning: merged SARIF report: {text}");
        notifications.push(json!({
            "level": "warning",
            "message": { "text": text },
            "properties": { "resultsWritten": results.len(), "resultsLeftOut": dropped.total() },
        }));
    }

    let first = all.first().map(|(_, run)| *run).unwrap_or(&Value::Null);
    let mut driver = first["tool"]["driver"].clone();
    driver["rules"] = json!(rules);
    let mut run = json!({
        "tool": { "driver": driver },
        "automationDetails": { "id": category },
        "originalUriBaseIds": bases,
        "properties": first["properties"].clone(),
        "columnKind": first["columnKind"].clone(),
        "results": results,
        "invocations": [{
            "executionSuccessful": complete,
            "toolExecutionNotifications": notifications,
        }],
    });
    if !artifacts.is_empty() {
        run["artifacts"] = json!(artifacts);
    }
    let object = run.as_object_mut().expect("a run is an object");
    // Members the inputs did not have stay absent rather than null, which the schema refuses.
    object.retain(|_, v| !v.is_null());
    let doc = json!({
        "$schema": crate::report::sarif::SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    });
    Ok(Merged {
        doc,
        failing,
        complete,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rules: &[&str], results: Value, artifacts: Option<Value>) -> Value {
        let rules: Vec<Value> = rules
            .iter()
            .map(|id| json!({ "id": id, "properties": { "security-severity": "8.0" } }))
            .collect();
        let mut run = json!({
            "tool": { "driver": { "name": "astscan", "version": "1", "rules": rules } },
            "automationDetails": { "id": "astscan/" },
            "originalUriBaseIds": { "%SRCROOT%": { "uri": "file:///repo/" } },
            "properties": { "ruleset": "x" },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [{ "executionSuccessful": true, "toolExecutionNotifications": [] }],
        });
        if let Some(a) = artifacts {
            run["artifacts"] = a;
        }
        json!({ "version": "2.1.0", "runs": [run] })
    }

    fn result(rule: &str, index: usize, uri: &str, artifact: Option<usize>) -> Value {
        let mut location = json!({ "uri": uri, "uriBaseId": "%SRCROOT%" });
        if let Some(a) = artifact {
            location["index"] = json!(a);
        }
        json!({
            "ruleId": rule,
            "ruleIndex": index,
            "message": { "text": "m" },
            "locations": [{ "physicalLocation": { "artifactLocation": location } }],
        })
    }

    #[test]
    fn rules_and_artifacts_are_listed_once_and_indexes_follow() {
        let a = run(
            &["r.one", "r.two"],
            json!([result("r.two", 1, "b.py", Some(0))]),
            Some(json!([{ "location": { "uri": "b.py", "uriBaseId": "%SRCROOT%" } }])),
        );
        let b = run(
            &["r.three", "r.two"],
            json!([
                result("r.three", 0, "a.py", Some(1)),
                result("r.two", 1, "c.py", Some(0)),
            ]),
            Some(json!([
                { "location": { "uri": "c.py", "uriBaseId": "%SRCROOT%" } },
                { "location": { "uri": "a.py", "uriBaseId": "%SRCROOT%" } },
            ])),
        );
        let merged = merge(
            &[("a".into(), a), ("b".into(), b)],
            None,
            Some(Severity::High),
        )
        .unwrap();
        let run = &merged.doc["runs"][0];
        let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(rule_ids, ["r.one", "r.two", "r.three"]);
        let artifacts = run["artifacts"].as_array().unwrap();
        assert_eq!(artifacts.len(), 3);
        for r in run["results"].as_array().unwrap() {
            let rule = &run["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize];
            assert_eq!(rule["id"], r["ruleId"]);
            let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            let artifact = &artifacts[location["index"].as_u64().unwrap() as usize];
            assert_eq!(artifact["location"]["uri"], location["uri"]);
        }
        assert_eq!(merged.failing, 3);
        assert!(merged.complete);
    }

    #[test]
    fn a_file_with_different_results_in_two_inputs_is_refused() {
        let a = run(&["r.one"], json!([result("r.one", 0, "a.py", None)]), None);
        let same = a.clone();
        let merged = merge(&[("a".into(), a.clone()), ("b".into(), same)], None, None).unwrap();
        assert_eq!(
            merged.doc["runs"][0]["results"].as_array().unwrap().len(),
            1
        );
        let other = run(&["r.one"], json!([]), None);
        let mut changed = a.clone();
        changed["runs"][0]["results"][0]["message"]["text"] = json!("n");
        let err = merge(&[("a".into(), a), ("c".into(), changed)], None, None)
            .err()
            .unwrap();
        assert!(
            matches!(err, MergeError::Conflict { ref file, .. } if file == "a.py"),
            "{err}"
        );
        assert!(merge(&[("o".into(), other)], None, None).is_ok());
    }

    #[test]
    fn different_roots_are_refused() {
        let a = run(&[], json!([]), None);
        let mut b = a.clone();
        b["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = json!("file:///elsewhere/");
        let err = merge(&[("a".into(), a), ("b".into(), b)], None, None)
            .err()
            .unwrap();
        assert!(matches!(err, MergeError::Root { .. }), "{err}");
    }
}
