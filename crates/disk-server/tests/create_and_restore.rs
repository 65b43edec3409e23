//! createDisks (empty or from a snapshot), restoreDisk, and the failure knob, through `oneshot`.

mod common;

use common::{get, json_request, state_and_clock, AppState};
use disk_server::clock::ManualClock;
use disk_server::Config;
use serde_json::{json, Value};

const R: &str = "/v1/regions/cn-north-1";

fn fast() -> Config {
    let mut c = Config::for_tests();
    c.snapshot_gib_per_sec = 10.0;
    c.snapshot_min_seconds = 2.0;
    c
}

async fn disk(st: &AppState, id: &str) -> Value {
    get(st, &format!("{R}/disks/{id}")).await.json()["result"]["disk"].clone()
}

async fn free_disk(st: &AppState) -> Value {
    let v =
        get(st, &format!("{R}/disks?pageSize=100&filters.1.name=status&filters.1.values.1=available")).await;
    let mut disks = v.json()["result"]["disks"].as_array().unwrap().clone();
    disks.sort_by_key(|d| d["diskSizeGB"].as_u64());
    disks.remove(0)
}

/// An available snapshot of `disk_id` (created and waited for).
async fn snapshot_of(st: &AppState, clock: &ManualClock, disk_id: &str, token: &str) -> String {
    let body = json!({"clientToken": token, "snapshotSpec": {"name": token, "diskId": disk_id}}).to_string();
    let r = json_request(st, "POST", &format!("{R}/snapshots"), &body).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    clock.advance_ms(2_000_000);
    r.json()["result"]["snapshotId"].as_str().unwrap().to_owned()
}

fn create_body(token: &str, spec: Value, count: u32) -> String {
    json!({"clientToken": token, "maxCount": count, "diskSpec": spec}).to_string()
}

async fn arm(st: &AppState, operation: &str, mode: &str) {
    let body = json!({"operation": operation, "mode": mode}).to_string();
    let r = json_request(st, "POST", "/_emulator/failures", &body).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test]
async fn a_disk_from_a_snapshot_is_creating_for_a_time_that_grows_with_its_size_then_available() {
    let (st, clock) = state_and_clock(fast());
    let source = free_disk(&st).await;
    let source_id = source["diskId"].as_str().unwrap();
    let size = source["diskSizeGB"].as_u64().unwrap() as u32;
    let snap = snapshot_of(&st, &clock, source_id, "src-1").await;
    let spec = json!({"az": source["az"], "name": "from-snap", "diskType": "ssd.gp1", "diskSizeGB": size + 100,
        "snapshotId": snap, "description": "restored copy"});
    let r = json_request(&st, "POST", &format!("{R}/disks"), &create_body("cd-1", spec.clone(), 1)).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let ids = r.json()["result"]["diskIds"].as_array().unwrap().clone();
    assert_eq!(ids.len(), 1);
    let id = ids[0].as_str().unwrap();
    let d = disk(&st, id).await;
    assert_eq!(d["status"], "creating");
    assert_eq!(d["name"], "from-snap");
    assert_eq!(d["snapshotId"], snap.as_str());
    assert_eq!(d["diskSizeGB"], size + 100);
    assert_eq!(d["encrypted"], source["encrypted"], "a copy of an encrypted disk is encrypted");

    // The same token again: the same disk, nothing new.
    let again = json_request(&st, "POST", &format!("{R}/disks"), &create_body("cd-1", spec, 1)).await;
    assert_eq!(again.json()["result"]["diskIds"], json!(ids));

    // At 10 GiB/s a disk of size + 100 GiB takes (size + 100) / 10 s.
    let ms = i64::from(size + 100) * 100;
    clock.advance_ms(ms - 10);
    assert_eq!(disk(&st, id).await["status"], "creating");
    clock.advance_ms(10);
    assert_eq!(disk(&st, id).await["status"], "available");
}

