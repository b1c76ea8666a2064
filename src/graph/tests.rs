//! Whole-graph tests: small trees per language written to a temporary directory, their source
//! files analysed by the worker's analyzer as a scan would (so the imports are what the
//! queries report), and the graph built from them. Expected edges are worked out by hand from
//! the fixture, never from the output.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use super::{Ecosystem, Graph, UnresolvedReason, build, model::FileNode};
use crate::lang;
use crate::worker::analyze::Analyzer;

/// A tree in a temporary directory.
struct Fixture {
    dir: tempfile::TempDir,
    /// Paths of the files the scan would parse, with their languages.
    sources: Vec<(String, lang::Language)>,
}

impl Fixture {
    /// Writes `files` (path, content); those with a language are the scanned sources.
    fn new(files: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut sources = Vec::new();
        for (path, content) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().expect("has a parent")).expect("mkdir");
            std::fs::write(&full, content).expect("write");
            if let Some(language) = lang::detect_by_name(Path::new(path)) {
                sources.push((path.to_string(), language));
            }
        }
        Fixture { dir, sources }
    }

    /// The graph of the tree, from the analyzer's results.
    fn graph(&self) -> Graph {
        build(self.dir.path(), self.nodes())
    }

    fn nodes(&self) -> Vec<FileNode> {
        let mut analyzer = Analyzer::new(Vec::new());
        self.sources
            .iter()
            .map(|(path, language)| {
                let source = std::fs::read(self.dir.path().join(path)).expect("read");
                let analysis = analyzer
                    .analyze(*language, &source, Duration::from_secs(10))
                    .unwrap_or_else(|e| panic!("{path}: {e}"))
                    .analysis;
                FileNode::from_analysis(path.clone(), *language, source.len() as u64, &analysis)
            })
            .collect()
    }
}

/// The (from, to) pairs of the graph's edges.
fn edges(graph: &Graph) -> BTreeSet<(String, String)> {
    graph
        .edges
        .iter()
        .map(|e| (e.from.clone(), e.to.clone()))
        .collect()
}

/// (from, to) pairs written compactly.
fn pairs(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The external packages of one ecosystem, with the files using each.
fn externals(graph: &Graph, ecosystem: Ecosystem) -> Vec<(String, Vec<String>)> {
    graph
        .externals
        .iter()
        .filter(|e| e.ecosystem == ecosystem)
        .map(|e| (e.name.clone(), e.files.clone()))
        .collect()
}

fn names(list: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    list.iter()
        .map(|(name, files)| {
            (
                name.to_string(),
                files.iter().map(|f| f.to_string()).collect(),
            )
        })
        .collect()
}

/// (file, specifier, name, reason) of each unresolved import.
fn unresolved(graph: &Graph) -> Vec<(String, String, Option<String>, UnresolvedReason)> {
    graph
        .unresolved
        .iter()
        .map(|u| {
            (
                u.file.clone(),
                u.specifier.clone(),
                u.name.clone(),
                u.reason,
            )
        })
        .collect()
}

fn miss(
    file: &str,
    spec: &str,
    name: Option<&str>,
    reason: UnresolvedReason,
) -> (String, String, Option<String>, UnresolvedReason) {
    (
        file.to_string(),
        spec.to_string(),
        name.map(str::to_string),
        reason,
    )
}

/// The files of each cycle.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    graph.cycles.iter().map(|c| c.files.clone()).collect()
}

