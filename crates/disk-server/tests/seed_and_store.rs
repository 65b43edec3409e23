//! The demo region is realistic and the store keeps it across restarts.

use disk_api::region::REGIONS;
use disk_api::validate::{is_disk_id, is_instance_id};
use disk_api::{AttachmentStatus, DiskStatus, DiskType};
use disk_server::{seed, store::Store};

const T0: i64 = 1_764_300_000_000;

#[test]
fn the_demo_region_is_realistic() {
    let store = Store::open(":memory:").unwrap();
    assert_eq!(seed::demo(&store, T0).unwrap(), 34);
    let mut types = std::collections::HashSet::new();
    let mut total = 0;
    for region in REGIONS {
        let disks = store.disks(region.id, T0).unwrap();
        let instances = store.instances(region.id).unwrap();
        total += disks.len();
        assert!(disks.iter().any(|d| d.status == DiskStatus::InUse), "{} has an attached disk", region.id);
        assert!(disks.iter().any(|d| d.status == DiskStatus::Available), "{} has a free disk", region.id);
        assert!(instances.iter().all(|i| is_instance_id(&i.instance_id)));
        for d in &disks {
            types.insert(d.disk_type.clone());
            assert!(is_disk_id(&d.disk_id), "{}", d.disk_id);
            assert!(region.azs.contains(&d.az.as_str()));
            assert!(!d.status.is_transitional(), "{} is seeded in {}", d.disk_id, d.status);
            let (min, max, step) = d.disk_type.size_limits_gib();
            assert!(d.disk_size_gb >= min && d.disk_size_gb <= max && d.disk_size_gb % step == 0);
            assert!(d.create_time.ends_with("+08:00"));
            assert_eq!(d.status == DiskStatus::InUse, !d.attachments.is_empty(), "{}", d.disk_id);
            for a in &d.attachments {
                assert_eq!(a.status, AttachmentStatus::Attached);
                let instance =
                    instances.iter().find(|i| i.instance_id == a.instance_id).expect("known instance");
                assert_eq!(instance.az, d.az, "attached within its AZ");
            }
            assert!(d.attachments.len() <= 1 || d.multi_attachable);
        }
    }
    assert!(total >= 30);
    assert_eq!(types.len(), DiskType::KNOWN.len(), "every disk type is seeded");
    let names: Vec<String> =
        REGIONS.iter().flat_map(|r| store.disks(r.id, T0).unwrap()).map(|d| d.name).collect();
    assert!(names.iter().any(|n| n.chars().any(disk_api::validate::is_han)), "Chinese names");
    assert!(names.iter().any(|n| n.is_ascii()), "English names");
    assert!(names.iter().all(|n| disk_api::validate::check_name(n).is_ok()));
    assert!(REGIONS.iter().flat_map(|r| store.disks(r.id, T0).unwrap()).any(|d| d.status.is_error()));
}

#[test]
fn a_file_database_survives_a_restart_and_is_seeded_once() {
    let path = std::env::temp_dir().join(format!(
        "disk-server-store-{}-{}.sqlite3",
        std::process::id(),
        fastrand::u64(..)
    ));
    let path = path.to_str().unwrap().to_owned();
    let before = {
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), disk_server::store::SCHEMA_VERSION);
        seed::demo(&store, T0).unwrap();
        store.disks("cn-north-1", T0).unwrap()
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(seed::demo(&store, T0 + 1000).unwrap(), 0, "already seeded");
    assert_eq!(store.disks("cn-north-1", T0).unwrap(), before);
    assert_eq!(store.count_disks().unwrap(), 34);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
}

#[test]
fn the_demo_scales_for_benchmarks() {
    let store = Store::open(":memory:").unwrap();
    assert_eq!(seed::demo_with(&store, T0, 1000).unwrap(), 1000 + 20);
    let north = store.disks("cn-north-1", T0).unwrap();
    assert_eq!(north.len(), 1000);
    let ids: std::collections::HashSet<_> = north.iter().map(|d| d.disk_id.clone()).collect();
    assert_eq!(ids.len(), 1000, "unique IDs");
    assert!(north.iter().all(|d| !d.status.is_transitional()));
}

#[test]
fn the_demo_snapshots_show_every_snapshot_state_once() {
    let store = Store::open(":memory:").unwrap();
    seed::demo(&store, T0).unwrap();
    assert_eq!(seed::demo_snapshots(&store, T0).unwrap(), 4);
    assert_eq!(seed::demo_snapshots(&store, T0 + 1000).unwrap(), 0, "already seeded");
    let snapshots = store.snapshots("cn-north-1", T0).unwrap();
    let mut statuses: Vec<String> = snapshots.iter().map(|s| s.status.to_string()).collect();
    statuses.sort();
    assert_eq!(statuses, ["available", "available", "creating", "error_create"]);
    // Each is of a disk of the region; the one being created is of the largest disk, and ends on its own.
    let disks = store.disks("cn-north-1", T0).unwrap();
    assert!(snapshots
        .iter()
        .all(|s| disks.iter().any(|d| d.disk_id == s.disk_id && d.disk_size_gb == s.snapshot_size_gb)));
    let creating = snapshots.iter().find(|s| s.status.to_string() == "creating").unwrap();
    let usable = disks.iter().filter(|d| matches!(d.status, DiskStatus::Available | DiskStatus::InUse));
    let largest = usable.map(|d| d.disk_size_gb).max().unwrap();
    assert_eq!(creating.snapshot_size_gb, largest);
    let later = store.snapshots("cn-north-1", T0 + 31 * 60_000).unwrap();
    assert!(later.iter().all(|s| s.status.to_string() != "creating"));
    assert_eq!(store.count_snapshots("cn-north-1", T0).unwrap(), 4, "they count toward the quota");
}
