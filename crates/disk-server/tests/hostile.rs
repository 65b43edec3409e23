//! Hostile input over a raw socket: malformed and oversized bodies, wrong content types, control
//! characters, `..` and `%00` in paths, very long IDs, extreme paging. No 5xx, no dropped connection; every
//! 4xx is JD's envelope with `error.code` equal to the HTTP status and the header's requestId equal to the
//! body's; and the server still answers afterwards.

mod common;

use common::state;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends one request (`Connection: close`) and reads the whole answer: (status, headers, body).
async fn raw(addr: &str, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = head.replace('\n', "\r\n").into_bytes();
    req.extend_from_slice(body);
    // The server may answer before it has read an oversized body; keep reading either way.
    let _ = s.write_all(&req).await;
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), s.read_to_end(&mut reply)).await;
    let text = String::from_utf8_lossy(&reply).into_owned();
    let (head, rest) =
        text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no answer to {head:?}: {text:?}"));
    let status: u16 = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(rest)
    } else {
        rest.as_bytes().to_vec()
    };
    (status, head.to_owned(), body)
}

fn dechunk(mut s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest.as_bytes()[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn check(what: &str, status: u16, head: &str, body: &[u8]) {
    assert!((200..500).contains(&status), "{what}: HTTP {status}");
    if status >= 400 {
        let v: serde_json::Value = serde_json::from_slice(body)
            .unwrap_or_else(|e| panic!("{what}: not JD's envelope ({e}): {}", String::from_utf8_lossy(body)));
        assert_eq!(v["error"]["code"], status, "{what}: {v}");
        assert!(v["error"]["status"].is_string() && v["error"]["message"].is_string(), "{what}: {v}");
        let id = v["requestId"].as_str().unwrap_or_else(|| panic!("{what}: no requestId: {v}"));
        let header = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase().strip_prefix("x-jdcloud-request-id:").map(|v| v.trim().to_owned())
            })
            .unwrap_or_default();
        assert_eq!(header, id, "{what}: header and body requestIds differ");
    }
}

#[tokio::test]
async fn hostile_requests_get_envelopes_and_the_server_keeps_answering() {
    let app = disk_server::app(state());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let r = "/v1/regions/cn-north-1";
    let long_id = format!("vol-{}", "a".repeat(10_000));
    let big = vec![b'{'; 2 * 1024 * 1024 + 10];
    let json = |method: &str, path: &str, ct: &str, body: &[u8]| {
        let ct = if ct.is_empty() { String::new() } else { format!("Content-Type: {ct}\n") };
        (
            format!(
                "{method} {path} HTTP/1.1\nHost: t\n{ct}Content-Length: {}\nConnection: close\n\n",
                body.len()
            ),
            body.to_vec(),
        )
    };
    let get = |path: &str| (format!("GET {path} HTTP/1.1\nHost: t\nConnection: close\n\n"), Vec::new());
    let mut cases: Vec<(String, (String, Vec<u8>))> = vec![
        (
            "malformed JSON".into(),
            json("POST", &format!("{r}/snapshots"), "application/json", b"{\"clientToken\":"),
        ),
        (
            "JSON of the wrong shape".into(),
            json("POST", &format!("{r}/snapshots"), "application/json", b"[1,2,3]"),
        ),
        ("a 2 MB body".into(), json("POST", &format!("{r}/snapshots"), "application/json", &big)),
        ("text/plain".into(), json("POST", &format!("{r}/snapshots"), "text/plain", b"clientToken=x")),
        ("no content type".into(), json("PATCH", &format!("{r}/snapshots/snapshot-aaaaaaaaaa"), "", b"{}")),
        (
            "XML".into(),
            json("POST", &format!("{r}/instances/i-aaaaaaaaaa:attachDisk"), "application/xml", b"<a/>"),
        ),
        (
            "control characters in a body".into(),
            json(
                "POST",
                &format!("{r}/snapshots"),
                "application/json",
                b"{\"clientToken\":\"a\x01\",\"snapshotSpec\":{\"name\":\"\x7f\x00\"}}",
            ),
        ),
        ("a NUL in a path".into(), get(&format!("{r}/disks/%00"))),
        ("CR LF in a path".into(), get(&format!("{r}/snapshots/snapshot-%0d%0aSet-Cookie:x"))),
        (
            "control characters in a query".into(),
            get(&format!("{r}/disks?filters.1.name=name&filters.1.values.1=%00%1b%07")),
        ),
        ("dot-dot segments".into(), get("/v1/regions/cn-north-1/disks/../../../etc/passwd")),
        ("encoded dot-dot".into(), get(&format!("{r}/disks/..%2F..%2Fsnapshots"))),
        ("a region of dots".into(), get("/v1/regions/../disks")),
        ("a very long disk ID".into(), get(&format!("{r}/disks/{long_id}"))),
        (
            "a very long query".into(),
            get(&format!("{r}/disks?filters.1.name=diskId&filters.1.values.1={long_id}")),
        ),
        ("a non-UTF-8 escape".into(), get(&format!("{r}/disks/vol-%ff%fe"))),
        ("an unknown region".into(), get("/v1/regions/mars-1/disks")),
    ];
    for (n, s) in [
        ("0", "20"),
        ("-1", "20"),
        ("99999999999999999999", "20"),
        ("1", "0"),
        ("1", "1000000000"),
        ("abc", "def"),
        ("1e3", "1.5"),
        ("4294967295", "100"),
    ] {
        cases.push((format!("paging {n}/{s}"), get(&format!("{r}/snapshots?pageNumber={n}&pageSize={s}"))));
    }
    for (what, (head, body)) in &cases {
        let (status, h, b) = raw(&addr, head, body).await;
        check(what, status, &h, &b);
    }
    // Still answering, and right.
    let (status, h, b) = raw(&addr, &get(&format!("{r}/disks")).0, b"").await;
    check("afterwards", status, &h, &b);
    assert_eq!(status, 200);
    server.abort();
}
