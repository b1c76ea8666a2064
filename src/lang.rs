//! The language registry: the one table that maps a language to its grammar, the file names
//! that select it, and the data files under `parsers/<language>/` compiled into the binary.
//!
//! Languages are data, not code paths: adding one means adding a row to [`SPECS`] and a
//! directory under `parsers/`. Nothing else in the crate matches on file extensions.

use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tree_sitter_language::LanguageFn;

/// A language astscan can parse.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// JavaScript, including JSX (`.js .mjs .cjs .jsx`).
    Javascript,
    /// TypeScript (`.ts .mts .cts`, declaration files included).
    Typescript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    /// Python (`.py .pyi`, `python` shebangs).
    Python,
    /// Ruby (`.rb .gemspec .rake`, Rakefile, Gemfile, `ruby` shebangs).
    Ruby,
    /// Java (`.java`).
    Java,
    /// PHP, with embedded HTML (`.php`, `php` shebangs).
    Php,
    /// Go (`.go`).
    Go,
}

/// Everything the rest of the crate needs to know about one language.
pub struct Spec {
    /// The language this row describes.
    pub language: Language,
    /// Lower-case name used on the command line, in reports and in `parsers/<dir>/`.
    pub name: &'static str,
    /// File name extensions without the dot, matched case-sensitively.
    pub extensions: &'static [&'static str],
    /// Exact file names (no extension needed), e.g. `Rakefile`.
    pub file_names: &'static [&'static str],
    /// Interpreter names recognised in a `#!` line, e.g. `python3` matches `python`.
    pub interpreters: &'static [&'static str],
    /// The tree-sitter grammar.
    pub grammar: LanguageFn,
    /// Directory under `parsers/` that holds this language's data files.
    pub data_dir: &'static str,
    /// `parsers/<dir>/language.toml`: node kinds for structure and metrics.
    pub kinds_toml: &'static str,
    /// `parsers/<dir>/imports.scm`: the query whose `@import` captures are module specifiers.
    pub imports_query: &'static str,
}

macro_rules! data {
    ($dir:literal, $file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/parsers/",
            $dir,
            "/",
            $file
        ))
    };
}

/// The registry. Order is the order languages are listed in help and reports.
pub static SPECS: [Spec; 8] = [
    Spec {
        language: Language::Javascript,
        name: "javascript",
        extensions: &["js", "mjs", "cjs", "jsx"],
        file_names: &[],
        interpreters: &["node", "nodejs"],
        grammar: tree_sitter_javascript::LANGUAGE,
        data_dir: "javascript",
        kinds_toml: data!("javascript", "language.toml"),
        imports_query: data!("javascript", "imports.scm"),
    },
    Spec {
        language: Language::Typescript,
        name: "typescript",
        extensions: &["ts", "mts", "cts"],
        file_names: &[],
        interpreters: &["ts-node", "tsx", "deno"],
        grammar: tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
        data_dir: "typescript",
        kinds_toml: data!("typescript", "language.toml"),
        imports_query: data!("typescript", "imports.scm"),
    },
    Spec {
        language: Language::Tsx,
        name: "tsx",
        extensions: &["tsx"],
        file_names: &[],
        interpreters: &[],
        grammar: tree_sitter_typescript::LANGUAGE_TSX,
        // TSX is TypeScript plus JSX: the same node kinds and queries apply.
        data_dir: "typescript",
        kinds_toml: data!("typescript", "language.toml"),
        imports_query: data!("typescript", "imports.scm"),
    },
    Spec {
        language: Language::Python,
        name: "python",
        extensions: &["py", "pyi", "pyw"],
        file_names: &["SConstruct", "SConscript"],
        interpreters: &["python", "python2", "python3", "pypy", "pypy3"],
        grammar: tree_sitter_python::LANGUAGE,
        data_dir: "python",
        kinds_toml: data!("python", "language.toml"),
        imports_query: data!("python", "imports.scm"),
    },
    Spec {
        language: Language::Ruby,
        name: "ruby",
        extensions: &["rb", "gemspec", "rake", "ru"],
        file_names: &[
            "Rakefile",
            "Gemfile",
            "Guardfile",
            "Capfile",
            "Vagrantfile",
            "Podfile",
            "Brewfile",
        ],
        interpreters: &["ruby", "jruby", "truffleruby"],
        grammar: tree_sitter_ruby::LANGUAGE,
        data_dir: "ruby",
        kinds_toml: data!("ruby", "language.toml"),
        imports_query: data!("ruby", "imports.scm"),
    },
    Spec {
        language: Language::Java,
        name: "java",
        extensions: &["java"],
        file_names: &[],
        interpreters: &[],
        grammar: tree_sitter_java::LANGUAGE,
        data_dir: "java",
        kinds_toml: data!("java", "language.toml"),
        imports_query: data!("java", "imports.scm"),
    },
    Spec {
        language: Language::Php,
        name: "php",
        extensions: &["php", "phtml"],
        file_names: &[],
        interpreters: &["php"],
        // LANGUAGE_PHP handles text/HTML around `<?php` tags, as real .php files have.
        grammar: tree_sitter_php::LANGUAGE_PHP,
        data_dir: "php",
        kinds_toml: data!("php", "language.toml"),
        imports_query: data!("php", "imports.scm"),
    },
    Spec {
        language: Language::Go,
        name: "go",
        extensions: &["go"],
        file_names: &[],
        interpreters: &[],
        grammar: tree_sitter_go::LANGUAGE,
        data_dir: "go",
        kinds_toml: data!("go", "language.toml"),
        imports_query: data!("go", "imports.scm"),
    },
];

