//! The JD Cloud backend: a stateless signing gateway. It takes the console's unsigned requests, decides who
//! is asking and whether they may, signs the request with the account's keys and forwards it to JD Cloud,
//! passing the answer back unchanged. Nothing is kept between requests, so any number of instances can run
//! behind a load balancer.

pub mod audit;
pub mod auth;
pub mod ops;
pub mod upstream;

use crate::credentials::Keyring;
use crate::error::{current_request_id, ApiError};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use disk_api::ErrorCode;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The largest request body forwarded (the console's bodies are a few hundred bytes).
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

pub struct Gateway {
    pub keyring: Arc<Keyring>,
    pub upstream: upstream::Upstream,
    pub auth: auth::Authenticator,
    pub audit: audit::Audit,
}

pub type Shared = Arc<Gateway>;

/// The peer's address, when the server was started with connection info (tests through `oneshot` have none).
pub fn peer(req_extensions: &axum::http::Extensions) -> Option<IpAddr> {
    req_extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

/// The API routes of the gateway: every `/v1/…` request goes through [`forward`].
pub fn api(gw: Shared, base_path: &str) -> axum::Router {
    use axum::routing::{any, get};
    let api = axum::Router::new()
        .route("/v1/openapi.json", crate::openapi::serve(forwarded_document(base_path)))
        .route("/v1", any(forward))
        .route("/v1/{*rest}", any(forward))
        .route("/_console/session", get(session))
        // The emulator's own routes do not exist here (rather than serving the console's page).
        .route("/_emulator", any(no_emulator))
        .route("/_emulator/{*rest}", any(no_emulator))
        .with_state(gw);
    crate::error::guarded(api)
}

/// The OpenAPI document of the operations this gateway forwards (and no others).
fn forwarded_document(base_path: &str) -> serde_json::Value {
    crate::openapi::build_for(base_path, |op| {
        let concrete = op
            .path
            .replace("{regionId}", "cn-north-1")
            .replace("{diskId}", "vol-aaaaaaaaaa")
            .replace("{snapshotId}", "snapshot-aaaaaaaaaa")
            .replace("{instanceId}", "i-aaaaaaaaaa");
        let method = Method::from_bytes(op.method.to_ascii_uppercase().as_bytes()).unwrap_or(Method::GET);
        ops::match_request(&method, &concrete).is_ok()
    })
}

async fn no_emulator() -> ApiError {
    ApiError::not_found("No emulated region here: this server is a gateway to JD Cloud")
}

fn unauthenticated(e: auth::Unauthenticated) -> ApiError {
    ApiError::new(
        ErrorCode::Unauthenticated,
        match e {
            auth::Unauthenticated::NoCredentials => "Sign in first: this gateway needs to know who you are",
            auth::Unauthenticated::UnknownToken => "The bearer token is not one of this gateway's",
        },
    )
}

/// `{"backend": "jdcloud", "user", "role"}` for the console's header.
async fn session(State(gw): State<Shared>, req: Request) -> Response {
    match gw.auth.identify(req.headers(), peer(req.extensions())) {
        Ok(id) => crate::error::ApiJson(session_json(&id)).into_response(),
        Err(e) => unauthenticated(e).into_response(),
    }
}

pub fn session_json(id: &auth::Identity) -> serde_json::Value {
    serde_json::to_value(disk_api::ConsoleSession {
        backend: disk_api::ConsoleSession::JDCLOUD.into(),
        user: Some(id.user.clone()),
        role: Some(id.role.as_str().into()),
    })
    .unwrap_or_default()
}

/// Whether a request's content type is JSON (`application/json`, any parameters).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

/// One API request: matched to an operation (else 404/405, never sent), its user identified (401) and
/// allowed (403), its body checked (JSON only, so no cross-site form can cause one), then signed and sent.
/// The browser's `Authorization`, cookies and every other header stay here: the upstream request is built
/// fresh from the method, path, query and body.
pub async fn forward(State(gw): State<Shared>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let matched = match ops::match_request(&parts.method, parts.uri.path()) {
        Ok(m) => m,
        Err(ops::Unmatched::NotFound) => {
            return ApiError::not_found(format!("No API at {} {}", parts.method, parts.uri.path()))
                .into_response()
        }
        Err(ops::Unmatched::MethodNotAllowed(allowed)) => {
            let allow: Vec<&str> = allowed.iter().map(Method::as_str).collect();
            let mut res = ApiError::new(
                ErrorCode::MethodNotAllowed,
                format!(
                    "Method {} is not allowed at {}; allowed: {}",
                    parts.method,
                    parts.uri.path(),
                    allow.join(", ")
                ),
            )
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&allow.join(", ")) {
                res.headers_mut().insert(header::ALLOW, v);
            }
            return res;
        }
    };
    let op = matched.operation;
    let identity = match gw.auth.identify(&parts.headers, peer(&parts.extensions)) {
        Ok(id) => id,
        Err(e) => return unauthenticated(e).into_response(),
    };
    if identity.role < op.role {
        return ApiError::new(
            ErrorCode::HttpForbidden,
            format!(
                "{} needs the {} role; {} is a {}",
                op.name,
                op.role.as_str(),
                identity.user,
                identity.role.as_str()
            ),
        )
        .into_response();
    }
    let has_body = matches!(parts.method, Method::POST | Method::PATCH | Method::PUT);
    if has_body && !is_json(&parts.headers) {
        return ApiError::invalid(format!("{} needs content-type: application/json", op.name))
            .into_response();
    }
    let body = if has_body {
        match axum::body::to_bytes(body, MAX_REQUEST_BYTES).await {
            Ok(b) => b,
            Err(_) => {
                return ApiError::invalid(format!("Request body over {} KiB", MAX_REQUEST_BYTES / 1024))
                    .into_response()
            }
        }
    } else {
        bytes::Bytes::new()
    };
    let query = parts.uri.query().unwrap_or("");
    let creds = gw.keyring.current();
    let call = upstream::Call {
        operation: op,
        method: &parts.method,
        region: &matched.region,
        path: &matched.path,
        query,
        body: body.clone(),
    };
    let result = gw.upstream.send(&creds, call).await;
    let (response, status, error_status, jd_request_id, answer_body) = match result {
        Ok(answer) => {
            // Only the audit log reads it, and only changes are audited: a list's answer is not parsed.
            let error_status = if op.mutating() { error_status_of(&answer.body) } else { None };
            let mut res = Response::new(Body::from(answer.body.clone()));
            *res.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
            let h = res.headers_mut();
            if let Some(ct) = answer.content_type.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                h.insert(header::CONTENT_TYPE, ct);
            }
            if let Some(id) = answer.request_id.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                h.insert(crate::error::REQUEST_ID_HEADER, id);
            }
            (res, answer.status, error_status, answer.request_id.clone(), answer.body)
        }
        Err(failure) => {
            tracing::warn!(operation = op.name, request_id = %current_request_id(), "JD Cloud {}", upstream::describe(&failure));
            let err = match failure {
                upstream::Failure::Timeout => ApiError::new(
                    ErrorCode::DeadlineExceeded,
                    format!("The cloud was not reached in time: JD Cloud did not answer {} (tried up to {} times)", op.name, if op.retry_safe { upstream::MAX_TRIES } else { 1 }),
                ),
                upstream::Failure::TooLarge => ApiError::new(
                    ErrorCode::SourceUnavailable,
                    format!("JD Cloud's answer to {} was over 10 MiB and was not passed on", op.name),
                ),
                _ => ApiError::new(
                    ErrorCode::SourceUnavailable,
                    format!("The cloud was not reached: JD Cloud could not be connected to for {}", op.name),
                ),
            };
            let status = err.code.http_status();
            let error_status = Some(err.code.as_str().to_owned());
            (err.into_response(), status, error_status, None, bytes::Bytes::new())
        }
    };
    if op.mutating() {
        let pairs = disk_api::query::parse_pairs(query);
        gw.audit.write(&audit::Record {
            time: disk_api::time::utc_time(crate::clock::Clock::now_ms(&crate::clock::SystemClock)),
            user: &identity.user,
            role: identity.role.as_str(),
            operation: op.name,
            region: &matched.region,
            resource_ids: audit::resource_ids(matched.resource.as_deref(), &body, &pairs, &answer_body),
            http_status: status,
            error_status,
            jd_request_id,
            request_id: &current_request_id(),
        });
    }
    response
}

fn error_status_of(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Answer {
        error: Option<Error>,
    }
    #[derive(serde::Deserialize)]
    struct Error {
        status: Option<String>,
    }
    serde_json::from_slice::<Answer>(body).ok()?.error?.status
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_audited_error_status_is_read_from_jd_s_error_envelope_only() {
        let refused = br#"{"requestId":"r","error":{"code":429,"status":"QUOTA_EXCEEDED","message":"m"}}"#;
        assert_eq!(super::error_status_of(refused).as_deref(), Some("QUOTA_EXCEEDED"));
        assert_eq!(super::error_status_of(br#"{"requestId":"r","result":{"snapshotId":"s"}}"#), None);
        assert_eq!(super::error_status_of(br#"{"requestId":"r","error":{"code":500}}"#), None);
        assert_eq!(super::error_status_of(b"<html>bad gateway</html>"), None);
    }
}
