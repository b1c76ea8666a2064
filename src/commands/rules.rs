//! `astscan rules list` and `astscan rules test`.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::ExitStatus;
use crate::cli::{ListFormat, RulesCommand};
use crate::rules::{self, Rule, fixtures};
use crate::worker::analyze::Analyzer;

/// Runs a `rules` subcommand.
pub fn run(command: RulesCommand) -> Result<ExitStatus> {
    match command {
        RulesCommand::List {
            format,
            rules: dirs,
        } => list(format, &dirs),
        RulesCommand::Test { dirs } => test(&dirs),
    }
}

fn list(format: ListFormat, dirs: &[std::path::PathBuf]) -> Result<ExitStatus> {
    let mut all = rules::builtin()?;
    for dir in dirs {
        all.extend(rules::load_dir(dir, rules::Depth::Thorough)?);
    }
    rules::check_unique(&all)?;
    let mut out = io::stdout().lock();
    let written = match format {
        ListFormat::Json => serde_json::to_writer_pretty(&mut out, &all)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out)),
        ListFormat::Text => write_table(&mut out, &all),
    };
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitStatus::Success),
        other => other
            .map(|()| ExitStatus::Success)
            .context("writing the rule list"),
    }
}

fn write_table(out: &mut impl Write, rules: &[Rule]) -> io::Result<()> {
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    writeln!(
        out,
        "{:<width$}  {:<6}  {:<8}  {:<10}  {:<7}  LANGUAGES",
        "ID", "MODE", "SEVERITY", "CONFIDENCE", "CWE"
    )?;
    for r in rules {
        let langs: Vec<&str> = r.languages.iter().map(|l| l.name()).collect();
        writeln!(
            out,
            "{:<width$}  {:<6}  {:<8}  {:<10}  {:<7}  {}",
            r.id,
            if r.taint.is_some() { "taint" } else { "search" },
            r.severity.to_string(),
            format!("{:?}", r.confidence).to_lowercase(),
            format!("CWE-{}", r.cwe),
            langs.join(",")
        )?;
    }
    writeln!(out, "{} rules", rules.len())
}

fn test(dirs: &[std::path::PathBuf]) -> Result<ExitStatus> {
    let (rules, fixtures): (Vec<Rule>, Vec<(String, String)>) = if dirs.is_empty() {
        let rules = rules::builtin()?;
        // The built-in queries are compiled by the analyzer below; validate them here too so
        // a broken rule is reported as such rather than as a failing fixture.
        for (path, text) in rules::builtin_files().filter(|(p, _)| p.ends_with(".yaml")) {
            rules::parse_file(path, text, rules::Depth::Thorough)?;
        }
        let fixtures = rules::builtin_fixtures()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        (rules, fixtures)
    } else {
        let mut rules = Vec::new();
        let mut fixtures = Vec::new();
        for dir in dirs {
            rules.extend(rules::load_dir(dir, rules::Depth::Thorough)?);
            fixtures.extend(fixture_files(dir)?);
        }
        (rules, fixtures)
    };
    rules::check_unique(&rules)?;
    let ids: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
    let mut analyzer = Analyzer::new(rules);
    let mut out = io::stdout().lock();
    let (mut failed, mut checked) = (0, 0);
    let mut covered = std::collections::BTreeSet::new();
    for (path, text) in &fixtures {
        let result = fixtures::check(path, text, &mut analyzer);
        checked += result.checked;
        covered.extend(fixtures::expected_rules(text));
        if result.passed() {
            writeln!(out, "ok      {path} ({} annotations)", result.checked)?;
            continue;
        }
        failed += 1;
        writeln!(out, "FAILED  {path}")?;
        if let Some(e) = &result.error {
            writeln!(out, "        error: {e}")?;
        }
        for (line, id) in &result.missing {
            writeln!(
                out,
                "        missing: {path}:{line}: expected a finding of {id}"
            )?;
        }
        for (line, id) in &result.noisy {
            writeln!(
                out,
                "        noisy:   {path}:{line}: unexpected finding of {id}"
            )?;
        }
    }
    let untested: Vec<&String> = ids.iter().filter(|id| !covered.contains(*id)).collect();
    for id in &untested {
        writeln!(
            out,
            "untested: rule {id} has no `ruleid:` annotation in any fixture"
        )?;
    }
    writeln!(
        out,
        "{} fixtures, {checked} annotations, {failed} failed, {} rules without a positive fixture",
        fixtures.len(),
        untested.len()
    )?;
    Ok(if failed > 0 || !untested.is_empty() {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// Every file below `dir` that is not a rule file and has a language astscan parses.
fn fixture_files(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading {}", crate::pathfmt::escape(dir)))?;
        let path = entry.path();
        if !entry.file_type().is_file()
            || path.extension().is_some_and(|e| e == "yaml" || e == "yml")
        {
            continue;
        }
        if crate::lang::detect_by_name(path).is_none() {
            continue;
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading {}", crate::pathfmt::escape(path)))?;
        out.push((crate::pathfmt::escape(path), text));
    }
    Ok(out)
}
