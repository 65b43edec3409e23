//! The console's files, caching, compression, the SPA fallback, and one real socket.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{get, send, state_with};
use disk_server::Config;
use std::path::PathBuf;

fn fake_dist() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("disk-server-dist-{}-{}", std::process::id(), fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!DOCTYPE html><title>console</title>".repeat(20)).unwrap();
    std::fs::write(dir.join("disk-console-0123456789abcdef_bg.wasm"), vec![0u8; 4096]).unwrap();
    std::fs::write(dir.join("disk-console-0123456789abcdef.js"), "export default 1;\n".repeat(100)).unwrap();
    dir
}

fn config(dist: PathBuf) -> Config {
    Config { dist, ..Config::for_tests() }
}

#[tokio::test]
async fn deep_links_get_the_app_uncached() {
    let st = state_with(config(fake_dist()));
    for path in ["/", "/disks", "/disks/vol-abcdefghij?region=cn-east-2", "/snapshots", "/anything/else"] {
        let r = get(&st, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").starts_with("text/html"), "{path}");
        assert_eq!(r.header("cache-control"), "no-cache", "{path}");
        assert!(String::from_utf8_lossy(&r.body).contains("<title>console</title>"));
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_with_their_types() {
    let st = state_with(config(fake_dist()));
    let r = get(&st, "/disk-console-0123456789abcdef_bg.wasm").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "application/wasm");
    assert_eq!(r.header("cache-control"), "public, max-age=31536000, immutable");
    let r = get(&st, "/disk-console-0123456789abcdef.js").await;
    assert!(r.header("content-type").contains("javascript"));
    assert_eq!(r.header("cache-control"), "public, max-age=31536000, immutable");
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let st = state_with(config(fake_dist()));
    for path in ["/disk-console-0123456789abcdef_bg.wasm", "/v1/regions/cn-north-1/disks", "/"] {
        let req = Request::get(path).header("accept-encoding", "gzip").body(Body::empty()).unwrap();
        let r = send(&st, req).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-encoding"), "gzip", "{path}");
        let req = Request::get(path).header("accept-encoding", "br").body(Body::empty()).unwrap();
        assert_eq!(send(&st, req).await.header("content-encoding"), "br", "{path}");
    }
}

#[tokio::test]
async fn over_a_real_socket() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let st = state_with(config(fake_dist()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, disk_server::app(st)).await });
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    conn.write_all(
        b"GET /v1/regions/cn-south-1/disks?pageSize=10 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    assert!(reply.to_ascii_lowercase().contains("x-jdcloud-request-id: "));
    let body = reply.split("\r\n\r\n").nth(1).unwrap();
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["result"]["totalCount"], 6);
    server.abort();
}

#[tokio::test]
async fn request_counters() {
    let st = state_with(config(fake_dist()));
    get(&st, "/v1/regions/cn-north-1/snapshots").await;
    get(&st, "/v1/regions/cn-north-1/snapshots?pageSize=10").await;
    get(&st, "/v1/regions/cn-north-1/disks").await;
    get(&st, "/v1/regions/cn-north-1/quotas?type=snapshot").await;
    let v = get(&st, "/_emulator/requests").await.json();
    assert_eq!(v, serde_json::json!({"api": 4, "describeSnapshots": 2, "describeDisks": 1}));
}

