//! Models, with JSON names exactly as JD Cloud's SDKs put them on the wire (reference §4). Decoding is
//! tolerant the way the real SDKs need: missing fields take their default, `null` means absent, unknown keys
//! are ignored.

use crate::status::{AttachmentStatus, ChargeMode, ChargeStatus, DiskStatus, DiskType, SnapshotStatus};
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct Disk {
    pub disk_id: String,
    pub az: String,
    pub name: String,
    pub description: String,
    pub disk_type: DiskType,
    #[serde(rename = "diskSizeGB")]
    pub disk_size_gb: u32,
    pub iops: u32,
    pub throughput: u32,
    pub status: DiskStatus,
    #[serde(deserialize_with = "null_as_default")]
    pub attachments: Vec<DiskAttachment>,
    /// The snapshot this disk was created from, `""` if none.
    pub snapshot_id: String,
    pub multi_attachable: bool,
    pub encrypted: bool,
    pub enabled: bool,
    pub create_time: String,
    #[serde(deserialize_with = "null_as_default")]
    pub charge: Charge,
    #[serde(deserialize_with = "null_as_default")]
    pub tags: Vec<Tag>,
    #[serde(deserialize_with = "null_as_default")]
    pub snapshot_policies: Vec<SnapshotPolicy>,
    pub resource_group_id: String,
    pub can_put_in_recycle_bin: bool,
    pub trash_time: String,
}

