//! Just enough of the tree-sitter query language to know, for one pattern, which captures every
//! match binds and which text predicates (`#eq?`, `#any-of?`, `#match?`) constrain them. The
//! prefilter derives from this the words a file must contain for the pattern to match.
//!
//! tree-sitter compiles the queries; this parser only reads them. Anything it does not
//! recognise makes it give up (`None`), and a pattern it gave up on is simply never skipped.

use std::collections::{BTreeMap, BTreeSet};

/// A text predicate on one capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextPredicate {
    /// `(#eq? @capture "text")`: the capture's text is exactly this.
    Eq(String, String),
    /// `(#any-of? @capture "a" "b" …)`: the capture's text is one of these.
    AnyOf(String, Vec<String>),
    /// `(#match? @capture "regex")`: the capture's text contains a match of this regex.
    Match(String, String),
}

/// What the prefilter needs to know about one pattern.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// Captures bound in every match of the pattern (not under `?`, `*`, nor in only some
    /// branches of an alternation). Predicates on other captures can hold vacuously.
    pub guaranteed: BTreeSet<String>,
    /// The pattern's positive text predicates, wherever they are written (they apply to the
    /// whole pattern).
    pub predicates: Vec<TextPredicate>,
    /// For each capture, the node kinds it is written on (`None`: a wildcard, an anonymous
    /// node or a group).
    pub kinds: BTreeMap<String, Vec<Option<String>>>,
    /// For each capture, the fields that lead to it from the pattern's root
    /// (`function: (member_expression object: (identifier) @r)` → `@r` at `function`,
    /// `object`), when it is written once, or everywhere at the same place, and every step
    /// to it is a field; `None` otherwise.
    pub paths: BTreeMap<String, Option<Vec<String>>>,
}

impl Shape {
    /// Whether every node `capture` can bind is one token of the source named like an
    /// identifier (`identifier`, `property_identifier`, PHP's `name`, Ruby's `constant`): a
    /// text predicate that names its whole text then also says where the text begins and
    /// ends, at word boundaries.
    pub fn is_token(&self, capture: &str) -> bool {
        self.kinds.get(capture).is_some_and(|kinds| {
            !kinds.is_empty()
                && kinds.iter().all(|kind| {
                    kind.as_deref().is_some_and(|k| {
                        k.ends_with("identifier") || matches!(k, "name" | "constant")
                    })
                })
        })
    }
}

/// Reads one query pattern (with surrounding whitespace and comments); `None` if the text is
/// not exactly one pattern this reader understands.
pub fn parse(pattern: &str) -> Option<Shape> {
    let (tokens, offsets) = tokenize_with_offsets(pattern)?;
    let mut reader = Reader {
        tokens,
        offsets,
        text: pattern,
        at: 0,
        predicates: Vec::new(),
        kinds: BTreeMap::new(),
        path: Vec::new(),
        paths: BTreeMap::new(),
    };
    let (guaranteed, _) = reader.element()?;
    if reader.at != reader.tokens.len() {
        return None;
    }
    Some(Shape {
        guaranteed,
        predicates: reader.predicates,
        kinds: reader.kinds,
        paths: reader.paths,
    })
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    OpenAlt,
    CloseAlt,
    Str(String),
    Capture(String),
    Predicate(String),
    Field(String),
    NegatedField,
    Ident,
    Anchor,
    Optional,
    Plus,
}

/// The top-level patterns of a query, as byte ranges (each from its first token to its last);
/// `None` if the text is not a sequence of patterns this reader understands.
pub fn split(query: &str) -> Option<Vec<std::ops::Range<usize>>> {
    let (tokens, offsets) = tokenize_with_offsets(query)?;
    let mut reader = Reader {
        tokens,
        offsets,
        text: query,
        at: 0,
        predicates: Vec::new(),
        kinds: BTreeMap::new(),
        path: Vec::new(),
        paths: BTreeMap::new(),
    };
    let mut patterns = Vec::new();
    while reader.at < reader.tokens.len() {
        let first = reader.at;
        reader.element()?;
        let last = reader.at - 1;
        patterns.push(reader.offsets[first].start..reader.offsets[last].end);
    }
    Some(patterns)
}

