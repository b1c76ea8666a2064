//! The roots a client declares (MCP `roots/list`): what the tools may read once the client
//! has said where its workspace is.
//!
//! The decisions a reader must know:
//! - Without `--root`, the working directory is only a default: the client's roots replace
//!   it. With `--root`, that directory is a fence: each client root is narrowed to it (a root
//!   inside the fence is kept, a root holding the fence becomes the fence, any other is
//!   dropped), so the server never reads where either side did not allow.
//! - It fails closed: a client that declares roots and then names none the server can use,
//!   or does not answer `roots/list`, gets tool errors that say so, never a scan of the
//!   working directory.
//! - The roots are asked for after `initialized` and again after each
//!   `notifications/roots/list_changed`; a tool call waits for the answer, so no call runs
//!   with roots the client has replaced. Protocol revisions from 2026-07-28 on have no
//!   server-to-client requests (roots are deprecated there): such sessions keep the server's
//!   own root.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rmcp::model::ProtocolVersion;
use rmcp::service::{Peer, RoleServer};
use tokio::sync::Mutex;

use super::ToolError;
use super::confine::Root;
use super::tools::{Options, Scope};

/// How long the client gets to answer `roots/list`.
const ANSWER: Duration = Duration::from_secs(10);

/// The scope tool calls use, and whether the client's roots must be asked for first.
pub struct Roots {
    options: Arc<Options>,
    state: Mutex<State>,
}

struct State {
    current: Result<Arc<Scope>, ToolError>,
    /// The client has changed its roots since they were asked for, or the last request
    /// failed.
    stale: bool,
    /// The roots have been asked for once: a client that declares them is asked before its
    /// first call, whatever the order its `initialized` and that call are handled in.
    asked: bool,
}

impl Roots {
    /// Roots that start as `initial` (the working directory or `--root`).
    pub fn new(options: Arc<Options>, initial: Scope) -> Roots {
        Roots {
            options,
            state: Mutex::new(State {
                current: Ok(Arc::new(initial)),
                stale: false,
                asked: false,
            }),
        }
    }

    /// The server's options.
    pub fn options(&self) -> &Arc<Options> {
        &self.options
    }

    /// Whether the client on `peer` declares roots this server can ask for.
    pub fn declared(peer: &Peer<RoleServer>) -> bool {
        peer.peer_info().is_some_and(|info| {
            info.capabilities.roots.is_some()
                && info.protocol_version < ProtocolVersion::V_2026_07_28
        })
    }

    /// Marks the roots as to be asked for again before the next tool call.
    pub async fn invalidate(&self) {
        self.state.lock().await.stale = true;
    }

    /// The scope of a tool call: the client's roots, asked for first when they are stale.
    pub async fn scope(&self, peer: &Peer<RoleServer>) -> Result<Arc<Scope>, ToolError> {
        let mut state = self.state.lock().await;
        if state.stale || (!state.asked && Self::declared(peer)) {
            state.asked = true;
            state.current = self.fetch(peer).await.map(Arc::new);
            // A failed request is made again by the next call.
            state.stale = state.current.is_err();
        }
        state.current.clone()
    }

    // Roots are deprecated from protocol 2026-07-28 on; the sessions that declare them speak
    // an earlier revision, where `roots/list` is how a server learns them.
    #[allow(deprecated)]
    async fn fetch(&self, peer: &Peer<RoleServer>) -> Result<Scope, ToolError> {
        let answer = tokio::time::timeout(ANSWER, peer.list_roots()).await;
        let listed = match answer {
            Ok(Ok(listed)) => listed,
            Ok(Err(e)) => {
                return Err(ToolError::new(format!(
                    "the client declares roots but its answer to roots/list failed ({e}); no \
                     file is read until it answers"
                )));
            }
            Err(_) => {
                return Err(ToolError::new(format!(
                    "the client declares roots but did not answer roots/list within {} s; no \
                     file is read until it answers",
                    ANSWER.as_secs()
                )));
            }
        };
        let uris: Vec<String> = listed.roots.into_iter().map(|root| root.uri).collect();
        let options = Arc::clone(&self.options);
        tokio::task::spawn_blocking(move || {
            let root = confine_declared(&uris, options.fenced(), options.initial_dir());
            options
                .scope(root)
                .map_err(|e| ToolError::new(format!("the client's roots: {e:#}")))
        })
        .await
        .map_err(|_| ToolError::new("working out the client's roots failed unexpectedly"))?
    }
}

