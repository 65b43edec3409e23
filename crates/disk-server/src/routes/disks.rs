//! describeDisks and describeDisk.

use super::{check_region, check_values, list_query, window};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::extract::{ApiPath, QueryPairs};
use crate::store::Where;
use crate::AppState;
use axum::extract::State;
use disk_api::query::Filter;
use disk_api::validate::{is_disk_id, is_instance_id};
use disk_api::{DescribeDiskResult, DescribeDisksResult, DiskStatus, DiskType};

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
