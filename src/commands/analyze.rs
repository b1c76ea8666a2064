//! `astscan analyze`: validate options, pick the reporter, run the scan, choose the exit code.

use std::io::{self, IsTerminal};
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::ExitStatus;
use crate::cli::{AnalyzeArgs, ColorChoice, Format};
use crate::output::OutputFile;
use crate::report::Reporter;
use crate::report::ast::AstReporter;
use crate::report::json::JsonReporter;
use crate::report::sarif::SarifReporter;
use crate::report::tee::Tee;
use crate::report::text::TextReporter;
use crate::scan::{self, ScanError};

/// Rules `--time-rules` lists on stderr; the JSON summary has them all.
const TIMED_RULES_SHOWN: usize = 20;

/// Files of several megabytes pass through this process (read, sealed, sent). glibc's default
/// lets the mmap threshold grow after such buffers are freed, after which later ones come from
/// the heap and are kept; a fixed 256 KiB threshold hands them back to the system on free.
fn return_large_buffers_promptly() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator tunables; called before the scan allocates.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

/// The root decided for a format that needs one.
fn root_of(root: Option<crate::report::root::PathRoot>) -> Result<crate::report::root::PathRoot> {
    root.context("no root was decided for report paths")
}

/// Runs `astscan analyze`.
pub fn run(args: AnalyzeArgs) -> Result<ExitStatus> {
    return_large_buffers_promptly();
    let needs = crate::plan::Needs {
        ast: args.format == Format::Ast,
        ast_max_depth: args.ast_max_depth,
        time_rules: args.time_rules,
        stdin_filename: args.stdin_filename.clone(),
    };
    let crate::plan::Plan {
        mut config,
        report_root,
        configured_fail_on,
    } = crate::plan::plan(&args.scan, &needs)?;
    let path_root = match args.format {
        Format::Json | Format::Sarif | Format::Github | Format::Gitlab => Some(report_root.clone()),
        _ => None,
    };
    let fail_on = args
        .fail_on
        .or(configured_fail_on)
        .unwrap_or(crate::cli::FailOn::Low);
    // Writing a baseline accepts the findings it records.
    config.fail_threshold = if args.write_baseline.is_some() {
        None
    } else {
        fail_on.threshold()
    };
    config.baseline = match &args.baseline {
        Some(path) => Some(Arc::new(std::sync::Mutex::new(
            crate::report::baseline::Baseline::load(path, report_root.clone())?,
        ))),
        None => None,
    };
    config.write_baseline = args.write_baseline.clone();
    config.shard = args
        .shard
        .map(|shard| crate::shard::Filter::new(shard, report_root));

    // From here on a signal stops the scan instead of the process, so the temporary report
    // file below is always either renamed into place or removed.
    let interrupts = crate::interrupt::Interrupts::watch().context("setting up signal handling")?;
    let (output, out) = OutputFile::report_sink(args.output.as_deref())?;
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let ruleset = || {
        crate::report::ruleset::fingerprint(
            &config.pool.rules,
            config.pool.timeout,
            config.pool.memory_limit_mb,
        )
        .context("fingerprinting the rules")
    };
    let mut reporter: Box<dyn Reporter> = match args.format {
        Format::Text => Box::new(TextReporter::new(
            out,
            color,
            args.scan.quiet,
            args.report_unused_suppressions,
        )),
        Format::Json => Box::new(JsonReporter::new(out, root_of(path_root)?, ruleset()?)),
        Format::Ast => Box::new(AstReporter::new(out, (!args.scan.quiet).then(io::stderr))),
        Format::Sarif => Box::new(SarifReporter::new(
            out,
            config.pool.rules.to_vec(),
            root_of(path_root)?,
            &args.sarif_category,
            ruleset()?,
        )),
        Format::Github => Box::new(crate::report::github::GithubReporter::new(
            out,
            root_of(path_root)?,
        )),
        Format::Junit => Box::new(crate::report::junit::JunitReporter::new(out)),
        Format::Gitlab => Box::new(crate::report::gitlab::GitlabReporter::new(
            out,
            root_of(path_root)?,
        )),
    };
    // A report written to a file leaves the terminal empty: the summary goes to stderr
    // (the AST format writes its own there).
    let mut summary_to_stderr =
        (args.output.is_some() && !args.scan.quiet && args.format != Format::Ast)
            .then(|| TextReporter::summary_only(io::stderr()));
    let progress = crate::progress::bar(args.scan.progress, args.scan.quiet);

    let result = match summary_to_stderr.as_mut() {
        Some(observer) => scan::run(
            config,
            &mut Tee::new(reporter.as_mut(), observer),
            progress,
            &interrupts,
        ),
        None => scan::run(config, reporter.as_mut(), progress, &interrupts),
    };
    // Every byte of the report is flushed (`finish` flushes; this drops the writer).
    drop(reporter);
    let outcome = match result {
        Ok(outcome) => outcome,
        // Whoever read our output has gone away (`astscan … | head`): nothing left to do.
        Err(ScanError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            return Ok(ExitStatus::Success);
        }
        // An unfinished report is dropped here, and the previous one stays.
        Err(e) => return Err(e.into()),
    };
    // A signal after the scan's end still wins over a report not yet in place.
    if let Some(signal) = outcome.interrupted_by.or(interrupts.signal()) {
        eprintln!("astscan: interrupted; workers stopped");
        return Ok(ExitStatus::Interrupted(signal));
    }
    if let Some(file) = output {
        file.commit()?;
    }
    drop(interrupts);
    if let Some(mut observer) = summary_to_stderr {
        // The report is safe; a summary that cannot be shown is not worth an error.
        let _ = observer.finish(&outcome.summary);
    }
    if args.time_rules {
        crate::rules::timing::write_table(
            &mut io::stderr().lock(),
            &outcome.summary.rule_times,
            TIMED_RULES_SHOWN,
        )?;
    }
    if let Some(e) = outcome.incomplete {
        return Err(anyhow::Error::new(e).context("the scan is incomplete"));
    }
    if outcome.summary.failed > 0 {
        Ok(ExitStatus::Error)
    } else if outcome.summary.failing_findings > 0 {
        Ok(ExitStatus::Findings)
    } else {
        Ok(ExitStatus::Success)
    }
}