/// Prefix of the captures [`loosen`] adds; the node kind follows it (`__kind.call`).
pub const KIND_CAPTURE: &str = "__kind.";

/// `pattern` with named nodes that have children written as wildcards `(_ …)` and captured as
/// `@__kind.<name>`, so a caller that checks those captures' kinds after matching gets exactly
/// the original pattern's matches. tree-sitter analyses the parse table for every non-wildcard
/// node with children when it compiles a query (to find impossible patterns), which costs
/// milliseconds per node for large grammars (Ruby's `call`: 8 ms). `None` if the reader does
/// not follow the text, or nothing would change.
///
/// Only nodes that stand alone where they are (in a field, or anchored first) are loosened
/// below the root: a wildcard among siblings would match every sibling, and tree-sitter would
/// carry a partial match for each. The root (the caller runs the query at one node) is
/// loosened when its first child is a wildcard too, a single leaf first child (or each leaf
/// branch of a first-child alternation in a field) being loosened for that: tree-sitter starts
/// a wildcard-rooted pattern whose first child is a plain node at that child, and a cursor
/// limited to matches starting at one node would never get there.
pub fn loosen(pattern: &str) -> Option<String> {
    // Only text whose patterns this reader can delimit: callers rely on both agreeing.
    split(pattern)?;
    let (tokens, offsets) = tokenize_with_offsets(pattern)?;
    let nodes = nodes(&tokens)?;
    let node_at = |open: usize| nodes.iter().position(|n| n.open == open);
    let mut loose: Vec<bool> = nodes
        .iter()
        .map(|n| {
            n.enclosing > 0
                && n.single
                && n.first_child.is_some()
                && plain_name(pattern, &offsets, n)
        })
        .collect();
    // Edits besides renaming loosened nodes.
    let mut extra: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (k, n) in nodes.iter().enumerate() {
        if n.enclosing > 0 || !plain_name(pattern, &offsets, n) {
            continue;
        }
        let Some(first) = n.first_child else { continue };
        // A child that is (or can be made) a wildcard: `Some(leaf)` names a leaf to loosen.
        let wildcard = |c: Option<usize>| match c {
            Some(c) if is_wildcard(pattern, &offsets, &nodes[c]) || loose[c] => Some(None),
            Some(c) if nodes[c].single && plain_name(pattern, &offsets, &nodes[c]) => Some(Some(c)),
            _ => None,
        };
        let in_field = first > 0 && matches!(tokens[first - 1], Token::Field(_));
        // A field holding one of some tokens (`operator: ["<" ">"]`): a bare wildcard whose
        // capture names the tokens (see [`token_kinds`]).
        if let (Token::OpenAlt, true) = (&tokens[first], in_field)
            && let Some((_, close)) = alternatives(&tokens, first)
            // Nothing but the tokens: no captures of single branches to lose.
            && let Some(texts) = tokens[first + 1..close]
                .iter()
                .map(|t| match t {
                    Token::Str(text) => Some(text.as_str()),
                    _ => None,
                })
                .collect::<Option<Vec<&str>>>()
        {
            extra.push((offsets[first].start..offsets[close].end, "_".to_string()));
            let end = offsets[suffix_end(&tokens, close)].end;
            extra.push((end..end, format!(" @{}", token_capture(&texts))));
            loose[k] = true;
            continue;
        }
        let leaves: Option<Vec<usize>> = match &tokens[first] {
            Token::Ident => Some(Vec::new()), // a bare `_`
            Token::Open => wildcard(node_at(first)).map(|leaf| leaf.into_iter().collect()),
            // An alternation in a field (`function: [(identifier) (member_expression …)]`)
            // whose branches are all wildcards once loosened.
            Token::OpenAlt if in_field => alternatives(&tokens, first).and_then(|(branches, _)| {
                let mut leaves = Vec::new();
                for branch in branches {
                    match &tokens[branch] {
                        Token::Ident => {}
                        Token::Open => leaves.extend(wildcard(node_at(branch))?),
                        _ => return None,
                    }
                }
                Some(leaves)
            }),
            _ => None,
        };
        if let Some(leaves) = leaves {
            // Leaves loosened so the root can be.
            for leaf in leaves {
                loose[leaf] = true;
            }
            loose[k] = true;
        }
    }
    // (byte range to replace, replacement), in text order.
    let mut edits = extra;
    for (n, _) in nodes.iter().zip(&loose).filter(|(_, l)| **l) {
        let name = &pattern[offsets[n.open + 1].clone()];
        edits.push((offsets[n.open + 1].clone(), "_".to_string()));
        let end = offsets[suffix_end(&tokens, n.close)].end;
        edits.push((end..end, format!(" @{KIND_CAPTURE}{name}")));
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(pattern.len() + 16 * edits.len());
    let mut at = 0;
    for (range, text) in edits {
        out.push_str(&pattern[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&pattern[at..]);
    Some(out)
}

/// The last token of the quantifier and captures that follow the element ending at `close`
/// (`close` itself when none do): where a capture added to the element goes.
fn suffix_end(tokens: &[Token], close: usize) -> usize {
    let mut last = close;
    while matches!(
        tokens.get(last + 1),
        Some(Token::Optional | Token::Plus | Token::Capture(_))
    ) {
        last += 1;
    }
    last
}

/// The capture [`loosen`] puts on a wildcard that stands for one of the tokens `texts`:
/// [`KIND_CAPTURE`], then each text in hex after a `-` (no node kind name starts with `-`).
fn token_capture(texts: &[&str]) -> String {
    let mut name = KIND_CAPTURE.to_string();
    for text in texts {
        name.push('-');
        for b in text.bytes() {
            name.push_str(&format!("{b:02x}"));
        }
    }
    name
}

/// The token texts a capture made by [`loosen`] names (after [`KIND_CAPTURE`]), or `None` when
/// it names a node kind.
pub fn token_kinds(kind: &str) -> Option<Vec<String>> {
    let hex = kind.strip_prefix('-')?;
    hex.split('-')
        .map(|h| {
            let bytes = (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
                .collect::<Option<Vec<u8>>>()?;
            String::from_utf8(bytes).ok()
        })
        .collect()
}

/// The first token of each branch of the alternation opened at `open`, and the index of its
/// `]`; `None` if the brackets do not balance.
fn alternatives(tokens: &[Token], open: usize) -> Option<(Vec<usize>, usize)> {
    let mut branches = Vec::new();
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open + 1) {
        match t {
            Token::CloseAlt if depth == 0 => return Some((branches, i)),
            Token::Close if depth == 0 => return None,
            Token::Close | Token::CloseAlt => depth -= 1,
            Token::Open | Token::OpenAlt | Token::Str(_) | Token::Ident if depth == 0 => {
                branches.push(i);
                if matches!(t, Token::Open | Token::OpenAlt) {
                    depth += 1;
                }
            }
            Token::Open | Token::OpenAlt => depth += 1,
            // What may follow a branch.
            Token::Capture(_) | Token::Optional | Token::Plus => {}
            // Fields, anchors and the like between branches: not read here.
            _ if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// A named node `(name …)` in a pattern, by token index.
struct NodeSpan {
    /// Its `(`; the name is the next token.
    open: usize,
    /// Its `)`.
    close: usize,
    /// The first token of its first child element (a step), if it has one.
    first_child: Option<usize>,
    /// How many named nodes enclose it.
    enclosing: usize,
    /// At most one node can be where it is: in a field (`field: (name …)`, also as a branch of
    /// `field: [...]`) or anchored as its parent's first child (`(parent . (name …))`).
    single: bool,
}

/// What an open `(` or `[` is.
#[derive(Clone, Copy)]
enum Paren {
    /// A node, by index into the list of nodes.
    Node(usize),
    /// A group or a predicate.
    Other,
    /// An alternation, and whether it stands in a field.
    Alt { in_field: bool },
}

/// Every `(name …)` node of a token list; `None` if the brackets do not balance.
fn nodes(tokens: &[Token]) -> Option<Vec<NodeSpan>> {
    let mut out: Vec<NodeSpan> = Vec::new();
    let mut stack: Vec<Paren> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let predicate = *t == Token::Open && matches!(tokens.get(i + 1), Some(Token::Predicate(_)));
        let child_start = matches!(
            t,
            Token::Open | Token::OpenAlt | Token::Str(_) | Token::Ident
        ) && !predicate;
        // The name right after a node's `(` is not a child.
        let is_name = i > 0 && tokens[i - 1] == Token::Open && *t == Token::Ident;
        if let Some(&Paren::Node(parent)) = stack.last()
            && child_start
            && !is_name
            && out[parent].first_child.is_none()
        {
            out[parent].first_child = Some(i);
        }
        let prev = |back: usize| i.checked_sub(back).map(|j| &tokens[j]);
        let in_field = prev(1).is_some_and(|p| matches!(p, Token::Field(_)));
        match t {
            Token::Open if tokens.get(i + 1) == Some(&Token::Ident) => {
                let anchored_first = prev(1) == Some(&Token::Anchor)
                    && prev(2) == Some(&Token::Ident)
                    && prev(3) == Some(&Token::Open);
                let in_alt_field = matches!(stack.last(), Some(Paren::Alt { in_field: true }));
                out.push(NodeSpan {
                    open: i,
                    close: 0,
                    first_child: None,
                    enclosing: stack.iter().filter(|p| matches!(p, Paren::Node(_))).count(),
                    single: in_field || anchored_first || in_alt_field,
                });
                stack.push(Paren::Node(out.len() - 1));
            }
            Token::Open => stack.push(Paren::Other),
            Token::OpenAlt => stack.push(Paren::Alt { in_field }),
            Token::Close => match stack.pop()? {
                Paren::Node(node) => out[node].close = i,
                Paren::Other => {}
                Paren::Alt { .. } => return None,
            },
            Token::CloseAlt => match stack.pop()? {
                Paren::Alt { .. } => {}
                Paren::Node(_) | Paren::Other => return None,
            },
            _ => {}
        }
    }
    stack.is_empty().then_some(out)
}

/// Whether a node is named by a plain identifier (not `_`, `ERROR`, `MISSING`, nor a
/// `supertype/subtype` path).
fn plain_name(pattern: &str, offsets: &[std::ops::Range<usize>], node: &NodeSpan) -> bool {
    let name = &pattern[offsets[node.open + 1].clone()];
    name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !matches!(name, "_" | "ERROR" | "MISSING")
}

fn is_wildcard(pattern: &str, offsets: &[std::ops::Range<usize>], node: &NodeSpan) -> bool {
    &pattern[offsets[node.open + 1].clone()] == "_"
}

fn tokenize_with_offsets(text: &str) -> Option<(Vec<Token>, Vec<std::ops::Range<usize>>)> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut offsets = Vec::new();
    let mut i = 0;
    let word_end = |mut j: usize| {
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || b"_-./?!".contains(&bytes[j]))
        {
            j += 1;
        }
        j
    };
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let before = tokens.len();
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b';' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => (tokens.push(Token::Open), i += 1).1,
            b')' => (tokens.push(Token::Close), i += 1).1,
            b'[' => (tokens.push(Token::OpenAlt), i += 1).1,
            b']' => (tokens.push(Token::CloseAlt), i += 1).1,
            b'.' => (tokens.push(Token::Anchor), i += 1).1,
            b'?' | b'*' => (tokens.push(Token::Optional), i += 1).1,
            b'+' => (tokens.push(Token::Plus), i += 1).1,
            b'"' => {
                let mut s = String::new();
                i += 1;
                loop {
                    let c = *text[i..].chars().next().as_ref()?;
                    i += c.len_utf8();
                    match c {
                        '"' => break,
                        '\\' => {
                            let e = text[i..].chars().next()?;
                            i += e.len_utf8();
                            s.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                '0' => '\0',
                                other => other,
                            });
                        }
                        other => s.push(other),
                    }
                }
                tokens.push(Token::Str(s));
            }
            b'@' | b'#' | b'!' => {
                let end = word_end(i + 1);
                let name = text[i + 1..end].to_string();
                if name.is_empty() {
                    return None;
                }
                tokens.push(match c {
                    b'@' => Token::Capture(name),
                    b'#' => Token::Predicate(name),
                    _ => Token::NegatedField,
                });
                i = end;
            }
            _ if c.is_ascii_alphanumeric() || c == b'_' => {
                let end = word_end(i);
                if bytes.get(end) == Some(&b':') {
                    tokens.push(Token::Field(text[i..end].to_string()));
                    i = end + 1;
                } else {
                    // A word ending in `?` is a word followed by a quantifier.
                    let mut word_end = end;
                    while word_end > i && b"?!".contains(&bytes[word_end - 1]) {
                        word_end -= 1;
                    }
                    tokens.push(Token::Ident);
                    i = word_end;
                }
            }
            _ => return None,
        }
        if tokens.len() > before {
            offsets.push(start..i);
        }
    }
    Some((tokens, offsets))
}

