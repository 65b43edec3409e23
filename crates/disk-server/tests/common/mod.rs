//! Shared helpers: an app over an in-memory demo region, and one-shot requests.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use disk_server::clock::ManualClock;
pub use disk_server::AppState;
use disk_server::{app, seed, store::Store, Config};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

pub const T0: i64 = 1_764_300_000_000;

pub fn state_with(config: Config) -> AppState {
    state_and_clock(config).0
}

/// An app over a fresh demo region, and the clock it reads (which moves only when advanced).
pub fn state_and_clock(config: Config) -> (AppState, Arc<ManualClock>) {
    let store = Store::open(":memory:").expect("in-memory store");
    seed::demo(&store, T0).expect("seed");
    let clock = Arc::new(ManualClock::new(T0));
    (AppState::new(store, clock.clone(), config), clock)
}

pub fn state() -> AppState {
    state_with(Config::for_tests())
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Asserts a JD error envelope with this status and message, and a request ID matching the header.
    pub fn assert_error(&self, code: u16, status: &str, message: &str) {
        let v = self.json();
        assert_eq!(self.status.as_u16(), code, "{v}");
        assert_eq!(v["error"]["code"], code, "{v}");
        assert_eq!(v["error"]["status"], status, "{v}");
        assert_eq!(v["error"]["message"], message, "{v}");
        assert!(v.get("result").is_none(), "{v}");
        let id = v["requestId"].as_str().expect("requestId");
        assert_eq!(id.len(), 32);
        assert_eq!(self.header("x-jdcloud-request-id"), id);
    }
}

pub async fn send(state: &AppState, req: Request<Body>) -> Reply {
    let res = app(state.clone()).oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes().to_vec();
    Reply { status, headers, body }
}

pub async fn get(state: &AppState, uri: &str) -> Reply {
    send(state, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub async fn json_request(state: &AppState, method: &str, uri: &str, body: &str) -> Reply {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap();
    send(state, req).await
}

pub async fn delete(state: &AppState, uri: &str) -> Reply {
    send(state, Request::delete(uri).body(Body::empty()).unwrap()).await
}
