//! The worker protocol spoken to a real `astscan worker` process: handshake, a request, and
//! malformed or oversized frames, which must produce a clear error rather than a hang.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::util::bin;

fn frame(header: &Value, payload: &[u8]) -> Vec<u8> {
    let header = serde_json::to_vec(header).expect("json");
    let mut out = Vec::new();
    out.extend_from_slice(&(header.len() as u32).to_be_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(payload);
    out
}

fn read_frame(r: &mut impl Read) -> Option<(Value, Vec<u8>)> {
    let mut prefix = [0u8; 8];
    r.read_exact(&mut prefix).ok()?;
    let h = u32::from_be_bytes(prefix[..4].try_into().ok()?) as usize;
    let p = u32::from_be_bytes(prefix[4..].try_into().ok()?) as usize;
    let mut header = vec![0u8; h];
    r.read_exact(&mut header).ok()?;
    let mut payload = vec![0u8; p];
    r.read_exact(&mut payload).ok()?;
    Some((serde_json::from_slice(&header).ok()?, payload))
}

fn worker() -> std::process::Child {
    Command::new(bin())
        .arg("worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn worker")
}

#[test]
fn handshake_then_request_and_response() {
    let mut w = worker();
    let mut stdout = w.stdout.take().expect("stdout");
    let (hello, payload) = read_frame(&mut stdout).expect("hello");
    assert_eq!(hello["type"], "hello");
    assert_eq!(hello["protocol"], 1);
    assert!(
        hello["build_id"]
            .as_str()
            .expect("build id")
            .starts_with(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(hello["languages"].as_array().expect("languages").len(), 8);
    assert!(payload.is_empty());

    let mut stdin = w.stdin.take().expect("stdin");
    let source = b"def f(a):\n    return \"quote \\\" and \\u0000\"\n";
    let request = json!({"type": "analyze", "id": 41, "language": "python", "path": "x.py",
                         "encoding": "plain", "deadline_ms": 5000});
    stdin.write_all(&frame(&request, source)).expect("write");
    stdin.flush().expect("flush");
    let (result, payload) = read_frame(&mut stdout).expect("result");
    assert_eq!(result, json!({"type": "result", "id": 41}));
    let outcome: Value = serde_json::from_slice(&payload).expect("outcome json");
    assert_eq!(outcome["outcome"], "analyzed");
    assert_eq!(outcome["functions"][0]["name"], "f");

    drop(stdin);
    let status = w.wait().expect("wait");
    assert!(status.success(), "EOF on stdin ends the worker cleanly");
}

fn expect_error_exit(bytes: &[u8], want: &str) {
    let mut w = worker();
    let mut stdout = w.stdout.take().expect("stdout");
    read_frame(&mut stdout).expect("hello");
    let mut stdin = w.stdin.take().expect("stdin");
    stdin.write_all(bytes).expect("write");
    drop(stdin);
    let (error, _) = read_frame(&mut stdout).expect("error frame");
    assert_eq!(error["type"], "error");
    let message = error["message"].as_str().expect("message");
    assert!(message.contains(want), "{message:?} lacks {want:?}");
    let status = w.wait().expect("wait");
    assert!(!status.success(), "a worker that lost sync exits non-zero");
}

#[test]
fn malformed_and_oversized_frames_get_clear_errors() {
    // Payload length far over the limit: refused before any allocation.
    let mut oversized = Vec::new();
    oversized.extend_from_slice(&2u32.to_be_bytes());
    oversized.extend_from_slice(&u32::MAX.to_be_bytes());
    oversized.extend_from_slice(b"{}");
    expect_error_exit(&oversized, "over the");
    // Zero-length header.
    expect_error_exit(&[0u8; 8], "header length 0 is invalid");
    let mut garbage = Vec::new();
    garbage.extend_from_slice(&5u32.to_be_bytes());
    garbage.extend_from_slice(&0u32.to_be_bytes());
    garbage.extend_from_slice(b"nope!");
    expect_error_exit(&garbage, "malformed frame header");
    // Unknown message type.
    expect_error_exit(
        &frame(&json!({"type": "format_disk"}), b""),
        "malformed frame header",
    );
    // Truncated frame.
    let full = frame(&json!({"type": "shutdown"}), b"");
    expect_error_exit(&full[..full.len() - 2], "stream ended inside a frame");
}

#[test]
fn unknown_language_is_a_failed_outcome_not_a_crash() {
    let mut w = worker();
    let mut stdout = w.stdout.take().expect("stdout");
    read_frame(&mut stdout).expect("hello");
    let mut stdin = w.stdin.take().expect("stdin");
    let request = json!({"type": "analyze", "id": 1, "language": "cobol", "path": "x.cob",
                         "encoding": "plain", "deadline_ms": 5000});
    stdin
        .write_all(&frame(&request, b"IDENTIFICATION DIVISION."))
        .expect("write");
    stdin.flush().expect("flush");
    let (_, payload) = read_frame(&mut stdout).expect("result");
    let outcome: Value = serde_json::from_slice(&payload).expect("json");
    assert_eq!(outcome["outcome"], "failed");
    assert!(
        outcome["reason"]
            .as_str()
            .expect("reason")
            .contains("cobol")
    );
    drop(stdin);
    assert!(w.wait().expect("wait").success());
}
