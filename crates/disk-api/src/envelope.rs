use serde::{Deserialize, Serialize};

/// Every response body: `{"requestId", "result"}` on success, `{"requestId", "error"}` on failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Envelope<T> {
    #[serde(rename = "requestId", default)]
    pub request_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

impl<T> Envelope<T> {
    pub fn ok(request_id: impl Into<String>, result: T) -> Self {
        Self { request_id: request_id.into(), result: Some(result), error: None }
    }

    pub fn err(request_id: impl Into<String>, error: ErrorBody) -> Self {
        Self { request_id: request_id.into(), result: None, error: Some(error) }
    }
}

/// JD's error object. `code` equals the HTTP status of the response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    pub code: u16,
    pub status: String,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code: code.http_status(), status: code.as_str().to_owned(), message: message.into() }
    }
}

/// The error statuses of JD's common error table, with the HTTP status each one travels with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidArgument,
    FailedPrecondition,
    OutOfRange,
    Unauthenticated,
    /// A signature JD's gateway refused (`sign result is not same [gw]`).
    AccessError,
    HttpForbidden,
    NotFound,
    MethodNotAllowed,
    Aborted,
    AlreadyExists,
    QuotaExceeded,
    RateLimit,
    Internal,
    NotImplemented,
    SourceUnavailable,
    Unavailable,
    DeadlineExceeded,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidArgument => "INVALID_ARGUMENT",
            Self::FailedPrecondition => "FAILED_PRECONDITION",
            Self::OutOfRange => "OUT_OF_RANGE",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::AccessError => "ACCESS_ERROR",
            Self::HttpForbidden => "HTTP_FORBIDDEN",
            Self::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Self::NotFound => "NOT_FOUND",
            Self::Aborted => "ABORTED",
            Self::AlreadyExists => "ALREADY_EXISTS",
            Self::QuotaExceeded => "QUOTA_EXCEEDED",
            Self::RateLimit => "RATE_LIMIT",
            Self::Internal => "INTERNAL",
            Self::NotImplemented => "NOT_IMPLEMENTED",
            Self::SourceUnavailable => "SOURCE_UNAVAILABLE",
            Self::Unavailable => "UNAVAILABLE",
            Self::DeadlineExceeded => "DEADLINE_EXCEEDED",
        }
    }

    pub fn http_status(self) -> u16 {
        match self {
            Self::InvalidArgument | Self::FailedPrecondition | Self::OutOfRange => 400,
            Self::Unauthenticated | Self::AccessError => 401,
            Self::HttpForbidden => 403,
            Self::MethodNotAllowed => 405,
            Self::NotFound => 404,
            Self::Aborted | Self::AlreadyExists => 409,
            Self::QuotaExceeded | Self::RateLimit => 429,
            Self::Internal => 500,
            Self::NotImplemented => 501,
            Self::SourceUnavailable => 502,
            Self::Unavailable => 503,
            Self::DeadlineExceeded => 504,
        }
    }
}
