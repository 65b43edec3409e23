//! Fault injection for tests and demos (never on by default): `--fault-rate P` turns a share of API
//! answers into 500/503 envelopes (after the request was handled, so a change may have happened although
//! its answer was lost, the hardest case for a client), `--latency-ms MIN..MAX` delays every API answer, and
//! `--fault-route REGEX` limits both to requests whose `METHOD /path?query` matches.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use disk_api::ErrorCode;
use std::time::Duration;

/// The faults configured, checked once at start.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    pub rate: f64,
    pub latency_ms: Option<(u64, u64)>,
    pub route: Option<regex::Regex>,
}

impl Faults {
    pub fn is_off(&self) -> bool {
        self.rate <= 0.0 && self.latency_ms.is_none()
    }

    fn applies(&self, method: &str, path_and_query: &str) -> bool {
        self.route.as_ref().is_none_or(|r| r.is_match(&format!("{method} {path_and_query}")))
    }
}

/// `MIN..MAX` (or one number) in milliseconds.
pub fn parse_latency(s: &str) -> Result<(u64, u64), String> {
    let (a, b) = s.split_once("..").unwrap_or((s, s));
    match (a.trim().parse::<u64>(), b.trim().parse::<u64>()) {
        (Ok(a), Ok(b)) if a <= b && b <= 60_000 => Ok((a, b)),
        _ => Err(format!("'{s}' is not MIN..MAX milliseconds (at most 60000)")),
    }
}

pub fn parse_route(s: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(s).map_err(|e| format!("'{s}' is not a regular expression: {e}"))
}

pub async fn inject(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let f = &st.faults;
    let target = req.uri().path_and_query().map_or("", |p| p.as_str());
    if f.is_off() || !f.applies(req.method().as_str(), target) {
        return next.run(req).await;
    }
    if let Some((lo, hi)) = f.latency_ms {
        tokio::time::sleep(Duration::from_millis(fastrand::u64(lo..=hi))).await;
    }
    let res = next.run(req).await;
    if f.rate > 0.0 && fastrand::f64() < f.rate {
        let (code, message) = if fastrand::bool() {
            (ErrorCode::Unavailable, "Injected fault: the service is unavailable")
        } else {
            (ErrorCode::Internal, "Injected fault: internal error")
        };
        return ApiError::new(code, message).into_response();
    }
    res
}
