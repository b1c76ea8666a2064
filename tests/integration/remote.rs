//! The remote cache tier: a real `redis-server` on a unix socket in a temp dir, shared by
//! "machines" that are scans with cache directories of their own.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cache::cache_dir;
use crate::util::{astscan, backends, mixed_project, normalised, skip};

/// A `redis-server` of a test's own; stopped on drop.
struct Redis {
    child: Child,
    socket: PathBuf,
    dir: tempfile::TempDir,
}

impl Drop for Redis {
    fn drop(&mut self) {
        // A test may leave it stopped (SIGSTOP): SIGKILL ends it anyway.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Redis {
    /// Starts a server with `extra` options, or says why it cannot (`None`: the test skips).
    fn start(extra: &[&str]) -> Option<Redis> {
        let dir = cache_dir();
        let socket = dir.path().join("redis.sock");
        let child = Command::new("redis-server")
            .args(["--port", "0", "--unixsocket"])
            .arg(&socket)
            .args([
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .args(["--dir"])
            .arg(dir.path())
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match child {
            Ok(c) => c,
            Err(e) => {
                skip(format!("redis-server cannot be started: {e}"));
                return None;
            }
        };
        let redis = Redis { child, socket, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        while UnixStream::connect(&redis.socket).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not listen");
            std::thread::sleep(Duration::from_millis(10));
        }
        Some(redis)
    }

    fn url(&self) -> String {
        format!("redis+unix://{}", self.socket.display())
    }

    /// A connection for the test's own commands.
    fn client(&self, password: Option<&str>) -> redis::Connection {
        let mut url = self.url();
        if let Some(p) = password {
            url.push_str(&format!("?pass={p}"));
        }
        redis::Client::open(url.as_str())
            .unwrap()
            .get_connection()
            .unwrap()
    }

    /// The keys astscan wrote.
    fn entries(&self) -> Vec<String> {
        let mut keys: Vec<String> = redis::cmd("KEYS")
            .arg("astscan:*")
            .query(&mut self.client(None))
            .unwrap();
        keys.sort();
        keys
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {sig}");
    }
}

/// A team key file: 32 random bytes, hex, mode 0600.
fn key_file(dir: &Path, name: &str) -> PathBuf {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).unwrap();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let path = dir.join(name);
    std::fs::write(&path, format!("{hex}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

/// One machine: a scan of `tree` with its own local cache directory `cache`, sharing the
/// server at `url` under the team key `key` (if any).
fn machine(tree: &Path, cache: &Path, url: &str, key: Option<&Path>, args: &[&str]) -> Command {
    let mut cmd = astscan(tree);
    cmd.env_remove("ASTSCAN_NO_CACHE")
        .env("ASTSCAN_CACHE_DIR", cache)
        .env("ASTSCAN_CACHE_URL", url)
        .env_remove("ASTSCAN_CACHE_KEY_FILE")
        .env_remove("ASTSCAN_CACHE_PASSWORD")
        .args(["analyze", "--daemon", "never", "--format", "json"])
        .args(args)
        .arg(".");
    if let Some(key) = key {
        cmd.env("ASTSCAN_CACHE_KEY_FILE", key);
    }
    cmd
}

fn report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn run(cmd: &mut Command) -> (Value, Output) {
    let out = cmd.output().unwrap();
    (report(&out), out)
}

fn remote(report: &Value) -> &Value {
    &report["summary"]["remote"]
}

fn count(report: &Value, field: &str) -> u64 {
    remote(report)[field]
        .as_u64()
        .unwrap_or_else(|| panic!("summary.remote.{field} in {}", report["summary"]))
}

/// Files of a report that were parsed (and so have a cache entry).
fn parsed(report: &Value) -> u64 {
    report["summary"]["parsed"].as_u64().unwrap()
        + report["summary"]["parsed_with_errors"].as_u64().unwrap()
}

/// The same tree scanned without any cache, the reference every remote scan must equal.
fn reference(tree: &Path) -> Value {
    let out = astscan(tree)
        .args(["analyze", "--daemon", "never", "--format", "json", "."])
        .output()
        .unwrap();
    report(&out)
}

/// A copy of `tree` at another path, as another machine's checkout.
fn copy_tree(tree: &Path) -> tempfile::TempDir {
    let other = tempfile::tempdir().unwrap();
    let ok = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", tree.display()))
        .arg(other.path())
        .status()
        .unwrap()
        .success();
    assert!(ok);
    other
}

#[test]
fn a_second_machine_is_answered_from_redis_for_every_file() {
    let Some(redis) = Redis::start(&[]) else {
        return;
    };
    let key = key_file(redis.dir.path(), "team.key");
    let tree = mixed_project(12);
    let cold = reference(tree.path());

    let (a, out) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&key),
        &[],
    ));
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = parsed(&a);
    assert_eq!(n, 16);
    assert_eq!(count(&a, "misses"), n);
    assert_eq!(count(&a, "written"), n);
    assert_eq!(redis.entries().len() as u64, n);
    assert!(redis.entries().iter().all(|k| k.starts_with("astscan:")));
    // Written with the default lifetime, 30 days.
    let ttl: i64 = redis::cmd("TTL")
        .arg(&redis.entries()[0])
        .query(&mut redis.client(None))
        .unwrap();
    assert!((30 * 86400 - 60..=30 * 86400).contains(&ttl), "{ttl}");
    assert_eq!(normalised(a.clone()), normalised(cold.clone()));

    // Another checkout path, another (empty) local cache: every file comes from Redis.
    let elsewhere = copy_tree(tree.path());
    let b_cache = cache_dir();
    let (b, out) = run(&mut machine(
        elsewhere.path(),
        b_cache.path(),
        &redis.url(),
        Some(&key),
        &[],
    ));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(count(&b, "hits"), n, "{}", b["summary"]);
    assert_eq!(count(&b, "rejected"), 0);
    assert_eq!(count(&b, "written"), 0);
    assert!(remote(&b)["keys_per_round_trip"].as_f64().unwrap() >= 1.0);
    assert_eq!(b["summary"]["from_cache"], n);
    let served: Vec<String> = backends(&b).into_iter().filter(|b| b != "none").collect();
    assert_eq!(served, vec!["remote".to_string(); n as usize]);
    assert_eq!(normalised(b), normalised(cold.clone()));
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // What came from Redis is in the local cache now.
    let (c, _) = run(&mut machine(
        elsewhere.path(),
        b_cache.path(),
        &redis.url(),
        Some(&key),
        &[],
    ));
    let served: Vec<String> = backends(&c).into_iter().filter(|b| b != "none").collect();
    assert_eq!(served, vec!["cache".to_string(); n as usize]);
    assert_eq!(normalised(c), normalised(cold));
}

#[test]
fn entries_not_made_under_the_team_key_are_rejected_never_used() {
    let Some(redis) = Redis::start(&[]) else {
        return;
    };
    let ours = key_file(redis.dir.path(), "ours.key");
    let theirs = key_file(redis.dir.path(), "theirs.key");
    let tree = mixed_project(8);
    let cold = reference(tree.path());

    // Someone with another key fills the server.
    let (filled, _) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&theirs),
        &[],
    ));
    let n = parsed(&filled);
    assert_eq!(count(&filled, "written"), n);
    let (b, _) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&ours),
        &[],
    ));
    assert_eq!(count(&b, "rejected"), n, "{}", b["summary"]);
    assert_eq!(count(&b, "hits"), 0);
    assert!(backends(&b).iter().all(|b| b != "remote"));
    assert_eq!(normalised(b), normalised(cold.clone()));

    // Our own entries, then altered on the server: a result emptied of its findings with the
    // tag left as it was, entries cut short, and entries of another format version.
    let (_, _) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&ours),
        &[],
    ));
    let mut con = redis.client(None);
    let keys = redis.entries();
    assert_eq!(keys.len() as u64, n);
    for (i, k) in keys.iter().enumerate() {
        let value: Vec<u8> = redis::cmd("GET").arg(k).query(&mut con).unwrap();
        let altered = match i % 3 {
            0 => {
                let text = String::from_utf8_lossy(&value[40..]).into_owned();
                let forged = text.replace("\"findings\":[{", "\"findings\":[],\"x\":[{");
                let mut v = value[..40].to_vec();
                v.extend_from_slice(if forged == text {
                    b"{}"
                } else {
                    forged.as_bytes()
                });
                v
            }
            1 => value[..value.len() / 2].to_vec(),
            _ => {
                let mut v = value.clone();
                v[7] = 2;
                v
            }
        };
        let _: () = redis::cmd("SET")
            .arg(k)
            .arg(altered)
            .query(&mut con)
            .unwrap();
    }
    let (c, out) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&ours),
        &[],
    ));
    assert_eq!(count(&c, "rejected"), n, "{}", c["summary"]);
    assert_eq!(count(&c, "hits"), 0);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(normalised(c.clone()), normalised(cold));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.is_empty(), "{text}");
}

