//! The real binary on a file database: state survives a SIGKILL, timed changes finish on time after a
//! restart, and idempotency tokens are remembered.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(db: &str, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_disk-server"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--db",
                db,
                "--dist",
                "/nonexistent",
                "--demo-snapshots",
                "false",
            ])
            .args(extra)
            .env("DISK_SERVER_LOG", "error")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start disk-server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line.trim().strip_prefix("listening on http://").expect("listening line").to_owned();
        Self { child, addr }
    }

    fn call(&self, method: &str, path: &str, body: &str) -> (u16, Value) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        let status = reply[9..12].parse().unwrap();
        let body = reply.split("\r\n\r\n").nth(1).unwrap_or("");
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    fn kill9(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn temp_db() -> String {
    let p = std::env::temp_dir().join(format!(
        "disk-server-restart-{}-{}.sqlite3",
        std::process::id(),
        fastrand::u64(..)
    ));
    p.to_str().unwrap().to_owned()
}

fn available_disk(s: &Server) -> String {
    let (_, v) =
        s.call("GET", "/v1/regions/cn-north-1/disks?filters.1.name=status&filters.1.values.1=available", "");
    v["result"]["disks"][0]["diskId"].as_str().unwrap().to_owned()
}

#[test]
fn a_snapshot_creating_at_a_sigkill_finishes_on_time_after_restart() {
    let db = temp_db();
    let flags = ["--snapshot-gib-per-sec", "100000", "--snapshot-min-seconds", "3"];
    let s = Server::start(&db, &flags);
    let disk = available_disk(&s);
    let body =
        format!(r#"{{"clientToken":"kill-1","snapshotSpec":{{"name":"survivor","diskId":"{disk}"}}}}"#);
    let created_at = Instant::now();
    let (status, v) = s.call("POST", "/v1/regions/cn-north-1/snapshots", &body);
    assert_eq!(status, 200, "{v}");
    let id = v["result"]["snapshotId"].as_str().unwrap().to_owned();
    s.kill9();

    let s = Server::start(&db, &flags);
    let (status, v) = s.call("GET", &format!("/v1/regions/cn-north-1/snapshots/{id}"), "");
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"]["snapshot"]["status"], "creating");
    assert_eq!(v["result"]["snapshot"]["name"], "survivor");
    // The same token after the restart: the same snapshot, nothing new.
    let (_, again) = s.call("POST", "/v1/regions/cn-north-1/snapshots", &body);
    assert_eq!(again["result"]["snapshotId"], id.as_str());
    let available_after = loop {
        let (_, v) = s.call("GET", &format!("/v1/regions/cn-north-1/snapshots/{id}"), "");
        if v["result"]["snapshot"]["status"] == "available" {
            break created_at.elapsed();
        }
        assert!(created_at.elapsed() < Duration::from_secs(20), "never finished");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(available_after >= Duration::from_secs(3), "finished early: {available_after:?}");
    assert!(available_after < Duration::from_secs(8), "finished late: {available_after:?}");
    let (_, q) = s.call("GET", "/v1/regions/cn-north-1/quotas?type=snapshot", "");
    assert_eq!(q["result"]["quota"]["used"], 1);
    drop(s);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{db}{suffix}"));
    }
}

#[test]
fn a_disk_being_created_or_restored_at_a_sigkill_finishes_after_restart() {
    let db = temp_db();
    let flags = ["--snapshot-gib-per-sec", "100000", "--snapshot-min-seconds", "2"];
    let s = Server::start(&db, &flags);
    let disk = available_disk(&s);
    let snap = format!(r#"{{"clientToken":"kd-1","snapshotSpec":{{"name":"base","diskId":"{disk}"}}}}"#);
    let (_, v) = s.call("POST", "/v1/regions/cn-north-1/snapshots", &snap);
    let snapshot = v["result"]["snapshotId"].as_str().unwrap().to_owned();
    let wait = |s: &Server, path: &str, key: &str, status: &str| {
        let t0 = Instant::now();
        loop {
            let (_, v) = s.call("GET", path, "");
            if v["result"][key]["status"] == status {
                return;
            }
            assert!(t0.elapsed() < Duration::from_secs(20), "{path} never {status}: {v}");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait(&s, &format!("/v1/regions/cn-north-1/snapshots/{snapshot}"), "snapshot", "available");
    let (_, d) = s.call("GET", &format!("/v1/regions/cn-north-1/disks/{disk}"), "");
    let az = d["result"]["disk"]["az"].as_str().unwrap().to_owned();
    let size = d["result"]["disk"]["diskSizeGB"].as_u64().unwrap();
    let create = format!(
        r#"{{"clientToken":"kd-2","maxCount":1,"diskSpec":{{"az":"{az}","name":"copy","diskType":"ssd.gp1","diskSizeGB":{},"snapshotId":"{snapshot}"}}}}"#,
        size.max(20).div_ceil(10) * 10
    );
    let (status, v) = s.call("POST", "/v1/regions/cn-north-1/disks", &create);
    assert_eq!(status, 200, "{v}");
    let copy = v["result"]["diskIds"][0].as_str().unwrap().to_owned();
    let (status, v) = s.call(
        "POST",
        &format!("/v1/regions/cn-north-1/disks/{disk}:restore"),
        &format!(r#"{{"snapshotId":"{snapshot}"}}"#),
    );
    assert_eq!(status, 200, "{v}");
    s.kill9();

    let s = Server::start(&db, &flags);
    let (_, v) = s.call("GET", &format!("/v1/regions/cn-north-1/disks/{copy}"), "");
    assert_eq!(v["result"]["disk"]["status"], "creating", "{v}");
    let (_, v) = s.call("GET", &format!("/v1/regions/cn-north-1/disks/{disk}"), "");
    assert_eq!(v["result"]["disk"]["status"], "restoring", "{v}");
    let (_, again) = s.call("POST", "/v1/regions/cn-north-1/disks", &create);
    assert_eq!(
        again["result"]["diskIds"][0],
        copy.as_str(),
        "the same token after the restart: the same disk"
    );
    wait(&s, &format!("/v1/regions/cn-north-1/disks/{copy}"), "disk", "available");
    wait(&s, &format!("/v1/regions/cn-north-1/disks/{disk}"), "disk", "available");
    drop(s);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{db}{suffix}"));
    }
}
