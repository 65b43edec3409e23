//! deleteDisk, attachDisk / detachDisk, describeInstances.

mod common;

use common::{delete, get, json_request, state_and_clock, AppState};
use disk_server::Config;
use serde_json::{json, Value};

const R: &str = "/v1/regions/cn-north-1";

async fn all_disks(st: &AppState) -> Vec<Value> {
    get(st, &format!("{R}/disks?pageSize=100")).await.json()["result"]["disks"].as_array().unwrap().clone()
}

async fn disk(st: &AppState, id: &str) -> Value {
    get(st, &format!("{R}/disks/{id}")).await.json()["result"]["disk"].clone()
}

fn op_ms() -> i64 {
    Config::for_tests().operation_ms()
}

#[tokio::test]
async fn detach_then_attach_with_the_colon_encoded_or_not() {
    let (st, clock) = state_and_clock(Config::for_tests());
    let attached = all_disks(&st)
        .await
        .into_iter()
        .find(|d| d["status"] == "in-use" && d["attachments"].as_array().unwrap().len() == 1)
        .unwrap();
    let id = attached["diskId"].as_str().unwrap().to_owned();
    let instance = attached["attachments"][0]["instanceId"].as_str().unwrap().to_owned();
    let body = json!({"diskId": id, "regionId": "cn-north-1", "force": null}).to_string();

    let r = json_request(&st, "POST", &format!("{R}/instances/{instance}%3AdetachDisk"), &body).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let d = disk(&st, &id).await;
    assert_eq!(d["status"], "detaching");
    assert_eq!(d["attachments"][0]["status"], "detaching");
    // A snapshot cannot start while the disk is busy.
    let snap = json!({"clientToken": "busy-1", "snapshotSpec": {"name": "x", "diskId": id}}).to_string();
    json_request(&st, "POST", &format!("{R}/snapshots"), &snap).await.assert_error(
        400,
        "FAILED_PRECONDITION",
        "Invalid disk status 'detaching'",
    );
    clock.advance_ms(op_ms());
    let d = disk(&st, &id).await;
    assert_eq!(d["status"], "available");
    assert_eq!(d["attachments"], json!([]));

    let r = json_request(&st, "POST", &format!("{R}/instances/{instance}:attachDisk"), &body).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(disk(&st, &id).await["status"], "attaching");
    clock.advance_ms(op_ms());
    let d = disk(&st, &id).await;
    assert_eq!(d["status"], "in-use");
    assert_eq!(d["attachments"][0]["instanceId"], instance.as_str());
    assert_eq!(d["attachments"][0]["status"], "attached");
}

#[tokio::test]
async fn vm_operation_errors() {
    let (st, _) = state_and_clock(Config::for_tests());
    let disks = all_disks(&st).await;
    let instances = get(&st, &format!("{R}/instances")).await.json();
    let instances = instances["result"]["instances"].as_array().unwrap().clone();
    assert_eq!(instances.len(), 4);
    assert!(instances
        .iter()
        .all(|i| i["instanceId"].as_str().unwrap().starts_with("i-") && i["status"] == "running"));

    let free = disks.iter().find(|d| d["status"] == "available").unwrap();
    let free_id = free["diskId"].as_str().unwrap();
    let elsewhere = instances.iter().find(|i| i["az"] != free["az"]).unwrap()["instanceId"].as_str().unwrap();
    let here = instances.iter().find(|i| i["az"] == free["az"]).map(|i| i["instanceId"].as_str().unwrap());
    let body = json!({"diskId": free_id}).to_string();
    let r = json_request(&st, "POST", &format!("{R}/instances/{elsewhere}:attachDisk"), &body).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["status"], "FAILED_PRECONDITION");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("same availability zone"));
    if let Some(here) = here {
        json_request(&st, "POST", &format!("{R}/instances/{here}:detachDisk"), &body).await.assert_error(
            400,
            "FAILED_PRECONDITION",
            &format!("Disk '{free_id}' is not attached to instance '{here}'"),
        );
    }
    json_request(&st, "POST", &format!("{R}/instances/i-zzzzzzzzzz:attachDisk"), &body).await.assert_error(
        404,
        "NOT_FOUND",
        "Instance 'i-zzzzzzzzzz' not found",
    );
    json_request(&st, "POST", &format!("{R}/instances/{elsewhere}:attachDisk"), "{}").await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Parameter diskId missing",
    );
    json_request(&st, "POST", &format!("{R}/instances/{elsewhere}:reboot"), &body).await.assert_error(
        404,
        "NOT_FOUND",
        &format!("No API at POST /v1/regions/cn-north-1/instances/{elsewhere}:reboot"),
    );
    json_request(&st, "POST", &format!("{R}/instances/bad:attachDisk"), &body).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Malformed instance id 'bad'",
    );
}