impl Disk {
    /// The attachment that currently ties the disk to an instance, if any.
    pub fn active_attachment(&self) -> Option<&DiskAttachment> {
        self.attachments.iter().find(|a| a.status != AttachmentStatus::Detached)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DiskAttachment {
    pub attachment_id: String,
    pub disk_id: String,
    /// `vm` or `nc`.
    pub instance_type: String,
    pub instance_id: String,
    pub status: AttachmentStatus,
    pub attach_time: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct Charge {
    pub charge_mode: ChargeMode,
    pub charge_status: ChargeStatus,
    pub charge_start_time: String,
    pub charge_expired_time: String,
    pub charge_retire_time: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct SnapshotPolicy {
    pub id: String,
    pub name: String,
    pub pin: String,
    /// Seconds between two snapshots.
    pub interval: u64,
    pub effective_time: String,
    pub last_trigger_time: String,
    pub next_trigger_time: String,
    /// Seconds a snapshot is kept, 0 = forever.
    pub snapshot_lifecycle: u64,
    pub contact_info: Opaque,
    pub create_time: String,
    pub update_time: String,
    /// 1 = on, 2 = off.
    pub status: u8,
    pub disk_count: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct Snapshot {
    pub snapshot_id: String,
    /// `self` or `others`.
    pub snapshot_source: String,
    pub disk_id: String,
    #[serde(rename = "snapshotSizeGB")]
    pub snapshot_size_gb: u32,
    #[serde(deserialize_with = "null_as_default")]
    pub images: Vec<String>,
    pub name: String,
    pub description: String,
    pub status: SnapshotStatus,
    pub create_time: String,
    pub expire_time: String,
    /// Deprecated misspelling the SDK models keep for compatibility.
    #[serde(deserialize_with = "null_as_default")]
    pub shar_info: Vec<ShareInfo>,
    #[serde(deserialize_with = "null_as_default")]
    pub share_info: Vec<ShareInfo>,
    pub encrypted: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct ShareInfo {
    pub share_to: String,
    pub share_time: String,
}

/// The disk service's quota model (not the `common` one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Quota {
    pub limit: u32,
    pub used: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DescribeDisksResult {
    #[serde(deserialize_with = "null_as_default")]
    pub disks: Vec<Disk>,
    pub total_count: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct DescribeDiskResult {
    #[serde(deserialize_with = "null_as_default")]
    pub disk: Disk,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DescribeSnapshotsResult {
    #[serde(deserialize_with = "null_as_default")]
    pub snapshots: Vec<Snapshot>,
    pub total_count: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct DescribeSnapshotResult {
    #[serde(deserialize_with = "null_as_default")]
    pub snapshot: Snapshot,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct CreateSnapshotResult {
    pub snapshot_id: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct DescribeQuotaResult {
    #[serde(deserialize_with = "null_as_default")]
    pub quota: Quota,
}

/// A value the console passes over: it decodes from anything and encodes as `{}`, so models stay faithful
/// to the wire without carrying a JSON tree type into the browser bundle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Opaque;

impl Serialize for Opaque {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        s.serialize_map(Some(0))?.end()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Opaque {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Object".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "object" })
    }
}

impl<'de> Deserialize<'de> for Opaque {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Opaque)
    }
}

/// The result of an operation that returns nothing: `{}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Empty {}

/// `SnapshotSpec` of createSnapshot. Fields are optional on the way in so a missing one gets JD's
/// `Parameter … missing` rather than a decode error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct SnapshotSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_id: Option<String>,
}

/// The body of createSnapshot. Unknown keys (SDKs repeat path parameters in the body) are ignored; `null`
/// means absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct CreateSnapshotRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_spec: Option<SnapshotSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

/// The body of modifySnapshotAttribute: at least one field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct ModifySnapshotAttributeRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire_time: Option<String>,
}

/// The body of attachDisk and detachDisk (VM service).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DiskOnInstanceRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_id: Option<String>,
    /// attachDisk: `vdb`…; a system disk is `vda`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    /// attachDisk: delete the disk with the instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_delete: Option<bool>,
    /// detachDisk: cut I/O forcibly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// `ChargeSpec` of createDisks (only what the console sets).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct ChargeSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charge_mode: Option<String>,
}

/// `DiskSpec` of createDisks. Fields are optional on the way in so a missing one gets JD's
/// `Parameter … missing` rather than a decode error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DiskSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub az: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_type: Option<String>,
    #[serde(rename = "diskSizeGB", skip_serializing_if = "Option::is_none")]
    pub disk_size_gb: Option<u32>,
    /// The snapshot the disk starts from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charge: Option<ChargeSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_attachable: Option<bool>,
    /// Named `encrypt` here and `encrypted` on Disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encrypt: Option<bool>,
}

/// The body of createDisks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct CreateDisksRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_spec: Option<DiskSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct CreateDisksResult {
    #[serde(deserialize_with = "null_as_default")]
    pub disk_ids: Vec<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub policy_relations: Vec<Opaque>,
    pub tagmsg: String,
}

/// The body of restoreDisk (`POST …/disks/{diskId}:restore`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct RestoreDiskRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
}

/// `DelSnapshot`: one item of deleteSnapshots' answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DelSnapshot {
    pub snapshot_id: String,
    pub success: bool,
    pub detail: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DeleteSnapshotsResult {
    #[serde(deserialize_with = "null_as_default")]
    pub snapshots: Vec<DelSnapshot>,
    pub success_count: u32,
    pub failed_count: u32,
}

/// A VM instance as describeInstances lists it (only what a disk console needs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct InstanceBrief {
    pub instance_id: String,
    pub instance_name: String,
    pub az: String,
    pub status: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DescribeInstancesResult {
    #[serde(deserialize_with = "null_as_default")]
    pub instances: Vec<InstanceBrief>,
    pub total_count: u32,
}

/// Who uses the console and what serves its API: disk-server's own `GET /_console/session` (not JD's API),
/// also written into the standalone page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleSession {
    /// `emulator` (demo data kept on the server) or `jdcloud` (the account's real region, via the gateway).
    pub backend: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `viewer` or `operator`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

impl ConsoleSession {
    pub const EMULATOR: &'static str = "emulator";
    pub const JDCLOUD: &'static str = "jdcloud";

    pub fn is_emulator(&self) -> bool {
        self.backend == Self::EMULATOR
    }

    /// Whether the user may only look (describe operations).
    pub fn is_viewer(&self) -> bool {
        self.role.as_deref() == Some("viewer")
    }
}
