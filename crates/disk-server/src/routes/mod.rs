//! The router: the disk API under `/v1`, JD envelopes for every API error, the console for everything else.

mod disks;

use crate::error::{with_request_id, ApiError};
use crate::AppState;
use axum::http::{Method, Uri};
use axum::routing::{any, get};
use axum::Router;
use disk_api::region;
use tower_http::compression::CompressionLayer;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/v1/regions/{region_id}/disks", get(disks::describe_disks))
        .route("/v1/regions/{region_id}/disks/{disk_id}", get(disks::describe_disk))
        .route("/v1", any(api_not_found))
        .route("/v1/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(axum::middleware::from_fn(with_request_id));

    api.merge(crate::static_files::router(&state.config.dist))
        .layer(CompressionLayer::new())
        .with_state(state)
}

async fn api_not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("No API at {method} {}", uri.path()))
}

async fn api_method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        disk_api::ErrorCode::NotImplemented,
        format!("Method {method} is not supported at {}", uri.path()),
    )
}

/// The region in a path, checked against the regions this server emulates.
pub(crate) fn check_region(region_id: &str) -> Result<&'static region::Region, ApiError> {
    region::find(region_id).ok_or_else(|| ApiError::invalid(format!("Invalid region '{region_id}'")))
}
