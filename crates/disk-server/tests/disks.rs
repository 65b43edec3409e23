//! describeDisks and describeDisk through the router, every status and error body.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{get, send, state};
use serde_json::Value;

fn ids(v: &Value) -> Vec<String> {
    v["result"]["disks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["diskId"].as_str().unwrap().to_owned())
        .collect()
}

fn disks(v: &Value) -> &Vec<Value> {
    v["result"]["disks"].as_array().unwrap()
}

#[tokio::test]
async fn lists_a_region_with_default_paging() {
    let st = state();
    let r = get(&st, "/v1/regions/cn-north-1/disks").await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["requestId"].as_str().unwrap(), r.header("x-jdcloud-request-id"));
    assert_eq!(v["result"]["totalCount"], 14);
    assert_eq!(disks(&v).len(), 14);
    // Newest first.
    let times: Vec<&str> = disks(&v).iter().map(|d| d["createTime"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
    // Every disk of the region, none of another.
    assert!(disks(&v).iter().all(|d| d["az"].as_str().unwrap().starts_with("cn-north-1")));
}

#[tokio::test]
async fn pages_partition_the_filtered_set() {
    let st = state();
    let all = ids(&get(&st, "/v1/regions/cn-north-1/disks?pageSize=100").await.json());
    let p1 = get(&st, "/v1/regions/cn-north-1/disks?pageSize=10&pageNumber=1").await.json();
    let p2 = get(&st, "/v1/regions/cn-north-1/disks?pageSize=10&pageNumber=2").await.json();
    let p3 = get(&st, "/v1/regions/cn-north-1/disks?pageSize=10&pageNumber=3").await.json();
    assert_eq!(p1["result"]["totalCount"], 14);
    assert_eq!(p3["result"]["totalCount"], 14);
    assert_eq!([ids(&p1), ids(&p2)].concat(), all);
    assert_eq!(ids(&p2).len(), 4);
    assert_eq!(p3["result"]["disks"], Value::Array(vec![]));
}

#[tokio::test]
async fn paging_out_of_range_is_rejected() {
    let st = state();
    for (q, msg) in [
        ("pageSize=9", "Invalid page size '9', must be between 10 and 100"),
        ("pageSize=101", "Invalid page size '101', must be between 10 and 100"),
        ("pageNumber=0", "Invalid page number '0', must be at least 1"),
        ("pageNumber=abc", "Invalid parameter pageNumber 'abc'"),
    ] {
        get(&st, &format!("/v1/regions/cn-north-1/disks?{q}")).await.assert_error(
            400,
            "INVALID_ARGUMENT",
            msg,
        );
    }
}

#[tokio::test]
async fn filters_and_across_or_within() {
    let st = state();
    let all = get(&st, "/v1/regions/cn-north-1/disks?pageSize=100").await.json();
    let all = disks(&all).clone();
    let count = |pred: &dyn Fn(&Value) -> bool| all.iter().filter(|d| pred(d)).count();

    let q = "filters.1.name=status&filters.1.values.1=in-use";
    let v = get(&st, &format!("/v1/regions/cn-north-1/disks?{q}")).await.json();
    assert_eq!(v["result"]["totalCount"], count(&|d| d["status"] == "in-use"));
    assert!(v["result"]["totalCount"].as_u64().unwrap() > 0);

    // OR within one filter.
    let q = "filters.1.name=diskType&filters.1.values.1=ssd.gp1&filters.1.values.2=hdd.std1";
    let v = get(&st, &format!("/v1/regions/cn-north-1/disks?{q}")).await.json();
    assert_eq!(
        v["result"]["totalCount"],
        count(&|d| d["diskType"] == "ssd.gp1" || d["diskType"] == "hdd.std1")
    );

    // AND across filters, 0-based indexes as one doc family writes them.
    let q =
        "filters.0.name=status&filters.0.values.0=in-use&filters.1.name=az&filters.1.values.0=cn-north-1a";
    let v = get(&st, &format!("/v1/regions/cn-north-1/disks?{q}")).await.json();
    assert_eq!(v["result"]["totalCount"], count(&|d| d["status"] == "in-use" && d["az"] == "cn-north-1a"));

    // Fuzzy, case-insensitive name.
    let v =
        get(&st, "/v1/regions/cn-north-1/disks?filters.1.name=name&filters.1.values.1=NGINX").await.json();
    assert_eq!(
        v["result"]["totalCount"],
        count(&|d| d["name"].as_str().unwrap().to_lowercase().contains("nginx"))
    );
    // Percent-encoded Chinese.
    let v =
        get(&st, "/v1/regions/cn-north-1/disks?filters.1.name=name&filters.1.values.1=%E6%97%A5%E5%BF%97")
            .await
            .json();
    assert_eq!(v["result"]["totalCount"], count(&|d| d["name"].as_str().unwrap().contains("日志")));

    let v = get(&st, "/v1/regions/cn-north-1/disks?filters.1.name=multiAttach&filters.1.values.1=true")
        .await
        .json();
    assert_eq!(v["result"]["totalCount"], count(&|d| d["multiAttachable"] == true));
    let v = get(&st, "/v1/regions/cn-north-1/disks?filters.1.name=encrypted&filters.1.values.1=false")
        .await
        .json();
    assert_eq!(v["result"]["totalCount"], count(&|d| d["encrypted"] == false));

    let first = &all[0];
    let q = format!("filters.1.name=diskId&filters.1.values.1={}", first["diskId"].as_str().unwrap());
    let v = get(&st, &format!("/v1/regions/cn-north-1/disks?{q}")).await.json();
    assert_eq!(ids(&v), vec![first["diskId"].as_str().unwrap().to_owned()]);

    let attached = all.iter().find(|d| !d["attachments"].as_array().unwrap().is_empty()).unwrap();
    let instance = attached["attachments"][0]["instanceId"].as_str().unwrap();
    let v = get(
        &st,
        &format!("/v1/regions/cn-north-1/disks?filters.1.name=instanceId&filters.1.values.1={instance}"),
    )
    .await
    .json();
    let on_instance =
        count(&|d| d["attachments"].as_array().unwrap().iter().any(|a| a["instanceId"] == instance));
    assert_eq!(v["result"]["totalCount"], on_instance);
    assert!(ids(&v).contains(&attached["diskId"].as_str().unwrap().to_owned()));
}

#[tokio::test]
async fn bad_filter_values_name_the_value() {
    let st = state();
    for (q, msg) in [
        ("filters.1.name=status&filters.1.values.1=sleeping", "Invalid disk status 'sleeping'"),
        ("filters.1.name=diskType&filters.1.values.1=floppy", "Invalid disk type 'floppy'"),
        ("filters.1.name=az&filters.1.values.1=cn-east-1a", "Invalid availability zone 'cn-east-1a'"),
        ("filters.1.name=diskId&filters.1.values.1=vol-BAD", "Malformed disk id 'vol-BAD'"),
        ("filters.1.name=instanceId&filters.1.values.1=x", "Malformed instance id 'x'"),
        ("filters.1.name=multiAttach&filters.1.values.1=maybe", "Invalid multiAttach 'maybe'"),
        ("filters.1.name=color&filters.1.values.1=red", "Invalid filter name 'color'"),
    ] {
        get(&st, &format!("/v1/regions/cn-north-1/disks?{q}")).await.assert_error(
            400,
            "INVALID_ARGUMENT",
            msg,
        );
    }
}

#[tokio::test]
async fn unknown_query_keys_are_ignored() {
    let st = state();
    // So is a filter that names nothing.
    let r = get(
        &st,
        "/v1/regions/cn-north-1/disks?tags.1.key=env&orders.1.name=create_time&regionId=cn-north-1&filters.1.values.1=red",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["result"]["totalCount"], 14);
}

#[tokio::test]
async fn invalid_region() {
    let st = state();
    get(&st, "/v1/regions/cn-west-9/disks").await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Invalid region 'cn-west-9'",
    );
    get(&st, "/v1/regions/cn-west-9/disks/vol-aaaaaaaaaa").await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Invalid region 'cn-west-9'",
    );
}