fn python_tree() -> Fixture {
    Fixture::new(&[
        (
            "pyproject.toml",
            "[project]\nname = \"app\"\n[tool.setuptools.packages.find]\nwhere = [\"src\"]\n",
        ),
        ("src/app/__init__.py", "from .core import run\n"),
        (
            "src/app/core.py",
            "import os.path\nfrom app import util\nfrom .models import User\n\
             from .gone import x\nimport requests\n\ndef run():\n    pass\n",
        ),
        ("src/app/util.py", "X = 1\n"),
        ("src/app/models/__init__.py", "from .user import User\n"),
        (
            "src/app/models/user.py",
            "from ..core import run\nfrom ... import x\nfrom ..... import z\n",
        ),
        (
            "tests/test_core.py",
            "from app.core import run\nimport helpers\nimport app.nope\n",
        ),
        ("tests/helpers.py", "import json\n"),
        ("nsp/mod.py", ""),
        ("tools/run.py", "from nsp import mod, other\n"),
    ])
}

#[test]
fn python_src_layout_relative_imports_submodules_and_cycles() {
    let graph = python_tree().graph();
    assert_eq!(
        edges(&graph),
        pairs(&[
            ("src/app/__init__.py", "src/app/core.py"),
            ("src/app/core.py", "src/app/models/__init__.py"),
            ("src/app/core.py", "src/app/util.py"),
            ("src/app/models/__init__.py", "src/app/models/user.py"),
            ("src/app/models/user.py", "src/app/core.py"),
            ("tests/test_core.py", "src/app/core.py"),
            ("tests/test_core.py", "tests/helpers.py"),
            ("tools/run.py", "nsp/mod.py"),
        ])
    );
    // `from app import util` goes to the submodule, named.
    let util = graph
        .edges
        .iter()
        .find(|e| e.to == "src/app/util.py")
        .expect("edge to util");
    assert_eq!(
        (util.specifier.as_str(), util.name.as_deref(), util.line),
        ("app", Some("util"), 2)
    );
    assert_eq!(
        externals(&graph, Ecosystem::Python),
        names(&[
            ("json", &["tests/helpers.py"]),
            ("os", &["src/app/core.py"]),
            ("requests", &["src/app/core.py"]),
        ])
    );
    use UnresolvedReason::*;
    assert_eq!(
        unresolved(&graph),
        [
            miss("src/app/core.py", ".gone", None, NotFound),
            miss("src/app/models/user.py", "...", None, NotFound),
            miss("src/app/models/user.py", ".....", None, OutsideRoot),
            miss("tests/test_core.py", "app.nope", None, NotFound),
            miss("tools/run.py", "nsp", Some("other"), NotFound),
        ]
    );
    assert_eq!(
        cycles(&graph),
        [[
            "src/app/core.py",
            "src/app/models/__init__.py",
            "src/app/models/user.py"
        ]]
    );
    assert!(graph.has_cycles());
    assert!(graph.warnings.is_empty(), "{:?}", graph.warnings);
}

