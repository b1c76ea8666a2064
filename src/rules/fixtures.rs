//! `astscan rules test`: rules against annotated fixture files.
//!
//! The convention is the one semgrep users know: a comment containing `ruleid: <id>` says
//! that the next line must produce a finding of that rule; `ok: <id>` says it must not. Any
//! other finding of a loaded rule on a fixture line is noise. Several ids may be listed,
//! separated by commas. `todoruleid: <id>` records a known miss without checking it.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::lang;
use crate::worker::analyze::Analyzer;

/// What one fixture file showed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FixtureResult {
    /// The fixture's path.
    pub file: String,
    /// Annotated (line, rule) pairs checked.
    pub checked: usize,
    /// `ruleid:` annotations without a finding: (1-based line, rule id).
    pub missing: Vec<(u32, String)>,
    /// Findings where none was expected: (1-based line, rule id).
    pub noisy: Vec<(u32, String)>,
    /// Why the file could not be checked at all.
    pub error: Option<String>,
}

impl FixtureResult {
    /// No missing or noisy findings and no error.
    pub fn passed(&self) -> bool {
        self.missing.is_empty() && self.noisy.is_empty() && self.error.is_none()
    }
}

/// Checks one fixture with `analyzer` (which holds the rules under test).
pub fn check(path: &str, text: &str, analyzer: &mut Analyzer) -> FixtureResult {
    let mut result = FixtureResult {
        file: path.to_string(),
        ..FixtureResult::default()
    };
    let Some(language) = lang::detect_by_name(std::path::Path::new(path)) else {
        result.error = Some("cannot tell the language from the file name".into());
        return result;
    };
    let mut expected = BTreeSet::new();
    let mut allowed_absent = BTreeSet::new();
    for annotation in annotated(text) {
        let set = if annotation.finding {
            &mut expected
        } else {
            &mut allowed_absent
        };
        for id in annotation.ids {
            set.insert((annotation.line, id));
        }
    }
    result.checked = expected.len() + allowed_absent.len();
    let parsed = match analyzer.analyze(language, text.as_bytes(), Duration::from_secs(30)) {
        Ok(parsed) => parsed,
        Err(e) => {
            result.error = Some(e.to_string());
            return result;
        }
    };
    let found: BTreeSet<(u32, String)> = parsed
        .analysis
        .findings
        .iter()
        .map(|f| (f.span.start.line, f.rule_id.clone()))
        .collect();
    result.missing = expected.difference(&found).cloned().collect();
    result.noisy = found.difference(&expected).cloned().collect();
    result
}

/// One `ruleid:` or `ok:` annotation of a fixture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// The 1-based line it is about: the one after the comment.
    pub line: u32,
    /// `ruleid:` (the line must produce a finding) rather than `ok:` (it must not).
    pub finding: bool,
    /// The rule ids it names.
    pub ids: Vec<String>,
}

/// Every `ruleid:` and `ok:` annotation of a fixture, in line order.
pub fn annotated(text: &str) -> Vec<Annotation> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for (marker, ids) in annotations(line) {
            out.push(Annotation {
                line: crate::analysis::saturating_u32(i + 2),
                finding: marker == "ruleid:",
                ids,
            });
        }
    }
    out
}

