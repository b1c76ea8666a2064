//! Reading the reports to merge and checking that they belong together: one format, one
//! astscan version, one rule set.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use super::{MergeError, shown};
use crate::report::{Report, SCHEMA_VERSION};

/// A report to merge.
pub struct Input {
    /// Its name in messages.
    pub name: String,
    /// Its content.
    pub content: Content,
}

/// A report's content, by format.
pub enum Content {
    /// A JSON report (`--format json`).
    Json(Box<Report>),
    /// A SARIF document whose runs are astscan's.
    Sarif(Value),
}

impl Input {
    fn kind(&self) -> &'static str {
        match self.content {
            Content::Json(_) => "JSON",
            Content::Sarif(_) => "SARIF",
        }
    }

    /// The astscan version and rule-set fingerprint of each run it holds.
    fn identities(&self) -> Vec<(String, String)> {
        match &self.content {
            Content::Json(report) => vec![(report.tool.version.clone(), report.ruleset.clone())],
            Content::Sarif(doc) => runs(doc)
                .iter()
                .map(|run| {
                    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
                    (
                        text(&run["tool"]["driver"]["version"]),
                        text(&run["properties"][crate::report::sarif::RULESET_PROPERTY]),
                    )
                })
                .collect(),
        }
    }
}

/// The runs of a SARIF document (empty if it has none).
pub fn runs(doc: &Value) -> &[Value] {
    doc["runs"].as_array().map_or(&[], Vec::as_slice)
}

/// Reads one report: `-` is standard input.
pub fn read(path: &Path) -> Result<Input, MergeError> {
    let name = shown(path);
    let read_error = |error| MergeError::Read {
        input: name.clone(),
        error,
    };
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(read_error)?;
        buf
    } else {
        std::fs::read(path).map_err(read_error)?
    };
    let not_a_report = |why: String| MergeError::NotAReport {
        input: name.clone(),
        why,
    };
    let doc: Value =
        serde_json::from_slice(&bytes).map_err(|e| not_a_report(format!("not JSON ({e})")))?;
    drop(bytes);
    if doc.get("runs").is_some() {
        if doc["version"] != "2.1.0" {
            return Err(not_a_report(format!(
                "SARIF version {} (astscan writes 2.1.0)",
                doc["version"]
            )));
        }
        let runs = runs(&doc);
        if runs.is_empty() {
            return Err(not_a_report("a SARIF document without runs".into()));
        }
        for run in runs {
            if run["tool"]["driver"]["name"] != "astscan" {
                return Err(not_a_report(format!(
                    "a SARIF run of {}",
                    run["tool"]["driver"]["name"]
                )));
            }
            if !run["properties"][crate::report::sarif::RULESET_PROPERTY].is_string() {
                return Err(not_a_report(
                    "its run has no rule-set fingerprint (written by an older astscan)".into(),
                ));
            }
        }
        return Ok(Input {
            name,
            content: Content::Sarif(doc),
        });
    }
    match doc.get("schema_version") {
        None => {
            return Err(not_a_report(
                "neither a JSON report (no schema_version) nor SARIF (no runs)".into(),
            ));
        }
        Some(v) if v.as_u64() != Some(u64::from(SCHEMA_VERSION)) => {
            return Err(MergeError::SchemaVersion {
                input: name,
                found: v.to_string(),
                expected: SCHEMA_VERSION,
            });
        }
        Some(_) => {}
    }
    if doc["tool"]["name"] != "astscan" {
        return Err(not_a_report(format!("written by {}", doc["tool"]["name"])));
    }
    let report: Report = serde_json::from_value(doc).map_err(|e| not_a_report(e.to_string()))?;
    Ok(Input {
        name,
        content: Content::Json(Box::new(report)),
    })
}

/// Checks that every input is of the first one's format, version and rule set.
pub fn check_compatible(inputs: &[Input]) -> Result<(), MergeError> {
    let Some(first) = inputs.first() else {
        return Ok(());
    };
    let (version, ruleset) = first.identities().into_iter().next().unwrap_or_default();
    let current = crate::report::Tool::current().version;
    for input in inputs {
        if input.kind() != first.kind() {
            return Err(MergeError::MixedFormats {
                input: input.name.clone(),
                kind: input.kind(),
                first: first.name.clone(),
            });
        }
        for (v, r) in input.identities() {
            if v != version {
                return Err(MergeError::Version {
                    input: input.name.clone(),
                    found: v,
                    first: first.name.clone(),
                    expected: version,
                });
            }
            // Compared with the other inputs first: a report that stands out is the one to
            // name, rather than all of them.
            if v != current {
                return Err(MergeError::NotThisVersion {
                    input: input.name.clone(),
                    found: v,
                    current,
                });
            }
            if r != ruleset {
                return Err(MergeError::RuleSet {
                    input: input.name.clone(),
                    found: r,
                    first: first.name.clone(),
                    expected: ruleset,
                });
            }
        }
    }
    Ok(())
}