#[test]
fn javascript_and_typescript_paths_packages_and_extensions() {
    let fixture = Fixture::new(&[
        (
            "tsconfig.base.json",
            r#"{"compilerOptions": {"baseUrl": ".", "paths": {
                "@app/*": ["src/*"], "@shared": ["libs/shared/index.ts"]}}}"#,
        ),
        (
            "tsconfig.json",
            "{\n  // the aliases live in the base\n  \"extends\": \"./tsconfig.base\",\n  \
             \"compilerOptions\": { \"strict\": true, /* no paths here */ },\n}\n",
        ),
        ("package.json", r#"{"name": "root-app", "private": true}"#),
        (
            "packages/ui/package.json",
            r#"{"name": "@acme/ui", "main": "./dist/index.js"}"#,
        ),
        ("packages/ui/src/index.ts", "export * from './button';\n"),
        (
            "packages/ui/src/button.tsx",
            "import React from 'react';\nexport const B = () => <b/>;\n",
        ),
        (
            "src/main.ts",
            "import { a } from './a.js';\nimport { b } from '@app/b';\n\
             import { ui } from '@acme/ui';\nimport { btn } from '@acme/ui/button';\n\
             import fs from 'node:fs/promises';\nimport './styles.css';\n\
             import { x } from './missing';\nimport { s } from '@shared';\n\
             import { u } from 'src/util';\nimport { g } from '@app/gone';\n\
             import fp from 'lodash/fp';\nimport up from '../../outside';\n\
             import './es.symbol.iterator';\n",
        ),
        ("src/a.ts", "import { main } from './main';\n"),
        ("src/b/index.ts", "const c = require('../c');\n"),
        (
            "src/c.js",
            "import('./a').then(() => {});\nimport d from './d.mjs';\n",
        ),
        ("src/d.mjs", "export default 1;\n"),
        ("src/util.ts", "export const u = 1;\n"),
        ("libs/shared/index.ts", "export const s = 1;\n"),
    ]);
    let graph = fixture.graph();
    assert_eq!(
        edges(&graph),
        pairs(&[
            ("packages/ui/src/index.ts", "packages/ui/src/button.tsx"),
            ("src/a.ts", "src/main.ts"),
            ("src/b/index.ts", "src/c.js"),
            ("src/c.js", "src/a.ts"),
            ("src/c.js", "src/d.mjs"),
            ("src/main.ts", "libs/shared/index.ts"),
            ("src/main.ts", "packages/ui/src/button.tsx"),
            ("src/main.ts", "packages/ui/src/index.ts"),
            ("src/main.ts", "src/a.ts"),
            ("src/main.ts", "src/b/index.ts"),
            ("src/main.ts", "src/util.ts"),
        ])
    );
    assert_eq!(
        externals(&graph, Ecosystem::Node),
        names(&[
            ("lodash", &["src/main.ts"]),
            ("node:fs", &["src/main.ts"]),
            ("react", &["packages/ui/src/button.tsx"]),
        ])
    );
    use UnresolvedReason::*;
    assert_eq!(
        unresolved(&graph),
        [
            miss("src/main.ts", "./styles.css", None, NotSource),
            miss("src/main.ts", "./missing", None, NotFound),
            miss("src/main.ts", "@app/gone", None, NotFound),
            miss("src/main.ts", "../../outside", None, OutsideRoot),
            // A dotted name is not an asset: a module not found.
            miss("src/main.ts", "./es.symbol.iterator", None, NotFound),
        ]
    );
    assert_eq!(
        cycles(&graph),
        [["src/a.ts", "src/b/index.ts", "src/c.js", "src/main.ts"]]
    );
    assert!(graph.warnings.is_empty(), "{:?}", graph.warnings);
}

#[test]
fn go_modules_of_a_multi_module_tree_and_local_replacements() {
    let fixture = Fixture::new(&[
        (
            "go.mod",
            "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/x/y/v2 v2.0.0\n)\n\
             replace example.com/ext => ./third_party/ext\n",
        ),
        ("lib/go.mod", "module example.com/lib\n"),
        (
            "main.go",
            "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"example.com/app/internal/db\"\n\
             \t\"example.com/lib/strs\"\n\t\"example.com/ext\"\n\ty \"github.com/x/y/v2/sub\"\n\
             \t\"example.com/app/missing\"\n)\n",
        ),
        (
            "internal/db/db.go",
            "package db\n\nimport \"example.com/lib/strs\"\n",
        ),
        ("internal/db/conn.go", "package db\n"),
        (
            "internal/db/db_test.go",
            "package db\n\nimport \"testing\"\n",
        ),
        ("lib/strs/strs.go", "package strs\n\nimport \"strings\"\n"),
        ("third_party/ext/ext.go", "package ext\n"),
    ]);
    let graph = fixture.graph();
    // A package import is an edge to each non-test file of the package's directory.
    assert_eq!(
        edges(&graph),
        pairs(&[
            ("internal/db/db.go", "lib/strs/strs.go"),
            ("main.go", "internal/db/conn.go"),
            ("main.go", "internal/db/db.go"),
            ("main.go", "lib/strs/strs.go"),
            ("main.go", "third_party/ext/ext.go"),
        ])
    );
    assert_eq!(
        externals(&graph, Ecosystem::Go),
        names(&[
            ("fmt", &["main.go"]),
            ("github.com/x/y/v2", &["main.go"]),
            ("net", &["main.go"]),
            ("strings", &["lib/strs/strs.go"]),
            ("testing", &["internal/db/db_test.go"]),
        ])
    );
    assert_eq!(
        unresolved(&graph),
        [miss(
            "main.go",
            "example.com/app/missing",
            None,
            UnresolvedReason::NotFound
        )]
    );
    assert!(!graph.has_cycles());
}

