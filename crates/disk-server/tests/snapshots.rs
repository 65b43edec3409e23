//! The snapshot API: lifecycle, quota, idempotency, validation and every error row.

mod common;

use common::{delete, get, json_request, state, state_and_clock, AppState};
use disk_server::Config;
use serde_json::{json, Value};

const R: &str = "/v1/regions/cn-north-1";

/// The first disk of cn-north-1 whose status is `status`.
async fn disk_with(st: &AppState, status: &str) -> Value {
    let v = get(st, &format!("{R}/disks?pageSize=100")).await.json();
    v["result"]["disks"].as_array().unwrap().iter().find(|d| d["status"] == status).cloned().expect(status)
}

async fn create(st: &AppState, disk_id: &str, name: &str, token: &str) -> common::Reply {
    let body = json!({"clientToken": token, "snapshotSpec": {"name": name, "description": "nightly", "diskId": disk_id}});
    json_request(st, "POST", &format!("{R}/snapshots"), &body.to_string()).await
}

async fn created_id(st: &AppState, disk_id: &str, name: &str, token: &str) -> String {
    let r = create(st, disk_id, name, token).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()["result"]["snapshotId"].as_str().unwrap().to_owned()
}

async fn snapshot(st: &AppState, id: &str) -> Value {
    get(st, &format!("{R}/snapshots/{id}")).await.json()["result"]["snapshot"].clone()
}

async fn used(st: &AppState) -> u64 {
    get(st, &format!("{R}/quotas?type=snapshot")).await.json()["result"]["quota"]["used"].as_u64().unwrap()
}

#[tokio::test]
async fn a_snapshot_is_creating_then_available_after_a_time_that_grows_with_size() {
    let (st, clock) = state_and_clock(Config { snapshot_gib_per_sec: 4.0, ..Config::for_tests() });
    let disk = disk_with(&st, "available").await;
    let size = disk["diskSizeGB"].as_u64().unwrap();
    let id = created_id(&st, disk["diskId"].as_str().unwrap(), "snap-1", "t-1").await;
    assert!(disk_api::validate::is_snapshot_id(&id), "{id}");

    let s = snapshot(&st, &id).await;
    assert_eq!(s["status"], "creating");
    assert_eq!(s["name"], "snap-1");
    assert_eq!(s["description"], "nightly");
    assert_eq!(s["diskId"], disk["diskId"]);
    assert_eq!(s["snapshotSizeGB"], size);
    assert_eq!(s["snapshotSource"], "self");
    assert!(s["createTime"].as_str().unwrap().ends_with("+08:00"));

    let took_ms = disk_server::engine::snapshot_duration_ms(size as u32, 4.0, 2.0);
    clock.advance_ms(took_ms - 1);
    assert_eq!(snapshot(&st, &id).await["status"], "creating");
    clock.advance_ms(1);
    assert_eq!(snapshot(&st, &id).await["status"], "available");
}

#[test]
fn duration_is_proportional_to_capacity() {
    use disk_server::engine::snapshot_duration_ms;
    assert_eq!(snapshot_duration_ms(4000, 4.0, 2.0), 100 * snapshot_duration_ms(40, 4.0, 2.0));
    assert_eq!(snapshot_duration_ms(40, 4.0, 2.0), 10_000);
    assert_eq!(snapshot_duration_ms(1, 4.0, 2.0), 2_000, "never quicker than the minimum");
}

#[tokio::test]
async fn creating_respects_the_disk_status() {
    let st = state();
    let in_use = disk_with(&st, "in-use").await;
    created_id(&st, in_use["diskId"].as_str().unwrap(), "attached-ok", "t-a").await;
    let failed = disk_with(&st, "error_extend").await;
    create(&st, failed["diskId"].as_str().unwrap(), "x", "t-b").await.assert_error(
        400,
        "FAILED_PRECONDITION",
        "Invalid disk status 'error_extend'",
    );
    create(&st, "vol-zzzzzzzzzz", "x", "t-c").await.assert_error(
        404,
        "NOT_FOUND",
        "Disk 'vol-zzzzzzzzzz' not found",
    );
}

