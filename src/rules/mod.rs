//! Declarative security rules: the YAML format, loading and validation.
//!
//! A rule is a tree-sitter query plus constraints on its captures (must or must not be a
//! literal, following simple local assignments; regular expressions on the captured text) and
//! on where the match sits (inside / not inside node kinds), with the metadata a report needs:
//! id, message, severity, confidence, one CWE, OWASP category, references. Rules are validated
//! once, in the process that loads them, into [`Rule`]s whose queries are known to compile for
//! every language they name; errors name the file, the rule and what is wrong.
//!
//! Built-in rules live in `parsers/<language>/rules/*.yaml` and are compiled into the binary,
//! together with their annotated fixtures (see [`fixtures`]).

pub mod engine;
pub mod fixtures;
pub mod literals;
pub mod prefilter;
pub mod query_shape;
pub mod select;
pub mod suppress;
pub mod taint;
pub mod timing;
pub mod vetted;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::lang::Language;
pub use engine::Depth;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

/// How bad a finding is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Low,
    /// Should be fixed.
    Medium,
    /// Exploitable in common situations.
    High,
    /// Exploitable and severe.
    Critical,
}

/// How sure a rule is that a match is a real problem.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Often a false positive; review.
    Low,
    /// Usually right.
    Medium,
    /// Almost always right.
    High,
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        })
    }
}

/// A constraint on one capture.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    /// `true`: the capture must be a literal; `false`: it must not be one. Identifiers are
    /// followed to their last assignment in the same function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<bool>,
    /// The captured text must match this regular expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// The captured text must not match this regular expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_regex: Option<String>,
    /// The captured text must differ from this other capture's, compared by their letters
    /// and digits without case (`accessKey: "access_key"` restates a name, it holds no
    /// secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub differs_from: Option<String>,
}

/// A rule as written in a rule file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    message: String,
    severity: Severity,
    confidence: Confidence,
    cwe: String,
    owasp: String,
    #[serde(default)]
    references: Vec<String>,
    languages: Vec<String>,
    #[serde(default)]
    mode: Mode,
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    sources: Option<Vec<String>>,
    #[serde(default)]
    sinks: Option<Vec<String>>,
    #[serde(default)]
    sanitizers: Option<Vec<String>>,
    #[serde(default)]
    propagators: Option<Vec<String>>,
    #[serde(default)]
    constraints: BTreeMap<String, Constraint>,
    #[serde(default)]
    inside: Vec<String>,
    #[serde(default)]
    not_inside: Vec<String>,
}

/// How a rule finds problems.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A query pattern and constraints on its captures.
    #[default]
    Search,
    /// Untrusted values that reach a sink (see [`taint`]).
    Taint,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rules: Vec<RawRule>,
}

/// A validated rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Unique id, e.g. `python.code-injection.eval`.
    pub id: String,
    /// What is wrong and what to do, one or two sentences.
    pub message: String,
    /// How bad a finding is.
    pub severity: Severity,
    /// How sure the rule is.
    pub confidence: Confidence,
    /// The CWE number (`CWE-95` → 95).
    pub cwe: u32,
    /// OWASP Top 10 category, e.g. `A03:2021-Injection`.
    pub owasp: String,
    /// Further reading.
    pub references: Vec<String>,
    /// Languages the rule applies to.
    pub languages: Vec<Language>,
    /// The tree-sitter query; its `@match` capture (or the pattern's root) is the location.
    /// Empty for a taint rule.
    pub query: String,
    /// Sources, sinks, sanitizers and propagators, for a taint rule (`mode: taint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taint: Option<taint::TaintSpec>,
    /// Constraints by capture name (without `@`).
    pub constraints: BTreeMap<String, Constraint>,
    /// The match must have an ancestor of one of these node kinds.
    pub inside: Vec<String>,
    /// The match must have no ancestor of these node kinds.
    pub not_inside: Vec<String>,
    /// The file the rule came from.
    pub source: String,
}