#[tokio::test]
async fn create_disks_checks_every_rule_and_names_a_batch() {
    let (st, clock) = state_and_clock(fast());
    let source = free_disk(&st).await;
    let size = source["diskSizeGB"].as_u64().unwrap() as u32;
    let snap = snapshot_of(&st, &clock, source["diskId"].as_str().unwrap(), "src-2").await;
    let az = source["az"].as_str().unwrap();
    let ok = json!({"az": az, "name": "batch", "diskType": "ssd.gp1", "diskSizeGB": 40});
    let cases: Vec<(Value, Value, u16, &str, String)> = vec![
        (
            json!({"maxCount": 1, "diskSpec": ok}),
            json!(null),
            400,
            "INVALID_ARGUMENT",
            "Parameter client token missing".into(),
        ),
        (
            json!({"clientToken": "t", "maxCount": 1}),
            json!(null),
            400,
            "INVALID_ARGUMENT",
            "Parameter disk spec missing".into(),
        ),
        (
            json!({"clientToken": "t", "diskSpec": ok}),
            json!(null),
            400,
            "INVALID_ARGUMENT",
            "Parameter max count missing".into(),
        ),
        (
            json!({"clientToken": "t", "maxCount": 101, "diskSpec": ok}),
            json!(null),
            400,
            "OUT_OF_RANGE",
            "Max count out of range".into(),
        ),
        (
            json!({"clientToken": "t", "maxCount": 1}),
            json!({"az": "mars-1a"}),
            400,
            "INVALID_ARGUMENT",
            "Invalid availability zone 'mars-1a'".into(),
        ),
        (
            json!({"clientToken": "t", "maxCount": 1}),
            json!({"name": "bad name"}),
            400,
            "INVALID_ARGUMENT",
            "Malformed disk name 'bad name'".into(),
        ),
        (
            json!({"clientToken": "t", "maxCount": 1}),
            json!({"diskType": "floppy"}),
            400,
            "INVALID_ARGUMENT",
            "Invalid disk type 'floppy'".into(),
        ),
        (
            json!({"clientToken": "t", "maxCount": 1}),
            json!({"diskSizeGB": 45}),
            400,
            "INVALID_ARGUMENT",
            "Invalid disk size '45': Use a multiple of 10 GiB.".into(),
        ),
        (
            json!({"clientToken": "t", "maxCount": 1}),
            json!({"diskType": "ssd", "diskSizeGB": 2000}),
            400,
            "INVALID_ARGUMENT",
            "Invalid disk size '2000': Use at most 1000 GiB.".into(),
        ),
        (
            json!({"clientToken": "t", "maxCount": 1}),
            json!({"snapshotId": "snapshot-zzzzzzzzzz"}),
            404,
            "NOT_FOUND",
            "Snapshot id 'snapshot-zzzzzzzzzz' not found".into(),
        ),
        (
            json!({"clientToken": "t", "maxCount": 1}),
            json!({"snapshotId": snap, "diskSizeGB": 20}),
            400,
            "INVALID_ARGUMENT",
            if size > 20 {
                format!("Invalid disk size '20': Use at least the snapshot's {size} GiB.")
            } else {
                String::new()
            },
        ),
    ];
    for (body, spec_patch, code, status, message) in cases {
        if message.is_empty() {
            continue;
        }
        let mut body = body;
        if !spec_patch.is_null() {
            let mut spec = ok.clone();
            for (k, v) in spec_patch.as_object().unwrap() {
                spec[k] = v.clone();
            }
            body["diskSpec"] = spec;
        }
        json_request(&st, "POST", &format!("{R}/disks"), &body.to_string())
            .await
            .assert_error(code, status, &message);
    }
    // A batch of three: <name>-1 … <name>-3.
    let r = json_request(&st, "POST", &format!("{R}/disks"), &create_body("batch-1", ok, 3)).await;
    let ids = r.json()["result"]["diskIds"].as_array().unwrap().clone();
    assert_eq!(ids.len(), 3);
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(disk(&st, id.as_str().unwrap()).await["name"], format!("batch-{}", i + 1));
    }
}

