//! The demo region: realistic disks and instances in every region, the same on every start (a fixed random
//! seed), with creation times relative to the clock; and, optionally, a few snapshots in cn-north-1 (one of
//! them still being created, which ends on its own like any other).

use crate::store::{DiskRow, Instance, Store};
use disk_api::region::REGIONS;
use disk_api::{
    AttachmentStatus, Charge, ChargeMode, ChargeStatus, Disk, DiskAttachment, DiskStatus, DiskType,
};

const DAY_MS: i64 = 86_400_000;

const INSTANCE_NAMES: &[&str] = &["web-01", "web-02", "mysql-主库", "redis-cache", "ci-runner", "数据分析"];

const DISK_NAMES: &[&str] = &[
    "web-data",
    "mysql-data",
    "日志盘",
    "backup-vol",
    "redis-aof",
    "数据盘-01",
    "nginx-logs",
    "elastic-hot",
    "归档存储",
    "kafka-seg",
    "ci-cache",
    "系统盘备份",
    "media-assets",
    "订单库",
    "grafana",
    "临时数据",
];

/// How many disks and instances each region gets (cn-north-1 has more than a page of 10).
const PER_REGION: &[(usize, usize)] = &[(DEMO_DISKS, 4), (6, 2), (8, 3), (6, 2)];

/// `prefix` + 10 random lower-case letters and digits.
pub fn random_id(rng: &mut fastrand::Rng, prefix: &str) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut id = String::from(prefix);
    id.extend((0..10).map(|_| CHARS[rng.usize(..CHARS.len())] as char));
    id
}

/// Effective IOPS and throughput (MB/s) of a disk, after JD's per-type formulas.
pub fn performance(disk_type: &DiskType, size_gb: u32) -> (u32, u32) {
    match disk_type {
        DiskType::SsdGp1 => ((10 * size_gb).clamp(2000, 15000), (size_gb / 5).clamp(80, 150)),
        DiskType::SsdGp2 => ((10 * size_gb).clamp(2000, 20000), (size_gb / 5).clamp(80, 260)),
        DiskType::SsdIo1 => ((30 * size_gb).min(32000), (120 + size_gb / 20).min(300)),
        DiskType::SsdIo2 => ((50 * size_gb).min(100000), (120 + size_gb / 10).min(1000)),
        DiskType::HddStd1 => (500, 80),
        DiskType::Ssd => (6000, 160),
        _ => (1000, 80),
    }
}

/// Disks the demo puts in cn-north-1 unless told otherwise (more than a page of 10).
pub const DEMO_DISKS: usize = 14;

/// Fills an empty region with the demo data. Returns how many disks it created (0 if already seeded).
pub fn demo(store: &Store, now_ms: i64) -> rusqlite::Result<usize> {
    demo_with(store, now_ms, DEMO_DISKS)
}

