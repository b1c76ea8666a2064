//! Which rules a scan runs: `enable` and `disable` selectors and severity overrides, from
//! `.astscan.toml` and the command line.
//!
//! Selection fails closed. A selector that matches no rule astscan knows (built-in or loaded)
//! is an error naming it, with the closest name as a suggestion: a typo must not quietly run
//! every rule, or none. Built-in rules count as known even when `--no-rules` skips them, so one
//! configuration serves scans with and without the built-in pack.

use std::fmt;

use crate::rules::{Rule, Severity};

/// Smallest Jaro similarity for a suggestion (clap's threshold for mistyped subcommands).
const SUGGESTION_SIMILARITY: f64 = 0.7;

/// One selector: a glob over rule ids, `CWE-<n>`, or an OWASP category prefix (`A03`).
#[derive(Clone, Debug)]
pub struct Selector {
    /// As written, for messages.
    pattern: String,
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Id(globset::GlobMatcher),
    Cwe(u32),
    Owasp,
}

impl Selector {
    /// Parses a selector; the error says what is wrong with it.
    pub fn parse(pattern: &str) -> Result<Selector, String> {
        let kind = if let Some(n) = pattern.strip_prefix("CWE-") {
            Kind::Cwe(n.parse().map_err(|_| "not CWE-<number>".to_string())?)
        } else if pattern.len() >= 3
            && pattern.starts_with('A')
            && pattern.as_bytes()[1..3].iter().all(u8::is_ascii_digit)
        {
            Kind::Owasp
        } else {
            Kind::Id(
                globset::Glob::new(pattern)
                    .map_err(|e| e.to_string())?
                    .compile_matcher(),
            )
        };
        Ok(Selector {
            pattern: pattern.to_string(),
            kind,
        })
    }

    /// Whether the selector picks `rule`.
    pub fn matches(&self, rule: &Rule) -> bool {
        match &self.kind {
            Kind::Id(g) => g.is_match(&rule.id),
            Kind::Cwe(n) => rule.cwe == *n,
            Kind::Owasp => rule.owasp.starts_with(self.pattern.as_str()),
        }
    }

    /// The name among `known` rules' names of this selector's kind closest to what was
    /// written, if one is close enough.
    fn suggestion(&self, known: &[Rule]) -> Option<String> {
        let mut candidates: Vec<String> = Vec::new();
        for rule in known {
            match self.kind {
                Kind::Id(_) => {
                    candidates.push(rule.id.clone());
                    // Families, in the form `python.weak-hash.*` selectors take.
                    for (i, _) in rule.id.match_indices('.') {
                        candidates.push(format!("{}.*", &rule.id[..i]));
                    }
                }
                Kind::Cwe(_) => candidates.push(format!("CWE-{}", rule.cwe)),
                Kind::Owasp => {
                    candidates.push(rule.owasp.chars().take(3).collect());
                    candidates.push(rule.owasp.clone());
                }
            }
        }
        candidates.sort();
        candidates.dedup();
        let mut best: Option<(f64, String)> = None;
        for c in candidates {
            let score = strsim::jaro(&self.pattern, &c);
            // Candidates are sorted, so ties go to the first name: the answer is stable.
            if score > SUGGESTION_SIMILARITY && best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, c));
            }
        }
        best.map(|(_, c)| c)
    }
}

/// Where a selector was written, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A configuration file's key (`enable`, `disable`, `severity`), with the file's path.
    Config {
        /// The file, as shown.
        file: String,
        /// The key.
        key: &'static str,
    },
    /// A command-line flag (`--enable`, `--disable`).
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Config { file, key } => write!(f, "{file}: {key}"),
            Origin::Flag(flag) => f.write_str(flag),
        }
    }
}

/// Selectors with where they came from.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// When not empty, only rules one of these picks run.
    enable: Vec<(Origin, Selector)>,
    /// Rules these pick do not run.
    disable: Vec<(Origin, Selector)>,
    /// Severity overrides; the last one that picks a rule wins.
    severity: Vec<(Origin, Selector, Severity)>,
}