#[tokio::test]
async fn describe_one_disk() {
    let st = state();
    let list = get(&st, "/v1/regions/cn-east-2/disks").await.json();
    let want = &disks(&list)[0];
    let id = want["diskId"].as_str().unwrap();
    let r = get(&st, &format!("/v1/regions/cn-east-2/disks/{id}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(&r.json()["result"]["disk"], want);

    get(&st, "/v1/regions/cn-east-2/disks/vol-zzzzzzzzzz").await.assert_error(
        404,
        "NOT_FOUND",
        "Disk 'vol-zzzzzzzzzz' not found",
    );
    // A disk of another region is not found here.
    get(&st, &format!("/v1/regions/cn-north-1/disks/{id}")).await.assert_error(
        404,
        "NOT_FOUND",
        &format!("Disk '{id}' not found"),
    );
    get(&st, "/v1/regions/cn-east-2/disks/nope").await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Malformed disk id 'nope'",
    );
    get(&st, "/v1/regions/cn-east-2/disks/%3Cscript%3E").await.assert_error(
        400,
        "INVALID_ARGUMENT",
        "Malformed disk id '<script>'",
    );
}

#[tokio::test]
async fn unknown_api_paths_and_methods_get_envelopes() {
    let st = state();
    get(&st, "/v1/regions/cn-north-1/volumes").await.assert_error(
        404,
        "NOT_FOUND",
        "No API at GET /v1/regions/cn-north-1/volumes",
    );
    get(&st, "/v1").await.assert_error(404, "NOT_FOUND", "No API at GET /v1");
    let r = send(&st, Request::put("/v1/regions/cn-north-1/disks").body(Body::empty()).unwrap()).await;
    r.assert_error(405, "METHOD_NOT_ALLOWED", "Method PUT is not allowed at /v1/regions/cn-north-1/disks");
    assert_eq!(r.header("allow"), "GET,HEAD,POST");
    // Methods no route knows, and lower-case spellings, are 405 too, never a 5xx.
    for method in ["TRACE", "PROPFIND", "get"] {
        let req = Request::builder()
            .method(method)
            .uri("/v1/regions/cn-north-1/snapshots")
            .body(Body::empty())
            .unwrap();
        let r = send(&st, req).await;
        assert_eq!(r.status.as_u16(), 405, "{method}");
        assert_eq!(r.json()["error"]["status"], "METHOD_NOT_ALLOWED");
        assert!(r.header("allow").contains("POST"), "{method}: {}", r.header("allow"));
    }
    let req = Request::builder()
        .method("HEAD")
        .uri("/v1/regions/cn-north-1/instances/i-x%3AattachDisk")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&st, req).await.status.as_u16(), 405);
}

#[tokio::test]
async fn every_request_gets_its_own_id() {
    let st = state();
    let a = get(&st, "/v1/regions/cn-north-1/disks").await;
    let b = get(&st, "/v1/regions/cn-north-1/disks").await;
    let (a, b) = (a.header("x-jdcloud-request-id").to_owned(), b.header("x-jdcloud-request-id").to_owned());
    assert_ne!(a, b);
    assert!(a.len() == 32 && a.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
}
