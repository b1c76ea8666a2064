//! Paths of the graph: relative to the tree's root, as text, `/`-separated, with `""` for the
//! root itself. Resolution joins specifiers onto them without asking the file system, and a
//! path that climbs above the root is refused rather than clamped, so `../../x` from a file
//! at the top never names a file of the tree by accident.

/// The directory of `path` (`"a/b.py"` → `"a"`, `"b.py"` → `""`).
pub fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// The last component of `path` (`"a/b.py"` → `"b.py"`).
pub fn file_name(path: &str) -> &str {
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

/// `dir/rel` with `.` and empty components dropped and each `..` taking one away; `None`
/// when a `..` would leave the root. A leading `/` in `rel` is taken as part of the relative
/// path (callers decide beforehand whether an absolute path means anything).
pub fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// `path` and the directories above it, deepest first, ending with the root `""`
/// (`"a/b"` → `"a/b"`, `"a"`, `""`).
pub fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(path);
    std::iter::from_fn(move || {
        let current = next?;
        next = (!current.is_empty()).then(|| parent(current));
        Some(current)
    })
}

/// The extension of the last component, without the dot (`"a/b.min.js"` → `"js"`); `None`
/// for names without one or starting with their only dot (`.eslintrc`).
pub fn extension(path: &str) -> Option<&str> {
    let name = file_name(path);
    match name.rfind('.') {
        Some(i) if i > 0 && i + 1 < name.len() => Some(&name[i + 1..]),
        _ => None,
    }
}

/// How many components `path` has (`""` has none); used to order directories shallow first.
pub fn depth(path: &str) -> usize {
    if path.is_empty() {
        0
    } else {
        path.split('/').count()
    }
}

/// `path` as input files may spell it (`./a//b`), in the form the graph uses (`a/b`).
pub fn clean(path: &str) -> String {
    path.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_resolves_dots_and_refuses_to_leave_the_root() {
        assert_eq!(join("a/b", "./c.py").as_deref(), Some("a/b/c.py"));
        assert_eq!(join("a/b", "../c").as_deref(), Some("a/c"));
        assert_eq!(join("", "x//y/./z").as_deref(), Some("x/y/z"));
        assert_eq!(join("a", "../..").as_deref(), None);
        assert_eq!(join("", "..").as_deref(), None);
        assert_eq!(join("a", "/b").as_deref(), Some("a/b"));
    }

    #[test]
    fn parents_names_and_extensions() {
        assert_eq!(parent("a/b.py"), "a");
        assert_eq!(parent("b.py"), "");
        assert_eq!(file_name("a/b.py"), "b.py");
        assert_eq!(extension("a/b.min.js"), Some("js"));
        assert_eq!(extension("a/.eslintrc"), None);
        assert_eq!(extension("a.d/b"), None);
        assert_eq!(ancestors("a/b").collect::<Vec<_>>(), ["a/b", "a", ""]);
        assert_eq!(ancestors("").collect::<Vec<_>>(), [""]);
        assert_eq!((depth(""), depth("a"), depth("a/b")), (0, 1, 2));
        assert_eq!(clean("./a//b/"), "a/b");
    }
}
