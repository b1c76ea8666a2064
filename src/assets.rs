//! Generated files checked into the repository: shell completions (`completions/`), man pages
//! (`man/`) and the JSON schemas of the report (`src/report/report.schema.json`) and of the
//! import graph (`src/graph/graph.schema.json`). A test regenerates them and fails on any
//! difference, so they cannot drift from the clap definition and the report and graph types.
//! Compiled for tests only: the generators (`clap_complete`, `clap_mangen`, `schemars`) are
//! dev-dependencies, so the shipped binary does not carry them.
//!
//! Two things clap's generators do not do are done here: completions leave out hidden
//! subcommands (the internal `worker`), and man pages get EXIT STATUS, ENVIRONMENT, FILES and
//! EXAMPLES sections, written below in place of the commands' after-help text, which holds
//! their examples and exit codes for `--help`.

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
        clap_complete::generate(shell, &mut completion_command(), "astscan", &mut out);
        files.push((format!("completions/{name}"), out));
    }
    let cmd = Cli::command();
    files.push((
        "man/astscan.1".to_string(),
        man_page(cmd.clone(), "astscan")?,
    ));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("astscan-{}", sub.get_name());
        let sub = sub
            .clone()
            .name(name.clone())
            .version(env!("CARGO_PKG_VERSION"));
        files.push((format!("man/{name}.1"), man_page(sub, &name)?));
    }
    files.push((
        "src/report/report.schema.json".to_string(),
        crate::report::schema_json().into_bytes(),
    ));
    files.push((
        "src/graph/graph.schema.json".to_string(),
        crate::graph::schema_json().into_bytes(),
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

/// The command line as completions offer it. clap_complete leaves out hidden options but not
/// hidden subcommands, and clap cannot remove a subcommand, so the top level is rebuilt from
/// what completions use: its name, about, version, arguments and visible subcommands.
fn completion_command() -> clap::Command {
    let full = Cli::command();
    let mut cmd = clap::Command::new(full.get_name().to_string())
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned())
        .propagate_version(full.is_propagate_version_set());
    if let Some(about) = full.get_about() {
        cmd = cmd.about(about.clone());
    }
    if let Some(version) = full.get_version() {
        cmd = cmd.version(version.to_string());
    }
    cmd
}

/// What roff writes at the top of every rendering; kept once per page.
const ROFF_PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// The man page of `cmd`, named `page`: clap_mangen's sections, then ours.
fn man_page(mut cmd: clap::Command, page: &str) -> io::Result<Vec<u8>> {
    // Built as clap_mangen builds it, so the section tests below see the same arguments.
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    type Render = fn(&clap_mangen::Man, &mut dyn io::Write) -> io::Result<()>;
    let mut renders: Vec<Render> = vec![
        clap_mangen::Man::render_title,
        clap_mangen::Man::render_name_section,
        clap_mangen::Man::render_synopsis_section,
        clap_mangen::Man::render_description_section,
    ];
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        renders.push(clap_mangen::Man::render_options_section);
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        renders.push(clap_mangen::Man::render_subcommands_section);
    }
    let mut out = Vec::new();
    for render in renders {
        append_section(&mut out, &man, render)?;
    }
    for section in sections(page) {
        out.extend_from_slice(section.roff().as_bytes());
    }
    if cmd
        .get_version()
        .or_else(|| cmd.get_long_version())
        .is_some()
    {
        append_section(&mut out, &man, clap_mangen::Man::render_version_section)?;
    }
    if cmd.get_author().is_some() {
        append_section(&mut out, &man, clap_mangen::Man::render_authors_section)?;
    }
    Ok(out)
}