#[tokio::test]
async fn the_disk_quota_holds() {
    let mut c = fast();
    let (st0, _) = state_and_clock(Config::for_tests());
    let used =
        get(&st0, &format!("{R}/quotas?type=disk")).await.json()["result"]["quota"]["used"].as_u64().unwrap();
    c.disk_quota = used as u32 + 2;
    let (st, _) = state_and_clock(c);
    let az = free_disk(&st).await["az"].as_str().unwrap().to_owned();
    let spec = json!({"az": az, "name": "q", "diskType": "hdd.std1", "diskSizeGB": 20});
    json_request(&st, "POST", &format!("{R}/disks"), &create_body("q-1", spec.clone(), 3))
        .await
        .assert_error(429, "QUOTA_EXCEEDED", "Disk quota limit exceeded");
    let r = json_request(&st, "POST", &format!("{R}/disks"), &create_body("q-2", spec.clone(), 2)).await;
    assert_eq!(r.status, 200);
    let q = get(&st, &format!("{R}/quotas?type=disk")).await.json()["result"]["quota"].clone();
    assert_eq!(q, json!({"limit": used + 2, "used": used + 2}));
    json_request(&st, "POST", &format!("{R}/disks"), &create_body("q-3", spec, 1)).await.assert_error(
        429,
        "QUOTA_EXCEEDED",
        "Disk quota limit exceeded",
    );
}

