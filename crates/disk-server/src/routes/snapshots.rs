//! The snapshot API: create, describe (one and many), delete (one and many), modify attributes.

use super::{check_region, check_values, list_query, window};
use crate::engine::NewSnapshot;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::extract::{ApiBody, ApiPath, QueryPairs};
use crate::store::Where;
use crate::AppState;
use axum::extract::State;
use disk_api::query::{indexed_values, Filter};
use disk_api::validate::{
    check_description, check_name, is_client_token, is_disk_id, is_expire_time, is_snapshot_id,
};
use disk_api::{
    CreateSnapshotRequest, CreateSnapshotResult, DelSnapshot, DeleteSnapshotsResult, DescribeSnapshotResult,
    DescribeSnapshotsResult, Empty, ModifySnapshotAttributeRequest, SnapshotStatus,
};

pub(crate) fn check_snapshot_id(id: &str) -> Result<(), ApiError> {
    if is_snapshot_id(id) {
        Ok(())
    } else {
        Err(ApiError::invalid(format!("Malformed snapshot id '{id}'")))
    }
}

pub(crate) fn check_name_wire(name: &str) -> Result<(), ApiError> {
    check_name(name).map_err(|_| ApiError::invalid(format!("Malformed name '{name}'")))
}

pub(crate) fn check_description_wire(description: &str) -> Result<(), ApiError> {
    check_description(description)
        .map_err(|_| ApiError::invalid(format!("Malformed description '{description}'")))
}

pub(crate) fn missing(what: &str) -> ApiError {
    ApiError::invalid(format!("Parameter {what} missing"))
}

pub async fn create_snapshot(
    State(st): State<AppState>,
    ApiPath(region_id): ApiPath<String>,
    ApiBody(body): ApiBody<CreateSnapshotRequest>,
) -> ApiResult<CreateSnapshotResult> {
    let region = check_region(&region_id)?;
    let token = body.client_token.as_deref().ok_or_else(|| missing("clientToken"))?;
    if !is_client_token(token) {
        return Err(ApiError::invalid(format!("Malformed client token '{token}'")));
    }
    // A repeat of an earlier request answers as the first did, whatever its body.
    if let Some(snapshot_id) = st.store.replayed(region.id, token)? {
        return Ok(ApiJson(CreateSnapshotResult { snapshot_id }));
    }
    let spec = body.snapshot_spec.ok_or_else(|| missing("snapshotSpec"))?;
    let name = spec.name.as_deref().ok_or_else(|| missing("name"))?;
    check_name_wire(name)?;
    let description = spec.description.as_deref().unwrap_or("");
    check_description_wire(description)?;
    let disk_id = spec.disk_id.as_deref().ok_or_else(|| missing("diskId"))?;
    if !is_disk_id(disk_id) {
        return Err(ApiError::invalid(format!("Malformed disk id '{disk_id}'")));
    }
    let knob_fails = crate::failures::check(&st, "createSnapshot")?;
    let c = &st.config;
    let snapshot_id = st.store.create_snapshot(&NewSnapshot {
        region: region.id,
        client_token: token,
        disk_id,
        name,
        description,
        now_ms: st.clock.now_ms(),
        quota: c.snapshot_quota,
        gib_per_sec: c.snapshot_gib_per_sec,
        min_secs: c.snapshot_min_seconds,
        fails: knob_fails || (c.snapshot_failure_rate > 0.0 && fastrand::f64() < c.snapshot_failure_rate),
    })?;
    Ok(ApiJson(CreateSnapshotResult { snapshot_id }))
}

pub async fn describe_snapshots(
    State(st): State<AppState>,
    ApiPath(region_id): ApiPath<String>,
    QueryPairs(pairs): QueryPairs,
) -> ApiResult<DescribeSnapshotsResult> {
    let region = check_region(&region_id)?;
    let query = list_query(&pairs)?;
    // Only the account's own snapshots exist here: none are shared with it.
    let own = match pairs.iter().find(|(k, _)| k == "snapshotSource").map(|(_, v)| v.as_str()) {
        None | Some("private") => true,
        Some("others" | "shared") => false,
        Some(other) => return Err(ApiError::invalid(format!("Invalid snapshot source '{other}'"))),
    };
    let mut conditions = query.filters.iter().map(snapshot_filter).collect::<Result<Vec<_>, _>>()?;
    if !own {
        conditions.push(Where::never());
    }
    let (total_count, snapshots) =
        st.store.snapshot_page(region.id, &conditions, window(&query), st.clock.now_ms())?;
    Ok(ApiJson(DescribeSnapshotsResult { total_count, snapshots }))
}

