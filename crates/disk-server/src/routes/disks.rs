//! describeDisks, describeDisk, createDisks, deleteDisk and restoreDisk.

use super::snapshots::{check_snapshot_id, missing};
use super::{check_region, check_values, list_query, window};
use crate::engine::NewDisks;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::extract::{ApiBody, ApiPath, QueryPairs};
use crate::store::Where;
use crate::AppState;
use axum::extract::State;
use disk_api::query::Filter;
use disk_api::validate::{
    check_description, check_disk_size, check_name, is_client_token, is_disk_id, is_instance_id,
    is_snapshot_id, MAX_COUNT_RANGE,
};
use disk_api::{
    ChargeMode, CreateDisksRequest, CreateDisksResult, DescribeDiskResult, DescribeDisksResult, DiskStatus,
    DiskType, ErrorCode, RestoreDiskRequest,
};

pub async fn describe_disks(
    State(st): State<AppState>,
    ApiPath(region_id): ApiPath<String>,
    QueryPairs(pairs): QueryPairs,
) -> ApiResult<DescribeDisksResult> {
    let region = check_region(&region_id)?;
    let query = list_query(&pairs)?;
    let conditions =
        query.filters.iter().map(|f| disk_filter(f, region.azs)).collect::<Result<Vec<_>, _>>()?;
    let (total_count, disks) =
        st.store.disk_page(region.id, &conditions, window(&query), st.clock.now_ms())?;
    Ok(ApiJson(DescribeDisksResult { total_count, disks }))
}

pub async fn describe_disk(
    State(st): State<AppState>,
    ApiPath((region_id, disk_id)): ApiPath<(String, String)>,
) -> ApiResult<DescribeDiskResult> {
    let region = check_region(&region_id)?;
    if !is_disk_id(&disk_id) {
        return Err(ApiError::invalid(format!("Malformed disk id '{disk_id}'")));
    }
    let disk = st
        .store
        .disk(region.id, &disk_id, st.clock.now_ms())?
        .ok_or_else(|| ApiError::not_found(format!("Disk '{disk_id}' not found")))?;
    Ok(ApiJson(DescribeDiskResult { disk }))
}

fn single_bool(f: &Filter) -> Result<bool, ApiError> {
    match f.values.first().map(String::as_str) {
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        other => Err(ApiError::invalid(format!("Invalid {} '{}'", f.name, other.unwrap_or_default()))),
    }
}

/// One filter of describeDisks as an SQL condition; values are checked the way JD checks them.
fn disk_filter(f: &Filter, azs: &'static [&'static str]) -> Result<Where, ApiError> {
    Ok(match f.name.as_str() {
        "diskId" => Where::any_of("disk_id", &check_values(f, is_disk_id, "Malformed disk id")?),
        "diskType" => Where::any_of(
            "disk_type",
            &check_values(f, |v| DiskType::parse(v).is_known(), "Invalid disk type")?,
        ),
        "status" => Where::any_of(
            "status",
            &check_values(f, |v| DiskStatus::parse(v).is_known(), "Invalid disk status")?,
        ),
        "az" => Where::any_of("az", &check_values(f, |v| azs.contains(&v), "Invalid availability zone")?),
        "instanceId" => Where::attachment_any_of(
            "instance_id",
            &check_values(f, is_instance_id, "Malformed instance id")?,
        ),
        "instanceType" => Where::attachment_any_of(
            "instance_type",
            &check_values(f, |v| v == "vm" || v == "nc", "Invalid instance type")?,
        ),
        "name" => Where::contains("name", f.values.first().map(String::as_str).unwrap_or_default()),
        "multiAttach" => Where::equals("multi_attachable", single_bool(f)?),
        "encrypted" => Where::equals("encrypted", single_bool(f)?),
        // The emulated region has no snapshot policies yet: no disk is bound to one.
        "policyId" => Where::never(),
        "notPolicyId" => Where::always(),
        other => return Err(ApiError::invalid(format!("Invalid filter name '{other}'"))),
    })
}
/// deleteDisk (`?putInRecycleBin=true` moves it to the recycle bin instead). Its snapshots stay.
pub async fn delete_disk(
    State(st): State<AppState>,
    ApiPath((region_id, disk_id)): ApiPath<(String, String)>,
    QueryPairs(pairs): QueryPairs,
) -> ApiResult<disk_api::Empty> {
    let region = check_region(&region_id)?;
    if !is_disk_id(&disk_id) {
        return Err(ApiError::invalid(format!("Malformed disk id '{disk_id}'")));
    }
    let recycle = match pairs.iter().find(|(k, _)| k == "putInRecycleBin").map(|(_, v)| v.as_str()) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => return Err(ApiError::invalid(format!("Invalid putInRecycleBin '{other}'"))),
    };
    st.store.delete_disk(region.id, &disk_id, st.clock.now_ms(), st.config.operation_ms(), recycle)?;
    Ok(ApiJson(disk_api::Empty {}))
}