impl Language {
    /// Every language, in registry order.
    pub fn all() -> impl Iterator<Item = Language> {
        SPECS.iter().map(|s| s.language)
    }

    /// This language's registry row.
    pub fn spec(self) -> &'static Spec {
        SPECS
            .iter()
            .find(|s| s.language == self)
            // Every variant has a row: `every_language_has_a_spec` checks it.
            .expect("language missing from the registry")
    }

    /// The lower-case name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Looks a language up by its report name.
    pub fn from_name(name: &str) -> Option<Language> {
        SPECS.iter().find(|s| s.name == name).map(|s| s.language)
    }

    /// The tree-sitter grammar for this language.
    pub fn grammar(self) -> tree_sitter::Language {
        tree_sitter::Language::new(self.spec().grammar)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Picks a language from a path's file name alone (extension or exact name).
///
/// Returns `None` when the name says nothing; the caller may then look at a shebang.
/// Names are compared as bytes: a name that is not valid UTF-8 (`\xff.php`) is still PHP.
pub fn detect_by_name(path: &Path) -> Option<Language> {
    let file_name = path.file_name()?;
    let bytes = file_name.as_bytes();
    if let Some(spec) = SPECS
        .iter()
        .find(|s| s.file_names.iter().any(|n| n.as_bytes() == bytes))
    {
        return Some(spec.language);
    }
    let ext = Path::new(file_name).extension()?.as_bytes();
    SPECS
        .iter()
        .find(|s| s.extensions.iter().any(|e| e.as_bytes() == ext))
        .map(|s| s.language)
}

/// Picks a language from the first line of a file, if it is a `#!` line naming a known
/// interpreter (`#!/usr/bin/python3`, `#!/usr/bin/env -S ruby -w`).
pub fn detect_by_shebang(first_line: &[u8]) -> Option<Language> {
    let line = first_line.strip_prefix(b"#!")?;
    let line = std::str::from_utf8(line).ok()?;
    let mut words = line.split_whitespace();
    let mut program = words.next()?;
    if program.rsplit('/').next() == Some("env") {
        // `env` may take options (`-S`, `-i`) and assignments before the program.
        program = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
    }
    let program = program.rsplit('/').next()?;
    SPECS
        .iter()
        .find(|s| {
            s.interpreters.iter().any(|i| {
                // python3.12 and ruby3.1 name the same interpreters as python and ruby.
                program == *i
                    || program
                        .strip_prefix(i)
                        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
            })
        })
        .map(|s| s.language)
}

/// Does the file name have no extension, so that only a shebang could identify it?
pub fn needs_shebang_check(path: &Path) -> bool {
    path.extension().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_a_spec() {
        use clap::ValueEnum;
        for lang in Language::value_variants() {
            assert_eq!(lang.spec().language, *lang);
            assert_eq!(Language::from_name(lang.name()), Some(*lang));
        }
    }

    #[test]
    fn grammars_load_with_this_tree_sitter() {
        for lang in Language::all() {
            let mut parser = tree_sitter::Parser::new();
            parser
                .set_language(&lang.grammar())
                .unwrap_or_else(|e| panic!("{lang}: {e}"));
        }
    }

    #[test]
    fn detects_by_extension_and_file_name() {
        let cases = [
            ("a/b.js", Some(Language::Javascript)),
            ("x.jsx", Some(Language::Javascript)),
            ("x.mjs", Some(Language::Javascript)),
            ("x.d.ts", Some(Language::Typescript)),
            ("x.cts", Some(Language::Typescript)),
            ("x.tsx", Some(Language::Tsx)),
            ("x.pyi", Some(Language::Python)),
            ("Rakefile", Some(Language::Ruby)),
            ("Gemfile", Some(Language::Ruby)),
            ("foo.gemspec", Some(Language::Ruby)),
            ("A.java", Some(Language::Java)),
            ("index.php", Some(Language::Php)),
            ("main.go", Some(Language::Go)),
            ("README.md", None),
            ("Makefile", None),
            ("x.JS", None),
        ];
        for (path, want) in cases {
            assert_eq!(detect_by_name(Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn detects_names_that_are_not_utf8() {
        use std::ffi::OsStr;
        let cases: [(&[u8], Option<Language>); 4] = [
            (b"\xff.php", Some(Language::Php)),
            (b"dir\xfe/x.py", Some(Language::Python)),
            (b"a.\xffphp", None),
            (b"\xff", None),
        ];
        for (path, want) in cases {
            assert_eq!(
                detect_by_name(Path::new(OsStr::from_bytes(path))),
                want,
                "{path:?}"
            );
        }
    }

    #[test]
    fn detects_by_shebang() {
        let cases: [(&[u8], Option<Language>); 9] = [
            (b"#!/usr/bin/python3", Some(Language::Python)),
            (b"#!/usr/bin/env python3.12", Some(Language::Python)),
            (b"#! /usr/bin/env ruby", Some(Language::Ruby)),
            (b"#!/usr/bin/env -S ruby -w", Some(Language::Ruby)),
            (b"#!/usr/bin/env node", Some(Language::Javascript)),
            (b"#!/usr/bin/php", Some(Language::Php)),
            (b"#!/bin/sh", None),
            (b"#!/usr/bin/env pythonista", None),
            (b"print('no shebang')", None),
        ];
        for (line, want) in cases {
            assert_eq!(
                detect_by_shebang(line),
                want,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }
}