#[tokio::test]
async fn validation_messages() {
    let st = state();
    let disk = disk_with(&st, "available").await;
    let id = disk["diskId"].as_str().unwrap();
    let post = |body: Value| {
        let st = st.clone();
        async move { json_request(&st, "POST", &format!("{R}/snapshots"), &body.to_string()).await }
    };
    post(json!({"snapshotSpec": {"name": "a", "diskId": id}})).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Parameter clientToken missing",
    );
    post(json!({"clientToken": "bad token!", "snapshotSpec": {"name": "a", "diskId": id}}))
        .await
        .assert_error(400, "INVALID_ARGUMENT", "Malformed client token 'bad token!'");
    post(json!({"clientToken": "x".repeat(65), "snapshotSpec": {"name": "a", "diskId": id}}))
        .await
        .assert_error(400, "INVALID_ARGUMENT", &format!("Malformed client token '{}'", "x".repeat(65)));
    post(json!({"clientToken": "t1"})).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Parameter snapshotSpec missing",
    );
    post(json!({"clientToken": "t2", "snapshotSpec": {"diskId": id}})).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Parameter name missing",
    );
    post(json!({"clientToken": "t3", "snapshotSpec": {"name": "has space", "diskId": id}}))
        .await
        .assert_error(400, "INVALID_ARGUMENT", "Malformed name 'has space'");
    post(json!({"clientToken": "t4", "snapshotSpec": {"name": "x".repeat(33), "diskId": id}}))
        .await
        .assert_error(400, "INVALID_ARGUMENT", &format!("Malformed name '{}'", "x".repeat(33)));
    post(json!({"clientToken": "t5", "snapshotSpec": {"name": "ok", "description": "d".repeat(257), "diskId": id}}))
        .await
        .assert_error(400, "INVALID_ARGUMENT", &format!("Malformed description '{}'", "d".repeat(257)));
    post(json!({"clientToken": "t6", "snapshotSpec": {"name": "ok"}})).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Parameter diskId missing",
    );
    post(json!({"clientToken": "t7", "snapshotSpec": {"name": "ok", "diskId": "disk-1"}}))
        .await
        .assert_error(400, "INVALID_ARGUMENT", "Malformed disk id 'disk-1'");
    assert_eq!(used(&st).await, 0, "nothing was created");
}

