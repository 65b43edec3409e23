//! Fault injection (`--fault-rate`, `--latency-ms`, `--fault-route`): off by default, answers lost after the
//! change was made, limited to matching routes; and a client that repeats its clientToken ends with exactly
//! one snapshot.

mod common;

use clap::Parser;
use common::{get, json_request, state_with};
use disk_server::Config;
use serde_json::json;
use std::sync::Arc;

const R: &str = "/v1/regions/cn-north-1";

fn config(args: &[&str]) -> Config {
    let mut c = Config::parse_from(std::iter::once("disk-server").chain(args.iter().copied()));
    c.db = ":memory:".into();
    c
}

#[tokio::test]
async fn lost_answers_and_a_repeated_client_token_leave_exactly_one_snapshot() {
    let st = state_with(config(&["--fault-rate", "1", "--fault-route", "^POST .*/snapshots$"]));
    let disks = get(&st, &format!("{R}/disks?pageSize=100")).await;
    assert_eq!(disks.status, 200, "routes that do not match answer as usual");
    let disk = disks.json()["result"]["disks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["status"] == "available")
        .unwrap()["diskId"]
        .clone();
    let body =
        json!({"clientToken": "lost-answer-1", "snapshotSpec": {"name": "once", "diskId": disk}}).to_string();
    for _ in 0..3 {
        let r = json_request(&st, "POST", &format!("{R}/snapshots"), &body).await;
        assert!(matches!(r.status.as_u16(), 500 | 503), "{}", r.status);
        let v = r.json();
        assert_eq!(v["error"]["code"], r.status.as_u16());
        assert!(v["error"]["message"].as_str().unwrap().starts_with("Injected fault"));
        assert_eq!(r.header("x-jdcloud-request-id"), v["requestId"].as_str().unwrap());
    }
    // The fault goes away (same region, faults off): the same token gets the one snapshot made.
    let healthy = common::AppState { faults: Arc::new(Default::default()), ..st.clone() };
    let r = json_request(&healthy, "POST", &format!("{R}/snapshots"), &body).await;
    assert_eq!(r.status, 200);
    let id = r.json()["result"]["snapshotId"].as_str().unwrap().to_owned();
    let all = get(&healthy, &format!("{R}/snapshots")).await.json();
    assert_eq!(all["result"]["totalCount"], 1, "{all}");
    assert_eq!(all["result"]["snapshots"][0]["snapshotId"], id.as_str());
}

#[tokio::test]
async fn latency_is_added_and_faults_are_off_by_default() {
    let st = state_with(config(&["--latency-ms", "60..80"]));
    let t = std::time::Instant::now();
    assert_eq!(get(&st, &format!("{R}/quotas?type=snapshot")).await.status, 200);
    assert!(t.elapsed().as_millis() >= 60, "{:?}", t.elapsed());
    let plain = state_with(Config::for_tests());
    assert!(plain.faults.is_off());
    for _ in 0..20 {
        assert_eq!(get(&plain, &format!("{R}/disks")).await.status, 200);
    }
    for bad in [
        &["--latency-ms", "80..60"][..],
        &["--latency-ms", "x"],
        &["--fault-route", "("],
        &["--fault-rate", "2"],
    ] {
        let args = std::iter::once("disk-server").chain(bad.iter().copied());
        assert!(Config::try_parse_from(args).is_err(), "{bad:?}");
    }
}