#[test]
fn go_without_go_mod_looks_below_gopath_src_directories() {
    let fixture = Fixture::new(&[
        (
            "gocode/src/github.com/a/web/web.go",
            "package web\n\nimport (\n\t\"github.com/a/log\"\n\t\"github.com/b/gone\"\n)\n",
        ),
        ("gocode/src/github.com/a/log/log.go", "package log\n"),
        ("gocode/src/github.com/a/log/log_test.go", "package log\n"),
    ]);
    let graph = fixture.graph();
    assert_eq!(
        edges(&graph),
        pairs(&[(
            "gocode/src/github.com/a/web/web.go",
            "gocode/src/github.com/a/log/log.go"
        )])
    );
    assert_eq!(
        externals(&graph, Ecosystem::Go),
        names(&[("github.com/b/gone", &["gocode/src/github.com/a/web/web.go"])])
    );
}

#[test]
fn a_python_script_does_not_import_itself_by_its_own_name() {
    let fixture = Fixture::new(&[
        ("scripts/dnf.py", "import dnf.subject\nimport helper\n"),
        ("scripts/helper.py", ""),
        ("scripts/run.py", "import dnf\n"),
    ]);
    let graph = fixture.graph();
    assert_eq!(
        edges(&graph),
        pairs(&[
            ("scripts/dnf.py", "scripts/helper.py"),
            ("scripts/run.py", "scripts/dnf.py"),
        ])
    );
    assert_eq!(
        externals(&graph, Ecosystem::Python),
        names(&[("dnf", &["scripts/dnf.py"])])
    );
    assert!(graph.unresolved.is_empty(), "{:?}", graph.unresolved);
}

#[test]
fn java_classes_wildcards_static_imports_by_package_directory() {
    let fixture = Fixture::new(&[
        (
            "src/main/java/com/acme/App.java",
            "package com.acme;\nimport com.acme.util.Strings;\nimport com.acme.model.*;\n\
             import static com.acme.util.Strings.join;\nimport java.util.List;\n\
             import org.springframework.boot.SpringApplication;\nimport com.acme.missing.Gone;\n\
             class App {}\n",
        ),
        (
            "src/main/java/com/acme/util/Strings.java",
            "package com.acme.util;\nimport com.acme.App;\nclass Strings { static class Inner {} }\n",
        ),
        (
            "src/main/java/com/acme/model/User.java",
            "package com.acme.model;\nclass User {}\n",
        ),
        (
            "src/main/java/com/acme/model/Order.java",
            "package com.acme.model;\nclass Order {}\n",
        ),
        (
            "src/test/java/com/acme/AppTest.java",
            "package com.acme;\nimport com.acme.App;\nimport com.acme.util.Strings.Inner;\n\
             import org.junit.jupiter.api.Test;\nclass AppTest {}\n",
        ),
    ]);
    let graph = fixture.graph();
    let main = "src/main/java/com/acme";
    let app = format!("{main}/App.java");
    let strings = format!("{main}/util/Strings.java");
    let test = "src/test/java/com/acme/AppTest.java";
    assert_eq!(
        edges(&graph),
        pairs(&[
            (&app, &format!("{main}/model/Order.java")),
            (&app, &format!("{main}/model/User.java")),
            (&app, &strings),
            (&strings, &app),
            (test, &app),
            (test, &strings),
        ])
    );
    // The class import and the static import are two edges of the same pair.
    assert_eq!(
        graph
            .edges
            .iter()
            .filter(|e| e.from == app && e.to == strings)
            .count(),
        2
    );
    assert_eq!(
        externals(&graph, Ecosystem::Java),
        names(&[
            ("java", &[&app]),
            ("org.junit", &[test]),
            ("org.springframework", &[&app]),
        ])
    );
    assert_eq!(
        unresolved(&graph),
        [miss(
            &app,
            "com.acme.missing.Gone",
            None,
            UnresolvedReason::NotFound
        )]
    );
    assert_eq!(cycles(&graph), [[app.clone(), strings.clone()]]);
    let in_cycle = |path: &str| path == app || path == strings;
    for edge in &graph.edges {
        assert_eq!(
            edge.in_cycle,
            in_cycle(&edge.from) && in_cycle(&edge.to),
            "{edge:?}"
        );
    }
}