/// Appends one rendered section, without the preamble after the first.
fn append_section(
    out: &mut Vec<u8>,
    man: &clap_mangen::Man,
    render: fn(&clap_mangen::Man, &mut dyn io::Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut buf = Vec::new();
    render(man, &mut buf)?;
    let body = match buf.strip_prefix(ROFF_PREAMBLE.as_bytes()) {
        Some(rest) if !out.is_empty() => rest,
        _ => &buf[..],
    };
    out.extend_from_slice(body);
    Ok(())
}

/// A man page section of tagged paragraphs.
struct Section {
    title: &'static str,
    /// (tag, text): the tag is set in bold.
    items: Vec<(&'static str, &'static str)>,
}

impl Section {
    fn roff(&self) -> String {
        let mut s = format!(".SH \"{}\"\n", self.title);
        if self.items.is_empty() {
            s.push_str("None.\n");
        }
        for (tag, text) in &self.items {
            s.push_str(&format!(
                ".TP\n\\fB{}\\fR\n{}\n",
                roff_escape(tag),
                roff_escape(text)
            ));
        }
        s
    }
}

/// Escapes text for roff: backslashes, hyphens (so they are not hyphenation points and copy
/// as ASCII), and a leading control character.
fn roff_escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES of the page `page`.
fn sections(page: &str) -> Vec<Section> {
    let interrupted = (
        "129, 130, 143",
        "Interrupted by SIGHUP, SIGINT or SIGTERM. Workers are stopped first, and \
         the file named by --output keeps its previous content.",
    );
    let exit = match page {
        "astscan-analyze" => vec![
            (
                "0",
                "Every input file was parsed, parsed with syntax errors, or skipped.",
            ),
            (
                "1",
                "Findings at or above --fail-on (default: any finding), and no file failed.",
            ),
            (
                "2",
                "Usage error, or an incomplete scan: a path does not exist, a file failed, or \
                 the walk stopped part-way (the report is still complete, and says so).",
            ),
            interrupted,
        ],
        "astscan-rules" => vec![
            (
                "0",
                "The rules were listed, or every fixture gave the expected findings.",
            ),
            (
                "1",
                "rules test: a fixture has missing or unexpected findings.",
            ),
            (
                "2",
                "Usage error, or a rule or fixture that cannot be loaded.",
            ),
        ],
        "astscan-daemon" | "astscan-cache" => vec![
            ("0", "Success."),
            (
                "2",
                "Usage error, or the command failed (the message says why).",
            ),
        ],
        _ => vec![
            (
                "0",
                "Success (analyze: no findings at or above --fail-on, no file failed).",
            ),
            (
                "1",
                "analyze: findings at or above --fail-on; rules test: a fixture has missing \
                 or unexpected findings.",
            ),
            (
                "2",
                "Usage error, or an incomplete scan (a path does not exist or a file failed).",
            ),
            interrupted,
        ],
    };
    let socket = ("ASTSCAN_SOCKET", "The daemon's socket, as --socket.");
    let cache_dir = (
        "ASTSCAN_CACHE_DIR",
        "The result cache's directory, as --cache-dir.",
    );
    let no_cache = (
        "ASTSCAN_NO_CACHE",
        "Set to anything but an empty value, 0, false, no, off, n or f: as --no-cache.",
    );
    let no_color = (
        "NO_COLOR",
        "When set and not empty, text output is not coloured (with --color auto).",
    );
    let xdg_cache = (
        "XDG_CACHE_HOME",
        "The result cache is $XDG_CACHE_HOME/astscan (default ~/.cache/astscan).",
    );
    let xdg_runtime = (
        "XDG_RUNTIME_DIR",
        "The daemon's socket is $XDG_RUNTIME_DIR/astscan/daemon.sock (without it, \
         /tmp/astscan-UID/daemon.sock).",
    );
    let xdg_state = (
        "XDG_STATE_HOME",
        "A detached daemon logs to $XDG_STATE_HOME/astscan/daemon.log (default \
         ~/.local/state/astscan/daemon.log).",
    );
    let env = match page {
        "astscan-analyze" => vec![
            socket,
            cache_dir,
            no_cache,
            no_color,
            xdg_cache,
            xdg_runtime,
        ],
        "astscan-daemon" => vec![socket, xdg_runtime, xdg_state],
        "astscan-cache" => vec![cache_dir, xdg_cache],
        "astscan-rules" => vec![],
        _ => vec![
            socket,
            cache_dir,
            no_cache,
            no_color,
            xdg_cache,
            xdg_runtime,
            xdg_state,
        ],
    };
    let config = (
        ".astscan.toml",
        "The project configuration: excludes, rule selection, severities, --fail-on, rule \
         directories (see --config and --no-config).",
    );
    let ignores = (
        ".gitignore, .ignore, .astscanignore",
        "Paths the walk skips, in gitignore syntax (see --no-ignore).",
    );
    let cache = (
        "~/.cache/astscan",
        "The result cache of direct scans (see astscan-cache(1)).",
    );
    let sock = (
        "$XDG_RUNTIME_DIR/astscan/daemon.sock",
        "The daemon's socket, in a directory only its user can enter.",
    );
    let log = (
        "~/.local/state/astscan/daemon.log",
        "The log of a daemon started with --detach.",
    );
    let files = match page {
        "astscan-analyze" => vec![config, ignores, cache, sock],
        "astscan-daemon" => vec![sock, log],
        "astscan-cache" => vec![cache],
        "astscan-rules" => vec![(
            "*.yaml",
            "Rule files, below the directories given to --rules or rules test.",
        )],
        _ => vec![config, ignores, cache, sock, log],
    };
    let examples = match page {
        "astscan-analyze" => vec![
            ("astscan analyze", "Scan the current directory."),
            (
                "astscan analyze src tests -l python",
                "Only the Python files under src/ and tests/.",
            ),
            (
                "astscan analyze --format sarif -o astscan.sarif",
                "Write SARIF for code scanning; the file is replaced only once the report \
                 is complete, and the summary is shown on stderr.",
            ),
            (
                "astscan analyze --diff origin/main",
                "Only the files changed since the merge base with origin/main.",
            ),
            (
                "astscan analyze --format ast app.js",
                "Dump the syntax tree as JSON.",
            ),
        ],
        "astscan-rules" => vec![
            ("astscan rules list", "The built-in rules."),
            (
                "astscan rules list --rules tools/rules --format json",
                "Every rule, with the project's own, as JSON.",
            ),
            (
                "astscan rules test tools/rules",
                "Check the rules in tools/rules against their annotated fixtures.",
            ),
        ],
        "astscan-daemon" => vec![
            (
                "astscan daemon --async --detach",
                "Serve scans in the background until stopped.",
            ),
            ("astscan daemon status", "What the running daemon is doing."),
            (
                "astscan daemon stop",
                "Stop it (in-flight scans finish first).",
            ),
        ],
        "astscan-cache" => vec![
            (
                "astscan cache stats",
                "Entries and bytes in the result cache.",
            ),
            ("astscan cache clear", "Remove every cached result."),
        ],
        _ => vec![
            ("astscan analyze", "Scan the current directory."),
            (
                "astscan analyze --format sarif -o astscan.sarif",
                "Write SARIF for code scanning.",
            ),
            ("astscan rules list", "The built-in rules."),
            (
                "astscan daemon --async --detach",
                "Keep workers warm for repeated scans.",
            ),
        ],
    };
    let mut out = vec![Section {
        title: "EXIT STATUS",
        items: exit,
    }];
    out.push(Section {
        title: "ENVIRONMENT",
        items: env,
    });
    out.push(Section {
        title: "FILES",
        items: files,
    });
    out.push(Section {
        title: "EXAMPLES",
        items: examples,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_escapes_what_roff_would_read_as_markup() {
        assert_eq!(roff_escape("a-b \\x"), "a\\-b \\ex");
        assert_eq!(roff_escape(".astscan.toml"), "\\&.astscan.toml");
    }

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
