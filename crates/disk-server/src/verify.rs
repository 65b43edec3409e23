//! `--verify-signatures`: the emulator checks every API request's signature the way JD Cloud's gateway
//! does, with the account's keys (it plays the cloud, which knows them). Unsigned, wrongly signed or stale
//! requests get 401 `ACCESS_ERROR` in JD's envelope.

use crate::error::ApiError;
use crate::AppState;
use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use disk_api::ErrorCode;

/// The largest body checked (the API's own limit is lower).
const MAX_BODY: usize = 4 * 1024 * 1024;

pub async fn check(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let Some(keyring) = st.verifier.clone() else { return next.run(req).await };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return ApiError::invalid("Request body too large").into_response();
    };
    // The path as the client sent (and signed) it, base path included.
    let uri = parts.extensions.get::<OriginalUri>().map(|o| o.0.clone()).unwrap_or_else(|| parts.uri.clone());
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let signed = crate::sign::Request {
        method: parts.method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        headers: &headers,
        body: &bytes,
    };
    match crate::sign::verify(&signed, st.clock.now_ms(), |ak| keyring.secret_of(ak)) {
        Ok(_) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(refusal) => ApiError::new(ErrorCode::AccessError, refusal.message()).into_response(),
    }
}