/// createDisks: empty or from a snapshot, within the region's disk quota; a well-formed request with a
/// clientToken seen before answers as the first request did.
pub async fn create_disks(
    State(st): State<AppState>,
    ApiPath(region_id): ApiPath<String>,
    ApiBody(body): ApiBody<CreateDisksRequest>,
) -> ApiResult<CreateDisksResult> {
    let region = check_region(&region_id)?;
    let token = body.client_token.as_deref().ok_or_else(|| missing("client token"))?;
    if !is_client_token(token) {
        return Err(ApiError::invalid(format!("Malformed client token '{token}'")));
    }
    let spec = body.disk_spec.ok_or_else(|| missing("disk spec"))?;
    let count = body.max_count.ok_or_else(|| missing("max count"))?;
    let (lo, hi) = MAX_COUNT_RANGE;
    if !(lo..=hi).contains(&count) {
        return Err(ApiError::new(ErrorCode::OutOfRange, "Max count out of range"));
    }
    let az = spec.az.as_deref().ok_or_else(|| missing("az"))?;
    if !region.azs.contains(&az) {
        return Err(ApiError::invalid(format!("Invalid availability zone '{az}'")));
    }
    let name = spec.name.as_deref().ok_or_else(|| missing("disk name"))?;
    check_name(name).map_err(|_| ApiError::invalid(format!("Malformed disk name '{name}'")))?;
    let description = spec.description.as_deref().unwrap_or("");
    check_description(description)
        .map_err(|_| ApiError::invalid(format!("Malformed disk description '{description}'")))?;
    let wire_type = spec.disk_type.as_deref().ok_or_else(|| missing("disk type"))?;
    let disk_type = DiskType::parse(wire_type);
    if !disk_type.is_known() {
        return Err(ApiError::invalid(format!("Invalid disk type '{wire_type}'")));
    }
    let size = spec.disk_size_gb.ok_or_else(|| missing("disk size"))?;
    check_disk_size(&disk_type, size, None)
        .map_err(|p| ApiError::invalid(format!("Invalid disk size '{size}': {p}")))?;
    if let Some(id) = spec.snapshot_id.as_deref().filter(|id| !is_snapshot_id(id)) {
        return Err(ApiError::invalid(format!("Malformed snapshot id '{id}'")));
    }
    if let Some(mode) = spec.charge.as_ref().and_then(|c| c.charge_mode.as_deref()) {
        if ChargeMode::parse(mode) != ChargeMode::PostpaidByDuration {
            return Err(ApiError::invalid(format!("Invalid charge type '{mode}'")));
        }
    }
    // A well-formed repeat of an earlier request answers as the first did (a malformed one is refused).
    let answer = |disk_ids| ApiJson(CreateDisksResult { disk_ids, ..Default::default() });
    if let Some(ids) = st.store.replayed_disks(region.id, token)? {
        return Ok(answer(ids));
    }
    let fails = crate::failures::check(&st, "createDisks")?;
    let c = &st.config;
    let ids = st.store.create_disks(&NewDisks {
        region: region.id,
        client_token: token,
        az,
        name,
        description,
        disk_type,
        size_gb: size,
        snapshot_id: spec.snapshot_id.as_deref().filter(|s| !s.is_empty()),
        multi_attachable: spec.multi_attachable.unwrap_or(false),
        encrypt: spec.encrypt.unwrap_or(false),
        count,
        now_ms: st.clock.now_ms(),
        quota: c.disk_quota,
        gib_per_sec: c.snapshot_gib_per_sec,
        min_secs: c.snapshot_min_seconds,
        fails,
    })?;
    Ok(answer(ids))
}

/// `POST …/disks/{diskId}:restore` (restoreDisk): rolls a detached disk back to one of its snapshots. The
/// path parameter arrives decoded, so a colon sent as `%3A` works the same.
pub async fn disk_action(
    State(st): State<AppState>,
    ApiPath((region_id, action)): ApiPath<(String, String)>,
    ApiBody(body): ApiBody<RestoreDiskRequest>,
) -> ApiResult<disk_api::Empty> {
    let region = check_region(&region_id)?;
    let Some((disk_id, "restore")) = action.split_once(':') else {
        return Err(ApiError::not_found(format!("No API at POST /v1/regions/{region_id}/disks/{action}")));
    };
    if !is_disk_id(disk_id) {
        return Err(ApiError::invalid(format!("Malformed disk id '{disk_id}'")));
    }
    let snapshot_id = body.snapshot_id.as_deref().ok_or_else(|| missing("snapshotId"))?;
    check_snapshot_id(snapshot_id)?;
    let fails = crate::failures::check(&st, "restoreDisk")?;
    let c = &st.config;
    st.store.restore_disk(
        region.id,
        disk_id,
        snapshot_id,
        st.clock.now_ms(),
        c.snapshot_gib_per_sec,
        c.snapshot_min_seconds,
        fails,
    )?;
    Ok(ApiJson(disk_api::Empty {}))
}
