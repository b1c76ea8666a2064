//! `astscan merge`: read the reports, check they belong together, merge, write, choose the
//! exit code as `analyze` would for the merged findings.

use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result};

use crate::ExitStatus;
use crate::cli::{ColorChoice, MergeArgs, MergeFormat};
use crate::merge::input::{self, Content};
use crate::merge::{self as merging, MergeError};
use crate::output::OutputFile;
use crate::report::Reporter;
use crate::report::root::PathRoot;
use crate::report::tee::Tee;
use crate::report::text::TextReporter;

/// The name a format has on the command line.
fn format_name(format: MergeFormat) -> &'static str {
    match format {
        MergeFormat::Text => "text",
        MergeFormat::Json => "json",
        MergeFormat::Sarif => "sarif",
        MergeFormat::Github => "github",
        MergeFormat::Junit => "junit",
        MergeFormat::Gitlab => "gitlab",
    }
}

/// The root SARIF, GitHub and GitLab locations of merged JSON records are relative to: the
/// records' paths are already relative to their scan's root, taken to be this directory.
fn merged_root(args: &MergeArgs) -> Result<PathRoot> {
    let cwd = std::env::current_dir().context("finding the current directory")?;
    let dir = match &args.path_root {
        Some(dir) => cwd
            .join(dir)
            .canonicalize()
            .with_context(|| format!("--path-root {}", crate::pathfmt::escape(dir)))?,
        None => cwd.canonicalize().unwrap_or(cwd),
    };
    Ok(PathRoot::new(dir.clone(), dir))
}

/// How the merged report ends the run: 2 when a file failed or a scan was incomplete, else 1
/// when a failing finding is open, else 0 — as `analyze` decides.
fn exit_status(incomplete: bool, failing: u64) -> ExitStatus {
    if incomplete {
        ExitStatus::Error
    } else if failing > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// The text summary shown on stderr beside a report written to a file, and what it shows.
type Observer = (TextReporter<io::Stderr>, crate::report::Summary);

/// Runs `astscan merge`.
pub fn run(args: MergeArgs) -> Result<ExitStatus> {
    if args.reports.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        anyhow::bail!("standard input (`-`) can be given once");
    }
    let mut inputs = Vec::with_capacity(args.reports.len());
    for path in &args.reports {
        inputs.push(input::read(path)?);
    }
    input::check_compatible(&inputs)?;
    let sarif_inputs = matches!(inputs.first().map(|i| &i.content), Some(Content::Sarif(_)));
    let format = args.format.unwrap_or(if sarif_inputs {
        MergeFormat::Sarif
    } else {
        MergeFormat::Json
    });
    if sarif_inputs && format != MergeFormat::Sarif {
        return Err(MergeError::SarifOnly(format_name(format)).into());
    }

    // Written beside the target and renamed over it once finished, as `analyze -o` does.
    let (output, out) = OutputFile::report_sink(args.output.as_deref())?;
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let written = if sarif_inputs {
        merge_sarif(&args, inputs, out)
    } else {
        merge_json(&args, format, to_terminal, inputs, out)
    };
    let (status, observer) = match written {
        Ok(done) => done,
        // Whoever read the output has gone away (`astscan merge … | head`).
        Err(e)
            if e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) =>
        {
            return Ok(ExitStatus::Success);
        }
        Err(e) if e.is::<io::Error>() => return Err(e.context("writing the merged report")),
        Err(e) => return Err(e),
    };
    if let Some(file) = output {
        file.commit()?;
    }
    if let Some((mut observer, summary)) = observer {
        // The report is in place; a summary that cannot be shown is not worth an error.
        let _ = observer.finish(&summary);
    }
    Ok(status)
}

/// Merges SARIF inputs into one SARIF document on `out`.
fn merge_sarif(
    args: &MergeArgs,
    inputs: Vec<input::Input>,
    mut out: Box<dyn Write>,
) -> Result<(ExitStatus, Option<Observer>)> {
    let docs: Vec<(String, serde_json::Value)> = inputs
        .into_iter()
        .filter_map(|i| match i.content {
            Content::Sarif(doc) => Some((i.name, doc)),
            Content::Json(_) => None,
        })
        .collect();
    let merged = merging::sarif::merge(
        &docs,
        args.sarif_category.as_deref(),
        args.fail_on.threshold(),
    )?;
    drop(docs);
    serde_json::to_writer(&mut out, &merged.doc)
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())?;
    Ok((exit_status(!merged.complete, merged.failing), None))
}

/// Merges JSON inputs and writes the merged records in `format` on `out`.
fn merge_json(
    args: &MergeArgs,
    format: MergeFormat,
    to_terminal: bool,
    inputs: Vec<input::Input>,
    out: Box<dyn Write>,
) -> Result<(ExitStatus, Option<Observer>)> {
    let reports: Vec<(String, crate::report::Report)> = inputs
        .into_iter()
        .filter_map(|i| match i.content {
            Content::Json(report) => Some((i.name, *report)),
            Content::Sarif(_) => None,
        })
        .collect();
    let merged = merging::json::merge(reports, args.fail_on.threshold())?;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let category = args
        .sarif_category
        .as_deref()
        .unwrap_or(crate::report::sarif::DEFAULT_CATEGORY);
    let mut reporter: Box<dyn Reporter> = match format {
        MergeFormat::Text => Box::new(TextReporter::new(out, color, args.quiet, false)),
        MergeFormat::Json => Box::new(crate::report::json::JsonReporter::verbatim(
            out,
            merged.ruleset.clone(),
        )),
        MergeFormat::Sarif => Box::new(crate::report::sarif::SarifReporter::new(
            out,
            merging::json::rules_of(&merged.files),
            merged_root(args)?,
            category,
            merged.ruleset.clone(),
        )),
        MergeFormat::Github => Box::new(crate::report::github::GithubReporter::new(
            out,
            merged_root(args)?,
        )),
        MergeFormat::Junit => Box::new(crate::report::junit::JunitReporter::new(out)),
        MergeFormat::Gitlab => Box::new(crate::report::gitlab::GitlabReporter::new(
            out,
            merged_root(args)?,
        )),
    };
    // The merged counts beside a report written to a file, as `analyze -o` shows them; the
    // text format has them in the report.
    let mut observer = (args.output.is_some() && !args.quiet && format != MergeFormat::Text)
        .then(|| TextReporter::summary_only(io::stderr()));
    // The records replayed through the writers a scan uses: every format for free.
    let write = |reporter: &mut dyn Reporter| -> io::Result<()> {
        reporter.begin()?;
        for file in &merged.files {
            reporter.file(file, None)?;
        }
        reporter.finish(&merged.summary)
    };
    match observer.as_mut() {
        Some(observer) => write(&mut Tee::new(reporter.as_mut(), observer))?,
        None => write(reporter.as_mut())?,
    }
    drop(reporter);
    let s = &merged.summary;
    let status = exit_status(s.failed > 0 || s.incomplete.is_some(), s.failing_findings);
    Ok((status, observer.map(|o| (o, merged.summary))))
}