/// A rule file or rule that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", rule.as_ref().map(|r| format!(": rule {r}")).unwrap_or_default())]
pub struct RuleError {
    /// The rule file.
    pub file: String,
    /// The rule id, when the problem is in one rule.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Parses and validates the rules of one YAML file, compiling every query for every language
/// it names.
pub fn parse_file(file: &str, text: &str, depth: Depth) -> Result<Vec<Rule>, RuleError> {
    let rules = parse_file_unchecked(file, text)?;
    for rule in &rules {
        for &lang in &rule.languages {
            let checked = match &rule.taint {
                Some(spec) => taint::validate(spec, lang),
                None => engine::validate(rule, lang, depth),
            };
            checked.map_err(|m| RuleError {
                file: file.to_string(),
                rule: Some(rule.id.clone()),
                message: format!("{lang}: {m}"),
            })?;
        }
    }
    Ok(rules)
}

/// Parses one YAML file and checks everything but the queries (which a worker compiles once
/// anyway: compiling twice would double its start-up time).
fn parse_file_unchecked(file: &str, text: &str) -> Result<Vec<Rule>, RuleError> {
    let err = |rule: Option<&str>, message: String| RuleError {
        file: file.to_string(),
        rule: rule.map(str::to_string),
        message,
    };
    let raw: RuleFile = serde_saphyr::from_str(text).map_err(|e| err(None, e.to_string()))?;
    let mut out = Vec::with_capacity(raw.rules.len());
    for r in raw.rules {
        let bad = |m: String| err(Some(&r.id), m);
        if r.id.is_empty()
            || !r
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(err(
                None,
                format!("rule id {:?} must be non-empty [A-Za-z0-9._-]", r.id),
            ));
        }
        if r.message.trim().is_empty() {
            return Err(bad("empty message".into()));
        }
        let cwe = r
            .cwe
            .trim()
            .trim_start_matches("CWE-")
            .parse::<u32>()
            .map_err(|_| bad(format!("cwe {:?} is not CWE-<number>", r.cwe)))?;
        if r.languages.is_empty() {
            return Err(bad("no languages".into()));
        }
        let mut languages = Vec::new();
        for name in &r.languages {
            let lang = Language::from_name(name)
                .ok_or_else(|| bad(format!("unknown language {name:?}")))?;
            languages.push(lang);
        }
        let taint_lists = [&r.sources, &r.sinks, &r.sanitizers, &r.propagators];
        let (query, taint) = match r.mode {
            Mode::Search => {
                if taint_lists.iter().any(|l| l.is_some()) {
                    return Err(bad(
                        "sources, sinks, sanitizers and propagators need `mode: taint`".into(),
                    ));
                }
                let Some(query) = r.query.clone() else {
                    return Err(bad("missing field `query`".into()));
                };
                (query, None)
            }
            Mode::Taint => {
                if r.query.is_some() || !r.constraints.is_empty() {
                    return Err(bad(
                        "a taint rule has sources and sinks instead of query and constraints"
                            .into(),
                    ));
                }
                if !r.inside.is_empty() || !r.not_inside.is_empty() {
                    return Err(bad("inside/not_inside do not apply to taint rules".into()));
                }
                let spec = taint::TaintSpec {
                    sources: r.sources.clone().unwrap_or_default(),
                    sinks: r.sinks.clone().unwrap_or_default(),
                    sanitizers: r.sanitizers.clone().unwrap_or_default(),
                    propagators: r.propagators.clone().unwrap_or_default(),
                };
                if spec.sources.is_empty() || spec.sinks.is_empty() {
                    return Err(bad(
                        "a taint rule needs at least one source and one sink".into()
                    ));
                }
                (String::new(), Some(spec))
            }
        };
        out.push(Rule {
            id: r.id.clone(),
            message: r.message.trim().to_string(),
            severity: r.severity,
            confidence: r.confidence,
            cwe,
            owasp: r.owasp,
            references: r.references,
            languages,
            query,
            taint,
            constraints: r.constraints,
            inside: r.inside,
            not_inside: r.not_inside,
            source: file.to_string(),
        });
    }
    Ok(out)
}

/// Every built-in rule. Queries are compiled by whoever uses the rules (a worker, or
/// [`parse_file`] in tests), so this is cheap.
pub fn builtin() -> Result<Vec<Rule>, RuleError> {
    let mut rules = Vec::new();
    for (path, text) in embedded::FILES.iter().filter(|(p, _)| p.ends_with(".yaml")) {
        rules.extend(parse_file_unchecked(path, text)?);
    }
    check_unique(&rules)?;
    Ok(rules)
}

/// The confidence below which rules do not run unless asked for (`--min-confidence`).
pub const DEFAULT_MIN_CONFIDENCE: Confidence = Confidence::Medium;

/// The built-in rules a scan runs with default options: [`builtin`] without the audit rules
/// below [`DEFAULT_MIN_CONFIDENCE`] (what a daemon pre-warms its pool for).
pub fn builtin_default() -> Result<Vec<Rule>, RuleError> {
    let mut rules = builtin()?;
    rules.retain(|r| r.confidence >= DEFAULT_MIN_CONFIDENCE);
    Ok(rules)
}

/// Built-in rule and fixture files: (path, contents).
pub fn builtin_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    embedded::FILES.iter().copied()
}

/// Built-in fixture files: (path, contents) of every non-YAML file beside the rules.
pub fn builtin_fixtures() -> impl Iterator<Item = (&'static str, &'static str)> {
    embedded::FILES
        .iter()
        .copied()
        .filter(|(p, _)| !p.ends_with(".yaml"))
}

