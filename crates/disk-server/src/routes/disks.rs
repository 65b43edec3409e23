//! describeDisks and describeDisk.

use super::check_region;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::extract::{ApiPath, QueryPairs};
use crate::AppState;
use axum::extract::State;
use disk_api::query::{Filter, ListQuery};
use disk_api::validate::{is_disk_id, is_instance_id};
use disk_api::{DescribeDiskResult, DescribeDisksResult, Disk, DiskStatus, DiskType};

/// A condition on a disk, read from one filter.
type DiskFilter = Box<dyn Fn(&Disk) -> bool + Send>;

pub async fn describe_disks(
    State(st): State<AppState>,
    ApiPath(region_id): ApiPath<String>,
    QueryPairs(pairs): QueryPairs,
) -> ApiResult<DescribeDisksResult> {
    let region = check_region(&region_id)?;
    let query = ListQuery::from_pairs(&pairs).map_err(|e| ApiError::invalid(e.to_string()))?;
    let conditions =
        query.filters.iter().map(|f| disk_filter(f, region.azs)).collect::<Result<Vec<_>, _>>()?;
    let matching: Vec<Disk> =
        st.store.disks(region.id)?.into_iter().filter(|d| conditions.iter().all(|c| c(d))).collect();
    Ok(ApiJson(DescribeDisksResult { total_count: matching.len() as u32, disks: page(matching, &query) }))
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
        .disk(region.id, &disk_id)?
        .ok_or_else(|| ApiError::not_found(format!("Disk '{disk_id}' not found")))?;
    Ok(ApiJson(DescribeDiskResult { disk }))
}

/// The items of the requested page.
pub(crate) fn page<T>(items: Vec<T>, query: &ListQuery) -> Vec<T> {
    let size = query.page_size_or_default() as usize;
    let skip = (query.page_number_or_default() as usize - 1).saturating_mul(size);
    items.into_iter().skip(skip).take(size).collect()
}

/// Checks every value `ok` accepts, or answers with `message` naming the first bad one.
fn check_values(f: &Filter, ok: impl Fn(&str) -> bool, message: &str) -> Result<Vec<String>, ApiError> {
    match f.values.iter().find(|v| !ok(v)) {
        Some(bad) => Err(ApiError::invalid(format!("{message} '{bad}'"))),
        None => Ok(f.values.clone()),
    }
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
