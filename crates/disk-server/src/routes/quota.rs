//! describeQuota.

use super::check_region;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::extract::{ApiPath, QueryPairs};
use crate::AppState;
use axum::extract::State;
use disk_api::{DescribeQuotaResult, Quota};

/// Snapshot policies per region (none exist in the emulator).
const SNAPSHOT_POLICY_QUOTA: u32 = 10;

pub async fn describe_quota(
    State(st): State<AppState>,
    ApiPath(region_id): ApiPath<String>,
    QueryPairs(pairs): QueryPairs,
) -> ApiResult<DescribeQuotaResult> {
    let region = check_region(&region_id)?;
    let now = st.clock.now_ms();
    let quota = match pairs.iter().find(|(k, _)| k == "type").map(|(_, v)| v.as_str()) {
        None | Some("") => return Err(ApiError::invalid("Parameter type missing")),
        Some("snapshot") => {
            Quota { limit: st.config.snapshot_quota, used: st.store.count_snapshots(region.id, now)? }
        }
        Some("disk") => {
            Quota { limit: st.config.disk_quota, used: st.store.count_region_disks(region.id, now)? }
        }
        Some("snapshot_policy") => Quota { limit: SNAPSHOT_POLICY_QUOTA, used: 0 },
        Some(other) => return Err(ApiError::invalid(format!("Invalid quota type '{other}'"))),
    };
    Ok(ApiJson(DescribeQuotaResult { quota }))
}
