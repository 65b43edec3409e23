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
    let mut res = REQUEST_ID.scope(id.clone(), next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().entry(REQUEST_ID_HEADER).or_insert(v);
    }
    res
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
