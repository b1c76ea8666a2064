//! `astscan mcp`, the Model Context Protocol server: driven by the official Python SDK's client
//! (from PyPI, in a temporary virtualenv) through every tool, and by raw JSON-RPC lines for
//! what a well-behaved client never sends: garbage, unknown methods, paths out of the root, a
//! 50 MB argument, and a client that goes away.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::util::{astscan, bin, skip, write};

/// How long one answer may take: a scan of a few files with fresh workers, on a loaded
/// machine.
const ANSWER: Duration = Duration::from_secs(60);

/// A project with one real finding (a Flask handler passing a request argument to a shell),
/// a local import, a complex function and a file with a syntax error.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import os\n\
         from flask import Flask, request\n\
         from util import clean\n\
         \n\
         app = Flask(__name__)\n\
         \n\
         \n\
         @app.route(\"/run\")\n\
         def run():\n\
         \x20   os.system(request.args[\"cmd\"])\n\
         \x20   return clean(\"ok\")\n",
    );
    write(
        dir.path(),
        "util.py",
        "def clean(value):\n    return value.strip()\n",
    );
    let mut branches = String::from("def grade(score, bonus):\n    total = 0\n");
    for i in 0..14 {
        branches.push_str(&format!(
            "    if score > {i} and bonus:\n        total += {i}\n"
        ));
    }
    branches.push_str("    return total\n");
    write(dir.path(), "grading.py", branches);
    write(dir.path(), "broken.js", "function f( {\n");
    dir
}

