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
    // createDisks is documented once per region (its zones depend on the region).
    let ops = disk_server::openapi::OPERATIONS;
    let expected: usize =
        ops.iter().map(|o| if o.region_body.is_some() { disk_api::region::REGIONS.len() } else { 1 }).sum();
    assert_eq!(operations, expected);
    assert_eq!(ops.len(), 15);
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for model in ["Disk", "DiskAttachment", "Charge", "Snapshot", "Quota", "DelSnapshot", "ErrorBody"] {
        assert!(
            schemas.contains_key(model),
            "schema {model} missing: {:?}",
            schemas.keys().collect::<Vec<_>>()
        );
    }
    let disk = &schemas["Disk"]["properties"];
    assert!(disk.get("diskSizeGB").is_some() && disk.get("multiAttachable").is_some());
}

/// The document's patterns are the validation's rules: each pattern accepts exactly what its function does.
#[test]
fn the_documents_patterns_agree_with_the_validation() {
    use disk_api::validate::*;
    let re = |p: &str| regex::Regex::new(p).unwrap();
    let name = re(&name_pattern());
    let mut samples: Vec<String> = [
        "",
        "a",
        "data-1",
        "备份_2024-01",
        "𠀀x",
        "café",
        "has space",
        "dot.name",
        "<img>",
        "-",
        "_",
        "\u{3400}",
        "\u{33ff}",
        "\u{9fff}",
        "\u{a000}",
        "\u{2a6df}",
        "\u{2a6e0}",
        "\u{3134f}",
        "\u{31350}",
        "ａ",
        "١",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    samples.extend(["x".repeat(32), "x".repeat(33), "盘".repeat(32), "盘".repeat(33)]);
    for s in &samples {
        assert_eq!(name.is_match(s), check_name(s).is_ok(), "name {s:?}");
    }
    /// A pattern, the function it stands for, and the IDs' prefix.
    type IdRule = (&'static str, fn(&str) -> bool, &'static str);
    let ids: [IdRule; 3] = [
        (DISK_ID_PATTERN, is_disk_id, "vol-"),
        (SNAPSHOT_ID_PATTERN, is_snapshot_id, "snapshot-"),
        (INSTANCE_ID_PATTERN, is_instance_id, "i-"),
    ];
    for (pattern, f, prefix) in ids {
        let r = re(pattern);
        for rest in [
            "abcdefghij",
            "0123456789",
            "ABCDEFGHIJ",
            "abcdefghi",
            "abcdefghijk",
            "abcdefgh-j",
            "abcdéfghij",
            "",
        ] {
            for p in [prefix, "x-", ""] {
                let s = format!("{p}{rest}");
                assert_eq!(r.is_match(&s), f(&s), "{pattern} {s:?}");
            }
        }
    }
    let token = re(CLIENT_TOKEN_PATTERN);
    for s in ["", "a", "dc-0123_ABC", "has space", "é", &"t".repeat(64), &"t".repeat(65), "a\n"] {
        assert_eq!(token.is_match(s), is_client_token(s), "token {s:?}");
    }
    let expire = re(EXPIRE_TIME_PATTERN);
    for s in [
        "",
        "2026-12-31T23:59:59+08:00",
        "2026-12-31T23:59:59Z",
        "2026-12-31T23:59:59",
        "2026-12-31T23:59:5é",
        "2026-12-31T23:59:59+0800",
        "２０２６-12-31T23:59:59Z",
        "2026-12-31 23:59:59Z",
        "x2026-12-31T23:59:59Z",
    ] {
        assert_eq!(expire.is_match(s), is_expire_time(s), "expireTime {s:?}");
    }
}

#[tokio::test]
async fn the_openapi_document_states_the_rules() {
    let doc = get(&state(), "/v1/openapi.json").await.json();
    assert_eq!(doc["servers"][0]["url"], "/");
    let op = |path: &str, method: &str| doc["paths"][path][method].clone();
    let param = |o: &serde_json::Value, name: &str| {
        o["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name}"))
    };
    let list = op("/v1/regions/{regionId}/disks", "get");
    assert_eq!(
        param(&list, "regionId")["schema"]["enum"],
        serde_json::json!(["cn-north-1", "cn-east-1", "cn-east-2", "cn-south-1"])
    );
    assert_eq!(param(&list, "pageSize")["schema"]["minimum"], 10);
    assert_eq!(param(&list, "pageSize")["schema"]["maximum"], 100);
    assert_eq!(param(&list, "pageNumber")["schema"]["type"], "integer");
    assert!(list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| !p["name"].as_str().unwrap().contains(".N")));
    let disk = op("/v1/regions/{regionId}/disks/{diskId}", "get");
    assert_eq!(param(&disk, "diskId")["schema"]["pattern"], "^vol-[a-z0-9]{10}$");
    for code in ["200", "400", "404", "429", "500", "503"] {
        assert!(disk["responses"].get(code).is_some(), "{code}");
    }
    let quota = op("/v1/regions/{regionId}/quotas", "get");
    assert_eq!(param(&quota, "type")["required"], true);
    assert_eq!(
        param(&quota, "type")["schema"]["enum"],
        serde_json::json!(["snapshot", "disk", "snapshot_policy"])
    );
    let del = op("/v1/regions/{regionId}/disks/{diskId}", "delete");
    assert_eq!(param(&del, "putInRecycleBin")["schema"]["type"], "boolean");
    let many = op("/v1/regions/{regionId}/snapshots", "delete");
    assert_eq!(param(&many, "snapshotIds.1")["required"], true);
    let create = &op("/v1/regions/{regionId}/snapshots", "post")["requestBody"]["content"]
        ["application/json"]["schema"];
    assert_eq!(create["required"], serde_json::json!(["clientToken", "snapshotSpec"]));
    assert_eq!(create["properties"]["clientToken"]["maxLength"], 64);
    assert_eq!(create["properties"]["snapshotSpec"]["required"], serde_json::json!(["name", "diskId"]));
    assert_eq!(create["properties"]["snapshotSpec"]["properties"]["description"]["maxLength"], 256);
    let modify = &op("/v1/regions/{regionId}/snapshots/{snapshotId}", "patch")["requestBody"]["content"]
        ["application/json"]["schema"];
    assert_eq!(modify["anyOf"].as_array().unwrap().len(), 3);
    assert!(modify["properties"]["expireTime"]["pattern"].is_string());
    // Under a base path, the servers entry says where.
    let st = common::state_with(disk_server::Config {
        base_path: "/portal/disks".into(),
        ..disk_server::Config::for_tests()
    });
    let doc = get(&st, "/portal/disks/v1/openapi.json").await.json();
    assert_eq!(doc["servers"][0]["url"], "/portal/disks");
}
