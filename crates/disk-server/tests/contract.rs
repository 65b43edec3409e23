//! The JSON of each result has exactly the field names of the reference's models, and the OpenAPI document
//! describes every route the router answers.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{get, json_request, send, state};
use serde_json::Value;
use std::collections::BTreeSet;

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().cloned().collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn field_names_match_the_reference_models() {
    let st = state();
    let v = get(&st, "/v1/regions/cn-north-1/disks").await.json();
    assert_eq!(keys(&v), set(&["requestId", "result"]));
    assert_eq!(keys(&v["result"]), set(&["disks", "totalCount"]));
    let disks = v["result"]["disks"].as_array().unwrap();
    let disk = disks.iter().find(|d| !d["attachments"].as_array().unwrap().is_empty()).unwrap();
    // Reference §4.1 Disk.
    assert_eq!(
        keys(disk),
        set(&[
            "diskId",
            "az",
            "name",
            "description",
            "diskType",
            "diskSizeGB",
            "iops",
            "throughput",
            "status",
            "attachments",
            "snapshotId",
            "multiAttachable",
            "encrypted",
            "enabled",
            "createTime",
            "charge",
            "tags",
            "snapshotPolicies",
            "resourceGroupId",
            "canPutInRecycleBin",
            "trashTime",
        ])
    );
    // §4.2 DiskAttachment.
    assert_eq!(
        keys(&disk["attachments"][0]),
        set(&["attachmentId", "diskId", "instanceType", "instanceId", "status", "attachTime"])
    );
    // §4.3 Charge.
    assert_eq!(
        keys(&disk["charge"]),
        set(&["chargeMode", "chargeStatus", "chargeStartTime", "chargeExpiredTime", "chargeRetireTime"])
    );

    let d =
        get(&st, &format!("/v1/regions/cn-north-1/disks/{}", disk["diskId"].as_str().unwrap())).await.json();
    assert_eq!(keys(&d["result"]), set(&["disk"]));

    let body = format!(
        r#"{{"clientToken":"c1","snapshotSpec":{{"name":"n","diskId":"{}"}}}}"#,
        disk["diskId"].as_str().unwrap()
    );
    let c = json_request(&st, "POST", "/v1/regions/cn-north-1/snapshots", &body).await.json();
    assert_eq!(keys(&c["result"]), set(&["snapshotId"]));
    let list = get(&st, "/v1/regions/cn-north-1/snapshots").await.json();
    assert_eq!(keys(&list["result"]), set(&["snapshots", "totalCount"]));
    // §4.5 Snapshot.
    assert_eq!(
        keys(&list["result"]["snapshots"][0]),
        set(&[
            "snapshotId",
            "snapshotSource",
            "diskId",
            "snapshotSizeGB",
            "images",
            "name",
            "description",
            "status",
            "createTime",
            "expireTime",
            "sharInfo",
            "shareInfo",
            "encrypted",
        ])
    );
    let q = get(&st, "/v1/regions/cn-north-1/quotas?type=snapshot").await.json();
    assert_eq!(keys(&q["result"]), set(&["quota"]));
    assert_eq!(keys(&q["result"]["quota"]), set(&["limit", "used"]));
    let del = send(
        &st,
        Request::delete("/v1/regions/cn-north-1/snapshots?snapshotIds.1=snapshot-zzzzzzzzzz")
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .json();
    assert_eq!(keys(&del["result"]), set(&["snapshots", "successCount", "failedCount"]));
    // §4.6 DelSnapshot.
    assert_eq!(keys(&del["result"]["snapshots"][0]), set(&["snapshotId", "success", "detail"]));
}

#[tokio::test]
async fn the_openapi_document_covers_every_route() {
    let st = state();
    let r = get(&st, "/v1/openapi.json").await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, methods) in paths {
        for (method, op) in methods.as_object().unwrap() {
            operations += 1;
            assert!(op["operationId"].is_string());
            // The router answers this method at this path with something other than "no such API".
            let concrete = path
                .replace("{regionId}", "cn-north-1")
                .replace("{diskId}", "vol-zzzzzzzzzz")
                .replace("{snapshotId}", "snapshot-zzzzzzzzzz")
                .replace("{instanceId}", "i-zzzzzzzzzz");
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&concrete)
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let reply = send(&st, req).await;
            let message = reply.json()["error"]["message"].as_str().unwrap_or("").to_owned();
            assert!(
                !message.starts_with("No API at") && reply.status != 405,
                "{method} {path} is documented but not routed: {message}"
            );
        }
    }
    assert_eq!(operations, disk_server::openapi::OPERATIONS.len());
    assert_eq!(operations, 13);
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for model in
        ["Disk", "DiskAttachment", "Charge", "Snapshot", "Quota", "DelSnapshot", "SnapshotSpec", "ErrorBody"]
    {
        assert!(
            schemas.contains_key(model),
            "schema {model} missing: {:?}",
            schemas.keys().collect::<Vec<_>>()
        );
    }
    let disk = &schemas["Disk"]["properties"];
    assert!(disk.get("diskSizeGB").is_some() && disk.get("multiAttachable").is_some());
}