/// The Python SDK in a fresh virtualenv, or why it cannot be had here.
fn install_sdk(venv: &Path) -> Result<PathBuf, String> {
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
        .args(["install", "--quiet", "--disable-pip-version-check", "mcp"])
        .output()
        .map_err(|e| format!("pip: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "pip install mcp: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(venv.join("bin/python"))
}

/// The SDK's Python in a virtualenv under `work`, or `None` when it cannot be installed here
/// (the test is then reported skipped).
fn sdk_or_skip(work: &Path) -> Option<PathBuf> {
    match install_sdk(&work.join("venv")) {
        Ok(python) => Some(python),
        Err(why) => {
            skip(format!(
                "the mcp package cannot be installed here (needs python3 with venv and \
                 access to PyPI): {why}"
            ));
            None
        }
    }
}

/// Runs tests/fixtures/mcp/client.py with `python` against `astscan mcp` started in `cwd`
/// (no cache, no daemon), declaring `roots` if given; what it prints.
fn run_client(
    python: &Path,
    work: &Path,
    cwd: impl serde::Serialize,
    roots: Option<Value>,
    calls: Value,
) -> Value {
    let mut spec = json!({
        "command": bin(),
        "args": ["mcp"],
        "cwd": cwd,
        "env": {
            "ASTSCAN_NO_CACHE": "1",
            "ASTSCAN_SOCKET": "/nonexistent/astscan-test.sock",
        },
        "calls": calls,
    });
    if let Some(roots) = roots {
        spec["roots"] = roots;
    }
    let spec_file = work.join("spec.json");
    std::fs::write(&spec_file, spec.to_string()).unwrap();
    let client = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mcp/client.py");
    let out = Command::new(python)
        .arg(client)
        .arg(&spec_file)
        .output()
        .expect("running the client");
    assert!(
        out.status.success(),
        "client failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the client prints JSON")
}

#[test]
fn the_python_sdk_client_calls_every_tool() {
    let tools = tempfile::tempdir().unwrap();
    let Some(python) = sdk_or_skip(tools.path()) else {
        return;
    };
    let dir = project();
    let calls = json!([
        ["scan", "scan", {}],
        ["scan_page", "scan", {"paths": ["app.py", "grading.py"], "limit": 1}],
        ["scan_code", "scan_code", {
            "code": "import os\n\ndef handler(request):\n    os.system(request.args['cmd'])\n\ndef broken(:\n",
            "language": "python",
            "filename": "draft.py"
        }],
        ["structure", "structure", {"path": "grading.py"}],
        ["hotspots", "hotspots", {"min_complexity": 10}],
        ["graph", "dependency_graph", {"focus": "util.py"}],
        ["list_rules", "list_rules", {"language": "python", "cwe": 78}],
        ["explain_rule", "explain_rule", {"id": "python.command-injection.tainted-command"}],
        ["ast", "ast", {"path": "util.py", "max_depth": 4}],
        ["outside", "structure", {"path": "../etc/passwd"}],
        ["bad_arguments", "hotspots", {"min_complexity": "high"}],
        ["unknown_rule", "explain_rule", {"id": "python.command-injection.tainted-comand"}],
    ]);
    let result = run_client(&python, tools.path(), dir.path(), None, calls);

    assert_eq!(result["server"]["name"], "astscan");
    let tools_listed = result["tools"].as_object().unwrap();
    let mut names: Vec<&str> = tools_listed.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "ast",
            "dependency_graph",
            "explain_rule",
            "hotspots",
            "list_rules",
            "scan",
            "scan_code",
            "structure"
        ]
    );
    for (name, tool) in tools_listed {
        assert_eq!(tool["input_schema"]["type"], "object", "{name}");
        assert_eq!(tool["output_schema"]["type"], "object", "{name}");
        assert!(tool["read_only"].as_bool().unwrap(), "{name}");
        assert!(!tool["description"].as_str().unwrap().is_empty(), "{name}");
    }
    let call = |label: &str| -> &Value {
        let c = &result["calls"][label];
        assert!(c.is_object(), "no call {label}");
        c
    };
    let ok = |label: &str| -> &Value {
        let c = call(label);
        assert_eq!(c["is_error"], false, "{label}: {}", c["text"]);
        &c["structured"]
    };

    // scan: the real finding with its flow, the counts, the file that did not parse.
    let scan = ok("scan");
    assert_eq!(
        scan["files"],
        json!({"files": 4, "parsed": 3, "parsed_with_errors": 1, "skipped": 0, "failed": 0})
    );
    let findings = scan["findings"].as_array().unwrap();
    let shell = findings
        .iter()
        .find(|f| f["rule"] == "python.command-injection.tainted-command")
        .unwrap_or_else(|| panic!("no command injection in {findings:#?}"));
    assert_eq!(shell["path"], "app.py");
    assert_eq!(shell["line"], 10);
    assert_eq!(shell["severity"], "critical");
    assert_eq!(shell["cwe"], 78);
    let flow: Vec<&str> = shell["flow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(flow.first(), Some(&"source"));
    assert_eq!(flow.last(), Some(&"sink"));
    assert!(
        call("scan")["text"]
            .as_str()
            .unwrap()
            .contains("app.py:10:5: critical")
    );

    // A page of one, with a cursor for the rest when there is more.
    let page = ok("scan_page");
    assert_eq!(page["findings"].as_array().unwrap().len(), 1);
    if page["findings_total"].as_u64().unwrap() > 1 {
        assert!(page["next_cursor"].as_str().unwrap().starts_with("1."));
    }

    let code = ok("scan_code");
    assert_eq!(code["filename"], "draft.py");
    assert_eq!(code["status"], "parsed_with_errors");
    assert!(code["syntax_error_count"].as_u64().unwrap() >= 1);
    assert!(
        code["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "python.command-injection.tainted-command"
                && f["path"] == "draft.py"
                && f["line"] == 4),
        "{code:#}"
    );

    let structure = ok("structure");
    assert_eq!(structure["language"], "python");
    let grade = &structure["functions"][0];
    assert_eq!(grade["name"], "grade");
    assert_eq!(grade["parameters"], 2);
    assert_eq!(grade["start_line"], 1);
    assert!(grade["complexity"].as_u64().unwrap() > 20, "{grade}");

    let hotspots = ok("hotspots");
    assert_eq!(hotspots["thresholds"]["min_complexity"], 10);
    assert_eq!(hotspots["matching"], 1);
    assert_eq!(hotspots["functions"][0]["name"], "grade");
    assert_eq!(hotspots["functions"][0]["path"], "grading.py");
    assert_eq!(hotspots["functions"][0]["band"], "complex");
    assert!(
        hotspots["functions_total"].as_u64().unwrap() >= 3,
        "{hotspots:#}"
    );

    let graph = ok("graph");
    assert_eq!(graph["summary"]["files"], 4);
    let focus = &graph["focus"];
    assert_eq!(focus["path"], "util.py");
    assert_eq!(focus["imported_by"][0]["path"], "app.py");
    assert_eq!(focus["imported_by"][0]["line"], 3);
    assert_eq!(focus["imported_by_total"], 1);

    let rules = ok("list_rules");
    let ids: Vec<&str> = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"python.command-injection.tainted-command"),
        "{ids:?}"
    );
    assert!(
        rules["rules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["cwe"] == 78)
    );

    let explained = ok("explain_rule");
    assert_eq!(explained["mode"], "taint");
    assert_eq!(explained["runs"], true);
    assert_eq!(
        explained["cwe_url"],
        "https://cwe.mitre.org/data/definitions/78.html"
    );
    let examples = explained["examples"].as_array().unwrap();
    assert!(
        examples.iter().any(|e| e["finding"] == true),
        "{examples:#?}"
    );
    assert!(
        examples.iter().any(|e| e["finding"] == false),
        "{examples:#?}"
    );

    let ast = ok("ast");
    assert_eq!(ast["tree"]["kind"], "module");
    assert_eq!(ast["tree"]["children"][0]["kind"], "function_definition");
    assert_eq!(ast["tree"]["children"][0]["start_line"], 1);

    // Tool errors an agent can act on.
    let outside = call("outside");
    assert_eq!(outside["is_error"], true);
    assert!(
        outside["text"]
            .as_str()
            .unwrap()
            .contains("outside the server's root")
    );
    let bad = call("bad_arguments");
    assert_eq!(bad["is_error"], true);
    assert!(
        bad["text"].as_str().unwrap().contains("invalid arguments"),
        "{bad}"
    );
    let unknown = call("unknown_rule");
    assert_eq!(unknown["is_error"], true);
    assert!(
        unknown["text"]
            .as_str()
            .unwrap()
            .contains("did you mean \"python.command-injection.tainted-command\""),
        "{unknown}"
    );
}

