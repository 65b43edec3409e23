//! The signing gateway over real sockets: disk-server binaries (a gateway and a signature-checking emulator,
//! or a stub cloud) on loopback ports, driven by an HTTP client. Every request count and wait is bounded.

use disk_server::sign;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const AK: &str = "AKGATEWAYTEST0001";
/// Characters that base64 and URL encoding change, so each encoded form is searched for separately.
const SK: &str = "sk/Gateway+Test=Secret~0001";

/// A disk-server child process: its address and everything it wrote to stderr.
struct Server {
    child: Child,
    url: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_disk-server"));
        cmd.args(["--listen", "127.0.0.1:0", "--dist", "/nonexistent", "--demo-snapshots", "false"])
            .args(args)
            .env_remove("JDCLOUD_ACCESS_KEY_ID")
            .env_remove("JDCLOUD_ACCESS_KEY_SECRET")
            .env_remove("JDCLOUD_SECURITY_TOKEN")
            .env("HOME", std::env::temp_dir().join("disk-server-gateway-test-home"))
            .env("DISK_SERVER_LOG", "disk_server=debug")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("disk-server starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| {
            std::thread::sleep(Duration::from_millis(200));
            panic!("no address: {line:?}; stderr: {}", stderr.lock().unwrap())
        });
        Server { url: url.to_owned(), child, stderr }
    }

    /// An emulator that checks signatures with the account's keys.
    fn cloud() -> Server {
        Server::start(
            &[
                "--db",
                ":memory:",
                "--verify-signatures",
                "--operation-seconds",
                "0.3",
                "--snapshot-min-seconds",
                "0.5",
                "--snapshot-gib-per-sec",
                "1000",
            ],
            &[("JDCLOUD_ACCESS_KEY_ID", AK), ("JDCLOUD_ACCESS_KEY_SECRET", SK)],
        )
    }

    /// A gateway to `upstream` with the account's keys (or others).
    fn gateway(upstream: &str, secret: &str, args: &[&str]) -> Server {
        let mut all = vec!["--backend", "jdcloud", "--jdcloud-endpoint", upstream];
        all.extend_from_slice(args);
        Server::start(&all, &[("JDCLOUD_ACCESS_KEY_ID", AK), ("JDCLOUD_ACCESS_KEY_SECRET", secret)])
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    request_id_header: String,
    body: Value,
    text: String,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap()
}

