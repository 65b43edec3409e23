//! Models, with JSON names exactly as JD Cloud's SDKs put them on the wire (reference §4). Decoding is
//! tolerant the way the real SDKs need: missing fields take their default, `null` means absent, unknown keys
//! are ignored.

use crate::status::{
    AttachmentStatus, ChargeMode, ChargeStatus, DiskStatus, DiskType, SnapshotStatus,
};
use serde::{Deserialize, Deserializer, Serialize};

/// Decodes `null` as the type's default (JD sends `"disks": null` for an empty page).
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Disk {
    #[serde(deserialize_with = "null_as_default")]
    pub disk_id: String,
    #[serde(deserialize_with = "null_as_default")]
    pub az: String,
    #[serde(deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(deserialize_with = "null_as_default")]
    pub description: String,
    pub disk_type: DiskType,
    #[serde(rename = "diskSizeGB", deserialize_with = "null_as_default")]
    pub disk_size_gb: u32,
    #[serde(deserialize_with = "null_as_default")]
    pub iops: u32,
    #[serde(deserialize_with = "null_as_default")]
    pub throughput: u32,
    pub status: DiskStatus,
    #[serde(deserialize_with = "null_as_default")]
    pub attachments: Vec<DiskAttachment>,
    /// The snapshot this disk was created from, `""` if none.
    #[serde(deserialize_with = "null_as_default")]
    pub snapshot_id: String,
    #[serde(deserialize_with = "null_as_default")]
    pub multi_attachable: bool,
    #[serde(deserialize_with = "null_as_default")]
    pub encrypted: bool,
    #[serde(deserialize_with = "null_as_default")]
    pub enabled: bool,
    #[serde(deserialize_with = "null_as_default")]
    pub create_time: String,
    #[serde(deserialize_with = "null_as_default")]
    pub charge: Charge,
    #[serde(deserialize_with = "null_as_default")]
    pub tags: Vec<Tag>,
    #[serde(deserialize_with = "null_as_default")]
    pub snapshot_policies: Vec<SnapshotPolicy>,
    #[serde(deserialize_with = "null_as_default")]
    pub resource_group_id: String,
    #[serde(deserialize_with = "null_as_default")]
    pub can_put_in_recycle_bin: bool,
    #[serde(deserialize_with = "null_as_default")]
    pub trash_time: String,
}

impl Disk {
    /// The attachment that currently ties the disk to an instance, if any.
    pub fn active_attachment(&self) -> Option<&DiskAttachment> {
        self.attachments.iter().find(|a| a.status != AttachmentStatus::Detached)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DiskAttachment {
    #[serde(deserialize_with = "null_as_default")]
    pub attachment_id: String,
    #[serde(deserialize_with = "null_as_default")]
    pub disk_id: String,
    /// `vm` or `nc`.
    #[serde(deserialize_with = "null_as_default")]
    pub instance_type: String,
    #[serde(deserialize_with = "null_as_default")]
    pub instance_id: String,
    pub status: AttachmentStatus,
    #[serde(deserialize_with = "null_as_default")]
    pub attach_time: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Charge {
    pub charge_mode: ChargeMode,
    pub charge_status: ChargeStatus,
    #[serde(deserialize_with = "null_as_default")]
    pub charge_start_time: String,
    #[serde(deserialize_with = "null_as_default")]
    pub charge_expired_time: String,
    #[serde(deserialize_with = "null_as_default")]
    pub charge_retire_time: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tag {
    #[serde(deserialize_with = "null_as_default")]
    pub key: String,
    #[serde(deserialize_with = "null_as_default")]
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SnapshotPolicy {
    #[serde(deserialize_with = "null_as_default")]
    pub id: String,
    #[serde(deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(deserialize_with = "null_as_default")]
    pub pin: String,
    /// Seconds between two snapshots.
    #[serde(deserialize_with = "null_as_default")]
    pub interval: u64,
    #[serde(deserialize_with = "null_as_default")]
    pub effective_time: String,
    #[serde(deserialize_with = "null_as_default")]
    pub last_trigger_time: String,
    #[serde(deserialize_with = "null_as_default")]
    pub next_trigger_time: String,
    /// Seconds a snapshot is kept, 0 = forever.
    #[serde(deserialize_with = "null_as_default")]
    pub snapshot_lifecycle: u64,
    #[serde(deserialize_with = "null_as_default")]
    pub contact_info: serde_json::Value,
    #[serde(deserialize_with = "null_as_default")]
    pub create_time: String,
    #[serde(deserialize_with = "null_as_default")]
    pub update_time: String,
    /// 1 = on, 2 = off.
    #[serde(deserialize_with = "null_as_default")]
    pub status: u8,
    #[serde(deserialize_with = "null_as_default")]
    pub disk_count: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Snapshot {
    #[serde(deserialize_with = "null_as_default")]
    pub snapshot_id: String,
    /// `self` or `others`.
    #[serde(deserialize_with = "null_as_default")]
    pub snapshot_source: String,
    #[serde(deserialize_with = "null_as_default")]
    pub disk_id: String,
    #[serde(rename = "snapshotSizeGB", deserialize_with = "null_as_default")]
    pub snapshot_size_gb: u32,
    #[serde(deserialize_with = "null_as_default")]
    pub images: Vec<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(deserialize_with = "null_as_default")]
    pub description: String,
    pub status: SnapshotStatus,
    #[serde(deserialize_with = "null_as_default")]
    pub create_time: String,
    #[serde(deserialize_with = "null_as_default")]
    pub expire_time: String,
    /// Deprecated misspelling the SDK models keep for compatibility.
    #[serde(deserialize_with = "null_as_default")]
    pub shar_info: Vec<ShareInfo>,
    #[serde(deserialize_with = "null_as_default")]
    pub share_info: Vec<ShareInfo>,
    #[serde(deserialize_with = "null_as_default")]
    pub encrypted: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ShareInfo {
    #[serde(deserialize_with = "null_as_default")]
    pub share_to: String,
    #[serde(deserialize_with = "null_as_default")]
    pub share_time: String,
}

/// The disk service's quota model (not the `common` one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Quota {
    #[serde(deserialize_with = "null_as_default")]
    pub limit: u32,
    #[serde(deserialize_with = "null_as_default")]
    pub used: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DescribeDisksResult {
    #[serde(deserialize_with = "null_as_default")]
    pub disks: Vec<Disk>,
    #[serde(deserialize_with = "null_as_default")]
    pub total_count: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeDiskResult {
    #[serde(deserialize_with = "null_as_default")]
    pub disk: Disk,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DescribeSnapshotsResult {
    #[serde(deserialize_with = "null_as_default")]
    pub snapshots: Vec<Snapshot>,
    #[serde(deserialize_with = "null_as_default")]
    pub total_count: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeSnapshotResult {
    #[serde(deserialize_with = "null_as_default")]
    pub snapshot: Snapshot,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateSnapshotResult {
    #[serde(deserialize_with = "null_as_default")]
    pub snapshot_id: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DescribeQuotaResult {
    #[serde(deserialize_with = "null_as_default")]
    pub quota: Quota,
}

/// The result of an operation that returns nothing: `{}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}