/// The server under raw JSON-RPC: lines in, lines out.
struct Raw {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    /// Messages `answer` passed over.
    skipped: Vec<Value>,
}

impl Raw {
    fn start(dir: &Path) -> Raw {
        Raw::start_with(dir, &[])
    }

    fn start_with(dir: &Path, args: &[&str]) -> Raw {
        let mut child = astscan(dir)
            .arg("mcp")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting astscan mcp");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Raw {
            child,
            stdin,
            lines,
            skipped: Vec::new(),
        }
    }

    fn send_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        self.send_line(&message.to_string());
    }

    /// The answer to request `id`, skipping anything else.
    fn answer(&mut self, id: u64) -> Value {
        let deadline = Instant::now() + ANSWER;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match self.lines.recv_timeout(left) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => panic!("no answer to request {id}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            };
            let message: Value = serde_json::from_str(&line).unwrap_or_else(|e| {
                panic!("the server wrote a line that is not JSON ({e}): {line}")
            });
            // A request of the server's own has an id of its own numbering.
            if message["id"] == id && message.get("method").is_none() {
                return message;
            }
            self.skipped.push(message);
        }
    }

    /// The next request the server makes with `method` (one passed over included).
    fn server_request(&mut self, method: &str) -> Value {
        if let Some(i) = self.skipped.iter().position(|m| m["method"] == method) {
            return self.skipped.remove(i);
        }
        let deadline = Instant::now() + ANSWER;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match self.lines.recv_timeout(left) {
                Ok(line) => line,
                Err(_) => panic!("the server did not send {method}"),
            };
            let message: Value = serde_json::from_str(&line).unwrap();
            if message["method"] == method {
                return message;
            }
            self.skipped.push(message);
        }
    }

    fn initialize(&mut self) {
        self.initialize_with(json!({}));
    }

    fn initialize_with(&mut self, capabilities: Value) {
        self.send(&json!({
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": capabilities,
                "clientInfo": {"name": "raw", "version": "1"}
            }
        }));
        let answer = self.answer(0);
        assert_eq!(
            answer["result"]["serverInfo"]["name"], "astscan",
            "{answer}"
        );
        self.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    }

    /// Calls a tool; returns the result.
    fn call(&mut self, id: u64, tool: &str, arguments: Value) -> Value {
        self.send(&json!({
            "jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": {"name": tool, "arguments": arguments}
        }));
        let answer = self.answer(id);
        assert!(answer["result"].is_object(), "{answer}");
        answer["result"].clone()
    }

    fn close_stdin(&mut self) {
        self.stdin.take();
    }

    /// Waits for the process to exit; its status, or `None` after `within`.
    fn exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text(result: &Value) -> &str {
    result["content"][0]["text"].as_str().unwrap_or_default()
}

