//! `-o FILE`: the report is written to a temporary file beside FILE and renamed over it only
//! once it is finished, so FILE always holds a whole report — the previous one when the scan
//! is interrupted or its output fails, the new one otherwise.
//!
//! The temporary file is created like FILE would be: with FILE's permission bits when it
//! exists, else 0666 less the umask. It lives in FILE's directory because a rename only
//! replaces atomically within one file system. A path that exists and is not a regular file
//! (`/dev/stdout`, a FIFO) is written in place: nothing can be renamed over it, and it holds
//! no earlier report to keep.

use std::fs::{File, Permissions};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Why the report file could not be created or put in place.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The temporary file (or a non-regular target) could not be opened.
    #[error("cannot create output file {path}: {source}")]
    Create {
        /// The path as shown to the user.
        path: String,
        /// The OS error.
        source: io::Error,
    },
    /// Flushing the finished report to disk or renaming it into place failed.
    #[error("cannot replace output file {path}: {source}")]
    Replace {
        /// The path as shown to the user.
        path: String,
        /// The OS error.
        source: io::Error,
    },
}

/// A report file being written.
pub struct OutputFile {
    /// The path as given, for messages.
    shown: String,
    state: State,
}

enum State {
    /// Written beside `target` and renamed over it by [`OutputFile::commit`]; dropping the
    /// temporary file without committing removes it.
    Replace {
        temp: tempfile::NamedTempFile,
        target: PathBuf,
    },
    /// Written in place.
    InPlace(File),
}

impl OutputFile {
    /// Starts the report file for `path`.
    pub fn create(path: &Path) -> Result<OutputFile, OutputError> {
        let shown = crate::pathfmt::escape(path);
        let create_error = |source| OutputError::Create {
            path: shown.clone(),
            source,
        };
        // Follows symlinks, as opening the path would: a link to a report is replaced at the
        // far end, and stays a link.
        let existing = match std::fs::metadata(path) {
            Ok(meta) => Some(meta),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(create_error(e)),
        };
        let (target, mode) = match &existing {
            Some(meta) if !meta.is_file() => {
                let file = File::create(path).map_err(create_error)?;
                return Ok(OutputFile {
                    shown,
                    state: State::InPlace(file),
                });
            }
            Some(meta) => (
                std::fs::canonicalize(path).map_err(create_error)?,
                Some(meta.permissions().mode() & 0o777),
            ),
            None => (path.to_path_buf(), None),
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(target.file_name().unwrap_or_else(|| "report".as_ref()));
        prefix.push(".");
        let temp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            // Handed to open(2), which takes the umask off, as for a newly created file.
            .permissions(Permissions::from_mode(0o666))
            .tempfile_in(dir)
            .map_err(create_error)?;
        if let Some(mode) = mode {
            // fchmod is not masked: an existing report keeps its mode, as when written over.
            temp.as_file()
                .set_permissions(Permissions::from_mode(mode))
                .map_err(create_error)?;
        }
        Ok(OutputFile {
            shown,
            state: State::Replace { temp, target },
        })
    }

    /// Where a report goes: with `path`, a file written beside it and renamed over it once
    /// [`commit`](Self::commit)ted (returned too); otherwise standard output. Buffered.
    pub fn report_sink(
        path: Option<&Path>,
    ) -> Result<(Option<OutputFile>, Box<dyn io::Write>), OutputError> {
        const BUFFER: usize = 256 * 1024;
        let Some(path) = path else {
            return Ok((
                None,
                Box::new(io::BufWriter::with_capacity(BUFFER, io::stdout().lock())),
            ));
        };
        let file = OutputFile::create(path)?;
        let writer = io::BufWriter::with_capacity(BUFFER, file.writer()?);
        Ok((Some(file), Box::new(writer)))
    }

    /// A handle to write the report through.
    pub fn writer(&self) -> Result<File, OutputError> {
        let file = match &self.state {
            State::Replace { temp, .. } => temp.as_file(),
            State::InPlace(file) => file,
        };
        file.try_clone().map_err(|source| OutputError::Create {
            path: self.shown.clone(),
            source,
        })
    }

    /// Puts the finished report in place. Call it after the last byte was flushed through
    /// every [`writer`](Self::writer); drop the `OutputFile` instead to keep the old report.
    pub fn commit(self) -> Result<(), OutputError> {
        let State::Replace { temp, target } = self.state else {
            return Ok(());
        };
        let replace_error = |source| OutputError::Replace {
            path: self.shown.clone(),
            source,
        };
        // On disk before the rename, or a crash could leave FILE renamed but empty.
        temp.as_file().sync_all().map_err(replace_error)?;
        temp.persist(&target).map_err(|e| replace_error(e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_old_file_stays_until_commit_and_a_dropped_output_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").expect("write");
        let out = OutputFile::create(&path).expect("create");
        out.writer()
            .expect("writer")
            .write_all(b"new")
            .expect("write");
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        assert_eq!(entries(dir.path()).len(), 2, "a temporary file beside it");
        drop(out);
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        assert_eq!(entries(dir.path()), ["report.json"]);

        let out = OutputFile::create(&path).expect("create");
        out.writer()
            .expect("writer")
            .write_all(b"new")
            .expect("write");
        out.commit().expect("commit");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        assert_eq!(entries(dir.path()), ["report.json"]);
    }

    #[test]
    fn an_existing_report_keeps_its_mode_and_a_symlink_stays_a_symlink() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.sarif");
        std::fs::write(&real, "old").expect("write");
        std::fs::set_permissions(&real, Permissions::from_mode(0o640)).expect("chmod");
        let link = dir.path().join("link.sarif");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let out = OutputFile::create(&link).expect("create");
        out.writer()
            .expect("writer")
            .write_all(b"new")
            .expect("write");
        out.commit().expect("commit");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("lstat")
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).expect("read"), b"new");
        let mode = std::fs::metadata(&real).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn a_device_is_written_in_place() {
        let out = OutputFile::create(Path::new("/dev/null")).expect("create");
        out.writer()
            .expect("writer")
            .write_all(b"x")
            .expect("write");
        out.commit().expect("commit");
        assert!(!std::fs::metadata("/dev/null").expect("stat").is_file());
    }
}