/// The resolved path of a declared root (narrowed to `fence`), or why it is not used.
fn usable_path(uri: &str, fence: Option<&Path>) -> Result<PathBuf, String> {
    let url = url::Url::parse(uri).map_err(|e| format!("not a URI ({e})"))?;
    if url.scheme() != "file" {
        return Err(format!(
            "a {} URI: roots must be file:// URIs",
            url.scheme()
        ));
    }
    let path = url
        .to_file_path()
        .map_err(|()| "not a local file path".to_string())?;
    let path = std::fs::canonicalize(&path).map_err(|e| format!("cannot be resolved ({e})"))?;
    let Some(fence) = fence else {
        return Ok(path);
    };
    if path.starts_with(fence) {
        Ok(path)
    } else if fence.starts_with(&path) {
        Ok(fence.to_path_buf())
    } else {
        Err(format!("outside --root {}", crate::pathfmt::escape(fence)))
    }
}

/// The roots of `uris` the server may read, confined to `fence` when there is one; each one
/// dropped is said on standard error (the client's log of the server). With none, paths are
/// shown from `fallback`.
pub fn confine_declared(uris: &[String], fence: Option<&Path>, fallback: &Path) -> Root {
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for uri in uris {
        match usable_path(uri, fence) {
            Ok(path) => kept.push(path),
            Err(why) => {
                eprintln!("astscan mcp: the client's root {uri:?} is not used: {why}");
                dropped.push(format!("{uri:?} ({why})"));
            }
        }
    }
    let why_none = if uris.is_empty() {
        "the client declares no roots; add the workspace as a root in the client".to_string()
    } else {
        format!(
            "none of the client's roots can be read: {}",
            dropped.join("; ")
        )
    };
    Root::of(kept, fallback, why_none)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(path: &Path) -> String {
        url::Url::from_file_path(path).unwrap().to_string()
    }

    #[test]
    fn client_roots_replace_the_working_directory_without_a_fence() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(real.join("a/x")).unwrap();
        std::fs::create_dir_all(real.join("b")).unwrap();
        std::fs::write(real.join("b/one.py"), "x = 1\n").unwrap();
        let root = confine_declared(
            &[
                uri(&real.join("a")),
                uri(&real.join("a/x")),
                uri(&real.join("b/one.py")),
            ],
            None,
            Path::new("/"),
        );
        // a/x is inside a; the file root stands for itself; paths start at their common
        // directory.
        assert_eq!(root.allowed(), [real.join("a"), real.join("b/one.py")]);
        assert_eq!(root.dir(), real);
        assert!(root.resolve("a/x").is_ok());
        assert!(root.resolve("b/one.py").is_ok());
        assert!(root.resolve("b").is_err());
        assert_eq!(root.show(&real.join("a/x")), "a/x");
    }

    #[test]
    fn a_fence_narrows_the_client_roots() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        for d in ["repo/src", "repo/docs", "elsewhere"] {
            std::fs::create_dir_all(real.join(d)).unwrap();
        }
        let fence = real.join("repo");
        // A root holding the fence becomes the fence; one inside stays; one beside it goes.
        let root = confine_declared(&[uri(&real)], Some(&fence), &real);
        assert_eq!(root.allowed(), std::slice::from_ref(&fence));
        let root = confine_declared(&[uri(&fence.join("src"))], Some(&fence), &real);
        assert_eq!(root.allowed(), [fence.join("src")]);
        assert!(root.resolve("docs").is_err());
        let root = confine_declared(&[uri(&real.join("elsewhere"))], Some(&fence), &real);
        assert!(root.allowed().is_empty());
        let refused = root.resolve("src").unwrap_err().to_string();
        assert!(refused.contains("outside --root"), "{refused}");
    }

    #[test]
    fn unusable_roots_are_dropped_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let root = confine_declared(
            &[
                "https://example.com/repo".to_string(),
                "not a uri".to_string(),
                uri(&dir.path().join("missing")),
            ],
            None,
            dir.path(),
        );
        assert!(root.allowed().is_empty());
        let refused = root.everything().unwrap_err().to_string();
        for why in ["https URI", "not a URI", "cannot be resolved"] {
            assert!(refused.contains(why), "{refused}");
        }
        let none = confine_declared(&[], None, dir.path());
        assert!(
            none.everything()
                .unwrap_err()
                .to_string()
                .contains("declares no roots")
        );
    }
}
