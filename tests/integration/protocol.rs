//! The worker protocol spoken to a real `astscan worker` process: handshake, a request, and
//! malformed or oversized frames, which must produce a clear error rather than a hang.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use astscan::seal::{Sealer, SessionId, SessionKey};

use crate::util::bin;

const SESSION_ID: [u8; 16] = [7; 16];

fn sealer() -> Sealer {
    Sealer::new(
        SessionId::from_bytes(SESSION_ID),
        SessionKey::from_bytes([9; 32]),
    )
}

/// The frame that gives a worker its session: id in the header, key as the payload.
fn session_frame() -> Vec<u8> {
    let sealer = sealer();
    frame(
        &json!({"type": "session", "session_id": sealer.session_id().to_string()}),
        sealer.session_key().expose_secret(),
    )
}

fn analyze(id: u64, language: &str, envelope: &[u8]) -> Vec<u8> {
    let request = json!({"type": "analyze", "id": id, "language": language, "path": "x.src",
                         "encoding": "sealed_v1", "deadline_ms": 5000});
    frame(&request, envelope)
}

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
    assert_eq!(hello["protocol"], 3);
    assert!(
        hello["build_id"]
            .as_str()
            .expect("build id")
            .starts_with(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(hello["languages"].as_array().expect("languages").len(), 8);
    assert!(payload.is_empty());

    let mut stdin = w.stdin.take().expect("stdin");
    stdin.write_all(&session_frame()).expect("write");
    let source = b"def f(a):\n    return \"quote \\\" and \\u0000\"\n";
    let envelope = sealer().seal(source).expect("seal");
    stdin
        .write_all(&analyze(41, "python", &envelope))
        .expect("write");
    stdin.flush().expect("flush");
    let (result, payload) = read_frame(&mut stdout).expect("result");
    assert_eq!(result, json!({"type": "result", "id": 41}));
    let outcome: Value = serde_json::from_slice(&payload).expect("outcome json");
    assert_eq!(
        outcome["analyzed"]["functions"][0]["name"], "f",
        "{outcome}"
    );

    drop(stdin);
    let status = w.wait().expect("wait");
    assert!(status.success(), "EOF on stdin ends the worker cleanly");
}

fn expect_error_exit(bytes: &[u8], want: &str) {
    let mut w = worker();
    let mut stdout = w.stdout.take().expect("stdout");
    read_frame(&mut stdout).expect("hello");
    let mut stdin = w.stdin.take().expect("stdin");
    stdin.write_all(&session_frame()).expect("write");
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
    stdin.write_all(&session_frame()).expect("write");
    let envelope = sealer().seal(b"IDENTIFICATION DIVISION.").expect("seal");
    stdin
        .write_all(&analyze(1, "cobol", &envelope))
        .expect("write");
    stdin.flush().expect("flush");
    let (_, payload) = read_frame(&mut stdout).expect("result");
    let outcome: Value = serde_json::from_slice(&payload).expect("json");
    assert!(
        outcome["failed"]["reason"]
            .as_str()
            .expect("reason")
            .contains("cobol")
    );
    assert_eq!(outcome["failed"]["kind"], "worker", "{outcome}");
    drop(stdin);
    assert!(w.wait().expect("wait").success());
}

#[test]
fn a_worker_refuses_bad_envelopes_and_keeps_serving() {
    let mut w = worker();
    let mut stdout = w.stdout.take().expect("stdout");
    read_frame(&mut stdout).expect("hello");
    let mut stdin = w.stdin.take().expect("stdin");
    stdin.write_all(&session_frame()).expect("write");
    let sealer = sealer();
    let good = sealer.seal(b"x = 1\n").expect("seal");
    let mut tampered = sealer.seal(b"y = 2\n").expect("seal");
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let other_session = Sealer::new(
        SessionId::from_bytes([8; 16]),
        SessionKey::from_bytes([9; 32]),
    )
    .seal(b"z = 3\n")
    .expect("seal");
    let cases: [(&[u8], &str); 5] = [
        (&tampered, "tampered chunk 1 of 1"),
        (&other_session, "another session"),
        (b"plain source, not an envelope", "truncated envelope"),
        (&good, "analyzed"),
        // The same envelope again: a replay within the session.
        (&good, "replayed file id"),
    ];
    for (id, (payload, want)) in cases.iter().enumerate() {
        stdin
            .write_all(&analyze(id as u64, "python", payload))
            .expect("write");
        stdin.flush().expect("flush");
        let (result, body) = read_frame(&mut stdout).expect("result");
        assert_eq!(result["id"], id as u64);
        let outcome: Value = serde_json::from_slice(&body).expect("json");
        if *want == "analyzed" {
            assert!(outcome["analyzed"].is_object(), "{outcome}");
        } else {
            let reason = outcome["failed"]["reason"].as_str().expect("reason");
            assert!(
                reason.contains("envelope of x.src rejected") && reason.contains(want),
                "{reason}"
            );
            // Receivers act on the code, never on the wording.
            assert_eq!(outcome["failed"]["kind"], "envelope_rejected", "{outcome}");
        }
    }
    drop(stdin);
    assert!(w.wait().expect("wait").success());
}

#[test]
fn a_worker_without_a_session_refuses_to_work() {
    let mut w = worker();
    let mut stdout = w.stdout.take().expect("stdout");
    read_frame(&mut stdout).expect("hello");
    let mut stdin = w.stdin.take().expect("stdin");
    let envelope = sealer().seal(b"x = 1\n").expect("seal");
    stdin
        .write_all(&analyze(1, "python", &envelope))
        .expect("write");
    drop(stdin);
    let (error, _) = read_frame(&mut stdout).expect("error frame");
    assert_eq!(error["type"], "error");
    assert!(
        error["message"]
            .as_str()
            .expect("message")
            .contains("session"),
        "{error}"
    );
    assert!(!w.wait().expect("wait").success());
}
