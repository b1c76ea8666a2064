//! Words a regular expression's matches must contain: `^(exec|execSync)$` needs `exec`,
//! `(?i)\bselect\b.*\bfrom\b` needs `select`. The prefilter skips a rule in a file (or under a
//! node) that contains none of them.
//!
//! Words are lower case and meant to be searched for ASCII case-insensitively; a regex whose
//! required text is not plain ASCII yields nothing.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Shortest word worth searching for anywhere: shorter ones are in almost every file.
pub const MIN_WORD: usize = 3;
/// Shortest word worth searching for as a whole identifier: `fs`, `io`, `rm` or `ky` on their
/// own are rare, where inside other words (`offset`, `form`) they are everywhere.
pub const MIN_WHOLE_WORD: usize = 2;
/// Most alternatives kept for one requirement.
const MAX_WORDS: usize = 64;

/// One word of `words` occurs in every text that `regex` matches; `None` when no useful
/// requirement is known (or the regex does not parse).
pub fn required(regex: &str) -> Option<Vec<String>> {
    usable(analyse(&read(regex)?).required)
}

/// The words `regex` matches whole (`^(get|post)$`): every text it matches is one of them,
/// from its start to its end; `None` when the regex is not anchored at both ends around
/// exact words.
pub fn whole(regex: &str) -> Option<Vec<String>> {
    let hir = read(regex)?;
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let anchored = |part: Option<&Hir>, look: Look| {
        part.is_some_and(|p| matches!(p.kind(), HirKind::Look(l) if *l == look))
    };
    if parts.len() < 3
        || !anchored(parts.first(), Look::Start)
        || !anchored(parts.last(), Look::End)
    {
        return None;
    }
    usable_whole(concat(&parts[1..parts.len() - 1]).exact)
}

fn read(regex: &str) -> Option<Hir> {
    // Read without Unicode: case folding of Unicode classes is most of the cost of reading a
    // pack's regexes, and it adds nothing here: words are ASCII, and the only non-ASCII
    // characters that fold to ASCII letters (the Kelvin sign, the long s) are searched for as
    // those letters by the prefilter. What only Unicode mode reads (`\p{..}`) is read with it.
    let ascii = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(regex);
    match ascii {
        Ok(hir) => Some(hir),
        Err(_) => regex_syntax::parse(regex).ok(),
    }
}

/// Lower-cases `words` and keeps them if every one is ASCII and long enough to be searched
/// for anywhere ([`MIN_WORD`]).
pub fn usable(words: Option<Vec<String>>) -> Option<Vec<String>> {
    usable_from(words, MIN_WORD)
}

/// [`usable`] for words searched for as whole identifiers ([`MIN_WHOLE_WORD`]).
pub fn usable_whole(words: Option<Vec<String>>) -> Option<Vec<String>> {
    usable_from(words, MIN_WHOLE_WORD)
}

fn usable_from(words: Option<Vec<String>>, min: usize) -> Option<Vec<String>> {
    let mut words: Vec<String> = words?.into_iter().map(|w| w.to_ascii_lowercase()).collect();
    words.sort();
    words.dedup();
    (!words.is_empty()
        && words.len() <= MAX_WORDS
        && words.iter().all(|w| w.is_ascii() && w.len() >= min))
    .then_some(words)
}

fn shortest(words: &[String]) -> usize {
    words.iter().map(String::len).min().unwrap_or(0)
}

/// How selective a word set is, for ranking (greater is better): its shortest word is longest,
/// then it has the fewest words.
pub fn strength(words: &[String]) -> (usize, std::cmp::Reverse<usize>) {
    (shortest(words), std::cmp::Reverse(words.len()))
}

/// What is known about the texts a part of a regex matches.
#[derive(Clone, Debug, Default)]
struct Known {
    /// It matches exactly one of these (lower-cased) strings.
    exact: Option<Vec<String>>,
    /// Every text it matches contains one of these.
    required: Option<Vec<String>>,
}

impl Known {
    fn exact(words: Vec<String>) -> Known {
        Known {
            required: Some(words.clone()),
            exact: Some(words),
        }
    }
}

fn analyse(hir: &Hir) -> Known {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Known::exact(vec![String::new()]),
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) if s.is_ascii() => Known::exact(vec![s.to_ascii_lowercase()]),
            _ => Known::default(),
        },
        HirKind::Class(class) => class_chars(class).map_or_else(Known::default, Known::exact),
        HirKind::Repetition(rep) => {
            let sub = analyse(&rep.sub);
            match (rep.min, rep.max) {
                (1, Some(1)) => sub,
                (0, _) => Known::default(),
                _ => Known {
                    exact: None,
                    required: sub.required,
                },
            }
        }
        HirKind::Capture(cap) => analyse(&cap.sub),
        HirKind::Concat(parts) => concat(parts),
        HirKind::Alternation(branches) => {
            let known: Vec<Known> = branches.iter().map(analyse).collect();
            let union = |pick: fn(&Known) -> &Option<Vec<String>>| {
                let mut all = Vec::new();
                for k in &known {
                    all.extend(pick(k).clone()?);
                }
                all.sort();
                all.dedup();
                (all.len() <= MAX_WORDS).then_some(all)
            };
            Known {
                exact: union(|k| &k.exact),
                required: union(|k| &k.required),
            }
        }
    }
}

