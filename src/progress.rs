//! The progress bar on stderr: files done of files found, bytes, rate and ETA.
//!
//! Drawn only where someone watches: `auto` draws when stderr is a terminal, `never` never,
//! `always` even on a pipe (for log viewers that understand carriage returns).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// When to draw progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum When {
    /// When stderr is a terminal (and not `--quiet`).
    Auto,
    /// Always, even when stderr is not a terminal.
    Always,
    /// Never.
    Never,
}

/// A bar, or a hidden one that costs nothing, per `when` and `quiet`.
pub fn bar(when: When, quiet: bool) -> ProgressBar {
    let target = match (when, quiet) {
        (When::Never, _) | (When::Auto, true) => return ProgressBar::hidden(),
        (When::Auto, false) => ProgressDrawTarget::stderr_with_hz(10),
        (When::Always, _) => {
            ProgressDrawTarget::term_like_with_hz(Box::new(console::Term::stderr()), 10)
        }
    };
    let style = ProgressStyle::with_template(
        "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} files, {msg} ({per_sec}, ETA {eta})",
    )
    // The template is a constant; a typo would fail every run and every test.
    .expect("valid progress template")
    .progress_chars("=> ");
    let bar = ProgressBar::with_draw_target(Some(0), target).with_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