#[tokio::test]
async fn deleting_a_disk_keeps_its_snapshots_counting() {
    let (st, clock) = state_and_clock(Config::for_tests());
    let disks = all_disks(&st).await;
    let free = disks
        .iter()
        .find(|d| d["status"] == "available" && d["charge"]["chargeMode"] == "postpaid_by_duration")
        .unwrap();
    let id = free["diskId"].as_str().unwrap().to_owned();
    let body = json!({"clientToken": "keep-1", "snapshotSpec": {"name": "keep", "diskId": id}}).to_string();
    let snap = json_request(&st, "POST", &format!("{R}/snapshots"), &body).await.json()["result"]
        ["snapshotId"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = delete(&st, &format!("{R}/disks/{id}")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(disk(&st, &id).await["status"], "deleting");
    clock.advance_ms(op_ms().max(60_000));
    get(&st, &format!("{R}/disks/{id}")).await.assert_error(
        404,
        "NOT_FOUND",
        &format!("Disk '{id}' not found"),
    );
    let s = get(&st, &format!("{R}/snapshots/{snap}")).await.json();
    assert_eq!(s["result"]["snapshot"]["diskId"], id.as_str(), "the snapshot outlives its disk");
    let q = get(&st, &format!("{R}/quotas?type=snapshot")).await.json();
    assert_eq!(q["result"]["quota"]["used"], 1);

    let in_use = disks.iter().find(|d| d["status"] == "in-use").unwrap()["diskId"].as_str().unwrap();
    delete(&st, &format!("{R}/disks/{in_use}")).await.assert_error(
        400,
        "FAILED_PRECONDITION",
        "Cannot delete disk in status 'in-use'",
    );
    let prepaid = disks
        .iter()
        .find(|d| d["status"] == "available" && d["charge"]["chargeMode"] == "prepaid_by_duration")
        .unwrap()["diskId"]
        .as_str()
        .unwrap();
    delete(&st, &format!("{R}/disks/{prepaid}")).await.assert_error(
        400,
        "FAILED_PRECONDITION",
        "Can't delete 'prepaid_by_duration' disk which isn't overdue",
    );
}

#[tokio::test]
async fn recycle_bin() {
    let (st, _) = state_and_clock(Config::for_tests());
    let free = all_disks(&st)
        .await
        .into_iter()
        .find(|d| d["status"] == "available" && d["charge"]["chargeMode"] == "postpaid_by_duration")
        .unwrap();
    let id = free["diskId"].as_str().unwrap();
    assert_eq!(delete(&st, &format!("{R}/disks/{id}?putInRecycleBin=true")).await.status, 200);
    let d = disk(&st, id).await;
    assert_eq!(d["status"], "in-recyclebin");
    assert!(d["trashTime"].as_str().unwrap().ends_with("+08:00"));
    delete(&st, &format!("{R}/disks/{id}?putInRecycleBin=maybe")).await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Invalid putInRecycleBin 'maybe'",
    );
}
