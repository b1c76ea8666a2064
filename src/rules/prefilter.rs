//! Skips rule patterns that cannot match, before tree-sitter runs them.
//!
//! Most patterns name what they look for: `(#match? @fn "^(exec|execSync)$")`, a constraint
//! `regex: '\bselect\b'`. Every match's text then contains one of a few words (see
//! [`super::literals`]). One Aho-Corasick pass over a file finds where those words occur; a
//! pattern runs at a node only if each of its word sets occurs inside that node. A file
//! without `exec` never runs the `exec` patterns, and of its thousands of calls only those
//! containing the word do. Patterns without words always run.
//!
//! A word a predicate names as a whole identifier (`(identifier) @fn (#match? @fn
//! "^(get|post)$")`) counts only where it stands as a word of its own: `get` inside
//! `getElementById` or `target` does not make such a pattern run.

use std::rc::Rc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use tree_sitter::Node;

/// A grammar field id, as tree-sitter gives them.
type FieldId = std::num::NonZeroU16;

/// Most word sets one pattern is gated on (all must occur).
pub(crate) const MAX_SETS_PER_PATTERN: usize = 3;
/// Characters outside ASCII that case-fold to ASCII letters under Unicode rules (Kelvin sign,
/// long s), and those letters. Words are searched ASCII case-insensitively, so a file
/// containing either is searched again with them written as the letters.
const FOLDS_TO_ASCII: [(&str, u8); 2] = [("\u{212A}", b'k'), ("\u{017F}", b's')];

/// Words one of which occurs in every match of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordSet {
    /// Lower-case ASCII words.
    pub words: Vec<String>,
    /// Each match holds the word as a whole identifier: an occurrence next to a letter, digit
    /// or `_` on a side where the word itself ends in one does not count.
    pub whole: bool,
    /// The fields that lead from the pattern's root to the node holding the word, when the
    /// pattern says (see [`super::query_shape::Shape::paths`]): a node where the pattern may
    /// start then holds the word in that child, not just anywhere in its text.
    pub path: Option<Vec<String>>,
}

impl WordSet {
    /// Words that may occur anywhere in a match.
    pub fn anywhere(words: Vec<String>) -> WordSet {
        WordSet {
            words,
            whole: false,
            path: None,
        }
    }

    /// Words that occur as whole identifiers in every match.
    pub fn whole(words: Vec<String>) -> WordSet {
        WordSet {
            words,
            whole: true,
            path: None,
        }
    }

    /// How selective the set is, for ranking (greater is better): see
    /// [`super::literals::strength`]; a whole word counts as three letters longer, since
    /// occurrences inside other words do not count.
    pub fn strength(&self) -> (usize, std::cmp::Reverse<usize>) {
        let (shortest, count) = super::literals::strength(&self.words);
        (shortest + if self.whole { 3 } else { 0 }, count)
    }
}

/// The words of every pattern of one language, compiled for searching.
pub struct Prefilter {
    /// Searches for every word, then for [`FOLDS_TO_ASCII`]; `None` when no pattern has words.
    searcher: Option<AhoCorasick>,
    /// For each word, the sets it belongs to, and whether the set wants it whole.
    word_sets: Vec<Vec<(u32, bool)>>,
    /// For each word, whether it begins and whether it ends with an identifier character.
    word_edges: Vec<(bool, bool)>,
    set_count: usize,
    /// For each pattern, the sets that must all occur (none: the pattern always runs).
    patterns: Rc<[Vec<u32>]>,
}