#[tokio::test]
async fn restore_rolls_a_detached_disk_back_to_its_own_snapshot() {
    let (st, clock) = state_and_clock(fast());
    let d = free_disk(&st).await;
    let id = d["diskId"].as_str().unwrap();
    let size = d["diskSizeGB"].as_u64().unwrap() as i64;
    let snap = snapshot_of(&st, &clock, id, "rb-1").await;
    let other = {
        let v =
            get(&st, &format!("{R}/disks?pageSize=100&filters.1.name=status&filters.1.values.1=available"))
                .await;
        v.json()["result"]["disks"].as_array().unwrap().iter().find(|x| x["diskId"] != id).unwrap()["diskId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let restore = |disk: String, body: Value| {
        let st = st.clone();
        async move { json_request(&st, "POST", &format!("{R}/disks/{disk}:restore"), &body.to_string()).await }
    };
    restore(id.into(), json!({})).await.assert_error(400, "INVALID_ARGUMENT", "Parameter snapshotId missing");
    restore(id.into(), json!({"snapshotId": "nope"})).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Malformed snapshot id 'nope'",
    );
    restore(other.clone(), json!({"snapshotId": snap})).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        &format!("Snapshot '{snap}' is not a snapshot of disk '{other}'"),
    );
    let attached = {
        let v = get(&st, &format!("{R}/disks?pageSize=100&filters.1.name=status&filters.1.values.1=in-use"))
            .await;
        v.json()["result"]["disks"][0]["diskId"].as_str().unwrap().to_owned()
    };
    restore(attached, json!({"snapshotId": snap})).await.assert_error(
        400,
        "FAILED_PRECONDITION",
        "Cannot restore disk in status 'in-use'",
    );
    let r = json_request(
        &st,
        "POST",
        &format!("{R}/disks/{id}%3Arestore"),
        &json!({"snapshotId": snap}).to_string(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(disk(&st, id).await["status"], "restoring");
    restore(id.into(), json!({"snapshotId": snap})).await.assert_error(
        400,
        "FAILED_PRECONDITION",
        "Cannot restore disk in status 'restoring'",
    );
    clock.advance_ms((size * 100).max(2000));
    assert_eq!(disk(&st, id).await["status"], "available");
    json_request(&st, "POST", &format!("{R}/disks/{id}:grow"), "{}").await.assert_error(
        404,
        "NOT_FOUND",
        &format!("No API at POST /v1/regions/cn-north-1/disks/{id}:grow"),
    );
}

#[tokio::test]
async fn the_failure_knob_fails_each_operation_once_as_armed() {
    let (st, clock) = state_and_clock(fast());
    let ms = 10_000_000;
    // Attach fails: the disk is available again, attached to nothing.
    let d = free_disk(&st).await;
    let id = d["diskId"].as_str().unwrap().to_owned();
    let instances = get(&st, &format!("{R}/instances")).await.json()["result"]["instances"].clone();
    let instance = instances.as_array().unwrap().iter().find(|i| i["az"] == d["az"]).unwrap()["instanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let on = |verb: &str| format!("{R}/instances/{instance}:{verb}");
    let body = json!({"diskId": id}).to_string();
    arm(&st, "attachDisk", "fail").await;
    assert_eq!(json_request(&st, "POST", &on("attachDisk"), &body).await.status, 200);
    assert_eq!(disk(&st, &id).await["status"], "attaching");
    clock.advance_ms(ms);
    let now = disk(&st, &id).await;
    assert_eq!((now["status"].clone(), now["attachments"].clone()), (json!("available"), json!([])));
    // Disarmed after one: the next attach works.
    assert_eq!(json_request(&st, "POST", &on("attachDisk"), &body).await.status, 200);
    clock.advance_ms(ms);
    assert_eq!(disk(&st, &id).await["status"], "in-use");
    // Detach fails: still attached.
    arm(&st, "detachDisk", "fail").await;
    assert_eq!(json_request(&st, "POST", &on("detachDisk"), &body).await.status, 200);
    clock.advance_ms(ms);
    let now = disk(&st, &id).await;
    assert_eq!(now["status"], "in-use");
    assert_eq!(now["attachments"][0]["status"], "attached");
    // Refused: an error answer, nothing changes.
    arm(&st, "detachDisk", "reject").await;
    let r = json_request(&st, "POST", &on("detachDisk"), &body).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["message"].as_str().unwrap().starts_with("detachDisk refused"));
    assert_eq!(disk(&st, &id).await["status"], "in-use");
    assert_eq!(json_request(&st, "POST", &on("detachDisk"), &body).await.status, 200);
    clock.advance_ms(ms);
    // A snapshot that fails; a restore that fails; a disk created to fail.
    arm(&st, "createSnapshot", "fail").await;
    let snap_body = json!({"clientToken": "k-1", "snapshotSpec": {"name": "k", "diskId": id}}).to_string();
    let failed = json_request(&st, "POST", &format!("{R}/snapshots"), &snap_body).await.json()["result"]
        ["snapshotId"]
        .as_str()
        .unwrap()
        .to_owned();
    clock.advance_ms(ms);
    let s = get(&st, &format!("{R}/snapshots/{failed}")).await.json()["result"]["snapshot"]["status"].clone();
    assert_eq!(s, "error_create");
    let good = snapshot_of(&st, &clock, &id, "k-2").await;
    arm(&st, "restoreDisk", "fail").await;
    let r = json_request(
        &st,
        "POST",
        &format!("{R}/disks/{id}:restore"),
        &json!({"snapshotId": good}).to_string(),
    )
    .await;
    assert_eq!(r.status, 200);
    clock.advance_ms(ms);
    assert_eq!(disk(&st, &id).await["status"], "error_restore");
    arm(&st, "createDisks", "fail").await;
    let spec = json!({"az": d["az"], "name": "doomed", "diskType": "ssd.gp1", "diskSizeGB": 20});
    let r = json_request(&st, "POST", &format!("{R}/disks"), &create_body("k-3", spec, 1)).await;
    let new_id = r.json()["result"]["diskIds"][0].as_str().unwrap().to_owned();
    clock.advance_ms(ms);
    assert_eq!(disk(&st, &new_id).await["status"], "error_create");
    // The knob says what is armed, and refuses what it cannot fail.
    let r =
        json_request(&st, "POST", "/_emulator/failures", &json!({"operation": "describeDisks"}).to_string())
            .await;
    assert_eq!(r.status, 400);
    arm(&st, "attachDisk", "reject").await;
    assert_eq!(
        get(&st, "/_emulator/failures").await.json()["result"]["armed"],
        json!({"attachDisk": ["reject"]})
    );
    let cleared = common::delete(&st, "/_emulator/failures").await;
    assert_eq!(cleared.json()["result"]["armed"], json!({}));
}
