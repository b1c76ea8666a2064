//! Daemon log lines on stderr: RFC 3339 time, level, message. Never key material.

use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

/// 0 error, 1 warn, 2 info, 3 debug.
static LEVEL: AtomicU8 = AtomicU8::new(2);

/// Log levels, most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    /// Only errors.
    Error,
    /// Errors and warnings.
    Warn,
    /// Also start, stop, refused clients, expiries.
    Info,
    /// Also every connection and session.
    Debug,
}

/// Sets the most verbose level written.
pub fn set_level(level: Level) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

fn write(level: Level, message: &str) {
    if level as u8 > LEVEL.load(Ordering::Relaxed) {
        return;
    }
    let name = match level {
        Level::Error => "ERROR",
        Level::Warn => "WARN",
        Level::Info => "INFO",
        Level::Debug => "DEBUG",
    };
    let now = humantime::format_rfc3339_millis(std::time::SystemTime::now());
    let _ = writeln!(
        std::io::stderr().lock(),
        "{now} {name} astscan daemon: {message}"
    );
}

/// An error.
pub fn error(message: &str) {
    write(Level::Error, message);
}
/// A warning.
pub fn warn(message: &str) {
    write(Level::Warn, message);
}
/// Information.
pub fn info(message: &str) {
    write(Level::Info, message);
}
/// Detail.
pub fn debug(message: &str) {
    write(Level::Debug, message);
}