#[test]
fn without_a_safe_team_key_the_remote_cache_is_off_or_read_only_when_asked() {
    let Some(redis) = Redis::start(&[]) else {
        return;
    };
    let tree = mixed_project(4);
    let cold = reference(tree.path());

    let (a, out) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        None,
        &[],
    ));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("not used: no team key (--cache-key-file"),
        "{text}"
    );
    assert!(a["summary"].get("remote").is_none());
    assert!(redis.entries().is_empty());
    assert_eq!(normalised(a), normalised(cold.clone()));

    let open_key = key_file(redis.dir.path(), "open.key");
    std::fs::set_permissions(&open_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (_, out) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&open_key),
        &[],
    ));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("open to group or others"), "{text}");
    assert!(redis.entries().is_empty());

    // Read-only without a key: it reads what a keyed machine wrote, and writes nothing.
    let (_, out) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        None,
        &["--cache-unauthenticated"],
    ));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        redis.entries().is_empty(),
        "unauthenticated use wrote entries"
    );
    let key = key_file(redis.dir.path(), "team.key");
    let (filled, _) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&key),
        &[],
    ));
    let n = parsed(&filled);
    let (r, _) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        None,
        &["--cache-unauthenticated"],
    ));
    assert_eq!(count(&r, "hits"), n);
    assert_eq!(normalised(r), normalised(cold));
}