impl Prefilter {
    /// Builds the prefilter; `patterns[i]` lists the word sets pattern `i` needs, strongest
    /// first (see [`WordSet::strength`]).
    pub fn new(patterns: &[Vec<WordSet>]) -> Prefilter {
        let mut sets: Vec<&WordSet> = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        let mut word_sets: Vec<Vec<(u32, bool)>> = Vec::new();
        let mut gated = Vec::with_capacity(patterns.len());
        for needs in patterns {
            let mut ids = Vec::new();
            for set in needs.iter().take(MAX_SETS_PER_PATTERN) {
                // One search serves a set wherever a pattern finds it.
                let id = match sets
                    .iter()
                    .position(|s| s.words == set.words && s.whole == set.whole)
                {
                    Some(id) => id,
                    None => {
                        sets.push(set);
                        for word in &set.words {
                            let w = match words.iter().position(|w| w == word) {
                                Some(w) => w,
                                None => {
                                    words.push(word);
                                    word_sets.push(Vec::new());
                                    words.len() - 1
                                }
                            };
                            word_sets[w].push(((sets.len() - 1) as u32, set.whole));
                        }
                        sets.len() - 1
                    }
                };
                ids.push(id as u32);
            }
            gated.push(ids);
        }
        let searcher = (!words.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                // A few hundred words make a small DFA, and the DFA is the fastest at
                // overlapping search (every occurrence of every word is wanted).
                .kind(Some(AhoCorasickKind::DFA))
                .build(words.iter().copied().chain(FOLDS_TO_ASCII.map(|(c, _)| c)))
                .expect("a few hundred short words always build")
        });
        let word_edges = words
            .iter()
            .map(|w| {
                let b = w.as_bytes();
                (
                    b.first().is_some_and(|&c| is_ident(c)),
                    b.last().is_some_and(|&c| is_ident(c)),
                )
            })
            .collect();
        Prefilter {
            searcher,
            word_sets,
            word_edges,
            set_count: sets.len(),
            patterns: gated.into(),
        }
    }

    /// Finds the words in `source`.
    pub fn scan(&self, source: &[u8]) -> FileGate {
        let Some(searcher) = self
            .searcher
            .as_ref()
            .filter(|_| source.len() < u32::MAX as usize)
        else {
            return FileGate::everything(&self.patterns);
        };
        let places = match self.places(searcher, source) {
            Some(places) => places,
            None => {
                // A character that folds to an ASCII letter: search the text with the letter
                // in its place, and put each word back where it starts in `source`.
                let (folded, moved) = fold_to_ascii(source);
                let Some(mut places) = self.places(searcher, &folded) else {
                    return FileGate::everything(&self.patterns);
                };
                for p in places.iter_mut().flatten() {
                    let before = moved.partition_point(|&(at, _)| at <= *p);
                    *p += before.checked_sub(1).map_or(0, |k| moved[k].1);
                }
                places
            }
        };
        FileGate {
            patterns: Rc::clone(&self.patterns),
            places,
            everything: false,
            off: Vec::new(),
        }
    }

    /// For each set, the sorted places in `source` where its words start; `None` if `source`
    /// holds a character of [`FOLDS_TO_ASCII`].
    fn places(&self, searcher: &AhoCorasick, source: &[u8]) -> Option<Vec<Vec<u32>>> {
        let mut places: Vec<Vec<u32>> = vec![Vec::new(); self.set_count];
        for m in searcher.find_overlapping_iter(source) {
            let word = m.pattern().as_usize();
            let sets = self.word_sets.get(word)?;
            // Whole if no identifier character continues the word past either of its ends.
            let (starts, ends) = self.word_edges[word];
            let continued_before = starts && m.start() > 0 && is_ident(source[m.start() - 1]);
            let continued_after = ends && source.get(m.end()).is_some_and(|&c| is_ident(c));
            let whole = !continued_before && !continued_after;
            for &(set, wants_whole) in sets {
                if whole || !wants_whole {
                    places[set as usize].push(m.start() as u32);
                }
            }
        }
        for p in &mut places {
            // Overlapping matches come in order of their ends, not their starts.
            p.sort_unstable();
            p.dedup();
        }
        Some(places)
    }
}

/// `source` with each character of [`FOLDS_TO_ASCII`] written as its ASCII letter, and where
/// the text moved: `(at, by)` says that from offset `at` of the folded text on, offsets in
/// `source` are `by` bytes further on.
fn fold_to_ascii(source: &[u8]) -> (Vec<u8>, Vec<(u32, u32)>) {
    let mut folded = Vec::with_capacity(source.len());
    let mut moved = Vec::new();
    let mut i = 0;
    while i < source.len() {
        let fold = FOLDS_TO_ASCII
            .iter()
            .find(|(c, _)| source[i..].starts_with(c.as_bytes()));
        match fold {
            Some((c, letter)) => {
                folded.push(*letter);
                i += c.len();
                moved.push((folded.len() as u32, (i - folded.len()) as u32));
            }
            None => {
                folded.push(source[i]);
                i += 1;
            }
        }
    }
    (folded, moved)
}

/// Whether a byte can continue an identifier: ASCII letters, digits, `_`, and any byte of a
/// non-ASCII character (identifiers may hold letters of any script).
fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Where one file contains the prefilter's words.
pub struct FileGate {
    /// The prefilter's sets per pattern.
    patterns: Rc<[Vec<u32>]>,
    /// For each set, the sorted start offsets of its words.
    places: Vec<Vec<u32>>,
    /// Every pattern may match (no words to look for, or a file the search cannot judge).
    everything: bool,
    /// Patterns switched off for this file whatever its words (see [`FileGate::switch_off`]);
    /// empty when none is.
    off: Vec<bool>,
}

impl FileGate {
    fn everything(patterns: &Rc<[Vec<u32>]>) -> FileGate {
        FileGate {
            patterns: Rc::clone(patterns),
            places: Vec::new(),
            everything: true,
            off: Vec::new(),
        }
    }

