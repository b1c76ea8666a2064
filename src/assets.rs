//! Generated files checked into the repository: shell completions (`completions/`), man pages
//! (`man/`) and the JSON report schema (`src/report/report.schema.json`). A test regenerates
//! them and fails on any difference, so they cannot drift from the clap definition and the
//! report types. Compiled for tests only: the generators (`clap_complete`, `clap_mangen`,
//! `schemars`) are dev-dependencies, so the shipped binary does not carry them.

use std::io;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// Every generated file as (path relative to the repository root, contents).
pub fn render_all() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "astscan.bash"),
        (Shell::Zsh, "_astscan"),
        (Shell::Fish, "astscan.fish"),
        (Shell::Elvish, "astscan.elv"),
        (Shell::PowerShell, "_astscan.ps1"),
    ] {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "astscan", &mut out);
        files.push((format!("completions/{name}"), out));
    }
    let cmd = Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    files.push(("man/astscan.1".to_string(), out));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("astscan-{}", sub.get_name());
        let sub = sub
            .clone()
            .name(name.clone())
            .version(env!("CARGO_PKG_VERSION"));
        let mut out = Vec::new();
        clap_mangen::Man::new(sub).render(&mut out)?;
        files.push((format!("man/{name}.1"), out));
    }
    files.push((
        "src/report/report.schema.json".to_string(),
        crate::report::schema_json().into_bytes(),
    ));
    Ok(files)
}

/// Writes every generated file under `root`.
pub fn write_all(root: &Path) -> io::Result<()> {
    for (rel, contents) in render_all()? {
        let path = root.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, contents)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regenerates completions, man pages and the schema; fails if the checked-in copies differ.
    /// Run with `ASTSCAN_UPDATE_ASSETS=1` to rewrite them after changing the CLI or report types.
    #[test]
    fn generated_files_match_the_cli_and_report_types() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = render_all().expect("render");
        if std::env::var_os("ASTSCAN_UPDATE_ASSETS").is_some() {
            write_all(root).expect("write assets");
            return;
        }
        let mut stale = Vec::new();
        for (rel, contents) in &files {
            match std::fs::read(root.join(rel)) {
                Ok(on_disk) if &on_disk == contents => {}
                _ => stale.push(rel.clone()),
            }
        }
        assert!(
            stale.is_empty(),
            "out of date: {stale:?}; regenerate with ASTSCAN_UPDATE_ASSETS=1 cargo test generated_files"
        );
        for expected in [
            "completions/astscan.bash",
            "completions/_astscan",
            "man/astscan.1",
            "man/astscan-analyze.1",
        ] {
            assert!(
                files.iter().any(|(rel, _)| rel == expected),
                "{expected} not generated"
            );
        }
    }
}