#[tokio::test]
async fn wire_tolerance_nulls_unknown_keys_and_malformed_json() {
    let st = state();
    let disk = disk_with(&st, "available").await;
    // The Go SDK repeats path parameters in the body and sends unset optionals as null.
    let body = json!({"regionId": "cn-north-1", "clientToken": "go-sdk-1",
        "snapshotSpec": {"name": "中文快照_1", "description": null, "diskId": disk["diskId"]}});
    let r = json_request(&st, "POST", &format!("{R}/snapshots"), &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let id = r.json()["result"]["snapshotId"].as_str().unwrap().to_owned();
    assert_eq!(snapshot(&st, &id).await["description"], "");

    let r = json_request(&st, "POST", &format!("{R}/snapshots"), "{not json").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["status"], "INVALID_ARGUMENT");
    assert!(r.json()["error"]["message"].as_str().unwrap().starts_with("Malformed request body"));
    let r = json_request(&st, "POST", &format!("{R}/snapshots"), r#"{"clientToken": 5}"#).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["status"], "INVALID_ARGUMENT");

    // Percent-encoded path segments.
    let r = get(&st, &format!("/v1/regions/cn%2Dnorth%2D1/snapshots/{}", id.replace('-', "%2D"))).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn the_same_client_token_creates_once() {
    let st = state();
    let disk = disk_with(&st, "available").await;
    let a = created_id(&st, disk["diskId"].as_str().unwrap(), "first", "retry-token").await;
    let b = created_id(&st, disk["diskId"].as_str().unwrap(), "second", "retry-token").await;
    assert_eq!(a, b);
    assert_eq!(used(&st).await, 1);
    // Even a different body is answered with the first result.
    let other = disk_with(&st, "in-use").await;
    assert_eq!(created_id(&st, other["diskId"].as_str().unwrap(), "third", "retry-token").await, a);
    assert_eq!(snapshot(&st, &a).await["name"], "first");
    // A token is per region.
    let east = get(&st, "/v1/regions/cn-east-1/disks").await.json();
    let east_disk =
        east["result"]["disks"].as_array().unwrap().iter().find(|d| d["status"] == "available").unwrap();
    let body = json!({"clientToken": "retry-token", "snapshotSpec": {"name": "east", "diskId": east_disk["diskId"]}});
    let r = json_request(&st, "POST", "/v1/regions/cn-east-1/snapshots", &body.to_string()).await;
    assert_ne!(r.json()["result"]["snapshotId"].as_str().unwrap(), a);
}

#[tokio::test]
async fn quota_counts_everything_not_yet_gone() {
    let (st, clock) = state_and_clock(Config { snapshot_quota: 3, ..Config::for_tests() });
    let disk = disk_with(&st, "available").await;
    let disk_id = disk["diskId"].as_str().unwrap().to_owned();
    let q = get(&st, &format!("{R}/quotas?type=snapshot")).await.json();
    assert_eq!(q["result"]["quota"], json!({"limit": 3, "used": 0}));
    let first = created_id(&st, &disk_id, "s1", "q1").await;
    created_id(&st, &disk_id, "s2", "q2").await;
    created_id(&st, &disk_id, "s3", "q3").await;
    assert_eq!(used(&st).await, 3, "creating snapshots count");
    create(&st, &disk_id, "s4", "q4").await.assert_error(
        429,
        "QUOTA_EXCEEDED",
        "Snapshot quota limit exceeded",
    );

    // Deleting frees the slot only once the snapshot is gone.
    clock.advance_ms(3_600_000);
    let r = delete(&st, &format!("{R}/snapshots/{first}")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["result"], json!({}));
    assert_eq!(snapshot(&st, &first).await["status"], "deleting");
    assert_eq!(used(&st).await, 3);
    clock.advance_ms(Config::for_tests().operation_ms());
    get(&st, &format!("{R}/snapshots/{first}")).await.assert_error(
        404,
        "NOT_FOUND",
        &format!("Snapshot '{first}' not found"),
    );
    assert_eq!(used(&st).await, 2);
    created_id(&st, &disk_id, "s4", "q4").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_creates_at_fourteen_used_make_exactly_one() {
    let st = state();
    let disk = disk_with(&st, "available").await;
    let disk_id = disk["diskId"].as_str().unwrap().to_owned();
    for i in 0..14 {
        created_id(&st, &disk_id, &format!("pre-{i}"), &format!("pre-{i}")).await;
    }
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let (st, disk_id) = (st.clone(), disk_id.clone());
            tokio::spawn(async move {
                create(&st, &disk_id, &format!("race-{i}"), &format!("race-{i}")).await.status
            })
        })
        .collect();
    let mut ok = 0;
    let mut over = 0;
    for t in tasks {
        match t.await.unwrap().as_u16() {
            200 => ok += 1,
            429 => over += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((ok, over), (1, 49));
    assert_eq!(used(&st).await, 15);
}

#[tokio::test]
async fn describe_snapshots_filters_and_pages() {
    let (st, clock) = state_and_clock(Config { snapshot_quota: 100, ..Config::for_tests() });
    let a = disk_with(&st, "available").await;
    let b = disk_with(&st, "in-use").await;
    let (a_id, b_id) = (a["diskId"].as_str().unwrap(), b["diskId"].as_str().unwrap());
    let mut ids = Vec::new();
    for i in 0..12 {
        let disk = if i % 3 == 0 { b_id } else { a_id };
        ids.push(created_id(&st, disk, &format!("daily-{i}"), &format!("f{i}")).await);
        clock.advance_ms(1000);
    }
    let v = get(&st, &format!("{R}/snapshots")).await.json();
    assert_eq!(v["result"]["totalCount"], 12);
    // Newest first.
    let listed: Vec<&str> = v["result"]["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["snapshotId"].as_str().unwrap())
        .collect();
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(listed, newest_first);

    let v = get(&st, &format!("{R}/snapshots?filters.1.name=diskId&filters.1.values.1={b_id}")).await.json();
    assert_eq!(v["result"]["totalCount"], 4);
    let q = format!("filters.1.name=snapshotId&filters.1.values.1={}&filters.1.values.2={}", ids[0], ids[5]);
    let v = get(&st, &format!("{R}/snapshots?{q}")).await.json();
    assert_eq!(v["result"]["totalCount"], 2);
    let v = get(&st, &format!("{R}/snapshots?filters.1.name=name&filters.1.values.1=DAILY-1")).await.json();
    assert_eq!(v["result"]["totalCount"], 3, "daily-1, daily-10, daily-11");
    let all = get(&st, &format!("{R}/snapshots")).await.json();
    let creating =
        all["result"]["snapshots"].as_array().unwrap().iter().filter(|s| s["status"] == "creating").count();
    assert!(creating > 0 && creating < 12, "some finished, some not: {creating}");
    let v = get(
        &st,
        &format!(
            "{R}/snapshots?filters.1.name=status&filters.1.values.1=creating&filters.1.values.2=available"
        ),
    )
    .await
    .json();
    assert_eq!(v["result"]["totalCount"], 12);
    let v =
        get(&st, &format!("{R}/snapshots?filters.1.name=status&filters.1.values.1=creating")).await.json();
    assert_eq!(v["result"]["totalCount"], creating);
    let v = get(&st, &format!("{R}/snapshots?pageSize=10&pageNumber=2")).await.json();
    assert_eq!(v["result"]["totalCount"], 12);
    assert_eq!(v["result"]["snapshots"].as_array().unwrap().len(), 2);
    let v = get(&st, &format!("{R}/snapshots?snapshotSource=shared")).await.json();
    assert_eq!(v["result"]["totalCount"], 0);

    for (q, msg) in [
        ("filters.1.name=status&filters.1.values.1=done", "Invalid snapshot status 'done'"),
        ("filters.1.name=snapshotId&filters.1.values.1=snap-1", "Malformed snapshot id 'snap-1'"),
        ("filters.1.name=diskId&filters.1.values.1=vol-1", "Malformed disk id 'vol-1'"),
        ("filters.1.name=az&filters.1.values.1=x", "Invalid filter name 'az'"),
        ("pageSize=1000", "Invalid page size '1000', must be between 10 and 100"),
        ("snapshotSource=mine", "Invalid snapshot source 'mine'"),
    ] {
        get(&st, &format!("{R}/snapshots?{q}")).await.assert_error(400, "INVALID_ARGUMENT", msg);
    }
}

#[tokio::test]
async fn delete_rules_and_batch_delete() {
    let (st, clock) = state_and_clock(Config::for_tests());
    let disk = disk_with(&st, "available").await;
    let disk_id = disk["diskId"].as_str().unwrap();
    let creating = created_id(&st, disk_id, "busy", "d1").await;
    delete(&st, &format!("{R}/snapshots/{creating}")).await.assert_error(
        400,
        "FAILED_PRECONDITION",
        "Invalid snapshot status 'creating'",
    );
    delete(&st, &format!("{R}/snapshots/snapshot-zzzzzzzzzz")).await.assert_error(
        404,
        "NOT_FOUND",
        "Snapshot 'snapshot-zzzzzzzzzz' not found",
    );
    delete(&st, &format!("{R}/snapshots/oops")).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Malformed snapshot id 'oops'",
    );

    let done = created_id(&st, disk_id, "done", "d2").await;
    clock.advance_ms(3_600_000);
    let still = created_id(&st, disk_id, "still", "d3").await;
    let q = format!(
        "snapshotIds.1={done}&snapshotIds.2={still}&snapshotIds.3=snapshot-zzzzzzzzzz&snapshotIds.4=bad"
    );
    let r = delete(&st, &format!("{R}/snapshots?{q}")).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["result"]["successCount"], 1, "{v}");
    assert_eq!(v["result"]["failedCount"], 3, "{v}");
    let items = v["result"]["snapshots"].as_array().unwrap();
    assert_eq!(items[0], json!({"snapshotId": done, "success": true, "detail": ""}));
    // `done` finished long ago; `still` was just created.
    assert_eq!(items[1]["success"], false);
    assert_eq!(items[1]["detail"], "Invalid snapshot status 'creating'");
    assert_eq!(items[2]["detail"], "Snapshot 'snapshot-zzzzzzzzzz' not found");
    assert_eq!(items[3]["detail"], "Malformed snapshot id 'bad'");
    delete(&st, &format!("{R}/snapshots")).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Parameter snapshotIds missing",
    );
    // The one that was creating at first is available now, and deletable.
    assert_eq!(delete(&st, &format!("{R}/snapshots/{creating}")).await.status, 200);
}

#[tokio::test]
async fn modify_snapshot_attribute() {
    let st = state();
    let disk = disk_with(&st, "available").await;
    let id = created_id(&st, disk["diskId"].as_str().unwrap(), "before", "m1").await;
    let patch = |body: Value| {
        let (st, id) = (st.clone(), id.clone());
        async move { json_request(&st, "PATCH", &format!("{R}/snapshots/{id}"), &body.to_string()).await }
    };
    let r = patch(json!({"name": "after", "snapshotId": id, "regionId": "cn-north-1"})).await;
    assert_eq!(r.status, 200);
    let s = snapshot(&st, &id).await;
    assert_eq!((s["name"].as_str(), s["description"].as_str()), (Some("after"), Some("nightly")));
    assert_eq!(
        patch(json!({"description": "<b>kept as text</b>", "expireTime": "2027-01-01T00:00:00+08:00"}))
            .await
            .status,
        200
    );
    let s = snapshot(&st, &id).await;
    assert_eq!(s["description"], "<b>kept as text</b>");
    assert_eq!(s["expireTime"], "2027-01-01T00:00:00+08:00");
    assert_eq!(s["name"], "after");

    patch(json!({})).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Parameter name, description or expireTime missing",
    );
    patch(json!({"name": null, "description": null})).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Parameter name, description or expireTime missing",
    );
    patch(json!({"name": ""})).await.assert_error(400, "INVALID_ARGUMENT", "Malformed name ''");
    patch(json!({"expireTime": "soon"})).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Malformed expire time 'soon'",
    );
    // A multi-byte character where the zone starts once panicked the handler (the connection dropped).
    patch(json!({"expireTime": "2026-12-31T23:59:5é"})).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Malformed expire time '2026-12-31T23:59:5é'",
    );
    let r =
        json_request(&st, "PATCH", &format!("{R}/snapshots/snapshot-zzzzzzzzzz"), r#"{"name":"x"}"#).await;
    r.assert_error(404, "NOT_FOUND", "Snapshot 'snapshot-zzzzzzzzzz' not found");
}

#[tokio::test]
async fn quota_types() {
    let st = state();
    let v = get(&st, &format!("{R}/quotas?type=disk")).await.json();
    assert_eq!(v["result"]["quota"]["used"], 14);
    get(&st, &format!("{R}/quotas")).await.assert_error(400, "INVALID_ARGUMENT", "Parameter type missing");
    get(&st, &format!("{R}/quotas?type=cpu")).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Invalid quota type 'cpu'",
    );
}

#[tokio::test]
async fn failures_end_in_error_create() {
    let (st, clock) = state_and_clock(Config { snapshot_failure_rate: 1.0, ..Config::for_tests() });
    let disk = disk_with(&st, "available").await;
    let id = created_id(&st, disk["diskId"].as_str().unwrap(), "doomed", "e1").await;
    assert_eq!(snapshot(&st, &id).await["status"], "creating");
    clock.advance_ms(3_600_000);
    assert_eq!(snapshot(&st, &id).await["status"], "error_create");
    assert_eq!(
        delete(&st, &format!("{R}/snapshots/{id}")).await.status,
        200,
        "failed snapshots can be deleted"
    );
}
