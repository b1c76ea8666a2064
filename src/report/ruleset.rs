//! The identity of what a scan looked for: the selected rules and the options that change
//! findings, as written into JSON (`ruleset`) and SARIF (`runs[].properties.ruleset`) reports,
//! so that `astscan merge` can refuse reports that are not parts of one scan.
//!
//! It is the options fingerprint the result cache keys analyses by (the build, the rules,
//! the per-file deadline and the memory limit): two scans with the same fingerprint analyse
//! a file the same way. A rule's `source` (the file it was loaded from) is left out, since
//! the same rule directory checked out elsewhere holds the same rules.

/// The fingerprint of `rules` run with this per-file deadline and worker memory limit, as
/// lower-case hex.
pub fn fingerprint(
    rules: &[crate::rules::Rule],
    deadline: std::time::Duration,
    memory_limit_mb: u64,
) -> Result<String, serde_json::Error> {
    let placeless: Vec<crate::rules::Rule> = rules
        .iter()
        .map(|r| crate::rules::Rule {
            source: String::new(),
            ..r.clone()
        })
        .collect();
    let digest = crate::cache::options_fingerprint(
        &placeless,
        deadline.as_millis() as u64,
        memory_limit_mb,
    )?;
    Ok(crate::source::hex(&digest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn follows_rules_and_options_but_not_where_rules_were_loaded_from() {
        let rules = crate::rules::builtin().unwrap();
        let second = Duration::from_secs(5);
        let base = fingerprint(&rules, second, 4096).unwrap();
        assert_eq!(base.len(), 64);
        assert_eq!(base, fingerprint(&rules, second, 4096).unwrap());
        assert_ne!(base, fingerprint(&rules[1..], second, 4096).unwrap());
        assert_ne!(
            base,
            fingerprint(&rules, Duration::from_secs(4), 4096).unwrap()
        );
        assert_ne!(base, fingerprint(&rules, second, 1024).unwrap());
        let mut moved = rules.clone();
        for r in &mut moved {
            r.source = format!("/elsewhere/{}", r.source);
        }
        assert_eq!(base, fingerprint(&moved, second, 4096).unwrap());
    }
}
