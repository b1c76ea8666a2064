//! The hook in `.pre-commit-hooks.yaml`, run by the real pre-commit framework (installed from
//! PyPI into a temporary virtualenv), which builds astscan from source with `cargo install`
//! and runs it on `git commit`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::util::{commit, git, skip, write};

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"))
}

/// pre-commit in a fresh virtualenv, or why it cannot be had here.
fn install_pre_commit(venv: &Path) -> Result<PathBuf, String> {
    let out = Command::new("python3")
        .args(["-m", "venv"])
        .arg(venv)
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "python3 -m venv: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let out = Command::new(venv.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "pre-commit",
        ])
        .output()
        .map_err(|e| format!("pip: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "pip install pre-commit: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(venv.join("bin/pre-commit"))
}

/// This source tree as it is now (tracked and new files, not ignored ones), committed in a
/// repository of its own: pre-commit installs hooks from a repository and revision.
fn snapshot_of_this_repository(dest: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = run(Command::new("git").current_dir(src).args([
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
    ]));
    assert!(list.status.success(), "listing the source tree");
    for rel in list.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let rel = std::str::from_utf8(rel).unwrap();
        if let Ok(bytes) = std::fs::read(src.join(rel)) {
            write(dest, rel, bytes);
        }
    }
    git(dest, &["init", "-q"]);
    git(dest, &["add", "-A"]);
    commit(dest, "snapshot");
    let head = run(Command::new("git")
        .current_dir(dest)
        .args(["rev-parse", "HEAD"]));
    String::from_utf8(head.stdout).unwrap().trim().to_string()
}

/// `git commit` in `dir` with the hook installed; returns its output.
fn try_commit(dir: &Path, pre_commit_home: &Path, message: &str) -> Output {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pre-commit-hook");
    run(Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-m",
            message,
        ])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("PRE_COMMIT_HOME", pre_commit_home)
        // The hook's `cargo install` builds a release binary: keep one target directory
        // across runs and optimise lightly, so the test takes minutes once and seconds after.
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env("ASTSCAN_SOCKET", "/nonexistent/astscan-test.sock")
        .env("ASTSCAN_NO_CACHE", "1"))
}

#[test]
fn the_pre_commit_hook_blocks_a_finding_and_lets_clean_code_through() {
    let tools = tempfile::tempdir().unwrap();
    let pre_commit = match install_pre_commit(&tools.path().join("venv")) {
        Ok(p) => p,
        Err(why) => {
            return skip(format!(
                "the pre-commit package cannot be installed here (needs python3 with venv \
                 and access to PyPI): {why}"
            ));
        }
    };
    let hook_repo = tools.path().join("astscan");
    let rev = snapshot_of_this_repository(&hook_repo);

    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    write(
        repo.path(),
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: astscan\n",
            hook_repo.display()
        ),
    );
    let install = run(Command::new(&pre_commit)
        .current_dir(repo.path())
        .arg("install")
        .env("GIT_CONFIG_GLOBAL", "/dev/null"));
    assert!(
        install.status.success(),
        "{}",
        String::from_utf8_lossy(&install.stderr)
    );
    let home = tools.path().join("pre-commit-home");

    // A vulnerable file: the hook fails and the commit does not happen.
    write(
        repo.path(),
        "app.py",
        "import subprocess\n\ndef run(request):\n    subprocess.call(request.args[\"cmd\"], shell=True)\n",
    );
    write(repo.path(), "notes.md", "not source code\n");
    git(
        repo.path(),
        &["add", ".pre-commit-config.yaml", "app.py", "notes.md"],
    );
    let out = try_commit(repo.path(), &home, "vulnerable");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "the commit went through:\n{log}");
    assert!(log.contains("astscan") && log.contains("Failed"), "{log}");
    // pre-commit shows our exit code (1: findings) and our report.
    assert!(log.contains("exit code: 1"), "{log}");
    assert!(log.contains("app.py:4"), "{log}");
    assert!(log.contains("python.command-injection"), "{log}");
    let head = Command::new("git")
        .current_dir(repo.path())
        .args(["rev-parse", "--verify", "HEAD"])
        .output()
        .unwrap();
    assert!(!head.status.success(), "no commit was made");

    // Fixed: the hook passes and the commit is made.
    write(
        repo.path(),
        "app.py",
        "import subprocess\n\ndef run(args):\n    subprocess.call(args)\n",
    );
    git(repo.path(), &["add", "app.py"]);
    let out = try_commit(repo.path(), &home, "clean");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{log}");
    assert!(log.contains("astscan") && log.contains("Passed"), "{log}");
}