/// Refuses two rules with one id.
pub fn check_unique(rules: &[Rule]) -> Result<(), RuleError> {
    let mut seen = BTreeMap::new();
    for r in rules {
        if let Some(first) = seen.insert(r.id.as_str(), r.source.as_str()) {
            return Err(RuleError {
                file: r.source.clone(),
                rule: Some(r.id.clone()),
                message: format!("duplicate rule id (also in {first})"),
            });
        }
    }
    Ok(())
}

/// Loads every `*.yaml` file under `dir` (recursively, sorted).
pub fn load_dir(dir: &std::path::Path, depth: Depth) -> Result<Vec<Rule>, RuleError> {
    let mut rules = Vec::new();
    for (shown, text) in rule_files(dir)? {
        rules.extend(parse_file(&shown, &text, depth)?);
    }
    Ok(rules)
}

/// The `*.yaml` and `*.yml` files under `dir` (recursively, sorted by name): each file's path
/// as shown in messages, and its contents.
pub fn rule_files(dir: &std::path::Path) -> Result<Vec<(String, String)>, RuleError> {
    if !dir.is_dir() {
        return Err(RuleError {
            file: crate::pathfmt::escape(dir),
            rule: None,
            message: "not a directory".into(),
        });
    }
    let paths: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
        })
        .map(|e| e.into_path())
        .collect();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let shown = crate::pathfmt::escape(&path);
        let text = std::fs::read_to_string(&path).map_err(|e| RuleError {
            file: shown.clone(),
            rule: None,
            message: e.to_string(),
        })?;
        files.push((shown, text));
    }
    Ok(files)
}

/// A small valid rule for unit tests across the rules modules.
#[cfg(test)]
pub(crate) const TEST_RULE: &str = r#"
rules:
  - id: test.eval
    message: eval of a non-literal
    severity: high
    confidence: high
    cwe: CWE-95
    owasp: A03:2021-Injection
    languages: [python]
    query: |
      (call function: (identifier) @fn arguments: (argument_list . (_) @arg)
        (#eq? @fn "eval")) @match
    constraints:
      arg: { literal: false }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = TEST_RULE;

    #[test]
    fn a_valid_rule_parses() {
        let rules = parse_file("t.yaml", GOOD, Depth::Thorough).unwrap();
        assert_eq!(rules[0].cwe, 95);
        assert_eq!(rules[0].languages, [Language::Python]);
        assert_eq!(rules[0].constraints["arg"].literal, Some(false));
    }

    #[test]
    fn errors_name_the_file_the_rule_and_the_problem() {
        let cases = [
            (
                GOOD.replace("[python]", "[cobol]"),
                "unknown language \"cobol\"",
            ),
            (GOOD.replace("CWE-95", "ninety-five"), "is not CWE-<number>"),
            (GOOD.replace("(call function", "(call functio"), "python:"),
            (GOOD.replace("arg: {", "nope: {"), "no capture @nope"),
            (
                GOOD.replace("literal: false }", "literal: false, differs_from: nope }"),
                "differs_from names @nope",
            ),
            (
                GOOD.replace("    query: |", "    mode: taint\n    query: |"),
                "instead of query",
            ),
            (
                GOOD.replace(
                    "    constraints:",
                    "    sinks: [\"(call) @sink\"]\n    constraints:",
                ),
                "need `mode: taint`",
            ),
            (GOOD.replace("severity: high", "severity: dire"), "t.yaml"),
            (GOOD.replace("owasp:", "owasp_category:"), "t.yaml"),
            (GOOD.replace("@fn", "@__kind.fn"), "reserved"),
            // A pattern that can never match (found by the thorough check only).
            (
                GOOD.replace(
                    "(argument_list . (_) @arg)",
                    "(argument_list . (import_statement) @arg)",
                ),
                "query does not compile",
            ),
        ];
        for (text, want) in cases {
            let err = parse_file("t.yaml", &text, Depth::Thorough)
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{err:?} lacks {want:?}");
            assert!(err.starts_with("t.yaml"), "{err}");
        }
        let err = parse_file(
            "t.yaml",
            &GOOD.replace("(call function", "(call functio"),
            Depth::Thorough,
        )
        .unwrap_err();
        assert_eq!(err.rule.as_deref(), Some("test.eval"));
    }

    #[test]
    fn the_builtin_pack_is_valid_and_ids_are_unique() {
        let rules = builtin().unwrap_or_else(|e| panic!("{e}"));
        assert!(!rules.is_empty());
        for (path, text) in embedded::FILES.iter().filter(|(p, _)| p.ends_with(".yaml")) {
            parse_file(path, text, Depth::Thorough).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