#[test]
fn php_psr4_classes_groups_and_included_files() {
    let fixture = Fixture::new(&[
        (
            "composer.json",
            r#"{"autoload": {"psr-4": {"App\\": "src/"}},
                "autoload-dev": {"psr-4": {"Tests\\": "tests/"}}}"#,
        ),
        (
            "src/Models/User.php",
            "<?php\nnamespace App\\Models;\nuse App\\Models\\{Post, Comment as C};\n\
             use Psr\\Log\\LoggerInterface;\nclass User {}\n",
        ),
        (
            "src/Models/Post.php",
            "<?php\nnamespace App\\Models;\nuse App\\Models\\User;\nclass Post {}\n",
        ),
        (
            "src/Http/Controller.php",
            "<?php\nnamespace App\\Http;\nuse App\\Models\\User;\nuse App\\Services\\Missing;\n\
             require_once __DIR__ . '/../helpers.php';\ninclude 'templates/header.inc';\n\
             require \"config.php\";\nuse DateTime;\nuse function array_map;\n",
        ),
        ("src/helpers.php", "<?php\nfunction h() {}\n"),
        ("config.php", "<?php\nreturn [];\n"),
        (
            "tests/UserTest.php",
            "<?php\nnamespace Tests;\nuse App\\Models\\User;\nuse PHPUnit\\Framework\\TestCase;\n",
        ),
    ]);
    let graph = fixture.graph();
    assert_eq!(
        edges(&graph),
        pairs(&[
            ("src/Http/Controller.php", "config.php"),
            ("src/Http/Controller.php", "src/Models/User.php"),
            ("src/Http/Controller.php", "src/helpers.php"),
            ("src/Models/Post.php", "src/Models/User.php"),
            ("src/Models/User.php", "src/Models/Post.php"),
            ("tests/UserTest.php", "src/Models/User.php"),
        ])
    );
    let post = graph
        .edges
        .iter()
        .find(|e| e.to == "src/Models/Post.php")
        .expect("edge to Post");
    assert_eq!(
        (post.specifier.as_str(), post.name.as_deref()),
        ("App\\Models", Some("Post"))
    );
    assert_eq!(
        externals(&graph, Ecosystem::Php),
        names(&[
            ("PHPUnit", &["tests/UserTest.php"]),
            ("Psr", &["src/Models/User.php"]),
            // The global namespace: built-in classes, functions and constants.
            ("php", &["src/Http/Controller.php"]),
        ])
    );
    use UnresolvedReason::*;
    assert_eq!(
        unresolved(&graph),
        [
            miss(
                "src/Http/Controller.php",
                "App\\Services\\Missing",
                None,
                NotFound
            ),
            miss(
                "src/Http/Controller.php",
                "templates/header.inc",
                None,
                NotSource
            ),
            miss(
                "src/Models/User.php",
                "App\\Models",
                Some("Comment"),
                NotFound
            ),
        ]
    );
    assert_eq!(
        cycles(&graph),
        [["src/Models/Post.php", "src/Models/User.php"]]
    );
}