/// `path` as a `file://` URI.
fn file_uri(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

#[test]
fn the_python_sdk_client_s_roots_confine_the_tools() {
    let tools = tempfile::tempdir().unwrap();
    let Some(python) = sdk_or_skip(tools.path()) else {
        return;
    };
    // The server starts in a directory holding two projects; the client's workspace is one.
    let base = tempfile::tempdir().unwrap();
    let base_path = base.path().canonicalize().unwrap();
    let (svc, other) = (base_path.join("svc"), base_path.join("other"));
    write(
        &svc,
        "app.py",
        "import os\nfrom flask import request\n\ndef run():\n    os.system(request.args[\"cmd\"])\n",
    );
    write(&svc, "util.py", "def clean(v):\n    return v.strip()\n");
    write(
        &other,
        "tool.py",
        "import subprocess\nfrom flask import request\n\ndef go():\n    \
         subprocess.call(request.args[\"c\"], shell=True)\n",
    );
    let outside_file = other.join("tool.py");
    let calls = json!([
        ["one_root", "scan", {}],
        ["outside", "structure", {"path": "../other/tool.py"}],
        ["absolute", "scan", {"paths": [outside_file.to_str().unwrap()]}],
        ["hotspots", "hotspots", {}],
        ["@roots", "@roots", [svc.to_str().unwrap(), other.to_str().unwrap()]],
        ["two_roots", "scan", {}],
        ["graph", "dependency_graph", {}],
        ["second_root", "structure", {"path": "other/tool.py"}],
        ["@none", "@roots", []],
        ["no_roots", "scan", {}],
        ["no_roots_rules", "list_rules", {"limit": 1}],
    ]);
    let result = run_client(
        &python,
        tools.path(),
        &base_path,
        Some(json!([&svc])),
        calls,
    );
    let call = |label: &str| -> Value { result["calls"][label].clone() };
    let paths = |scan: &Value| -> Vec<String> {
        let mut paths: Vec<String> = scan["structured"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        paths.sort();
        paths
    };

    // The client's one root: its files only, shown relative to it.
    let one = call("one_root");
    assert_eq!(one["is_error"], false, "{one}");
    assert_eq!(one["structured"]["files"]["files"], 2, "{one}");
    assert_eq!(paths(&one), ["app.py"]);
    for label in ["outside", "absolute"] {
        let refused = call(label);
        assert_eq!(refused["is_error"], true, "{label}: {refused}");
        assert!(
            refused["text"]
                .as_str()
                .unwrap()
                .contains("outside the server's root"),
            "{label}: {refused}"
        );
    }
    assert_eq!(call("hotspots")["structured"]["functions_total"], 2);

    // Both roots, once the client says they changed: paths start at the directory holding
    // them.
    let two = call("two_roots");
    assert_eq!(two["structured"]["files"]["files"], 3, "{two}");
    assert_eq!(paths(&two), ["other/tool.py", "svc/app.py"]);
    assert_eq!(call("graph")["structured"]["summary"]["files"], 3);
    assert_eq!(call("second_root")["is_error"], false);

    // No roots: nothing is read, and the answer says why; rules still answer.
    let none = call("no_roots");
    assert_eq!(none["is_error"], true, "{none}");
    assert!(
        none["text"].as_str().unwrap().contains("declares no roots"),
        "{none}"
    );
    assert_eq!(call("no_roots_rules")["is_error"], false);
}

#[test]
fn client_roots_are_narrowed_to_root_asked_again_when_they_change_and_fail_closed() {
    let base = tempfile::tempdir().unwrap();
    let base_path = base.path().canonicalize().unwrap();
    let repo = base_path.join("repo");
    write(
        &repo,
        "svc/app.py",
        "import os\nfrom flask import request\n\ndef run():\n    os.system(request.args[\"cmd\"])\n",
    );
    write(
        &repo,
        "lib/util.py",
        "def clean(v):\n    return v.strip()\n",
    );
    write(&base_path, "elsewhere/x.py", "x = 1\n");
    let mut raw = Raw::start_with(&base_path, &["--root", "repo"]);
    raw.initialize_with(json!({"roots": {"listChanged": true}}));
    let answer_roots = |raw: &mut Raw, roots: Result<Vec<&Path>, &str>| {
        let request = raw.server_request("roots/list");
        let reply = match roots {
            Ok(roots) => json!({
                "jsonrpc": "2.0", "id": request["id"],
                "result": {"roots": roots.iter().map(|p| json!({"uri": file_uri(p)})).collect::<Vec<_>>()}
            }),
            Err(message) => json!({
                "jsonrpc": "2.0", "id": request["id"],
                "error": {"code": -32603, "message": message}
            }),
        };
        raw.send(&reply);
    };
    let files = |scan: &Value| scan["structuredContent"]["files"]["files"].clone();

    // A root holding --root is narrowed to it.
    answer_roots(&mut raw, Ok(vec![&base_path]));
    let scan = raw.call(1, "scan", json!({}));
    assert_eq!(scan["isError"], false, "{scan}");
    assert_eq!(files(&scan), 2, "{scan}");
    assert_eq!(
        scan["structuredContent"]["findings"][0]["path"],
        "svc/app.py"
    );
    let elsewhere = raw.call(2, "structure", json!({"path": "../elsewhere/x.py"}));
    assert_eq!(elsewhere["isError"], true, "{elsewhere}");

    // A root inside it is kept as it is.
    raw.send(&json!({"jsonrpc": "2.0", "method": "notifications/roots/list_changed"}));
    answer_roots(&mut raw, Ok(vec![&repo.join("svc")]));
    let scan = raw.call(3, "scan", json!({}));
    assert_eq!(files(&scan), 1, "{scan}");
    assert_eq!(scan["structuredContent"]["findings"][0]["path"], "app.py");
    let lib = raw.call(4, "structure", json!({"path": "../lib/util.py"}));
    assert_eq!(lib["isError"], true, "{lib}");

    // A root beside it is dropped: nothing is read, and the answer says why.
    raw.send(&json!({"jsonrpc": "2.0", "method": "notifications/roots/list_changed"}));
    answer_roots(&mut raw, Ok(vec![&base_path.join("elsewhere")]));
    let scan = raw.call(5, "scan", json!({}));
    assert_eq!(scan["isError"], true, "{scan}");
    assert!(text(&scan).contains("outside --root"), "{scan}");

    // A client that fails to answer: calls fail until it does, and the next call asks again.
    raw.send(&json!({"jsonrpc": "2.0", "method": "notifications/roots/list_changed"}));
    answer_roots(&mut raw, Err("workspace unavailable"));
    raw.send(&json!({
        "jsonrpc": "2.0", "id": 6, "method": "tools/call",
        "params": {"name": "scan", "arguments": {}}
    }));
    answer_roots(&mut raw, Err("workspace unavailable"));
    let scan = raw.answer(6)["result"].clone();
    assert_eq!(scan["isError"], true, "{scan}");
    assert!(text(&scan).contains("roots/list failed"), "{scan}");
    raw.send(&json!({
        "jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "scan", "arguments": {}}
    }));
    answer_roots(&mut raw, Ok(vec![&repo]));
    let scan = raw.answer(7)["result"].clone();
    assert_eq!(scan["isError"], false, "{scan}");
    assert_eq!(files(&scan), 2, "{scan}");
}

#[test]
fn garbage_and_unknown_methods_get_protocol_errors_and_the_server_goes_on() {
    let dir = project();
    let mut raw = Raw::start(dir.path());
    // Not JSON, before and after initialising: ignored, as the SDKs do.
    raw.send_line("this is not json");
    raw.send_line("{\"jsonrpc\": \"2.0\", \"id\": ");
    raw.initialize();
    raw.send_line("\u{1}\u{2}garbage");
    raw.send_line("[1, 2, 3]");
    raw.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "no/such/method"}));
    let unknown = raw.answer(1);
    assert!(unknown["error"]["code"].is_i64(), "{unknown}");
    raw.send(&json!({
        "jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "no_such_tool", "arguments": {}}
    }));
    let no_tool = raw.answer(2);
    assert_eq!(no_tool["error"]["code"], -32602, "{no_tool}");
    // Arguments that do not fit the schema: a tool error that says what is wrong.
    let wrong = raw.call(3, "scan", json!({"paths": "app.py", "colour": "red"}));
    assert_eq!(wrong["isError"], true, "{wrong}");
    assert!(text(&wrong).contains("invalid arguments"), "{wrong}");
    let wrong = raw.call(4, "structure", json!({}));
    assert_eq!(wrong["isError"], true, "{wrong}");
    assert!(text(&wrong).contains("path"), "{wrong}");
    // Pages: a cursor from one query does not fit another.
    let first = raw.call(5, "list_rules", json!({"limit": 1}));
    let cursor = first["structuredContent"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let second = raw.call(6, "list_rules", json!({"limit": 1, "cursor": cursor}));
    assert_eq!(second["isError"], false, "{second}");
    assert_ne!(
        first["structuredContent"]["rules"][0]["id"],
        second["structuredContent"]["rules"][0]["id"]
    );
    let foreign = raw.call(7, "list_rules", json!({"language": "go", "cursor": cursor}));
    assert_eq!(foreign["isError"], true, "{foreign}");
    assert!(text(&foreign).contains("other arguments"), "{foreign}");
    let too_many = raw.call(8, "scan", json!({"limit": 100000}));
    assert_eq!(too_many["isError"], true, "{too_many}");
    // Still serving.
    let scan = raw.call(9, "scan", json!({"paths": ["app.py"]}));
    assert_eq!(scan["isError"], false, "{scan}");
    assert_eq!(scan["structuredContent"]["files"]["parsed"], 1);
    raw.close_stdin();
    let status = raw.exit(Duration::from_secs(20)).expect("the server exits");
    assert!(status.success(), "{status}");
}