    /// The same file's words with every pattern on again (none switched off): a second pass
    /// over the file needs no second search.
    pub fn all_on(&self) -> FileGate {
        FileGate {
            patterns: Rc::clone(&self.patterns),
            places: self.places.clone(),
            everything: self.everything,
            off: Vec::new(),
        }
    }

    /// Whether `pattern` can match somewhere in the file.
    pub fn in_file(&self, pattern: usize) -> bool {
        !self.is_off(pattern)
            && (self.everything
                || self.patterns[pattern]
                    .iter()
                    .all(|&s| !self.places[s as usize].is_empty()))
    }

    /// Keeps `pattern` from running in this file: its matches would be of no use there (a
    /// taint rule's sources in a file without its sinks).
    pub fn switch_off(&mut self, pattern: usize) {
        if self.off.is_empty() {
            self.off = vec![false; self.patterns.len()];
        }
        self.off[pattern] = true;
    }

    fn is_off(&self, pattern: usize) -> bool {
        self.off.get(pattern).copied().unwrap_or(false)
    }

    /// Whether `pattern` can match at a node spanning `start..end` (its words start inside).
    pub fn in_range(&self, pattern: usize, start: usize, end: usize) -> bool {
        if self.is_off(pattern) {
            return false;
        }
        self.everything
            || self.patterns[pattern]
                .iter()
                .all(|&s| starts_between(&self.places[s as usize], start, end))
    }

    /// Whether `pattern` can match at `node`: each of its words starts inside the node, or,
    /// for a word the pattern places in a child (`fields[k]` for its `k`-th set: field ids
    /// from the node down), inside a child reached by those fields.
    pub fn in_node(&self, pattern: usize, node: Node<'_>, fields: &[Option<Vec<FieldId>>]) -> bool {
        // The words in the node at all first: a few binary searches, where following the
        // fields walks children.
        if !self.in_range(pattern, node.start_byte(), node.end_byte()) {
            return false;
        }
        self.everything
            || self.patterns[pattern].iter().enumerate().all(|(k, &s)| {
                let Some(path) = fields.get(k).and_then(Option::as_deref) else {
                    return true;
                };
                let places = &self.places[s as usize];
                any_at(node, path, &|n| {
                    starts_between(places, n.start_byte(), n.end_byte())
                })
            })
    }
}

/// Whether one of the sorted `places` is in `start..end`.
fn starts_between(places: &[u32], start: usize, end: usize) -> bool {
    let first = places.partition_point(|&p| (p as usize) < start);
    places.get(first).is_some_and(|&p| (p as usize) < end)
}