#[test]
fn ruby_require_relative_and_the_lib_load_path() {
    let fixture = Fixture::new(&[
        (
            "lib/shop.rb",
            "require 'shop/cart'\nrequire 'json'\nrequire_relative 'shop/version'\n",
        ),
        (
            "lib/shop/cart.rb",
            "require_relative '../shop'\nrequire 'active_support/core_ext'\n",
        ),
        ("lib/shop/version.rb", "VERSION = '1'\n"),
        (
            "spec/cart_spec.rb",
            "require 'spec_helper'\nrequire 'shop/cart'\nrequire_relative '../lib/missing'\n",
        ),
        ("spec/spec_helper.rb", "require 'shop'\n"),
        (
            "Rakefile",
            "load 'tasks/build.rake'\nload './tasks/gone.rb'\nrequire 'bigdecimal.so'\n",
        ),
        ("tasks/build.rake", "task :build\n"),
    ]);
    let graph = fixture.graph();
    assert_eq!(
        edges(&graph),
        pairs(&[
            ("Rakefile", "tasks/build.rake"),
            ("lib/shop.rb", "lib/shop/cart.rb"),
            ("lib/shop.rb", "lib/shop/version.rb"),
            ("lib/shop/cart.rb", "lib/shop.rb"),
            ("spec/cart_spec.rb", "lib/shop/cart.rb"),
            ("spec/cart_spec.rb", "spec/spec_helper.rb"),
            ("spec/spec_helper.rb", "lib/shop.rb"),
        ])
    );
    assert_eq!(
        externals(&graph, Ecosystem::Ruby),
        names(&[
            ("active_support", &["lib/shop/cart.rb"]),
            ("bigdecimal", &["Rakefile"]),
            ("json", &["lib/shop.rb"]),
        ])
    );
    use UnresolvedReason::*;
    assert_eq!(
        unresolved(&graph),
        [
            miss("Rakefile", "./tasks/gone.rb", None, NotFound),
            miss("spec/cart_spec.rb", "../lib/missing", None, NotFound),
        ]
    );
    assert_eq!(cycles(&graph), [["lib/shop.rb", "lib/shop/cart.rb"]]);
}

#[test]
fn malformed_project_files_become_warnings() {
    let fixture = Fixture::new(&[
        (
            "tsconfig.json",
            "{ \"compilerOptions\": { \"paths\": [1] } }",
        ),
        ("a.ts", "import x from '@x/y';\n"),
        ("web/package.json", "{ \"name\": "),
        ("web/b.js", "require('./c');\n"),
        ("go.mod", "go 1.22\n"),
        ("m.go", "package m\n"),
        ("composer.json", "{\"autoload\": {\"psr-4\": []}}"),
        ("p.php", "<?php\nuse App\\X;\n"),
        ("pyproject.toml", "[tool\n"),
        ("q.py", "import os\n"),
    ]);
    let graph = fixture.graph();
    let warnings: Vec<(String, String)> = graph
        .warnings
        .iter()
        .map(|w| (w.path.clone(), w.message.clone()))
        .collect();
    let paths: Vec<&str> = warnings.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "composer.json",
            "go.mod",
            "pyproject.toml",
            "tsconfig.json",
            "web/package.json"
        ],
        "{warnings:#?}"
    );
    assert_eq!(warnings[0].1, "autoload.psr-4 is not an object");
    assert_eq!(warnings[1].1, "no module directive");
    assert!(
        warnings[2].1.starts_with("not valid TOML (line 1)"),
        "{warnings:?}"
    );
    assert_eq!(warnings[3].1, "compilerOptions.paths is not an object");
    assert!(
        warnings[4].1.starts_with("not valid JSON: "),
        "{warnings:?}"
    );
    // The graph is still built, without what the files would have said.
    assert_eq!(graph.summary.files, 5);
    assert_eq!(
        unresolved(&graph),
        [miss("web/b.js", "./c", None, UnresolvedReason::NotFound)]
    );
    let text = graph.to_text();
    assert!(
        text.contains("\nWarnings (5):\n  composer.json: autoload.psr-4"),
        "{text}"
    );
}

