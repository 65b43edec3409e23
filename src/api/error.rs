use crate::i18n::{t, tf, T};
use std::fmt;

/// Why an API call failed. Owned strings only, `Clone`, so it can live in signals and error boundaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The API answered with JD's error envelope.
    Api { code: u16, status: String, message: String, request_id: String },
    /// The request never got an answer (offline, server down, aborted).
    Network(String),
    /// An answer came, but it was not the API's JSON.
    Decode { http_status: u16, message: String, request_id: Option<String> },
}

impl ApiError {
    /// The request ID to quote to support, if the server gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. } if !request_id.is_empty() => Some(request_id),
            Self::Decode { request_id: Some(id), .. } if !id.is_empty() => Some(id),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::Api { code, .. } => Some(*code),
            Self::Decode { http_status, .. } => Some(*http_status),
            Self::Network(_) => None,
        }
    }

    /// An answer worth waiting out quietly for a while: the cloud asks to slow down (429 `RATE_LIMIT`) or
    /// failed on its side (5xx). Not an unreachable API, and not a quota.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Api { code, status, .. } => *code >= 500 || (*code == 429 && status != "QUOTA_EXCEEDED"),
            Self::Decode { http_status, .. } => *http_status >= 500,
            Self::Network(_) => false,
        }
    }

    /// One sentence for people.
    pub fn message(&self) -> String {
        match self {
            Self::Api { status, message, .. } => {
                let kind = match status.as_str() {
                    "INVALID_ARGUMENT" | "OUT_OF_RANGE" => T::ErrInvalidArgument,
                    "FAILED_PRECONDITION" | "ABORTED" | "ALREADY_EXISTS" => T::ErrFailedPrecondition,
                    "NOT_FOUND" => T::ErrNotFound,
                    "QUOTA_EXCEEDED" => T::ErrQuotaExceeded,
                    "RATE_LIMIT" => T::ErrRateLimit,
                    "UNAUTHENTICATED" | "ACCESS_ERROR" => T::ErrUnauthenticated,
                    "HTTP_FORBIDDEN" => T::ErrForbidden,
                    "UNAVAILABLE" | "SOURCE_UNAVAILABLE" | "DEADLINE_EXCEEDED" => T::ErrUnavailable,
                    _ => T::ErrOther,
                };
                tf(kind, &[("message", message)])
            }
            Self::Network(_) => t(T::ErrNetwork).to_owned(),
            Self::Decode { http_status, .. } => tf(T::ErrDecode, &[("status", &http_status.to_string())]),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ApiError {}