/// Whether some node reached from `node` by the fields of `path` satisfies `holds` (a field can
/// hold several children).
fn any_at(node: Node<'_>, path: &[FieldId], holds: &dyn Fn(Node<'_>) -> bool) -> bool {
    let Some((&field, rest)) = path.split_first() else {
        return holds(node);
    };
    let mut cursor = node.walk();
    node.children_by_field_id(field, &mut cursor)
        .any(|child| any_at(child, rest, holds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(words: &[&str]) -> WordSet {
        WordSet::anywhere(words.iter().map(|w| w.to_string()).collect())
    }

    fn whole(words: &[&str]) -> WordSet {
        WordSet::whole(words.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn whole_words_count_only_between_word_boundaries() {
        let prefilter = Prefilter::new(&[
            vec![whole(&["get"])],
            vec![set(&["get"])],
            vec![whole(&["$_get"])],
        ]);
        let inside = prefilter.scan(b"el.getElementById(x); target; budget_2");
        assert!(!inside.in_file(0) && inside.in_file(1));
        let alone = prefilter.scan(b"axios.get(url)");
        assert!(alone.in_file(0) && alone.in_file(1));
        let at_edges = prefilter.scan(b"get");
        assert!(at_edges.in_file(0));
        // A word that starts with `$` needs no boundary before it.
        let php = prefilter.scan(b"\"a$_GET[x]\"");
        assert!(php.in_file(2));
        let longer = prefilter.scan(b"$_GETTER");
        assert!(!longer.in_file(2));
        // A non-ASCII letter continues an identifier.
        assert!(!prefilter.scan("\u{e9}get".as_bytes()).in_file(0));
    }

    #[test]
    fn a_word_placed_in_a_child_must_be_in_that_child() {
        let lang = crate::lang::Language::Javascript.grammar();
        let field = |name: &str| lang.field_id_for_name(name).unwrap();
        // `req` as the object of the callee, and `get` as its property.
        let prefilter = Prefilter::new(&[vec![set(&["req"]), set(&["get"])]]);
        let fields = [
            Some(vec![field("function"), field("object")]),
            Some(vec![field("function"), field("property")]),
        ];
        let source = b"describe(() => { req.get('id'); other.get(req); });";
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&lang).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let gate = prefilter.scan(source);
        let mut calls = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "call_expression" {
                calls.push(n);
            }
            let mut c = n.walk();
            stack.extend(n.named_children(&mut c));
        }
        let passes = |text: &str| {
            let call = calls
                .iter()
                .find(|c| c.utf8_text(source).unwrap().starts_with(text))
                .unwrap();
            (
                gate.in_range(0, call.start_byte(), call.end_byte()),
                gate.in_node(0, *call, &fields),
            )
        };
        // Both words are inside the outer call and `other.get(req)`, but only `req.get(...)`
        // holds them where the pattern looks.
        assert_eq!(passes("describe"), (true, false));
        assert_eq!(passes("other.get"), (true, false));
        assert_eq!(passes("req.get"), (true, true));
        // Without paths, the node's whole text counts.
        assert!(gate.in_node(0, calls[0], &[None, None]));
    }

    #[test]
    fn gates_by_file_and_range() {
        let prefilter = Prefilter::new(&[
            vec![set(&["exec", "execsync"])],
            vec![set(&["select", "insert"]), set(&["query"])],
            vec![],
        ]);
        let source = b"x = 1; cp.EXECSYNC(cmd); db.query('SELECT 1')";
        let gate = prefilter.scan(source);
        assert!(gate.in_file(0) && gate.in_file(1) && gate.in_file(2));
        let call = source.windows(9).position(|w| w == b"EXECSYNC(").unwrap();
        assert!(gate.in_range(0, call - 3, call + 13));
        assert!(!gate.in_range(0, 0, call));
        let query = source.windows(5).position(|w| w == b"query").unwrap();
        assert!(gate.in_range(1, query, source.len()));
        // `query` occurs inside the range, `select` does not.
        assert!(!gate.in_range(1, query, query + 7));
        assert!(gate.in_range(2, 0, 0));

        let other = prefilter.scan(b"print('hello')");
        assert!(!other.in_file(0) && !other.in_file(1) && other.in_file(2));
    }

    #[test]
    fn characters_that_fold_to_ascii_count_as_the_letters() {
        let prefilter = Prefilter::new(&[vec![set(&["token"])], vec![set(&["ask"])]]);
        assert!(!prefilter.scan(b"nothing here").in_file(0));
        // "to\u{212A}en" matches (?i)token under Unicode case folding; the word starts where
        // it starts in the file, after two 2-byte long s.
        let text = "\u{17F}\u{17F} to\u{212A}en \u{212A}";
        let gate = prefilter.scan(text.as_bytes());
        assert!(gate.in_file(0) && !gate.in_file(1));
        let at = text.find("to").unwrap();
        assert!(gate.in_range(0, at, at + 1) && !gate.in_range(0, 0, at));
        assert!(!gate.in_range(0, at + 1, text.len()));
        // A file holding such a character but none of the words runs nothing.
        assert!(!prefilter.scan("\u{212A} nothing".as_bytes()).in_file(0));
        assert!(!prefilter.scan("m\u{17F}a\u{212A}".as_bytes()).in_file(1));
        assert!(prefilter.scan("a\u{17F}\u{212A}".as_bytes()).in_file(1));
    }

    #[test]
    fn switched_off_patterns_never_run() {
        let prefilter = Prefilter::new(&[vec![set(&["exec"])], vec![]]);
        let mut gate = prefilter.scan(b"exec(x)");
        gate.switch_off(0);
        gate.switch_off(1);
        assert!(!gate.in_file(0) && !gate.in_range(0, 0, 7));
        assert!(!gate.in_file(1) && !gate.in_range(1, 0, 7));
        // A gate that lets everything through (no words to search for) too.
        let mut all = Prefilter::new(&[vec![], vec![]]).scan(b"x");
        all.switch_off(1);
        assert!(all.in_file(0) && !all.in_file(1));
    }

    #[test]
    fn all_on_keeps_the_words_and_drops_the_switches() {
        let prefilter = Prefilter::new(&[vec![set(&["exec"])], vec![set(&["eval"])]]);
        let mut gate = prefilter.scan(b"exec(x)");
        gate.switch_off(0);
        let again = gate.all_on();
        assert!(again.in_file(0) && !again.in_file(1));
        assert!(again.in_range(0, 0, 4) && !again.in_range(0, 1, 7));
    }

    #[test]
    fn no_words_no_search() {
        let prefilter = Prefilter::new(&[vec![], vec![]]);
        let gate = prefilter.scan(b"anything");
        assert!(gate.in_file(0) && gate.in_range(1, 0, 1));
    }
}
