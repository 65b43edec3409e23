//! The VM side the console needs: list instances (re-attach targets), attachDisk and detachDisk.

use super::check_region;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::extract::{ApiBody, ApiPath};
use crate::AppState;
use axum::extract::State;
use disk_api::validate::{is_disk_id, is_instance_id};
use disk_api::{DescribeInstancesResult, DiskOnInstanceRequest, Empty, InstanceBrief};

pub async fn describe_instances(
    State(st): State<AppState>,
    ApiPath(region_id): ApiPath<String>,
) -> ApiResult<DescribeInstancesResult> {
    let region = check_region(&region_id)?;
    let instances: Vec<InstanceBrief> = st
        .store
        .instances(region.id)?
        .into_iter()
        .map(|i| InstanceBrief {
            instance_id: i.instance_id,
            instance_name: i.name,
            az: i.az,
            status: i.status,
        })
        .collect();
    Ok(ApiJson(DescribeInstancesResult { total_count: instances.len() as u32, instances }))
}

/// `POST …/instances/{instanceId}:attachDisk` and `:detachDisk`. The path parameter arrives decoded, so a
/// colon sent as `%3A` (as every SDK sends it) works the same.
pub async fn instance_action(
    State(st): State<AppState>,
    ApiPath((region_id, action)): ApiPath<(String, String)>,
    ApiBody(body): ApiBody<DiskOnInstanceRequest>,
) -> ApiResult<Empty> {
    let region = check_region(&region_id)?;
    let Some((instance_id, verb)) = action.split_once(':') else {
        return Err(ApiError::not_found(format!(
            "No API at POST /v1/regions/{region_id}/instances/{action}"
        )));
    };
    if !matches!(verb, "attachDisk" | "detachDisk") {
        return Err(ApiError::not_found(format!(
            "No API at POST /v1/regions/{region_id}/instances/{action}"
        )));
    }
    if !is_instance_id(instance_id) {
        return Err(ApiError::invalid(format!("Malformed instance id '{instance_id}'")));
    }
    let disk_id = body.disk_id.as_deref().ok_or_else(|| ApiError::invalid("Parameter diskId missing"))?;
    if !is_disk_id(disk_id) {
        return Err(ApiError::invalid(format!("Malformed disk id '{disk_id}'")));
    }
    let instance = st
        .store
        .instance(region.id, instance_id)?
        .ok_or_else(|| ApiError::not_found(format!("Instance '{instance_id}' not found")))?;
    if !matches!(instance.status.as_str(), "running" | "stopped") {
        return Err(ApiError::precondition(format!("Invalid instance status '{}'", instance.status)));
    }
    let fails = crate::failures::check(&st, verb)?;
    let (now, op) = (st.clock.now_ms(), st.config.operation_ms());
    if verb == "attachDisk" {
        st.store.attach_disk(region.id, &instance, disk_id, now, op, fails)?;
    } else {
        st.store.detach_disk(region.id, &instance, disk_id, now, op, fails)?;
    }
    Ok(ApiJson(Empty {}))
}