/// One filter of describeSnapshots as an SQL condition.
fn snapshot_filter(f: &Filter) -> Result<Where, ApiError> {
    Ok(match f.name.as_str() {
        "snapshotId" => {
            Where::any_of("snapshot_id", &check_values(f, is_snapshot_id, "Malformed snapshot id")?)
        }
        "diskId" => Where::any_of("disk_id", &check_values(f, is_disk_id, "Malformed disk id")?),
        "status" => Where::any_of(
            "status",
            &check_values(f, |v| SnapshotStatus::parse(v).is_known(), "Invalid snapshot status")?,
        ),
        "name" => Where::contains("name", f.values.first().map(String::as_str).unwrap_or_default()),
        other => return Err(ApiError::invalid(format!("Invalid filter name '{other}'"))),
    })
}

pub async fn describe_snapshot(
    State(st): State<AppState>,
    ApiPath((region_id, snapshot_id)): ApiPath<(String, String)>,
) -> ApiResult<DescribeSnapshotResult> {
    let region = check_region(&region_id)?;
    check_snapshot_id(&snapshot_id)?;
    let snapshot = st
        .store
        .snapshot(region.id, &snapshot_id, st.clock.now_ms())?
        .ok_or_else(|| ApiError::not_found(format!("Snapshot '{snapshot_id}' not found")))?;
    Ok(ApiJson(DescribeSnapshotResult { snapshot }))
}

pub async fn delete_snapshot(
    State(st): State<AppState>,
    ApiPath((region_id, snapshot_id)): ApiPath<(String, String)>,
) -> ApiResult<Empty> {
    let region = check_region(&region_id)?;
    check_snapshot_id(&snapshot_id)?;
    st.store.delete_snapshot(region.id, &snapshot_id, st.clock.now_ms(), st.config.operation_ms())?;
    Ok(ApiJson(Empty {}))
}

/// deleteSnapshots: each ID succeeds or fails on its own; the answer says which and why.
pub async fn delete_snapshots(
    State(st): State<AppState>,
    ApiPath(region_id): ApiPath<String>,
    QueryPairs(pairs): QueryPairs,
) -> ApiResult<DeleteSnapshotsResult> {
    let region = check_region(&region_id)?;
    // The list starts at index 1 (or 0, as some clients count); without its first entry it is missing.
    let first = pairs.iter().any(|(k, _)| k == "snapshotIds.1" || k == "snapshotIds.0");
    let ids = indexed_values(&pairs, "snapshotIds");
    if ids.is_empty() || !first {
        return Err(missing("snapshotIds"));
    }
    if ids.len() > 100 {
        return Err(ApiError::new(disk_api::ErrorCode::OutOfRange, "At most 100 snapshotIds at once"));
    }
    let now = st.clock.now_ms();
    let snapshots: Vec<DelSnapshot> = ids
        .into_iter()
        .map(|id| {
            let outcome = check_snapshot_id(&id)
                .and_then(|()| st.store.delete_snapshot(region.id, &id, now, st.config.operation_ms()));
            DelSnapshot {
                success: outcome.is_ok(),
                detail: outcome.err().map(|e| e.message).unwrap_or_default(),
                snapshot_id: id,
            }
        })
        .collect();
    let success_count = snapshots.iter().filter(|s| s.success).count() as u32;
    let failed_count = snapshots.len() as u32 - success_count;
    Ok(ApiJson(DeleteSnapshotsResult { snapshots, success_count, failed_count }))
}

pub async fn modify_snapshot_attribute(
    State(st): State<AppState>,
    ApiPath((region_id, snapshot_id)): ApiPath<(String, String)>,
    ApiBody(body): ApiBody<ModifySnapshotAttributeRequest>,
) -> ApiResult<Empty> {
    let region = check_region(&region_id)?;
    check_snapshot_id(&snapshot_id)?;
    if body.name.is_none() && body.description.is_none() && body.expire_time.is_none() {
        return Err(missing("name, description or expireTime"));
    }
    if let Some(name) = &body.name {
        check_name_wire(name)?;
    }
    if let Some(description) = &body.description {
        check_description_wire(description)?;
    }
    if let Some(expire) = &body.expire_time {
        if !is_expire_time(expire) {
            return Err(ApiError::invalid(format!("Malformed expire time '{expire}'")));
        }
    }
    st.store.modify_snapshot(
        region.id,
        &snapshot_id,
        st.clock.now_ms(),
        body.name.as_deref(),
        body.description.as_deref(),
        body.expire_time.as_deref(),
    )?;
    Ok(ApiJson(Empty {}))
}