/// A selection that cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    /// A selector is not valid syntax.
    #[error("{origin}: selector {pattern:?}: {why}")]
    Invalid {
        /// Where it was written.
        origin: Origin,
        /// The selector.
        pattern: String,
        /// What is wrong.
        why: String,
    },
    /// Selectors that pick no known rule, one per line.
    #[error("{}", .0.join("\n"))]
    Unmatched(Vec<String>),
    /// Rules were asked for, and none are left to run.
    #[error("{}", empty_message(*.loaded))]
    Empty {
        /// How many rules were loaded before selection.
        loaded: usize,
    },
}

impl Selection {
    /// Replaces the `enable` list (the command line's `--enable` replaces the file's).
    pub fn set_enable(&mut self, origin: Origin, patterns: &[String]) -> Result<(), SelectError> {
        self.enable = parse_all(&origin, patterns)?
            .into_iter()
            .map(|s| (origin.clone(), s))
            .collect();
        Ok(())
    }

    /// Adds to the `disable` list (the command line's `--disable` adds to the file's).
    pub fn add_disable(&mut self, origin: Origin, patterns: &[String]) -> Result<(), SelectError> {
        for s in parse_all(&origin, patterns)? {
            self.disable.push((origin.clone(), s));
        }
        Ok(())
    }

    /// Adds severity overrides.
    pub fn add_severity<'a>(
        &mut self,
        origin: Origin,
        overrides: impl IntoIterator<Item = (&'a String, &'a Severity)>,
    ) -> Result<(), SelectError> {
        for (pattern, severity) in overrides {
            let s = parse_one(&origin, pattern)?;
            self.severity.push((origin.clone(), s, *severity));
        }
        Ok(())
    }

    /// Checks every selector against `known` (every rule astscan knows of: the built-in pack
    /// and the loaded rules), then applies the selection to `loaded`. With `asked_for` (the
    /// scan was meant to run rules), an empty result is an error too.
    pub fn apply(
        &self,
        known: &[Rule],
        loaded: Vec<Rule>,
        asked_for: bool,
    ) -> Result<Vec<Rule>, SelectError> {
        let selectors = self
            .enable
            .iter()
            .map(|(o, s)| (o, s))
            .chain(self.disable.iter().map(|(o, s)| (o, s)))
            .chain(self.severity.iter().map(|(o, s, _)| (o, s)));
        let mut unmatched = Vec::new();
        for (origin, sel) in selectors {
            if known.iter().any(|r| sel.matches(r)) {
                continue;
            }
            let hint = sel
                .suggestion(known)
                .map(|s| format!(" (did you mean {s:?}?)"))
                .unwrap_or_default();
            unmatched.push(format!(
                "{origin}: {:?} matches no rule{hint}; `astscan rules list` shows them",
                sel.pattern
            ));
        }
        if !unmatched.is_empty() {
            return Err(SelectError::Unmatched(unmatched));
        }
        let count = loaded.len();
        let selected: Vec<Rule> = loaded
            .into_iter()
            .filter(|r| self.enable.is_empty() || self.enable.iter().any(|(_, s)| s.matches(r)))
            .filter(|r| !self.disable.iter().any(|(_, s)| s.matches(r)))
            .map(|mut r| {
                if let Some((_, _, sev)) =
                    self.severity.iter().rev().find(|(_, s, _)| s.matches(&r))
                {
                    r.severity = *sev;
                }
                r
            })
            .collect();
        if selected.is_empty() && asked_for {
            return Err(SelectError::Empty { loaded: count });
        }
        Ok(selected)
    }
}

fn empty_message(loaded: usize) -> String {
    let why = if loaded == 0 {
        "the rule directories hold no rules".to_string()
    } else {
        format!(
            "{loaded} rules loaded, and enable/disable (in .astscan.toml, --enable, --disable) \
             leave none of them"
        )
    };
    format!("no rule left to run: {why}; pass --no-rules without --rules to scan without rules")
}