async fn call(
    c: &reqwest::Client,
    method: &str,
    url: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Reply {
    let mut req = c.request(method.parse().unwrap(), url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    let resp = req.send().await.expect("an answer");
    let status = resp.status().as_u16();
    let request_id_header =
        resp.headers().get("x-jdcloud-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, request_id_header, body, text }
}

/// Waits (bounded) until `f` holds.
async fn eventually<F: std::future::Future<Output = bool>>(what: &str, mut f: impl FnMut() -> F) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn api_count(c: &reqwest::Client, cloud: &Server) -> u64 {
    call(c, "GET", &format!("{}/_emulator/requests", cloud.url), None, &[]).await.body["api"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn every_forwarded_operation_reaches_a_signature_checking_cloud() {
    let cloud = Server::cloud();
    let audit = std::env::temp_dir().join(format!("gateway-audit-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&audit);
    let gw = Server::gateway(&cloud.url, SK, &["--audit-log", audit.to_str().unwrap()]);
    let c = client();
    let mut texts = Vec::new();
    let api = |rest: &str| format!("{}/v1/regions/cn-north-1/{rest}", gw.url);

    // The cloud itself refuses what is not signed.
    let direct = call(&c, "GET", &format!("{}/v1/regions/cn-north-1/disks", cloud.url), None, &[]).await;
    assert_eq!(direct.status, 401, "{}", direct.text);
    assert_eq!(direct.body["error"]["status"], "ACCESS_ERROR");

    // describeDisks, describeDisk, describeQuota, describeInstances, describeSnapshots.
    let disks = call(&c, "GET", &api("disks?pageSize=100"), None, &[]).await;
    assert_eq!(disks.status, 200, "{}", disks.text);
    assert_eq!(
        disks.request_id_header,
        disks.body["requestId"].as_str().unwrap(),
        "JD's requestId passes through"
    );
    let all = disks.body["result"]["disks"].as_array().unwrap().clone();
    let free =
        all.iter().find(|d| d["status"] == "available").unwrap()["diskId"].as_str().unwrap().to_owned();
    let attached = all.iter().find(|d| d["status"] == "in-use").unwrap().clone();
    let attached_id = attached["diskId"].as_str().unwrap().to_owned();
    let instance = attached["attachments"][0]["instanceId"].as_str().unwrap().to_owned();
    for path in
        [format!("disks/{free}"), "quotas?type=snapshot".into(), "instances".into(), "snapshots".into()]
    {
        let r = call(&c, "GET", &api(&path), None, &[]).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        texts.push(r.text);
    }

    // createSnapshot, describeSnapshot, modifySnapshotAttribute, then to available and deleteSnapshot.
    let create = |token: &str, name: &str| json!({"clientToken": token, "snapshotSpec": {"diskId": free, "name": name, "description": "through the gateway"}});
    let created = call(&c, "POST", &api("snapshots"), Some(create("gw-token-1", "gw-snap-1")), &[]).await;
    assert_eq!(created.status, 200, "{}", created.text);
    let id = created.body["result"]["snapshotId"].as_str().unwrap().to_owned();
    let patched =
        call(&c, "PATCH", &api(&format!("snapshots/{id}")), Some(json!({"name": "gw-renamed"})), &[]).await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    eventually("the snapshot to be available", || {
        let (c, url) = (c.clone(), api(&format!("snapshots/{id}")));
        async move {
            let r = call(&c, "GET", &url, None, &[]).await;
            r.body["result"]["snapshot"]["status"] == "available"
                && r.body["result"]["snapshot"]["name"] == "gw-renamed"
        }
    })
    .await;
    let deleted = call(&c, "DELETE", &api(&format!("snapshots/{id}")), None, &[]).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);

    // deleteSnapshots, several at once.
    let mut ids = Vec::new();
    for i in 2..4 {
        let r = call(
            &c,
            "POST",
            &api("snapshots"),
            Some(create(&format!("gw-token-{i}"), &format!("gw-snap-{i}"))),
            &[],
        )
        .await;
        ids.push(r.body["result"]["snapshotId"].as_str().unwrap().to_owned());
    }
    eventually("both to be available", || {
        let (c, url) = (c.clone(), api("snapshots?filters.1.name=status&filters.1.values.1=available"));
        async move { call(&c, "GET", &url, None, &[]).await.body["result"]["totalCount"].as_u64() == Some(2) }
    })
    .await;
    let many = call(
        &c,
        "DELETE",
        &api(&format!("snapshots?snapshotIds.1={}&snapshotIds.2={}", ids[0], ids[1])),
        None,
        &[],
    )
    .await;
    assert_eq!(many.status, 200, "{}", many.text);

    // detachDisk and attachDisk (the VM service; ':' as sent by the console, %3A, and raw).
    let detach = call(
        &c,
        "POST",
        &api(&format!("instances/{instance}%3AdetachDisk")),
        Some(json!({"diskId": attached_id})),
        &[],
    )
    .await;
    assert_eq!(detach.status, 200, "{}", detach.text);
    eventually("the disk to be detached", || {
        let (c, url) = (c.clone(), api(&format!("disks/{attached_id}")));
        async move { call(&c, "GET", &url, None, &[]).await.body["result"]["disk"]["status"] == "available" }
    })
    .await;
    let attach = call(
        &c,
        "POST",
        &api(&format!("instances/{instance}:attachDisk")),
        Some(json!({"diskId": attached_id})),
        &[],
    )
    .await;
    assert_eq!(attach.status, 200, "{}", attach.text);
    texts.extend([disks.text, created.text, patched.text, deleted.text, many.text, detach.text, attach.text]);

    // createDisks from a snapshot (its clientToken makes a repeat safe) and restoreDisk (':' as %3A).
    let base = call(&c, "POST", &api("snapshots"), Some(create("gw-token-9", "gw-base")), &[]).await;
    let base_id = base.body["result"]["snapshotId"].as_str().unwrap().to_owned();
    eventually("the base snapshot to be available", || {
        let (c, url) = (c.clone(), api(&format!("snapshots/{base_id}")));
        async move { call(&c, "GET", &url, None, &[]).await.body["result"]["snapshot"]["status"] == "available" }
    })
    .await;
    let free_disk = all.iter().find(|d| d["diskId"] == free.as_str()).unwrap();
    let size = free_disk["diskSizeGB"].as_u64().unwrap().max(20).div_ceil(10) * 10;
    let spec = json!({"clientToken": "gw-disk-1", "maxCount": 1, "diskSpec": {"az": free_disk["az"], "name": "gw-copy",
        "diskType": "ssd.gp1", "diskSizeGB": size, "snapshotId": base_id}});
    let made = call(&c, "POST", &api("disks"), Some(spec), &[]).await;
    assert_eq!(made.status, 200, "{}", made.text);
    assert_eq!(made.body["result"]["diskIds"].as_array().map(Vec::len), Some(1), "{}", made.text);
    let restored =
        call(&c, "POST", &api(&format!("disks/{free}%3Arestore")), Some(json!({"snapshotId": base_id})), &[])
            .await;
    assert_eq!(restored.status, 200, "{}", restored.text);
    texts.extend([made.text, restored.text]);

    // An operation the console does not use never reaches the cloud.
    let before = api_count(&c, &cloud).await;
    for (method, path) in [
        ("POST", &format!("disks/{free}:extend") as &str),
        ("DELETE", &format!("disks/{free}") as &str),
        ("GET", "images"),
        ("PUT", "snapshots"),
    ] {
        let r =
            call(&c, method, &api(path), if method == "POST" { Some(json!({})) } else { None }, &[]).await;
        assert!(r.status == 404 || r.status == 405, "{method} {path}: {}", r.text);
        assert_eq!(r.body["error"]["code"], r.status, "{}", r.text);
        assert_eq!(r.request_id_header, r.body["requestId"].as_str().unwrap());
        texts.push(r.text);
    }
    assert_eq!(api_count(&c, &cloud).await, before, "nothing was forwarded");

    // The audit trail: one line per mutating request, with who, what, where and how it ended.
    let log = std::fs::read_to_string(&audit).unwrap();
    let lines: Vec<Value> = log.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ops: Vec<&str> = lines.iter().map(|l| l["operation"].as_str().unwrap()).collect();
    assert_eq!(
        ops,
        [
            "createSnapshot",
            "modifySnapshotAttribute",
            "deleteSnapshot",
            "createSnapshot",
            "createSnapshot",
            "deleteSnapshots",
            "detachDisk",
            "attachDisk",
            "createSnapshot",
            "createDisks",
            "restoreDisk"
        ]
    );
    let first = &lines[0];
    assert_eq!(first["user"], "local");
    assert_eq!(first["role"], "operator");
    assert_eq!(first["region"], "cn-north-1");
    assert_eq!(first["httpStatus"], 200);
    assert_eq!(first["resourceIds"], json!([free, id]));
    assert_eq!(first["jdRequestId"], created.request_id_header.as_str());
    assert_eq!(first["requestId"].as_str().unwrap().len(), 32);
    assert!(first["time"].as_str().unwrap().ends_with('Z'));
    assert_eq!(lines[6]["resourceIds"], json!([instance, attached_id]));

    // The secret is nowhere: not in an answer, a log line or the audit trail, in any encoding.
    let everything = format!("{}\n{}\n{}\n{log}", texts.join("\n"), gw.stderr(), cloud.stderr());
    assert_secret_absent(&everything);
}

fn assert_secret_absent(text: &str) {
    use base64::Engine;
    let forms = [
        SK.to_owned(),
        base64::engine::general_purpose::STANDARD.encode(SK),
        base64::engine::general_purpose::URL_SAFE.encode(SK),
        disk_api::query::encode_component(SK),
        disk_api::query::encode_component(SK).to_lowercase(),
    ];
    for f in forms {
        assert!(!text.contains(&f), "the secret appears as {f}");
    }
}

#[tokio::test]
async fn wrong_keys_and_stale_dates_are_refused_by_the_cloud_and_passed_through() {
    let cloud = Server::cloud();
    let gw = Server::gateway(&cloud.url, "not-the-secret", &[]);
    let c = client();
    let r = call(&c, "GET", &format!("{}/v1/regions/cn-north-1/disks", gw.url), None, &[]).await;
    assert_eq!(r.status, 401, "{}", r.text);
    assert_eq!(
        r.body["error"],
        json!({"code": 401, "status": "ACCESS_ERROR", "message": "sign result is not same [gw]"})
    );
    assert_eq!(r.request_id_header, r.body["requestId"].as_str().unwrap());

    // Signed right, but 20 minutes ago.
    let creds = disk_server::credentials::Credentials::new(AK, SK, None);
    let host = cloud.url.trim_start_matches("http://").to_owned();
    let then = disk_server::clock::Clock::now_ms(&disk_server::clock::SystemClock) - 20 * 60 * 1000;
    let path = "/v1/regions/cn-north-1/disks";
    let signed = |at: i64| {
        sign::sign_for_gateway(
            &creds,
            "GET",
            &host,
            path,
            "",
            "application/json",
            b"",
            "cn-north-1",
            "disk",
            at,
            "nonce-1",
        )
    };
    let send = |s: sign::Signed| {
        let mut req = c.get(format!("{}{}", cloud.url, s.path)).header("content-type", "application/json");
        for (k, v) in s.headers {
            req = req.header(k, v);
        }
        req.send()
    };
    let stale = send(signed(then)).await.unwrap();
    assert_eq!(stale.status(), 401);
    let body: Value = serde_json::from_str(&stale.text().await.unwrap()).unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("15 minutes"), "{body}");
    let fresh = send(signed(then + 20 * 60 * 1000)).await.unwrap();
    assert_eq!(fresh.status(), 200);
}

#[tokio::test]
async fn two_gateways_over_one_cloud_serve_one_console_interchangeably() {
    let cloud = Server::cloud();
    let a = Server::gateway(&cloud.url, SK, &[]);
    let b = Server::gateway(&cloud.url, SK, &[]);
    let c = client();
    let disks = call(&c, "GET", &format!("{}/v1/regions/cn-east-2/disks", a.url), None, &[]).await;
    let disk = disks.body["result"]["disks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["status"] == "available")
        .unwrap()["diskId"]
        .clone();
    let body = json!({"clientToken": "two-gateways", "snapshotSpec": {"diskId": disk, "name": "via-a"}});
    let made =
        call(&c, "POST", &format!("{}/v1/regions/cn-east-2/snapshots", a.url), Some(body.clone()), &[]).await;
    let id = made.body["result"]["snapshotId"].as_str().unwrap().to_owned();
    // The same token through the other instance: the same snapshot, nothing new.
    let again = call(&c, "POST", &format!("{}/v1/regions/cn-east-2/snapshots", b.url), Some(body), &[]).await;
    assert_eq!(again.body["result"]["snapshotId"], id.as_str());
    eventually("b to see it available", || {
        let (c, url) = (c.clone(), format!("{}/v1/regions/cn-east-2/snapshots/{id}", b.url));
        async move { call(&c, "GET", &url, None, &[]).await.body["result"]["snapshot"]["status"] == "available" }
    })
    .await;
}

/// A stub cloud: fails the first `failures` requests of each kind with 503, then answers; counts requests
/// and keeps the headers it saw.
async fn stub_cloud(failures: usize) -> (String, Arc<AtomicUsize>, Arc<Mutex<Vec<axum::http::HeaderMap>>>) {
    use axum::response::IntoResponse;
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (n, s) = (count.clone(), seen.clone());
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri, headers: axum::http::HeaderMap| {
        let (n, s) = (n.clone(), s.clone());
        async move {
            s.lock().unwrap().push(headers);
            let i = n.fetch_add(1, Ordering::SeqCst);
            let path = uri.path().to_owned();
            if path.ends_with("/slow") || path.contains("vol-slow") {
                tokio::time::sleep(Duration::from_secs(3)).await;
            }
            if path.contains("vol-huge") {
                return ([("x-jdcloud-request-id", "stubrequestid")], vec![b' '; 11 * 1024 * 1024]).into_response();
            }
            if i < failures {
                return (
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    [("x-jdcloud-request-id", "stub503")],
                    axum::Json(json!({"requestId": "stub503", "error": {"code": 503, "status": "UNAVAILABLE", "message": "busy"}})),
                )
                    .into_response();
            }
            ([("x-jdcloud-request-id", "stub200")], axum::Json(json!({"requestId": "stub200", "result": {}}))).into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, count, seen)
}

#[tokio::test]
async fn retries_only_where_a_repeat_is_safe() {
    let c = client();
    let api = |gw: &Server, rest: &str| format!("{}/v1/regions/cn-north-1/{rest}", gw.url);

    // A GET: tried again after two failures, answered on the third try.
    let (url, count, seen) = stub_cloud(2).await;
    let gw = Server::gateway(&url, SK, &[]);
    let r = call(
        &c,
        "GET",
        &api(&gw, "disks"),
        None,
        &[("cookie", "session=browser"), ("authorization", "Bearer browser-token")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["requestId"], "stub200");
    assert_eq!(count.load(Ordering::SeqCst), 3);
    // Each try signed afresh; the browser's cookie and Authorization stayed at the gateway.
    let seen = seen.lock().unwrap().clone();
    let nonces: std::collections::HashSet<_> = seen.iter().map(|h| h["x-jdcloud-nonce"].clone()).collect();
    assert_eq!(nonces.len(), 3);
    for h in &seen {
        assert!(h.get("cookie").is_none());
        assert!(h["authorization"]
            .to_str()
            .unwrap()
            .starts_with("JDCLOUD3-HMAC-SHA256 Credential=AKGATEWAYTEST0001/"));
        assert!(h["authorization"]
            .to_str()
            .unwrap()
            .contains("SignedHeaders=content-type;host;x-jdcloud-date;x-jdcloud-nonce,"));
    }

    // createSnapshot: safe to repeat (its clientToken), so tried again too.
    let (url, count, _) = stub_cloud(2).await;
    let gw = Server::gateway(&url, SK, &[]);
    let r = call(&c, "POST", &api(&gw, "snapshots"), Some(json!({"clientToken": "t"})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(count.load(Ordering::SeqCst), 3);

    // A PATCH and an attachDisk: never repeated; the cloud's 503 passes through as it is.
    let (url, count, _) = stub_cloud(2).await;
    let gw = Server::gateway(&url, SK, &[]);
    let r = call(&c, "PATCH", &api(&gw, "snapshots/snapshot-1"), Some(json!({"name": "x"})), &[]).await;
    assert_eq!((r.status, r.request_id_header.as_str()), (503, "stub503"), "{}", r.text);
    assert_eq!(count.load(Ordering::SeqCst), 1);
    let r =
        call(&c, "POST", &api(&gw, "instances/i-1:attachDisk"), Some(json!({"diskId": "vol-1"})), &[]).await;
    assert_eq!(r.status, 503);
    assert_eq!(count.load(Ordering::SeqCst), 2);

    // Always failing: three tries, then the last answer.
    let (url, count, _) = stub_cloud(usize::MAX).await;
    let gw = Server::gateway(&url, SK, &[]);
    let r = call(&c, "GET", &api(&gw, "quotas?type=snapshot"), None, &[]).await;
    assert_eq!(r.status, 503);
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_cloud_that_cannot_be_had_is_a_502_or_504_in_jds_envelope() {
    let c = client();
    // Nothing listens there (a port just freed).
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let gw = Server::gateway(&format!("http://{free}"), SK, &["--upstream-connect-timeout", "1"]);
    let r = call(&c, "GET", &format!("{}/v1/regions/cn-north-1/disks", gw.url), None, &[]).await;
    assert_eq!(r.status, 502, "{}", r.text);
    assert_eq!(r.body["error"]["status"], "SOURCE_UNAVAILABLE");
    assert!(r.body["error"]["message"].as_str().unwrap().contains("The cloud was not reached"));
    assert!(!r.text.contains(&free.to_string()), "no URL in the message: {}", r.text);
    assert_eq!(r.request_id_header, r.body["requestId"].as_str().unwrap());

    let (url, _, _) = stub_cloud(0).await;
    let gw = Server::gateway(&url, SK, &["--upstream-timeout", "1"]);
    let r = call(&c, "GET", &format!("{}/v1/regions/cn-north-1/disks/vol-slow", gw.url), None, &[]).await;
    assert_eq!(r.status, 504, "{}", r.text);
    assert_eq!(r.body["error"]["status"], "DEADLINE_EXCEEDED");
    let r = call(&c, "GET", &format!("{}/v1/regions/cn-north-1/disks/vol-huge", gw.url), None, &[]).await;
    assert_eq!(r.status, 502, "{}", r.text);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("10 MiB"));
}

fn sha_hex(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn who_may_use_the_gateway() {
    // Listening beyond loopback without an authentication mode: refused, with the reason.
    let out = Command::new(env!("CARGO_BIN_EXE_disk-server"))
        .args(["--backend", "jdcloud", "--listen", "0.0.0.0:0", "--dist", "/nonexistent"])
        .env("JDCLOUD_ACCESS_KEY_ID", AK)
        .env("JDCLOUD_ACCESS_KEY_SECRET", SK)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("refusing to serve JD Cloud on 0.0.0.0:0 without authentication"));

    let (url, count, _) = stub_cloud(0).await;
    let tokens = std::env::temp_dir().join(format!("gateway-tokens-{}", std::process::id()));
    std::fs::write(
        &tokens,
        format!(
            "# the gateway's users\nalice operator {}\nbob viewer {}\n",
            sha_hex("alice-secret-token"),
            sha_hex("bob-secret-token")
        ),
    )
    .unwrap();
    let gw = Server::gateway(&url, SK, &["--auth-tokens", tokens.to_str().unwrap()]);
    let c = client();
    let snapshots = format!("{}/v1/regions/cn-north-1/snapshots", gw.url);
    let body = || Some(json!({"clientToken": "t", "snapshotSpec": {"diskId": "vol-1", "name": "n"}}));
    let r = call(&c, "GET", &snapshots, None, &[]).await;
    assert_eq!((r.status, r.body["error"]["status"].as_str()), (401, Some("UNAUTHENTICATED")), "{}", r.text);
    let r = call(&c, "GET", &snapshots, None, &[("authorization", "Bearer guessed")]).await;
    assert_eq!(r.status, 401);
    let r = call(&c, "GET", &snapshots, None, &[("authorization", "Bearer bob-secret-token")]).await;
    assert_eq!(r.status, 200, "a viewer describes");
    let r = call(&c, "POST", &snapshots, body(), &[("authorization", "Bearer bob-secret-token")]).await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(r.body["error"]["status"], "HTTP_FORBIDDEN");
    assert_eq!(r.body["error"]["message"], "createSnapshot needs the operator role; bob is a viewer");
    let r = call(&c, "POST", &snapshots, body(), &[("authorization", "Bearer alice-secret-token")]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // A body that is not JSON (a cross-site form) is never sent.
    let form = c
        .post(&snapshots)
        .header("authorization", "Bearer alice-secret-token")
        .header("content-type", "text/plain")
        .body("clientToken=t")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 400);
    assert_eq!(count.load(Ordering::SeqCst), 2, "only the allowed requests reached the cloud");
    // The session the console shows.
    let s = call(
        &c,
        "GET",
        &format!("{}/_console/session", gw.url),
        None,
        &[("authorization", "Bearer bob-secret-token")],
    )
    .await;
    assert_eq!(s.body["result"], json!({"backend": "jdcloud", "user": "bob", "role": "viewer"}));
    assert!(!gw.stderr().contains("alice-secret-token") && !gw.stderr().contains("bob-secret-token"));
    // A gateway has no emulated region.
    let r = call(&c, "GET", &format!("{}/_emulator/requests", gw.url), None, &[]).await;
    assert_eq!(r.status, 404, "{}", r.text);
    // Its OpenAPI document names exactly the operations it forwards.
    let doc = call(&c, "GET", &format!("{}/v1/openapi.json", gw.url), None, &[]).await.body;
    let mut ids: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|m| {
            m.as_object().unwrap().values().map(|op| op["operationId"].as_str().unwrap().to_owned())
        })
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "attachDisk",
            "createDisks-cn-east-1",
            "createDisks-cn-east-2",
            "createDisks-cn-north-1",
            "createDisks-cn-south-1",
            "createSnapshot",
            "deleteSnapshot",
            "deleteSnapshots",
            "describeDisk",
            "describeDisks",
            "describeInstances",
            "describeQuota",
            "describeSnapshot",
            "describeSnapshots",
            "detachDisk",
            "modifySnapshotAttribute",
            "restoreDisk"
        ]
    );

    // --read-only: everyone is a viewer.
    let ro = Server::gateway(&url, SK, &["--auth-tokens", tokens.to_str().unwrap(), "--read-only"]);
    let r = call(
        &c,
        "POST",
        &format!("{}/v1/regions/cn-north-1/snapshots", ro.url),
        body(),
        &[("authorization", "Bearer alice-secret-token")],
    )
    .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn a_trusted_header_counts_only_from_a_trusted_proxy() {
    let (url, _, _) = stub_cloud(0).await;
    let gw = Server::gateway(
        &url,
        SK,
        &[
            "--trusted-user-header",
            "X-Forwarded-User",
            "--trusted-role-header",
            "X-Forwarded-Role",
            "--trusted-proxy",
            "127.0.0.2",
        ],
    );
    let headers = [("x-forwarded-user", "carol@example.com"), ("x-forwarded-role", "operator")];
    let session = format!("{}/_console/session", gw.url);
    // From 127.0.0.1, not a listed proxy: the header is ignored.
    let r = call(&client(), "GET", &session, None, &headers).await;
    assert_eq!(r.status, 401, "{}", r.text);
    // From the proxy's address.
    let proxy = reqwest::Client::builder().local_address(Some("127.0.0.2".parse().unwrap())).build().unwrap();
    let r = call(&proxy, "GET", &session, None, &headers).await;
    assert_eq!(
        r.body["result"],
        json!({"backend": "jdcloud", "user": "carol@example.com", "role": "operator"}),
        "{}",
        r.text
    );
    let r = call(&proxy, "GET", &session, None, &headers[..1]).await;
    assert_eq!(r.body["result"]["role"], "viewer", "the default role");
}

#[tokio::test]
async fn credentials_from_a_profile_file_and_sighup_rereads_them() {
    let cloud = Server::cloud();
    let dir = std::env::temp_dir().join(format!("gateway-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config");
    std::fs::write(&file, format!("[default]\naccess_key = {AK}\nsecret_key = old-secret\n\n[prod]\naccess_key = {AK}\nsecret_key = {SK}\n")).unwrap();
    let gw = Server::start(
        &[
            "--backend",
            "jdcloud",
            "--jdcloud-endpoint",
            &cloud.url,
            "--jdcloud-config",
            file.to_str().unwrap(),
        ],
        &[],
    );
    let c = client();
    let disks = format!("{}/v1/regions/cn-north-1/disks", gw.url);
    assert_eq!(call(&c, "GET", &disks, None, &[]).await.status, 401, "the default profile's old key");
    // Rotation: the file now has the new key; SIGHUP, no restart.
    std::fs::write(&file, format!("[default]\naccess_key = {AK}\nsecret_key = {SK}\n")).unwrap();
    let ok = Command::new("kill").args(["-HUP", &gw.child.id().to_string()]).status().unwrap();
    assert!(ok.success());
    eventually("the new key to be used", || {
        let (c, url) = (c.clone(), disks.clone());
        async move { call(&c, "GET", &url, None, &[]).await.status == 200 }
    })
    .await;
    assert!(gw.stderr().contains("can be read by other users"), "a warning for a 644 file: {}", gw.stderr());
    assert_secret_absent(&gw.stderr());
    assert!(!gw.stderr().contains("old-secret"));

    // A profile by name; a missing one stops the server, naming what is missing and no value.
    let named = Server::start(
        &[
            "--backend",
            "jdcloud",
            "--jdcloud-endpoint",
            &cloud.url,
            "--jdcloud-config",
            file.to_str().unwrap(),
            "--jdcloud-profile",
            "default",
        ],
        &[],
    );
    assert_eq!(
        call(&c, "GET", &format!("{}/v1/regions/cn-north-1/disks", named.url), None, &[]).await.status,
        200
    );
    let out = Command::new(env!("CARGO_BIN_EXE_disk-server"))
        .args([
            "--backend",
            "jdcloud",
            "--listen",
            "127.0.0.1:0",
            "--jdcloud-config",
            file.to_str().unwrap(),
            "--jdcloud-profile",
            "staging",
        ])
        .env_remove("JDCLOUD_ACCESS_KEY_ID")
        .env_remove("JDCLOUD_ACCESS_KEY_SECRET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no profile [staging]"), "{err}");
    assert!(!err.contains(SK));
}

#[tokio::test]
async fn jd_clouds_own_python_sdk_is_accepted_by_the_signature_checking_emulator() {
    // `cargo xtask test` makes the venv with the pinned SDK (tests/sdk/requirements.txt) and says where.
    let Ok(python) = std::env::var("JDCLOUD_SDK_PYTHON") else {
        eprintln!("skipped: JDCLOUD_SDK_PYTHON is not set (cargo xtask test sets it)");
        return;
    };
    let cloud = Server::cloud();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/sdk/jdcloud_sdk_client.py");
    let endpoint = cloud.url.trim_start_matches("http://").to_owned();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(&python)
            .arg(script)
            .env("DISK_SERVER_ENDPOINT", endpoint)
            .env("JDCLOUD_ACCESS_KEY_ID", AK)
            .env("JDCLOUD_ACCESS_KEY_SECRET", SK)
            .output()
            .expect("python runs")
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line =
        stdout.lines().rev().find_map(|l| l.strip_prefix("RESULT ")).unwrap_or_else(|| panic!("{stdout}"));
    let v: Value = serde_json::from_str(line).unwrap();
    assert!(v["describeDisks"]["result"]["totalCount"].as_u64().unwrap() > 0, "{v}");
    let id = v["createSnapshot"]["result"]["snapshotId"].as_str().unwrap_or_else(|| panic!("{v}"));
    assert!(id.starts_with("snapshot-"), "{v}");
    assert_eq!(v["wrongSecret"]["error"]["code"], 401, "{v}");
    assert_eq!(v["wrongSecret"]["error"]["status"], "ACCESS_ERROR", "{v}");
    // The snapshot exists, as the SDK's call said.
    let creds = disk_server::credentials::Credentials::new(AK, SK, None);
    let host = cloud.url.trim_start_matches("http://").to_owned();
    let now = disk_server::clock::Clock::now_ms(&disk_server::clock::SystemClock);
    let path = format!("/v1/regions/cn-north-1/snapshots/{id}");
    let s = sign::sign_for_gateway(
        &creds,
        "GET",
        &host,
        &path,
        "",
        "application/json",
        b"",
        "cn-north-1",
        "disk",
        now,
        "n2",
    );
    let mut req = client().get(format!("{}{}", cloud.url, s.path)).header("content-type", "application/json");
    for (k, val) in s.headers {
        req = req.header(k, val);
    }
    let got: Value = serde_json::from_str(&req.send().await.unwrap().text().await.unwrap()).unwrap();
    assert_eq!(got["result"]["snapshot"]["diskId"], v["diskId"], "{got}");
}

#[tokio::test]
async fn logs_are_plain_in_a_pipe_and_json_on_request_with_the_request_id_the_client_saw() {
    let c = client();
    let text = Server::start(&["--db", ":memory:"], &[]);
    let r = call(&c, "GET", &format!("{}/v1/regions/cn-north-1/disks", text.url), None, &[]).await;
    eventually("the request line", || {
        let (log, id) = (text.stderr(), r.request_id_header.clone());
        async move { log.contains(&id) }
    })
    .await;
    assert!(!text.stderr().contains('\u{1b}'), "no colour codes in a pipe: {}", text.stderr());

    let json = Server::start(&["--db", ":memory:", "--log-format", "json"], &[]);
    let r = call(
        &c,
        "GET",
        &format!("{}/v1/regions/cn-north-1/snapshots/snapshot-zzzzzzzzzz", json.url),
        None,
        &[],
    )
    .await;
    assert_eq!(r.status, 404);
    eventually("the request line", || {
        let (log, id) = (json.stderr(), r.request_id_header.clone());
        async move { log.contains(&id) }
    })
    .await;
    let lines: Vec<Value> = json
        .stderr()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let line = lines.iter().find(|l| l["fields"]["request_id"] == r.request_id_header.as_str()).unwrap();
    assert_eq!(line["fields"]["status"], 404);
    assert_eq!(line["fields"]["path"], "/v1/regions/cn-north-1/snapshots/snapshot-zzzzzzzzzz");
}