#[test]
fn a_wrong_or_missing_password_is_a_warning_and_never_printed() {
    let Some(redis) = Redis::start(&["--requirepass", "opensesame-7f3a"]) else {
        return;
    };
    let key = key_file(redis.dir.path(), "team.key");
    let tree = mixed_project(4);
    let cold = reference(tree.path());
    for (password, says) in [
        (Some("wrong-password-91"), "refused the credentials"),
        (None, "NOAUTH"),
    ] {
        let mut cmd = machine(
            tree.path(),
            cache_dir().path(),
            &redis.url(),
            Some(&key),
            &[],
        );
        if let Some(p) = password {
            cmd.env("ASTSCAN_CACHE_PASSWORD", p);
        }
        let (r, out) = run(&mut cmd);
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stderr);
        assert!(
            text.contains(says) && text.contains("continuing without it"),
            "{text}"
        );
        assert_eq!(text.matches("remote cache").count(), 1, "{text}");
        assert!(r["summary"]["remote"]["off"].is_string());
        let all = format!("{text}{}", String::from_utf8_lossy(&out.stdout));
        assert!(!all.contains("wrong-password-91") && !all.contains("opensesame"));
        assert_eq!(normalised(r), normalised(cold.clone()));
    }
    // The right one, from the environment.
    let mut cmd = machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&key),
        &[],
    );
    cmd.env("ASTSCAN_CACHE_PASSWORD", "opensesame-7f3a");
    let (r, out) = run(&mut cmd);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&r, "written"), parsed(&r));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("opensesame"));
}

#[test]
fn a_server_that_is_not_there_changes_nothing_but_a_warning() {
    let dir = cache_dir();
    let key = key_file(dir.path(), "team.key");
    let tree = mixed_project(4);
    let cold = reference(tree.path());
    let url = format!("redis+unix://{}/absent.sock", dir.path().display());
    let (r, out) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &url,
        Some(&key),
        &[],
    ));
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("cannot connect") && text.contains("continuing without it"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(r["summary"]["remote"]["off"].is_string());
    assert_eq!(normalised(r), normalised(cold));
}

/// Scans a large tree while `trouble` happens to the server once the scan has started
/// writing to it, and checks the scan ends with the findings of a scan without it.
fn survives(redis: &Redis, trouble: impl FnOnce(&Redis)) -> Value {
    let key = key_file(redis.dir.path(), "team.key");
    let tree = mixed_project(600);
    let cold = reference(tree.path());
    let started = Instant::now();
    let mut child = machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&key),
        &["--jobs", "1"],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).unwrap();
        buf
    });
    // Wait until the scan has stored something: it is under way.
    let mut con = redis.client(None);
    loop {
        let n: u64 = redis::cmd("DBSIZE").query(&mut con).unwrap();
        if n > 0 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the scan ended before writing"
        );
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the scan ended too soon to test"
    );
    trouble(redis);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let report: Value = serde_json::from_slice(&reader.join().unwrap()).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(normalised(report.clone()), normalised(cold));
    assert_eq!(report["summary"]["files"], 604);
    // A hang would be caught here; the bound itself is measured by the benchmark.
    assert!(started.elapsed() < Duration::from_secs(120));
    report
}