#[test]
fn paths_outside_the_root_and_links_out_of_it_are_refused() {
    let base = tempfile::tempdir().unwrap();
    let root = base.path().join("root");
    let outside = base.path().join("outside");
    write(
        &outside,
        "secret.py",
        "import os\n\ndef run(request):\n    os.system(request.args[\"cmd\"])\n",
    );
    write(&root, "app.py", "def ok():\n    return 1\n");
    std::os::unix::fs::symlink(outside.join("secret.py"), root.join("link.py")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("elsewhere")).unwrap();
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        root.join("pipe.py"),
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .unwrap();
    let mut raw = Raw::start(&root);
    raw.initialize();
    let secret = outside.join("secret.py");
    let refused = [
        ("scan", json!({"paths": ["../outside"]})),
        ("scan", json!({"paths": ["app.py", "../outside/secret.py"]})),
        ("scan", json!({"paths": [secret.to_str().unwrap()]})),
        ("scan", json!({"paths": ["link.py"]})),
        ("scan", json!({"paths": ["elsewhere"]})),
        ("structure", json!({"path": "elsewhere/secret.py"})),
        ("ast", json!({"path": "link.py"})),
        ("hotspots", json!({"path": "/"})),
        ("dependency_graph", json!({"focus": "link.py"})),
    ];
    for (i, (tool, arguments)) in refused.iter().enumerate() {
        let result = raw.call(10 + i as u64, tool, arguments.clone());
        assert_eq!(result["isError"], true, "{tool} {arguments}: {result}");
        let message = text(&result);
        assert!(message.contains("outside the server's root"), "{message}");
        // The path as given is repeated; where a link leads is never said.
        if !arguments.to_string().contains("secret") {
            assert!(
                !message.contains("secret"),
                "names what lies outside: {message}"
            );
        }
    }
    // A FIFO is never opened, named or walked.
    let fifo = raw.call(30, "structure", json!({"path": "pipe.py"}));
    assert_eq!(fifo["isError"], true, "{fifo}");
    assert!(text(&fifo).contains("FIFO"), "{fifo}");
    // The whole root: links are not followed, so nothing of outside/ is read.
    let scan = raw.call(31, "scan", json!({}));
    assert_eq!(scan["isError"], false, "{scan}");
    let structured = &scan["structuredContent"];
    assert_eq!(structured["findings_total"], 0, "{structured:#}");
    assert!(!structured.to_string().contains("secret"), "{structured:#}");
}