/// Consecutive parts with exact strings combine into longer words (`os\.(remove|unlink)` →
/// `os.remove`, `os.unlink`); the requirement of the whole is the best of its parts'.
fn concat(parts: &[Hir]) -> Known {
    let mut candidates: Vec<Vec<String>> = Vec::new();
    let mut run = vec![String::new()];
    let mut exact = true;
    for part in parts {
        let known = analyse(part);
        match known.exact {
            Some(words) if run.len() * words.len() <= MAX_WORDS => {
                run = run
                    .iter()
                    .flat_map(|a| words.iter().map(move |b| format!("{a}{b}")))
                    .collect();
            }
            other => {
                exact = false;
                candidates.push(std::mem::replace(
                    &mut run,
                    other
                        .filter(|w| w.len() <= MAX_WORDS)
                        .unwrap_or_else(|| vec![String::new()]),
                ));
                candidates.extend(known.required);
            }
        }
    }
    candidates.push(run.clone());
    let required = candidates
        .into_iter()
        .max_by_key(|s| strength(s))
        .filter(|s| shortest(s) > 0);
    Known {
        exact: exact.then_some(run),
        required,
    }
}

/// The characters of a small class, lower-cased; `None` for large classes and classes with
/// characters outside ASCII, except the two that case-fold to ASCII letters (the Kelvin sign
/// and the long s, which the prefilter treats separately).
fn class_chars(class: &Class) -> Option<Vec<String>> {
    let mut chars: Vec<char> = Vec::new();
    match class {
        Class::Unicode(u) => {
            for r in u.iter() {
                if (r.end() as u32) - (r.start() as u32) > 8 {
                    return None;
                }
                for c in r.start()..=r.end() {
                    chars.push(match c {
                        '\u{212A}' => 'k',
                        '\u{017F}' => 's',
                        c if c.is_ascii() => c.to_ascii_lowercase(),
                        _ => return None,
                    });
                }
            }
        }
        Class::Bytes(b) => {
            for r in b.iter() {
                if r.end() - r.start() > 8 {
                    return None;
                }
                for c in r.start()..=r.end() {
                    if !c.is_ascii() {
                        return None;
                    }
                    chars.push(c.to_ascii_lowercase() as char);
                }
            }
        }
    }
    chars.sort();
    chars.dedup();
    (chars.len() <= 4).then(|| chars.into_iter().map(String::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(re: &str) -> Option<Vec<String>> {
        required(re)
    }

    fn words(w: &[&str]) -> Option<Vec<String>> {
        Some(w.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn alternations_of_words() {
        assert_eq!(req("^(exec|execSync)$"), words(&["exec", "execsync"]));
        assert_eq!(
            req(r"^(open|os\.(remove|unlink))$"),
            words(&["open", "os.remove", "os.unlink"])
        );
        assert_eq!(req("^.child_process.$"), words(&["child_process"]));
    }

    #[test]
    fn case_insensitive_and_best_part() {
        assert_eq!(req(r"(?i)\bselect\b[\s\S]*\bfrom\b"), words(&["select"]));
        // `k` folds to the Kelvin sign too; still one word.
        assert_eq!(req("(?i)token"), words(&["token"]));
        // `api_?key`: `api` and `key` are equally good; either one is required.
        let w = req("(?i)(password|api_?key)").unwrap();
        assert!(
            w == ["api", "password"] || w == ["key", "password"],
            "{w:?}"
        );
    }

    #[test]
    fn whole_words_need_both_anchors() {
        assert_eq!(whole("^(get|post)$"), words(&["get", "post"]));
        assert_eq!(whole("^exec(Sync)?$"), None);
        assert_eq!(whole("^(?i:Select)$"), words(&["select"]));
        assert_eq!(whole("^(get|post)"), None);
        assert_eq!(whole("(get|post)$"), None);
        assert_eq!(
            whole("^os\\.(get|put)env$"),
            words(&["os.getenv", "os.putenv"])
        );
        // Two letters are enough for a whole identifier (`fs`, `io`), one is not.
        assert_eq!(whole("^(fs|fsPromises)$"), words(&["fs", "fspromises"]));
        assert_eq!(req("^(fs|fsPromises)$"), None);
        assert_eq!(whole("^(a|bc)$"), None);
    }

    #[test]
    fn nothing_useful() {
        assert_eq!(req(r"\$[A-Za-z_{]"), None);
        assert_eq!(req("^(a|bc)$"), None);
        assert_eq!(req("(foo)?bar|x"), None);
        assert_eq!(req("["), None);
        assert_eq!(req("é+tude"), words(&["tude"]));
        assert_eq!(req(".*"), None);
    }

    #[test]
    fn unicode_only_syntax_is_read_too() {
        assert_eq!(req(r"\p{L}+_token"), words(&["_token"]));
        assert_eq!(req(r"(?i)passw\w*"), words(&["passw"]));
    }
}
