//! One error type for the whole API. It always renders JD's envelope, with the request's ID, and with HTTP
//! status = `error.code`. Internal details go to the log, never to the client.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use disk_api::{Envelope, ErrorBody, ErrorCode};
use serde::Serialize;

pub const REQUEST_ID_HEADER: &str = "x-jdcloud-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// A fresh request ID: 32 lower-case letters and digits, as JD's are.
pub fn new_request_id() -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..32).map(|_| CHARS[fastrand::usize(..CHARS.len())] as char).collect()
}

/// The ID of the request being handled (set by [`with_request_id`]).
pub fn current_request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| new_request_id())
}

/// Middleware: gives every request an ID, visible to handlers and sent back in `x-jdcloud-request-id`
/// (unless the answer has one already: the gateway passes JD Cloud's on).
pub async fn with_request_id(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let id = new_request_id();
    let (method, path, started) =
        (req.method().clone(), req.uri().path().to_owned(), std::time::Instant::now());
    let mut res = REQUEST_ID.scope(id.clone(), next.run(req)).await;
    // One line per request, with the ID the client saw (the cloud's, when the gateway passes it on).
    let seen = res.headers().get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).unwrap_or(&id).to_owned();
    tracing::info!(
        request_id = %seen,
        method = %method,
        path = %path,
        status = res.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().entry(REQUEST_ID_HEADER).or_insert(v);
    }
    res
}

/// What every API router is wrapped in, whichever backend: a request ID for each request, and a panic in a
/// handler answered as a 500 in JD's envelope (and logged) instead of a dropped connection.
pub fn guarded(api: axum::Router) -> axum::Router {
    api.layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_answer))
        .layer(axum::middleware::from_fn(with_request_id))
}

fn panic_answer(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    ApiError::internal(format!("handler panicked: {what}")).into_response()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidArgument, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn precondition(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::FailedPrecondition, message)
    }

    /// Logs the cause and tells the client only that something failed on our side.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(request_id = %current_request_id(), "internal error: {cause}");
        Self::new(ErrorCode::Internal, "Internal error")
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        Self::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = Envelope::<()>::err(current_request_id(), ErrorBody::new(self.code, self.message));
        (status, axum::Json(body)).into_response()
    }
}

/// A successful result in JD's envelope.
pub struct ApiJson<T>(pub T);

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(Envelope::ok(current_request_id(), self.0)).into_response()
    }
}

pub type ApiResult<T> = Result<ApiJson<T>, ApiError>;

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_in_the_envelope() {
        let app = super::guarded(axum::Router::new().route(
            "/v1/boom",
            axum::routing::get(|| async {
                let s = "é";
                // Slicing inside a multi-byte character: the kind of bug that once dropped connections.
                let _ = &s[..1];
                "never"
            }),
        ));
        let res = app.oneshot(Request::get("/v1/boom").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), 500);
        let id = res.headers()[super::REQUEST_ID_HEADER].to_str().unwrap().to_owned();
        let body = axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            v["error"],
            serde_json::json!({"code": 500, "status": "INTERNAL", "message": "Internal error"})
        );
        assert_eq!(v["requestId"], id.as_str());
    }
}
