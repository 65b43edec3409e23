//! describeDisks and describeDisk.

use super::{check_region, check_values, list_query, page, Paged};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::extract::{ApiPath, QueryPairs};
use crate::AppState;
use axum::extract::State;
use disk_api::query::Filter;
use disk_api::validate::{is_disk_id, is_instance_id};
use disk_api::{DescribeDiskResult, DescribeDisksResult, Disk, DiskStatus, DiskType};

/// A condition on a disk, read from one filter.
type DiskFilter = super::Condition<Disk>;

pub async fn describe_disks(
    State(st): State<AppState>,
    ApiPath(region_id): ApiPath<String>,
    QueryPairs(pairs): QueryPairs,
) -> ApiResult<DescribeDisksResult> {
    let region = check_region(&region_id)?;
    let query = list_query(&pairs)?;
    let conditions =
        query.filters.iter().map(|f| disk_filter(f, region.azs)).collect::<Result<Vec<_>, _>>()?;
    let all = st.store.disks(region.id, st.clock.now_ms())?;
    let Paged { total_count, items } = page(all, &conditions, &query);
    Ok(ApiJson(DescribeDisksResult { total_count, disks: items }))
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

/// One filter of describeDisks as a predicate; values are checked the way JD checks them.
fn disk_filter(f: &Filter, azs: &'static [&'static str]) -> Result<DiskFilter, ApiError> {
    Ok(match f.name.as_str() {
        "diskId" => {
            let ids = check_values(f, is_disk_id, "Malformed disk id")?;
            Box::new(move |d| ids.contains(&d.disk_id))
        }
        "diskType" => {
            let types = check_values(f, |v| DiskType::parse(v).is_known(), "Invalid disk type")?;
            Box::new(move |d| types.iter().any(|t| t == d.disk_type.as_str()))
        }
        "status" => {
            let statuses = check_values(f, |v| DiskStatus::parse(v).is_known(), "Invalid disk status")?;
            Box::new(move |d| statuses.iter().any(|s| s == d.status.as_str()))
        }
        "az" => {
            let wanted = check_values(f, |v| azs.contains(&v), "Invalid availability zone")?;
            Box::new(move |d| wanted.contains(&d.az))
        }
        "instanceId" => {
            let ids = check_values(f, is_instance_id, "Malformed instance id")?;
            Box::new(move |d| d.attachments.iter().any(|a| ids.contains(&a.instance_id)))
        }
        "instanceType" => {
            let types = check_values(f, |v| v == "vm" || v == "nc", "Invalid instance type")?;
            Box::new(move |d| d.attachments.iter().any(|a| types.contains(&a.instance_type)))
        }
        "name" => {
            let needle = f.values.first().map(|v| v.to_lowercase()).unwrap_or_default();
            Box::new(move |d| d.name.to_lowercase().contains(&needle))
        }
        "multiAttach" => {
            let want = single_bool(f)?;
            Box::new(move |d| d.multi_attachable == want)
        }
        "encrypted" => {
            let want = single_bool(f)?;
            Box::new(move |d| d.encrypted == want)
        }
        // The emulated region has no snapshot policies yet: no disk is bound to one.
        "policyId" => Box::new(|_| false),
        "notPolicyId" => Box::new(|_| true),
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