#[tokio::test]
async fn the_console_is_served_with_a_strict_csp_and_frame_ancestors() {
    let dist = fake_dist();
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html><script type=module>alert(1)</script><p>hi</p>")
        .unwrap();
    let st = state_with(config(dist.clone()));
    let r = get(&st, "/disks").await;
    let csp = r.header("content-security-policy").to_owned();
    assert!(
        csp.contains(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        ),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{csp}");
    assert!(csp.ends_with("frame-ancestors 'self'"), "{csp}");
    assert_eq!(r.header("x-content-type-options"), "nosniff");

    let st = state_with(Config { frame_ancestors: "https://portal.example.com".into(), ..config(dist) });
    let csp = get(&st, "/").await.header("content-security-policy").to_owned();
    assert!(csp.ends_with("frame-ancestors https://portal.example.com"), "{csp}");
}

#[tokio::test]
async fn cors_only_for_allowed_origins() {
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/v1/regions/cn-north-1/snapshots")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    // Nothing allowed by default.
    let st = state_with(config(fake_dist()));
    let r = send(&st, preflight("https://portal.example.com")).await;
    assert_eq!(r.header("access-control-allow-origin"), "");

    let st =
        state_with(Config { cors_origins: vec!["https://portal.example.com".into()], ..config(fake_dist()) });
    let r = send(&st, preflight("https://portal.example.com")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), "https://portal.example.com");
    assert!(r.header("access-control-allow-methods").contains("POST"));
    assert!(r.header("access-control-allow-headers").contains("content-type"));
    let r = send(&st, preflight("https://evil.example.com")).await;
    assert_eq!(r.header("access-control-allow-origin"), "");
    let req = Request::get("/v1/regions/cn-north-1/disks")
        .header("origin", "https://portal.example.com")
        .body(Body::empty())
        .unwrap();
    let r = send(&st, req).await;
    assert_eq!(r.header("access-control-allow-origin"), "https://portal.example.com");
    assert!(r.header("access-control-expose-headers").contains("x-jdcloud-request-id"));

    // A deployment's extra header is allowed only when listed.
    let custom = || {
        Request::builder()
            .method("OPTIONS")
            .uri("/v1/regions/cn-north-1/disks")
            .header("origin", "https://portal.example.com")
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "x-portal-user")
            .body(Body::empty())
            .unwrap()
    };
    assert!(!send(&st, custom()).await.header("access-control-allow-headers").contains("x-portal-user"));
    let st = state_with(Config {
        cors_origins: vec!["https://portal.example.com".into()],
        cors_headers: vec!["x-portal-user".into()],
        ..config(fake_dist())
    });
    assert!(send(&st, custom()).await.header("access-control-allow-headers").contains("x-portal-user"));
}