#[test]
fn a_server_killed_mid_scan_costs_nothing_but_its_results() {
    let Some(redis) = Redis::start(&[]) else {
        return;
    };
    let report = survives(&redis, |r| r.signal("-KILL"));
    assert!(report["summary"]["remote"]["errors"].as_u64().unwrap() > 0);
    assert!(report["summary"]["remote"]["off"].is_string());
}

#[test]
fn a_server_paused_mid_scan_is_given_up_after_a_bounded_wait() {
    let Some(redis) = Redis::start(&[]) else {
        return;
    };
    let report = survives(&redis, |r| r.signal("-STOP"));
    assert!(report["summary"]["remote"]["off"].is_string());
    redis.signal("-CONT");
}

#[test]
fn a_server_that_refuses_writes_is_still_read_and_the_scan_completes() {
    // A memory limit below what an empty server uses: every write is refused (`OOM`), reads
    // are answered.
    let Some(redis) = Redis::start(&["--maxmemory", "1", "--maxmemory-policy", "noeviction"])
    else {
        return;
    };
    let key = key_file(redis.dir.path(), "team.key");
    let tree = mixed_project(6);
    let cold = reference(tree.path());
    let (r, out) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&key),
        &[],
    ));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(count(&r, "written"), 0, "{}", r["summary"]);
    assert_eq!(count(&r, "dropped"), parsed(&r));
    assert!(
        r["summary"]["remote"].get("off").is_none(),
        "refused writes are not an outage"
    );
    assert_eq!(normalised(r), normalised(cold));
    assert!(redis.entries().is_empty());
}

#[test]
fn cache_clear_remote_removes_this_builds_entries_and_nothing_else() {
    let Some(redis) = Redis::start(&[]) else {
        return;
    };
    let key = key_file(redis.dir.path(), "team.key");
    let tree = mixed_project(3);
    let (r, _) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&key),
        &[],
    ));
    let n = parsed(&r);
    let mut con = redis.client(None);
    let _: () = redis::cmd("SET")
        .arg("astscan:0.0.1+elsewhere:00")
        .arg("x")
        .query(&mut con)
        .unwrap();
    let _: () = redis::cmd("SET")
        .arg("unrelated")
        .arg("x")
        .query(&mut con)
        .unwrap();

    let stats = |dir: &Path| {
        let out = astscan(dir)
            .env("ASTSCAN_CACHE_DIR", dir)
            .args(["cache", "stats", "--json", "--cache-url", &redis.url()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let local = cache_dir();
    assert_eq!(stats(local.path())["remote"]["entries"], n);

    let out = astscan(local.path())
        .env("ASTSCAN_CACHE_DIR", local.path())
        .args(["cache", "clear", "--remote", "--cache-url", &redis.url()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(&format!("removed {n} entries")), "{text}");
    assert_eq!(stats(local.path())["remote"]["entries"], 0);
    let mut left: Vec<String> = redis::cmd("KEYS").arg("*").query(&mut con).unwrap();
    left.sort();
    assert_eq!(left, ["astscan:0.0.1+elsewhere:00", "unrelated"]);

    let out = astscan(local.path())
        .args(["cache", "clear", "--remote"])
        .env_remove("ASTSCAN_CACHE_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--remote needs the server"));
}

#[test]
fn a_daemon_uses_the_remote_tier_behind_memory_and_disk() {
    let Some(redis) = Redis::start(&[]) else {
        return;
    };
    let key = key_file(redis.dir.path(), "team.key");
    let tree = mixed_project(5);
    let (filled, _) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &redis.url(),
        Some(&key),
        &[],
    ));
    let n = parsed(&filled);

    let run_dir = cache_dir();
    let socket = run_dir.path().join("d.sock");
    let daemon_cache = cache_dir();
    let mut daemon = astscan(run_dir.path())
        .env_remove("ASTSCAN_NO_CACHE")
        .args(["daemon", "--socket"])
        .arg(&socket)
        .args(["--workers", "1", "--cache-dir"])
        .arg(daemon_cache.path())
        .args(["--cache-url", &redis.url(), "--cache-key-file"])
        .arg(&key)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while UnixStream::connect(&socket).is_err() {
        assert!(Instant::now() < deadline, "the daemon did not listen");
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = astscan(tree.path())
        .args([
            "analyze", "--format", "json", "--daemon", "always", "--socket",
        ])
        .arg(&socket)
        .arg(".")
        .output()
        .unwrap();
    let r = report(&out);
    assert_eq!(normalised(r.clone()), normalised(filled));
    let status = astscan(run_dir.path())
        .args(["daemon", "status", "--json", "--socket"])
        .arg(&socket)
        .output()
        .unwrap();
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["remote_cache"]["hits"], n, "{status}");
    assert_eq!(status["remote_cache"]["rejected"], 0);
    let text = astscan(run_dir.path())
        .args(["daemon", "status", "--socket"])
        .arg(&socket)
        .output()
        .unwrap()
        .stdout;
    assert!(
        String::from_utf8_lossy(&text)
            .contains(&format!("remote cache: {} ({n} hits", redis.url()))
    );
    let _ = daemon.kill();
    let _ = daemon.wait();
    // Served from Redis through the daemon, the files were not parsed again.
    assert!(
        backends(&r)
            .iter()
            .all(|b| b == "daemon_cache" || b == "none"),
        "{:?}",
        backends(&r)
    );
}