struct Reader<'a> {
    tokens: Vec<Token>,
    offsets: Vec<std::ops::Range<usize>>,
    text: &'a str,
    at: usize,
    predicates: Vec<TextPredicate>,
    kinds: BTreeMap<String, Vec<Option<String>>>,
    /// The steps from the root to the element being read: a field name, or `None` for a
    /// child that is not in a field.
    path: Vec<Option<String>>,
    paths: BTreeMap<String, Option<Vec<String>>>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    /// One element with its quantifier and captures: the captures it guarantees, and the node
    /// kinds it can match (`None`: any, or a group).
    fn element(&mut self) -> Option<(BTreeSet<String>, Vec<Option<String>>)> {
        let (mut guaranteed, kinds) = match self.next()? {
            Token::Open => {
                let (guaranteed, name) = self.parenthesised()?;
                (guaranteed, vec![name.filter(|n| n != "_")])
            }
            Token::OpenAlt => {
                let mut common: Option<BTreeSet<String>> = None;
                let mut kinds = Vec::new();
                loop {
                    if self.peek()? == &Token::CloseAlt {
                        self.at += 1;
                        break;
                    }
                    let (branch, branch_kinds) = self.element()?;
                    kinds.extend(branch_kinds);
                    common = Some(match common {
                        None => branch,
                        Some(c) => c.intersection(&branch).cloned().collect(),
                    });
                }
                (common.unwrap_or_default(), kinds)
            }
            Token::Str(_) | Token::Ident => (BTreeSet::new(), vec![None]),
            _ => return None,
        };
        let mut optional = false;
        let mut captures = Vec::new();
        loop {
            match self.peek() {
                Some(Token::Optional) => optional = true,
                Some(Token::Plus) => {}
                Some(Token::Capture(name)) => captures.push(name.clone()),
                _ => break,
            }
            self.at += 1;
        }
        let here: Option<Vec<String>> = self.path.iter().cloned().collect();
        for capture in &captures {
            self.kinds
                .entry(capture.clone())
                .or_default()
                .extend(kinds.iter().cloned());
            self.paths
                .entry(capture.clone())
                .and_modify(|seen| {
                    if *seen != here {
                        *seen = None;
                    }
                })
                .or_insert_with(|| here.clone());
        }
        if optional {
            guaranteed.clear();
        } else {
            guaranteed.extend(captures);
        }
        Some((guaranteed, kinds))
    }

    /// After `(`: a node, a grouped sequence, or a predicate (which guarantees nothing); and
    /// the node's name.
    fn parenthesised(&mut self) -> Option<(BTreeSet<String>, Option<String>)> {
        if let Some(Token::Predicate(_)) = self.peek() {
            self.predicate()?;
            return Some((BTreeSet::new(), None));
        }
        let mut name = None;
        if let Some(Token::Ident) = self.peek() {
            name = Some(self.text[self.offsets[self.at].clone()].to_string());
            self.at += 1;
        }
        let mut guaranteed = BTreeSet::new();
        loop {
            match self.peek()? {
                Token::Close => {
                    self.at += 1;
                    return Some((guaranteed, name));
                }
                Token::Anchor => self.at += 1,
                Token::NegatedField => self.at += 1,
                Token::Field(field) => {
                    let field = field.clone();
                    self.at += 1;
                    self.path.push(Some(field));
                    let element = self.element();
                    self.path.pop();
                    guaranteed.extend(element?.0);
                }
                _ => {
                    self.path.push(None);
                    let element = self.element();
                    self.path.pop();
                    guaranteed.extend(element?.0);
                }
            }
        }
    }

    /// After `(`, at `#name`: reads the predicate up to its `)`.
    fn predicate(&mut self) -> Option<()> {
        let Some(Token::Predicate(name)) = self.next() else {
            return None;
        };
        let mut args = Vec::new();
        loop {
            match self.next()? {
                Token::Close => break,
                t @ (Token::Capture(_) | Token::Str(_) | Token::Ident) => args.push(t),
                _ => return None,
            }
        }
        let (Some(Token::Capture(capture)), rest) = (args.first().cloned(), &args[1..]) else {
            return Some(());
        };
        let strings: Option<Vec<String>> = rest
            .iter()
            .map(|t| match t {
                Token::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        let Some(mut strings) = strings else {
            return Some(());
        };
        match (name.as_str(), strings.len()) {
            ("eq?", 1) => self
                .predicates
                .push(TextPredicate::Eq(capture, strings.remove(0))),
            ("match?", 1) => self
                .predicates
                .push(TextPredicate::Match(capture, strings.remove(0))),
            ("any-of?", n) if n > 0 => self.predicates.push(TextPredicate::AnyOf(capture, strings)),
            _ => {}
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(shape: &Shape) -> Vec<&str> {
        shape.guaranteed.iter().map(String::as_str).collect()
    }

    #[test]
    fn captures_and_predicates() {
        let shape = parse(
            r#"; a comment
            (call_expression
              function: [(identifier) @fn (member_expression property: (property_identifier) @fn)]
              arguments: (arguments . (_) @cmd (object (pair key: (property_identifier) @key value: (true))))
              (#match? @fn "^(spawn|execFile)$")
              (#eq? @key "shell")) @match
            "#,
        )
        .unwrap();
        assert_eq!(names(&shape), ["cmd", "fn", "key", "match"]);
        assert_eq!(
            shape.predicates,
            [
                TextPredicate::Match("fn".into(), "^(spawn|execFile)$".into()),
                TextPredicate::Eq("key".into(), "shell".into()),
            ]
        );
    }

    #[test]
    fn captures_on_identifiers_are_tokens() {
        let shape = parse(
            r#"(call_expression
              function: [(identifier) @fn (member_expression object: (_) @obj property: (property_identifier) @fn)]
              arguments: (arguments (string) @arg . [(identifier) (template_string)] @any)
              (#eq? @fn "get"))"#,
        )
        .unwrap();
        assert!(shape.is_token("fn"));
        assert!(!shape.is_token("obj"), "a wildcard");
        assert!(!shape.is_token("arg"), "a string");
        assert!(!shape.is_token("any"), "one branch is not an identifier");
        assert!(!shape.is_token("missing"));
        let php =
            parse(r#"(function_call_expression function: (name) @f (#eq? @f "exec"))"#).unwrap();
        assert!(php.is_token("f"));
    }

    #[test]
    fn captures_reached_by_fields_have_a_path() {
        let shape = parse(
            "(call_expression
               function: (member_expression object: (identifier) @r property: (_) @p)
               arguments: (arguments . (_) @a)
               (#eq? @r \"req\")) @call",
        )
        .unwrap();
        let path = |c: &str| shape.paths[c].clone();
        assert_eq!(path("r"), Some(vec!["function".into(), "object".into()]));
        assert_eq!(path("p"), Some(vec!["function".into(), "property".into()]));
        assert_eq!(path("call"), Some(vec![]));
        // A child outside a field has no path.
        assert_eq!(path("a"), None);
        // Nor a capture written at two places.
        let shape = parse(
            "(call_expression
               function: [(identifier) @f (member_expression property: (_) @f)])",
        )
        .unwrap();
        assert_eq!(shape.paths["f"], None);
        // The branches of an alternation stand at the alternation's place.
        let shape = parse("(call function: [(identifier) (attribute)] @f)").unwrap();
        assert_eq!(shape.paths["f"], Some(vec!["function".to_string()]));
    }

    #[test]
    fn optional_and_partial_captures_are_not_guaranteed() {
        let shape = parse(
            r#"(call !receiver
                 method: (identifier) @m
                 (argument_list (string)? @maybe (pair)* @many (hash)+ @some)
                 [(a) @x (b) @y (c) @x @y]
                 (#any-of? @m "a" "b\"c"))"#,
        )
        .unwrap();
        assert_eq!(names(&shape), ["m", "some"]);
        assert_eq!(
            shape.predicates,
            [TextPredicate::AnyOf(
                "m".into(),
                vec!["a".into(), "b\"c".into()]
            )]
        );
    }

    #[test]
    fn queries_split_into_patterns() {
        let query = "; first\n(call (#eq? @f \"x\")) @match\n\n[(a) (b)]\n(c)? @d ; end\n";
        let parts: Vec<&str> = split(query)
            .unwrap()
            .into_iter()
            .map(|r| &query[r])
            .collect();
        assert_eq!(
            parts,
            [r#"(call (#eq? @f "x")) @match"#, "[(a) (b)]", "(c)? @d"]
        );
        assert_eq!(split("(a) )"), None);
        assert_eq!(split(""), Some(vec![]));
    }

    #[test]
    fn parents_are_loosened_to_captured_wildcards() {
        assert_eq!(
            loosen(r#"(call receiver: (_) @r method: (identifier) @m (#eq? @m "x")) @match"#)
                .as_deref(),
            Some(
                r#"(_ receiver: (_) @r method: (identifier) @m (#eq? @m "x")) @match @__kind.call"#
            )
        );
        // A leaf first child is loosened so that the root can be.
        assert_eq!(
            loosen("(call function: (identifier) @f (argument_list))").as_deref(),
            Some("(_ function: (_) @f @__kind.identifier (argument_list)) @__kind.call")
        );
        // Nested parents in fields (also as alternation branches) or anchored first, with
        // quantifiers and captures; siblings in a sequence keep their names, and so does a
        // root whose first child is not a wildcard.
        assert_eq!(
            loosen(r#"(a f: [(b (c)) "d"] g: (e "+")? @x (f (#eq? @f "y")) (h (i)))"#).as_deref(),
            Some(
                r#"(a f: [(_ (c)) @__kind.b "d"] g: (_ "+")? @x @__kind.e (f (#eq? @f "y")) (h (i)))"#
            )
        );
        // A first child alternation in a field whose branches all become wildcards.
        assert_eq!(
            loosen(r#"(a f: [(b (c)) (d) @x _] (e))"#).as_deref(),
            Some(r#"(_ f: [(_ (c)) @__kind.b (_) @x @__kind.d _] (e)) @__kind.a"#)
        );
        // A first child that is one of some tokens.
        let loose = loosen(r#"(a op: ["<" "=="]? @o (e)) @x"#).unwrap();
        assert_eq!(loose, r#"(_ op: _? @o @__kind.-3c-3d3d (e)) @x @__kind.a"#);
        assert_eq!(
            token_kinds("-3c-3d3d"),
            Some(vec!["<".to_string(), "==".to_string()])
        );
        assert_eq!(token_kinds("call"), None);
        assert_eq!(
            loosen(r#"(a op: ["<" (b)] (e))"#).as_deref(),
            None,
            "tokens and nodes mixed stay"
        );
        assert_eq!(
            loosen(r#"(a op: ["<" @lt "=="] (e))"#).as_deref(),
            None,
            "a capture of one token stays"
        );
        assert_eq!(
            loosen(r#"(a [(b (c)) (d)] (e))"#).as_deref(),
            None,
            "branches among siblings stay"
        );
        assert_eq!(
            loosen(r#"(a . (b (c)) (d (e)))"#).as_deref(),
            Some(r#"(_ . (_ (c)) @__kind.b (d (e))) @__kind.a"#)
        );
        assert_eq!(
            loosen(r#"(a (b (c)) f: (d (e)))"#).as_deref(),
            Some(r#"(a (b (c)) f: (_ (e)) @__kind.d)"#)
        );
        assert_eq!(loosen("(identifier) @x"), None);
        assert_eq!(loosen("(_ (call))"), None);
        assert_eq!(loosen(r#"(a (#eq? @a "x"))"#), None);
        assert_eq!(loosen("(a (b)"), None);
    }

    #[test]
    fn other_predicates_are_ignored_and_garbage_refused() {
        let shape =
            parse(r#"(a (b) @x (#not-eq? @x "y") (#eq? @x @z) (#set! key "v") (#is? local))"#)
                .unwrap();
        assert!(shape.predicates.is_empty());
        assert_eq!(names(&shape), ["x"]);
        assert_eq!(parse("(a) (b)"), None);
        assert_eq!(parse("(a"), None);
        assert_eq!(parse("(a {b})"), None);
        assert_eq!(parse(r#"(a "unterminated)"#), None);
    }
}