#[test]
fn a_50_mb_scan_code_argument_is_refused_and_the_server_stays_up() {
    let dir = project();
    let mut raw = Raw::start(dir.path());
    raw.initialize();
    let code = "x = 1\n".repeat(50_000_000 / 6);
    let result = raw.call(1, "scan_code", json!({"code": code, "language": "python"}));
    drop(code);
    assert_eq!(result["isError"], true, "{}", text(&result));
    assert!(text(&result).contains("over the"), "{}", text(&result));
    assert!(
        text(&result).contains("scan_code takes"),
        "{}",
        text(&result)
    );
    let after = raw.call(
        2,
        "scan_code",
        json!({"code": "x = 1\n", "language": "python"}),
    );
    assert_eq!(after["isError"], false, "{after}");
    assert_eq!(after["structuredContent"]["status"], "parsed");
}

#[test]
fn a_client_that_goes_away_mid_call_ends_the_server() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        write(
            dir.path(),
            &format!("pkg/m{i}.py"),
            format!("import os\n\ndef f{i}(request):\n    os.system(request.args['c'])\n"),
        );
    }
    let mut raw = Raw::start(dir.path());
    raw.initialize();
    raw.send(&json!({
        "jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "scan", "arguments": {}}
    }));
    // Gone without a word: stdin closed, its output no longer read.
    raw.close_stdin();
    let (tx, rx) = channel();
    raw.lines = rx;
    drop(tx);
    let status = raw
        .exit(Duration::from_secs(30))
        .expect("the server exits when its client is gone");
    assert!(status.code().is_some(), "ended by a signal: {status}");
}