#[tokio::test]
async fn under_a_base_path_everything_moves_below_it() {
    let st = state_with(Config { base_path: "/portal/disks".into(), ..config(fake_dist()) });
    for root in ["/", "/portal/disks/"] {
        let r = get(&st, root).await;
        assert_eq!(r.status, 307, "{root}");
        assert_eq!(r.header("location"), "/portal/disks");
    }
    let page = get(&st, "/portal/disks/disks/vol-abcdefghij").await;
    assert_eq!(page.status, 200);
    let html = String::from_utf8_lossy(&page.body);
    assert!(html.contains(r#"<base href="/portal/disks/">"#), "{html}");
    assert!(html.contains(r#"{"basePath":"/portal/disks"}"#), "{html}");
    assert_eq!(get(&st, "/portal/disks/disk-console-0123456789abcdef.js").await.status, 200);
    assert_eq!(get(&st, "/portal/disks/v1/regions/cn-north-1/disks").await.status, 200);
    assert_eq!(get(&st, "/v1/regions/cn-north-1/disks").await.status, 404);
}

#[tokio::test]
async fn console_config_json_is_the_configured_file_or_the_defaults() {
    let st = state_with(config(fake_dist()));
    let r = get(&st, "/console-config.json").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "application/json");
    assert_eq!(r.body, b"{}");

    let file = std::env::temp_dir().join(format!("console-config-{}.json", fastrand::u64(..)));
    std::fs::write(&file, r#"{"theme":"dark","defaultRegion":"cn-east-2"}"#).unwrap();
    let st = state_with(Config { console_config: Some(file.clone()), ..config(fake_dist()) });
    let r = get(&st, "/console-config.json").await;
    assert_eq!(String::from_utf8_lossy(&r.body), r#"{"theme":"dark","defaultRegion":"cn-east-2"}"#);
    // The console's own page carries the same settings, so the console needs not fetch them.
    let page = String::from_utf8_lossy(&get(&st, "/disks").await.body).into_owned();
    assert!(
        page.contains(
            r#"data-includes="console-config.json">{"defaultRegion":"cn-east-2","theme":"dark"}</script>"#
        ),
        "{page}"
    );

    // A broken file is not sent to browsers: the console gets the defaults and the log says why.
    std::fs::write(&file, "{theme: dark").unwrap();
    let st = state_with(Config { console_config: Some(file.clone()), ..config(fake_dist()) });
    assert_eq!(get(&st, "/console-config.json").await.body, b"{}");
}

#[tokio::test]
async fn precompressed_files_are_sent_as_they_are() {
    let dist = fake_dist();
    std::fs::write(dist.join("disk-console-0123456789abcdef_bg.wasm.br"), b"precompressed brotli").unwrap();
    let st = state_with(config(dist));
    let req = Request::get("/disk-console-0123456789abcdef_bg.wasm")
        .header("accept-encoding", "gzip, deflate, br")
        .body(Body::empty())
        .unwrap();
    let r = send(&st, req).await;
    assert_eq!(r.header("content-encoding"), "br");
    assert_eq!(r.header("content-type"), "application/wasm");
    assert_eq!(r.body, b"precompressed brotli");
}

/// A dist/ whose index.html has the console's element, as `cargo xtask build` writes it.
fn console_dist() -> PathBuf {
    let dir = fake_dist();
    std::fs::write(
        dir.join("index.html"),
        r#"<!DOCTYPE html><html><head><base href="/"><title>c</title></head><body><div id="disk-console" data-disk-console-standalone=""></div></body></html>"#,
    )
    .unwrap();
    dir
}

#[tokio::test]
async fn the_disk_list_page_comes_with_its_first_view_and_its_answers() {
    let st = state_with(config(console_dist()));
    let req = Request::get("/disks?region=cn-east-2&pageSize=10")
        .header("accept-language", "zh-CN,zh;q=0.9")
        .body(Body::empty())
        .unwrap();
    let r = send(&st, req).await;
    assert_eq!(r.status, 200);
    let page = String::from_utf8_lossy(&r.body).into_owned();
    // The first view inside the console's element, in the browser's language, with the rows of the answer.
    let view = page.split(r#"data-disk-console-standalone="">"#).nth(1).unwrap();
    assert!(view.starts_with(r#"<div class="dc-app" data-theme="auto" lang="zh-CN" data-prerendered="">"#));
    let answers =
        page.split(r#"id="disk-console-answers">"#).nth(1).unwrap().split("</script>").next().unwrap();
    let answers: serde_json::Value = serde_json::from_str(answers).unwrap();
    let disks = &answers["/v1/regions/cn-east-2/disks?pageNumber=1&pageSize=10"]["result"]["disks"];
    let disks = disks.as_array().unwrap();
    assert!(!disks.is_empty());
    for d in disks {
        assert!(view.contains(&format!(r#"<span class="dc-id">{}</span>"#, d["diskId"].as_str().unwrap())));
    }
    assert_eq!(view.matches("<tr>").count(), disks.len() + 1);
    assert!(answers["/v1/regions/cn-east-2/quotas?type=snapshot"]["result"]["quota"]["limit"].is_number());
    // The answers are in the page: no preload of them.
    assert_eq!(r.header("link"), "");
    assert!(r.header("vary").contains("accept-language"));
    // The language chosen in the switcher (its cookie) wins.
    let req =
        Request::get("/disks").header("cookie", "a=b; disk-console.locale=en").body(Body::empty()).unwrap();
    let page = String::from_utf8_lossy(&send(&st, req).await.body).into_owned();
    assert!(page.contains(r#"lang="en" data-prerendered="""#));

    // Other pages, and a region nobody offers, are the console's to render.
    for path in ["/disks/vol-1", "/snapshots", "/disks?region=mars-1"] {
        let page = String::from_utf8_lossy(&get(&st, path).await.body).into_owned();
        assert!(!page.contains("data-prerendered") && !page.contains("disk-console-answers"), "{path}");
    }
    // The page asked the API as the console would have: counted like its requests.
    let v = get(&st, "/_emulator/requests").await.json();
    assert_eq!(v["describeDisks"], 2, "{v}");
}

#[tokio::test]
async fn no_first_view_where_the_console_talks_to_another_api() {
    let dist = console_dist();
    std::fs::write(dist.join("console-config.json"), r#"{"apiBase": "https://api.example.com"}"#).unwrap();
    let st = state_with(config(dist));
    let page = String::from_utf8_lossy(&get(&st, "/disks").await.body).into_owned();
    assert!(!page.contains("data-prerendered"));
}
