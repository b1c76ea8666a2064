//! In-source suppressions: `astscan-ignore[<rule-id>]: <reason>` in a comment on the line of a
//! finding or the line before it, and `astscan-ignore-file[<rule-id>]: <reason>` anywhere for a
//! whole file. Several ids may be listed, separated by commas; `*` matches every rule.
//!
//! Suppressed findings stay in the report, marked with the reason, so they can be audited;
//! they do not count towards the exit code. A suppression that suppresses nothing is reported
//! when asked for (`--report-unused-suppressions`), so stale ones can be removed.

use serde::{Deserialize, Serialize};

use crate::analysis::Finding;

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: u32,
    /// The rule ids it names (`*` for all).
    pub rules: Vec<String>,
    /// The reason given after the colon.
    pub reason: String,
    /// Whether it covers the whole file.
    pub file_wide: bool,
}

/// Finds the suppression comments of a file.
pub fn parse(source: &[u8]) -> Vec<Suppression> {
    let mut out = Vec::new();
    // Cheap test first: most files have none.
    if !source.windows(14).any(|w| w == b"astscan-ignore") {
        return out;
    }
    let text = String::from_utf8_lossy(source);
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(pos) = rest.find("astscan-ignore") {
            let before = &line[..line.len() - rest.len() + pos];
            let after = &rest[pos + "astscan-ignore".len()..];
            rest = after;
            if !["#", "//", "/*", "<!--", "*", "--"]
                .iter()
                .any(|c| before.contains(c))
            {
                continue; // not in a comment
            }
            let (file_wide, after) = match after.strip_prefix("-file") {
                Some(a) => (true, a),
                None => (false, after),
            };
            let Some(inner) = after.strip_prefix('[') else {
                continue;
            };
            let Some(close) = inner.find(']') else {
                continue;
            };
            let rules: Vec<String> = inner[..close]
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if rules.is_empty() {
                continue;
            }
            let reason = inner[close + 1..]
                .strip_prefix(':')
                .unwrap_or("")
                .trim()
                .trim_end_matches("*/")
                .trim_end_matches("-->")
                .trim()
                .to_string();
            out.push(Suppression {
                line: i as u32 + 1,
                rules,
                reason,
                file_wide,
            });
        }
    }
    out
}

/// Marks the findings that a suppression covers; returns the suppressions that covered none.
pub fn apply(suppressions: &[Suppression], findings: &mut [Finding]) -> Vec<Suppression> {
    let mut used = vec![false; suppressions.len()];
    for f in findings.iter_mut() {
        let line = f.span.start.line;
        let hit = suppressions.iter().position(|s| {
            (s.file_wide || s.line == line || s.line + 1 == line)
                && s.rules.iter().any(|r| r == "*" || *r == f.rule_id)
        });
        if let Some(i) = hit {
            used[i] = true;
            let reason = &suppressions[i].reason;
            f.suppressed = Some(if reason.is_empty() {
                "no reason given".to_string()
            } else {
                reason.clone()
            });
        }
    }
    suppressions
        .iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|(s, _)| s.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_line_and_file_forms() {
        let src = b"x = 1  # astscan-ignore[a.b, c]: reviewed, input is constant\n\
                    # astscan-ignore-file[*]: generated fixture\n\
                    s = 'astscan-ignore[x]: not a comment'\n\
                    /* astscan-ignore[d] */\n";
        let s = parse(src);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].rules, ["a.b", "c"]);
        assert_eq!(s[0].reason, "reviewed, input is constant");
        assert!(!s[0].file_wide && s[1].file_wide);
        assert_eq!(
            (s[2].line, s[2].rules.as_slice(), s[2].reason.as_str()),
            (4, &["d".to_string()][..], "")
        );
    }
}