#[test]
fn output_does_not_depend_on_the_input_order() {
    let fixture = python_tree();
    let mut nodes = fixture.nodes();
    let forward = build(fixture.dir.path(), nodes.clone()).to_json();
    nodes.reverse();
    // The same file twice is one node.
    nodes.push(nodes[0].clone());
    let backward = build(fixture.dir.path(), nodes).to_json();
    assert_eq!(forward, backward);
}

#[test]
fn json_output_validates_against_the_published_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("src/graph/graph.schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let graph = python_tree().graph();
    let json: serde_json::Value = serde_json::from_str(&graph.to_json()).expect("JSON");
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(json["schema_version"], super::SCHEMA_VERSION);
    assert_eq!(json["summary"]["cycles"], 1);
    // The JSON reads back as the same graph.
    let back: Graph = serde_json::from_value(json.clone()).expect("reads back");
    assert_eq!(back, graph);
    // The schema is strict enough to catch a broken graph.
    let mut broken = json;
    broken["edges"][0]["line"] = serde_json::json!("two");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn dot_output_clusters_directories_and_colours_cycles() {
    let graph = python_tree().graph();
    let dot = graph.to_dot();
    assert!(dot.starts_with("digraph imports {\n"), "{dot}");
    assert!(dot.ends_with("}\n"), "{dot}");
    let dirs: BTreeSet<String> = graph
        .files
        .iter()
        .map(|f| super::paths::parent(&f.path).to_string())
        .filter(|d| !d.is_empty())
        .collect();
    assert_eq!(super::dot::clusters(&dot), dirs);
    assert!(
        dot.contains("    \"src/app/util.py\" [label=\"util.py\"];\n"),
        "{dot}"
    );
    assert!(
        dot.contains("    \"src/app/core.py\" [label=\"core.py\", color=red, fontcolor=red];\n"),
        "{dot}"
    );
    assert!(
        dot.contains(
            "  \"src/app/models/user.py\" -> \"src/app/core.py\" [color=red, penwidth=2];\n"
        ),
        "{dot}"
    );
    assert!(
        dot.contains("  \"src/app/core.py\" -> \"src/app/util.py\";\n"),
        "{dot}"
    );
    // One arrow per pair of files: every edge pair appears once.
    let arrows = dot.lines().filter(|l| l.contains(" -> ")).count();
    assert_eq!(arrows, edges(&graph).len());
}

#[test]
fn text_output_summarises_cycles_rankings_and_orphans() {
    let graph = python_tree().graph();
    let text = graph.to_text();
    assert!(
        text.starts_with(
            "Import graph: 9 files, 8 edges, 3 external packages, 5 unresolved imports, 1 cycle\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "\nCycles (1):\n  1. 3 files: src/app/core.py, src/app/models/__init__.py, \
             src/app/models/user.py\n"
        ),
        "{text}"
    );
    // core.py is imported by __init__.py, user.py and test_core.py.
    assert!(
        text.contains(
            "\nMost imported (by how many files import them):\n      3  src/app/core.py\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\nMost dependencies (by how many files they import):\n      2  src/app/core.py\n      2  tests/test_core.py\n"),
        "{text}"
    );
    assert!(
        text.contains("\nImported by no file (3):\n  src/app/__init__.py\n  tests/test_core.py\n  tools/run.py\n"),
        "{text}"
    );
    assert!(
        text.contains("  tools/run.py:1:6  nsp (other)  (not found)\n"),
        "{text}"
    );
}
