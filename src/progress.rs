//! The progress bar on stderr: files done of files found, bytes, rate and ETA.
//!
//! Drawn only where someone watches: `auto` draws when stderr is a terminal, `never` never,
//! `always` even on a pipe (for log viewers that understand carriage returns).
//!
//! The bar starts as a spinner without a total, and becomes a bar with an ETA once the number
//! of files is known ([`total_known`]). The reading walk only runs a few files ahead of the
//! workers, so a total that grew with it would stay just above the files done and the ETA
//! would read 0s throughout; the total comes from the walk that only looks at sizes instead
//! (with git's list of changes, from the list's length), and is made exact when the reading
//! walk ends.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

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

/// While the files are being counted: no total, no bar, no ETA.
const COUNTING: &str = "{spinner} {elapsed_precise} {pos} files, {msg} ({rate}), counting files";
/// Once the total is known.
const KNOWN: &str =
    "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} files, {msg} ({rate}, ETA {eta})";

/// A bar, or a hidden one that costs nothing, per `when` and `quiet`; it starts counting.
pub fn bar(when: When, quiet: bool) -> ProgressBar {
    let target = match (when, quiet) {
        (When::Never, _) | (When::Auto, true) => return ProgressBar::hidden(),
        (When::Auto, false) => ProgressDrawTarget::stderr_with_hz(10),
        (When::Always, _) => {
            ProgressDrawTarget::term_like_with_hz(Box::new(console::Term::stderr()), 10)
        }
    };
    let bar = ProgressBar::with_draw_target(None, target).with_style(style(COUNTING));
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The number of files is known: show the bar and the ETA.
pub fn total_known(bar: &ProgressBar, total: u64) {
    bar.set_length(total);
    bar.set_style(style(KNOWN));
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        // The templates are constants; a typo would fail every run and every test.
        .expect("valid progress template")
        .progress_chars("=> ")
        .with_key(
            "rate",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&rate(state.per_sec()));
            },
        )
}

/// Files per second as people read it: "167/s", "2.5/s".
fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() {
        "-/s".to_string()
    } else if per_sec < 9.95 {
        format!("{per_sec:.1}/s")
    } else {
        format!("{per_sec:.0}/s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_rounded() {
        assert_eq!(rate(167.1432), "167/s");
        assert_eq!(rate(2.4567), "2.5/s");
        assert_eq!(rate(9.96), "10/s");
        assert_eq!(rate(0.0), "0.0/s");
        assert_eq!(rate(f64::INFINITY), "-/s");
    }
}
