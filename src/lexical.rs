//! Path arithmetic on the text of paths, without asking the file system: `.` and `..`
//! resolved as the shell does, and the deepest directory several paths share. Used where a
//! scan must name the same place the same way whatever the invocation (its configuration,
//! the root of report paths).

use std::path::{Component, Path, PathBuf};

/// `path` without `.` components, and with each `..` taking away the component before it, as
/// the kernel would if no component were a symbolic link.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The longest path every one of `paths` starts with, component by component (`/a/bc` and
/// `/a/b` share `/a`); `None` for no paths.
pub fn common_ancestor<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Option<PathBuf> {
    paths
        .into_iter()
        .map(|p| p.as_ref().to_path_buf())
        .reduce(|a, b| {
            a.components()
                .zip(b.components())
                .take_while(|(x, y)| x == y)
                .map(|(x, _)| x)
                .collect()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_are_resolved_as_text() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("/a/..")), PathBuf::from("/"));
    }

    #[test]
    fn the_common_ancestor_is_whole_components() {
        let got = common_ancestor(["/a/bc/d", "/a/b", "/a/bc"]);
        assert_eq!(got, Some(PathBuf::from("/a")));
        assert_eq!(common_ancestor(Vec::<PathBuf>::new()), None);
    }
}