/// The `ruleid:` and `ok:` annotations of a line, each with its ids: several may share a
/// comment (`# ruleid: a.audit; ok: a.taint`); `todoruleid:` records a known miss and is
/// skipped. Markers count only after a comment opener.
fn annotations(line: &str) -> Vec<(&'static str, Vec<String>)> {
    let mut found: Vec<(usize, &'static str)> = Vec::new();
    for marker in ["ruleid:", "ok:"] {
        let mut from = 0;
        while let Some(pos) = line[from..].find(marker).map(|p| p + from) {
            from = pos + marker.len();
            // `ok:` inside `todoruleid:`/`ruleid:` is not a marker of its own.
            let before = &line[..pos];
            if marker == "ok:" && before.ends_with("todorule") {
                continue;
            }
            if !["#", "//", "/*", "<!--", "*"]
                .iter()
                .any(|c| before.contains(c))
            {
                continue;
            }
            found.push((pos, marker));
        }
    }
    found.sort();
    let mut out = Vec::new();
    for (k, &(pos, marker)) in found.iter().enumerate() {
        // A following `todoruleid:` ends this marker's ids where its `todo` starts.
        let end = found.get(k + 1).map_or(line.len(), |&(p, _)| {
            if line[..p].ends_with("todo") {
                p - 4
            } else {
                p
            }
        });
        if line[..pos].ends_with("todo") {
            continue;
        }
        let ids = line[pos + marker.len()..end]
            .trim()
            .trim_end_matches("*/")
            .trim_end_matches("-->")
            .split([',', ';'])
            .map(|s| s.trim().trim_end_matches("*/").trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        out.push((marker, ids));
    }
    out
}

/// The rule ids a fixture's `ruleid:` annotations name.
pub fn expected_rules(text: &str) -> BTreeSet<String> {
    text.lines()
        .flat_map(annotations)
        .filter(|(marker, _)| *marker == "ruleid:")
        .flat_map(|(_, ids)| ids)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::parse_file;

    const RULE: &str = crate::rules::TEST_RULE;

    #[test]
    fn one_comment_may_carry_several_markers() {
        let got = annotations("    # ruleid: a.audit, b; ok: a.taint  todoruleid: c");
        assert_eq!(
            annotations("# ruleid: x  todoruleid: y"),
            [("ruleid:", vec!["x".to_string()])]
        );
        assert_eq!(
            got,
            [
                ("ruleid:", vec!["a.audit".to_string(), "b".to_string()]),
                ("ok:", vec!["a.taint".to_string()]),
            ]
        );
        assert!(annotations("x = 1  # not a marker: ok").is_empty());
        assert!(annotations("s = \"ruleid: x\"").is_empty());
        assert_eq!(annotations("// ok: r */")[0].1, ["r"]);
    }

    #[test]
    fn missing_and_noisy_findings_are_reported() {
        let rules = parse_file("t.yaml", RULE, crate::rules::Depth::Thorough).unwrap();
        let mut analyzer = Analyzer::new(rules);
        let good = "# ruleid: test.eval\neval(x)\n# ok: test.eval\neval('1+1')\n";
        let r = check("f.py", good, &mut analyzer);
        assert!(r.passed(), "{r:?}");
        assert_eq!(r.checked, 2);
        let bad = "# ok: test.eval\neval(x)\n# ruleid: test.eval\neval('1+1')\n";
        let r = check("f.py", bad, &mut analyzer);
        assert_eq!(r.noisy, [(2, "test.eval".to_string())]);
        assert_eq!(r.missing, [(4, "test.eval".to_string())]);
    }

    #[test]
    fn literal_checks_follow_local_assignments() {
        let rules = parse_file("t.yaml", RULE, crate::rules::Depth::Thorough).unwrap();
        let mut analyzer = Analyzer::new(rules);
        let src = "\
def f(user):
    q = '1' + '2'
    # ok: test.eval
    eval(q)
    p = 'x' + user
    # ruleid: test.eval
    eval(p)
    r = f'{user}'
    # ruleid: test.eval
    eval(r)
    s = '1'
    s = user
    # ruleid: test.eval
    eval(s)
";
        let r = check("f.py", src, &mut analyzer);
        assert!(r.passed(), "{r:?}");
    }

    #[test]
    fn go_short_declarations_are_followed_by_position() {
        let rule = r#"
rules:
  - id: t.go.query
    message: query with a non-literal
    severity: high
    confidence: high
    cwe: CWE-89
    owasp: A03:2021-Injection
    languages: [go]
    query: |
      (call_expression function: (selector_expression field: (field_identifier) @m)
        arguments: (argument_list . (_) @q) (#eq? @m "Query")) @match
    constraints:
      q: { literal: false }
"#;
        let mut analyzer =
            Analyzer::new(parse_file("t.yaml", rule, crate::rules::Depth::Thorough).unwrap());
        let src = "package x\nfunc f(db DB, name string) {\n\tq := \"SELECT 1\"\n\t// ok: t.go.query\n\tdb.Query(q)\n\
                   \ta, b := \"x\", name\n\t// ok: t.go.query\n\tdb.Query(a)\n\t// ruleid: t.go.query\n\tdb.Query(b)\n}\n";
        let r = check("f.go", src, &mut analyzer);
        assert!(r.passed(), "{r:?}");
    }
}