/// [`demo`] with `north_disks` disks in cn-north-1 (benchmarks scale it to 1,000).
pub fn demo_with(store: &Store, now_ms: i64, north_disks: usize) -> rusqlite::Result<usize> {
    if store.meta("seeded")?.is_some() {
        return Ok(0);
    }
    let mut rng = fastrand::Rng::with_seed(0x5eed_d15c);
    let sizes = [20u32, 40, 100, 200, 500, 1000, 2000, 4000, 16000];
    let mut created = 0;
    for (i, (region, &(disk_count, instance_count))) in REGIONS.iter().zip(PER_REGION).enumerate() {
        let disk_count = if i == 0 { north_disks } else { disk_count };
        let instances: Vec<Instance> = (0..instance_count)
            .map(|i| Instance {
                instance_id: random_id(&mut rng, "i-"),
                region: region.id.into(),
                az: region.azs[i % region.azs.len()].into(),
                name: INSTANCE_NAMES[i % INSTANCE_NAMES.len()].into(),
                status: "running".into(),
            })
            .collect();
        for i in &instances {
            store.insert_instance(i)?;
        }
        for n in 0..disk_count {
            let disk_type = DiskType::KNOWN[(n + created) % DiskType::KNOWN.len()].clone();
            let (_, max, _) = disk_type.size_limits_gib();
            let fitting: Vec<u32> = sizes.iter().copied().filter(|&s| s <= max).collect();
            let size = fitting[rng.usize(..fitting.len())];
            let (iops, throughput) = performance(&disk_type, size);
            let created_ms = now_ms - rng.i64(DAY_MS..400 * DAY_MS);
            // Two in five are attached; each region has one multi-attach disk on two instances.
            let multi = n == 3;
            let status = match n {
                12 => DiskStatus::ErrorExtend,
                7 if region.id == "cn-east-2" => DiskStatus::ErrorCreate,
                _ if n % 5 < 2 || multi => DiskStatus::InUse,
                _ => DiskStatus::Available,
            };
            let az = if status == DiskStatus::InUse {
                instances[n % instances.len()].az.clone()
            } else {
                region.azs[rng.usize(..region.azs.len())].to_string()
            };
            let attachments: Vec<DiskAttachment> = if status == DiskStatus::InUse {
                instances
                    .iter()
                    .filter(|i| i.az == az)
                    .take(if multi { 2 } else { 1 })
                    .map(|i| DiskAttachment {
                        attachment_id: random_id(&mut rng, "att-"),
                        disk_id: String::new(),
                        instance_type: "vm".into(),
                        instance_id: i.instance_id.clone(),
                        status: AttachmentStatus::Attached,
                        attach_time: String::new(),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let prepaid = n % 3 == 2;
            let name = DISK_NAMES[(n * 5 + created) % DISK_NAMES.len()];
            let disk = Disk {
                disk_id: random_id(&mut rng, "vol-"),
                az,
                name: format!("{name}-{}", n + 1),
                description: if n % 4 == 0 {
                    format!("{} data for {}", disk_type.label(), region.name)
                } else {
                    String::new()
                },
                disk_type,
                disk_size_gb: size,
                iops,
                throughput,
                status,
                attachments,
                multi_attachable: multi,
                encrypted: n % 4 == 1,
                enabled: true,
                charge: Charge {
                    charge_mode: if prepaid {
                        ChargeMode::PrepaidByDuration
                    } else {
                        ChargeMode::PostpaidByDuration
                    },
                    charge_status: ChargeStatus::Normal,
                    ..Charge::default()
                },
                resource_group_id: "rg-default".into(),
                ..Disk::default()
            };
            store.insert_disk(&DiskRow {
                region: region.id.into(),
                created_ms,
                charge_start_ms: created_ms + 30_000,
                charge_expire_ms: prepaid.then_some(created_ms + 730 * DAY_MS),
                disk,
            })?;
            created += 1;
        }
    }
    store.set_meta("seeded", "demo")?;
    Ok(created)
}

/// The demo's snapshots in cn-north-1: two available ones of the smallest available disk, one of the largest
/// disk still being created (for half an hour from the first start), one that failed. Returns how many it
/// created (0 if already seeded, or if the region has snapshots of its own).
pub fn demo_snapshots(store: &Store, now_ms: i64) -> rusqlite::Result<usize> {
    if store.meta("seeded-snapshots")?.is_some() || store.count_snapshots("cn-north-1", now_ms)? > 0 {
        return Ok(0);
    }
    let mut disks = store.disks("cn-north-1", now_ms)?;
    disks.retain(|d| matches!(d.status, DiskStatus::Available | DiskStatus::InUse));
    disks.sort_by_key(|d| d.disk_size_gb);
    let (Some(small), Some(large)) = (disks.iter().find(|d| d.status == DiskStatus::Available), disks.last())
    else {
        return Ok(0);
    };
    let middle = &disks[disks.len() / 2];
    let mut rng = fastrand::Rng::with_seed(0x5eed_5a95);
    let rows = [
        (small, "before-upgrade", "Taken before the kernel upgrade", "available", 3 * DAY_MS, 0),
        (small, "nightly", "", "available", DAY_MS, 0),
        (large, "weekly-full", "A large disk takes a while", "creating", 60_000, 30 * 60_000),
        (middle, "pre-migration", "", "error_create", 2 * DAY_MS, 0),
    ];
    for (disk, name, description, status, age_ms, left_ms) in rows {
        store.insert_snapshot(&crate::store::SnapshotRow {
            snapshot_id: random_id(&mut rng, "snapshot-"),
            region: "cn-north-1".into(),
            disk_id: disk.disk_id.clone(),
            name: name.into(),
            description: description.into(),
            status: status.into(),
            size_gb: disk.disk_size_gb,
            encrypted: disk.encrypted,
            created_ms: now_ms - age_ms,
            done_ms: now_ms + left_ms,
        })?;
    }
    store.set_meta("seeded-snapshots", "demo")?;
    Ok(rows.len())
}
