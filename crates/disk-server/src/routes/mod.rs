//! The router: the disk API under `/v1`, JD envelopes for every API error, the console for everything else.

mod disks;
mod instances;
mod quota;
mod snapshots;

use crate::error::ApiError;
use crate::static_files::PageSession;
use crate::AppState;
use axum::http::{Method, Uri};
use axum::routing::{any, get, post};
use axum::Router;
use disk_api::query::{Filter, ListQuery};
use disk_api::region;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/v1/regions/{region_id}/disks", get(disks::describe_disks).post(disks::create_disks))
        .route(
            "/v1/regions/{region_id}/disks/{disk_id}",
            get(disks::describe_disk).delete(disks::delete_disk).post(disks::disk_action),
        )
        .route(
            "/v1/regions/{region_id}/snapshots",
            get(snapshots::describe_snapshots)
                .post(snapshots::create_snapshot)
                .delete(snapshots::delete_snapshots),
        )
        .route(
            "/v1/regions/{region_id}/snapshots/{snapshot_id}",
            get(snapshots::describe_snapshot)
                .delete(snapshots::delete_snapshot)
                .patch(snapshots::modify_snapshot_attribute),
        )
        .route("/v1/regions/{region_id}/quotas", get(quota::describe_quota))
        .route("/v1/regions/{region_id}/instances", get(instances::describe_instances))
        .route("/v1/regions/{region_id}/instances/{action}", post(instances::instance_action))
        .route("/v1/openapi.json", crate::openapi::document(&state.config.base_path))
        .route("/v1", any(api_not_found))
        .route("/v1/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(api_method_not_allowed)
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), crate::stats::count))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::faults::inject))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::verify::check))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::stats::count_all));

    let app = api
        .route("/_emulator/requests", get(crate::stats::report))
        .route(
            "/_emulator/failures",
            get(crate::failures::list).post(crate::failures::arm).delete(crate::failures::clear),
        )
        .route("/_console/session", get(session))
        .with_state(state.clone());
    let app = crate::error::guarded(app);
    let session = PageSession::Fixed(serde_json::to_value(emulator_session()).unwrap_or_default());
    crate::with_console(app, &state.config, session)
}

fn emulator_session() -> disk_api::ConsoleSession {
    disk_api::ConsoleSession { backend: disk_api::ConsoleSession::EMULATOR.into(), ..Default::default() }
}

/// Who the console is used by: here, nobody in particular (the emulated region has no users).
async fn session() -> crate::error::ApiJson<disk_api::ConsoleSession> {
    crate::error::ApiJson(emulator_session())
}

async fn api_not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("No API at {method} {}", uri.path()))
}

/// A path of the API with a method it does not have: 405 in JD's envelope (axum adds `Allow`).
async fn api_method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        disk_api::ErrorCode::MethodNotAllowed,
        format!("Method {method} is not allowed at {}", uri.path()),
    )
}

/// The region in a path, checked against the regions this server emulates.
pub(crate) fn check_region(region_id: &str) -> Result<&'static region::Region, ApiError> {
    region::find(region_id).ok_or_else(|| ApiError::invalid(format!("Invalid region '{region_id}'")))
}

/// Paging and filters of a describe* request.
pub(crate) fn list_query(pairs: &[(String, String)]) -> Result<ListQuery, ApiError> {
    ListQuery::from_pairs(pairs).map_err(|e| ApiError::invalid(e.to_string()))
}

/// Checks every value `ok` accepts, or answers with `message` naming the first bad one.
pub(crate) fn check_values(
    f: &Filter,
    ok: impl Fn(&str) -> bool,
    message: &str,
) -> Result<Vec<String>, ApiError> {
    match f.values.iter().find(|v| !ok(v)) {
        Some(bad) => Err(ApiError::invalid(format!("{message} '{bad}'"))),
        None => Ok(f.values.clone()),
    }
}

/// The page a list query asks for.
pub(crate) fn window(query: &ListQuery) -> crate::store::Window {
    let size = query.page_size_or_default();
    let skip = u64::from(query.page_number_or_default() - 1) * u64::from(size);
    crate::store::Window { offset: skip, limit: size }
}
