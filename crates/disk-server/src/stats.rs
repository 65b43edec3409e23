//! Request counters of the emulated region, so tests and benchmarks can measure what a console costs the
//! API (`GET /_emulator/requests`). Not part of JD's API.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub struct RequestStats {
    pub describe_snapshots: AtomicU64,
    pub describe_disks: AtomicU64,
    pub api: AtomicU64,
}

/// Middleware (around the whole API): counts every API request, whatever route or method it is for.
pub async fn count_all(State(st): State<AppState>, req: Request, next: Next) -> Response {
    st.stats.api.fetch_add(1, Ordering::Relaxed);
    next.run(req).await
}

/// Middleware (on the routes): counts describeSnapshots / describeDisks on their own.
pub async fn count(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == Method::GET {
        match req.extensions().get::<MatchedPath>().map(MatchedPath::as_str) {
            Some("/v1/regions/{region_id}/snapshots") => {
                st.stats.describe_snapshots.fetch_add(1, Ordering::Relaxed);
            }
            Some("/v1/regions/{region_id}/disks") => {
                st.stats.describe_disks.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
    }
    next.run(req).await
}

/// `{"api": n, "describeSnapshots": n, "describeDisks": n}` since the server started.
pub async fn report(State(st): State<AppState>) -> impl IntoResponse {
    let s = &st.stats;
    axum::Json(serde_json::json!({
        "api": s.api.load(Ordering::Relaxed),
        "describeSnapshots": s.describe_snapshots.load(Ordering::Relaxed),
        "describeDisks": s.describe_disks.load(Ordering::Relaxed),
    }))
}
