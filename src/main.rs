//! The `astscan` binary: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = astscan::cli::Cli::parse();
    match astscan::run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            eprintln!("astscan: error: {err:#}");
            astscan::ExitStatus::Error.into()
        }
    }
}