/// Makes a CA and a server certificate for `localhost` signed by it in `dir` with the
/// `openssl` command; returns (CA certificate, server certificate, server key).
fn certificates(dir: &Path) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let openssl = |args: &[&str]| {
        Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    std::fs::write(dir.join("ext"), "subjectAltName=DNS:localhost\n").unwrap();
    let made = openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=astscan test CA",
    ]) && openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "srv.key",
        "-out",
        "srv.csr",
        "-subj",
        "/CN=localhost",
    ]) && openssl(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.crt",
        "-days",
        "2",
        "-extfile",
        "ext",
    ]);
    if !made {
        skip("openssl cannot make test certificates");
        return None;
    }
    Some((dir.join("ca.crt"), dir.join("srv.crt"), dir.join("srv.key")))
}

#[test]
fn rediss_urls_speak_tls_and_refuse_a_server_they_cannot_verify() {
    let certs = cache_dir();
    let Some((ca, cert, key)) = certificates(certs.path()) else {
        return;
    };
    // A free port: bound, read, released for the server.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let (cert, key_path, ca_path) = (
        cert.to_str().unwrap().to_string(),
        key.to_str().unwrap().to_string(),
        ca.to_str().unwrap().to_string(),
    );
    let Some(redis) = Redis::start(&[
        "--tls-port",
        &port,
        "--tls-cert-file",
        &cert,
        "--tls-key-file",
        &key_path,
        "--tls-ca-cert-file",
        &ca_path,
        "--tls-auth-clients",
        "no",
    ]) else {
        return;
    };
    let team = key_file(redis.dir.path(), "team.key");
    let url = format!("rediss://localhost:{port}");
    let tree = mixed_project(3);
    let cold = reference(tree.path());

    // Trusting the test CA (rustls reads the roots SSL_CERT_FILE names).
    let mut trusted = machine(tree.path(), cache_dir().path(), &url, Some(&team), &[]);
    trusted.env("SSL_CERT_FILE", &ca);
    let (r, out) = run(&mut trusted);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&r, "written"), parsed(&r));
    assert_eq!(redis.entries().len() as u64, parsed(&r));

    // Not trusting it: off, with the reason, and the same results.
    let mut untrusted = machine(tree.path(), cache_dir().path(), &url, Some(&team), &[]);
    untrusted.env("SSL_CERT_FILE", certs.path().join("srv.csr"));
    let (r, out) = run(&mut untrusted);
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("certificate"), "{text}");
    assert_eq!(count(&r, "hits"), 0);
    assert_eq!(normalised(r), normalised(cold));
}

#[test]
fn plain_tcp_urls_and_cache_ttl_work() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let Some(redis) = Redis::start(&["--port", &port, "--bind", "127.0.0.1"]) else {
        return;
    };
    let key = key_file(redis.dir.path(), "team.key");
    let url = format!("redis://127.0.0.1:{port}/3");
    let tree = mixed_project(2);
    let (r, out) = run(&mut machine(
        tree.path(),
        cache_dir().path(),
        &url,
        Some(&key),
        &["--cache-ttl", "2h"],
    ));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&r, "written"), parsed(&r));
    assert_eq!(remote(&r)["server"], format!("redis://127.0.0.1:{port}/3"));
    // In database 3, with the lifetime asked for.
    let mut con = redis::Client::open(url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg("astscan:*").query(&mut con).unwrap();
    assert_eq!(keys.len() as u64, parsed(&r));
    let ttl: i64 = redis::cmd("TTL").arg(&keys[0]).query(&mut con).unwrap();
    assert!((7200 - 60..=7200).contains(&ttl), "{ttl}");
    assert!(redis.entries().is_empty(), "nothing in database 0");
}