/// Worker processes among the children of `pid`.
fn workers_of(pid: u32) -> Vec<u32> {
    crate::util::children(pid)
        .into_iter()
        .filter(|child| {
            std::fs::read(format!("/proc/{child}/cmdline"))
                .is_ok_and(|cmd| cmd.split(|&b| b == 0).any(|arg| arg == b"worker"))
        })
        .collect()
}

#[test]
fn a_cancelled_call_stops_its_scan_and_the_server_goes_on() {
    // Files whose taint analysis keeps the workers busy for many seconds.
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("import os\n\n");
    for j in 0..3000 {
        body.push_str(&format!(
            "def f{j}(request):\n    x = request.args['c'] + '{j}'\n    if x:\n        \
             os.system(x)\n    return x\n\n"
        ));
    }
    for i in 0..8 {
        write(dir.path(), &format!("pkg/m{i}.py"), &body);
    }
    write(
        dir.path(),
        "small.py",
        "import os\n\ndef f(request):\n    os.system(request.args['c'])\n",
    );
    let mut raw = Raw::start(dir.path());
    raw.initialize();
    raw.send(&json!({
        "jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "scan", "arguments": {"paths": ["pkg"]}}
    }));
    // Once its workers run, the call is cancelled.
    let pid = raw.child.id();
    let deadline = Instant::now() + ANSWER;
    while workers_of(pid).is_empty() {
        assert!(Instant::now() < deadline, "the scan started no worker");
        std::thread::sleep(Duration::from_millis(10));
    }
    raw.send(&json!({
        "jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": {"requestId": 1, "reason": "the user moved on"}
    }));
    let cancelled = Instant::now();
    // The server answers the next call, and the cancelled scan's workers go long before the
    // scan could have finished.
    let rules = raw.call(2, "list_rules", json!({"limit": 1}));
    assert_eq!(rules["isError"], false, "{rules}");
    while !workers_of(pid).is_empty() {
        assert!(
            cancelled.elapsed() < Duration::from_secs(10),
            "workers outlive the cancelled call"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let scan = raw.call(3, "scan", json!({"paths": ["small.py"]}));
    assert_eq!(scan["structuredContent"]["findings_total"], 1, "{scan}");
    // A cancelled request gets no answer.
    assert!(
        raw.skipped.iter().all(|m| m["id"] != 1),
        "{:?}",
        raw.skipped
    );
}

#[test]
fn closing_stdin_ends_the_server_with_status_0() {
    let dir = project();
    // Before the session starts.
    let mut raw = Raw::start(dir.path());
    raw.close_stdin();
    let status = raw.exit(Duration::from_secs(20)).expect("exits");
    assert_eq!(status.code(), Some(0));
    // After it.
    let mut raw = Raw::start(dir.path());
    raw.initialize();
    let _ = raw.call(1, "list_rules", json!({"limit": 1}));
    raw.close_stdin();
    let status = raw.exit(Duration::from_secs(20)).expect("exits");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn scans_go_through_a_running_daemon() {
    let run = tempfile::tempdir().unwrap();
    let socket = run.path().join("d.sock");
    let mut daemon = astscan(run.path())
        .args(["daemon", "--workers", "2", "--socket"])
        .arg(&socket)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting the daemon");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::os::unix::net::UnixStream::connect(&socket).is_err() {
        assert!(Instant::now() < deadline, "the daemon does not listen");
        std::thread::sleep(Duration::from_millis(20));
    }
    let dir = project();
    // `always`: a scan fails rather than fall back to its own workers.
    let mut raw = Raw::start_with(
        dir.path(),
        &["--daemon", "always", "--socket", socket.to_str().unwrap()],
    );
    raw.initialize();
    let scan = raw.call(1, "scan", json!({}));
    assert_eq!(scan["isError"], false, "{scan}");
    assert_eq!(scan["structuredContent"]["files"]["parsed"], 3, "{scan}");
    let code = raw.call(
        2,
        "scan_code",
        json!({"code": "import os\ndef f(request):\n    os.system(request.args['x'])\n",
               "language": "python"}),
    );
    assert_eq!(code["structuredContent"]["findings_total"], 1, "{code}");
    drop(raw);
    let _ = daemon.kill();
    let _ = daemon.wait();
}