fn parse_one(origin: &Origin, pattern: &str) -> Result<Selector, SelectError> {
    Selector::parse(pattern).map_err(|why| SelectError::Invalid {
        origin: origin.clone(),
        pattern: pattern.to_string(),
        why,
    })
}

fn parse_all(origin: &Origin, patterns: &[String]) -> Result<Vec<Selector>, SelectError> {
    patterns.iter().map(|p| parse_one(origin, p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(name: &'static str) -> Origin {
        Origin::Flag(name)
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ids_cwes_and_owasp_categories_select() {
        let rules = crate::rules::builtin().unwrap();
        let total = rules.len();
        let mut sel = Selection::default();
        sel.add_disable(
            flag("--disable"),
            &strings(&["python.weak-hash.*", "CWE-330"]),
        )
        .unwrap();
        let overrides = [("python.code-injection.*".to_string(), Severity::Critical)];
        sel.add_severity(flag("--severity"), overrides.iter().map(|(p, s)| (p, s)))
            .unwrap();
        let selected = sel.apply(&rules, rules.clone(), true).unwrap();
        assert!(selected.len() < total);
        assert!(
            !selected
                .iter()
                .any(|r| r.id.starts_with("python.weak-hash.") || r.cwe == 330)
        );
        let eval = selected
            .iter()
            .find(|r| r.id == "python.code-injection.eval")
            .unwrap();
        assert_eq!(eval.severity, Severity::Critical);

        let mut only = Selection::default();
        only.set_enable(flag("--enable"), &strings(&["A03"]))
            .unwrap();
        let only = only.apply(&rules, rules.clone(), true).unwrap();
        assert!(!only.is_empty() && only.iter().all(|r| r.owasp.starts_with("A03")));
    }

    #[test]
    fn a_selector_matching_no_rule_is_named_with_a_suggestion() {
        let rules = crate::rules::builtin().unwrap();
        let mut sel = Selection::default();
        sel.set_enable(flag("--enable"), &strings(&["pyhton.*"]))
            .unwrap();
        sel.add_disable(
            flag("--disable"),
            &strings(&["python.code-injection.evl", "CWE-99999", "A99"]),
        )
        .unwrap();
        let err = sel
            .apply(&rules, rules.clone(), true)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--enable: \"pyhton.*\" matches no rule (did you mean \"python.*\"?)"),
            "{err}"
        );
        assert!(
            err.contains("\"python.code-injection.evl\" matches no rule (did you mean \"python.code-injection.eval\"?)"),
            "{err}"
        );
        assert!(err.contains("\"CWE-99999\" matches no rule"), "{err}");
        assert!(err.contains("\"A99\" matches no rule"), "{err}");
        assert_eq!(err.lines().count(), 4, "{err}");
    }

    #[test]
    fn a_selection_that_leaves_no_rule_is_an_error_only_when_rules_were_asked_for() {
        let rules = crate::rules::builtin().unwrap();
        let mut sel = Selection::default();
        sel.set_enable(flag("--enable"), &strings(&["python.*"]))
            .unwrap();
        sel.add_disable(flag("--disable"), &strings(&["python.*"]))
            .unwrap();
        let err = sel.apply(&rules, rules.clone(), true).unwrap_err();
        assert!(matches!(err, SelectError::Empty { loaded } if loaded == rules.len()));
        // Built-in rules are known even when not loaded (`--no-rules`).
        assert!(sel.apply(&rules, Vec::new(), false).unwrap().is_empty());
    }

    #[test]
    fn invalid_selectors_are_refused_without_panicking() {
        for bad in ["CWE-x", "a[", "A€x"] {
            let mut sel = Selection::default();
            // "A€x" is not an OWASP category (a glob then), and must not be sliced mid-char.
            let r = sel.add_disable(flag("--disable"), &strings(&[bad]));
            if bad != "A€x" {
                assert!(r.unwrap_err().to_string().contains(bad));
            }
        }
    }
}
