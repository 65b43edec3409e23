//! Round-trips of the JSON examples in the API reference.

use disk_api::*;

#[test]
fn describe_disks_example() {
    let body = r#"{
      "requestId": "ce6ttm6ir2hu3mutbkdpr7j3iecwh77q",
      "result": {
        "disks": [ { "diskId": "vol-9dya7e5rdi", "az": "cn-north-1a", "name": "data-1", "description": "",
                     "diskType": "ssd.gp1", "diskSizeGB": 40, "iops": 2000, "throughput": 80,
                     "status": "available", "attachments": [], "snapshotId": "",
                     "multiAttachable": false, "encrypted": false, "enabled": true,
                     "createTime": "2021-08-11T15:20:10+08:00",
                     "charge": { "chargeMode": "postpaid_by_duration", "chargeStatus": "normal",
                                 "chargeStartTime": "2021-08-11T07:20:38Z", "chargeExpiredTime": "", "chargeRetireTime": "" },
                     "tags": [], "snapshotPolicies": [], "resourceGroupId": "rg-default",
                     "canPutInRecycleBin": false, "trashTime": "" } ],
        "totalCount": 1
      }
    }"#;
    let env: Envelope<DescribeDisksResult> = serde_json::from_str(body).unwrap();
    assert_eq!(env.request_id, "ce6ttm6ir2hu3mutbkdpr7j3iecwh77q");
    let result = env.result.as_ref().unwrap();
    assert_eq!(result.total_count, 1);
    let disk = &result.disks[0];
    assert_eq!(disk.disk_id, "vol-9dya7e5rdi");
    assert_eq!(disk.disk_type, DiskType::SsdGp1);
    assert_eq!(disk.status, DiskStatus::Available);
    assert_eq!(disk.disk_size_gb, 40);
    assert_eq!(disk.charge.charge_mode, ChargeMode::PostpaidByDuration);
    assert!(disk.enabled);

    // Serialising gives back the same JSON value, key for key.
    let original: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(serde_json::to_value(&env).unwrap(), original);
}

#[test]
fn empty_page_comes_back_as_null() {
    let env: Envelope<DescribeDisksResult> =
        serde_json::from_str(r#"{"requestId":"x","result":{"totalCount":0,"disks":null}}"#).unwrap();
    let result = env.result.unwrap();
    assert!(result.disks.is_empty());
    assert_eq!(result.total_count, 0);
}

#[test]
fn describe_snapshots_example() {
    let body = r#"{"requestId":"j17dvyzh01","result":{"totalCount":1,"snapshots":[{"snapshotId":"snapshot-**********","diskId":"vol-**********","snapshotSizeGB":30,"name":"openapi-Snapshot-test","status":"available","createTime":"2021-08-11T17:24:21+08:00","expireTime":"","deletable":true}]}}"#;
    let env: Envelope<DescribeSnapshotsResult> = serde_json::from_str(body).unwrap();
    let s = &env.result.unwrap().snapshots[0];
    assert_eq!(s.snapshot_size_gb, 30);
    assert_eq!(s.status, SnapshotStatus::Available);
    assert_eq!(s.name, "openapi-Snapshot-test");
}

#[test]
fn error_envelope_in_either_key_order() {
    let body = r#"{"error":{"code":401,"status":"ACCESS_ERROR","message":"sign result is not same [gw]"},"requestId":"ce6ttm6ir2hu3mutbkdpr7j3iecwh77q"}"#;
    let env: Envelope<DescribeDisksResult> = serde_json::from_str(body).unwrap();
    assert!(env.result.is_none());
    let err = env.error.unwrap();
    assert_eq!((err.code, err.status.as_str()), (401, "ACCESS_ERROR"));
    assert_eq!(err.message, "sign result is not same [gw]");
}

#[test]
fn error_codes_carry_their_http_status() {
    let e = ErrorBody::new(ErrorCode::QuotaExceeded, "Snapshot quota limit exceeded");
    assert_eq!(
        serde_json::to_string(&Envelope::<Empty>::err("r", e)).unwrap(),
        r#"{"requestId":"r","error":{"code":429,"status":"QUOTA_EXCEEDED","message":"Snapshot quota limit exceeded"}}"#
    );
    assert_eq!(ErrorCode::NotFound.http_status(), 404);
    assert_eq!(ErrorCode::FailedPrecondition.http_status(), 400);
}

#[test]
fn quota_and_create_results() {
    let q: Envelope<DescribeQuotaResult> =
        serde_json::from_str(r#"{"requestId":"r","result":{"quota":{"limit":15,"used":3}}}"#).unwrap();
    assert_eq!(q.result.unwrap().quota, Quota { limit: 15, used: 3 });
    let c: Envelope<CreateSnapshotResult> =
        serde_json::from_str(r#"{"requestId":"r","result":{"snapshotId":"snapshot-abcdefghij"}}"#).unwrap();
    assert_eq!(c.result.unwrap().snapshot_id, "snapshot-abcdefghij");
}

#[test]
fn unknown_statuses_are_kept_and_nulls_are_absent() {
    let d: Disk = serde_json::from_str(
        r#"{"diskId":"vol-aaaaaaaaaa","status":"hibernating","diskType":"ssd.gp9","attachments":null,"tags":null,"charge":null,"extra":1}"#,
    )
    .unwrap();
    assert_eq!(d.status, DiskStatus::Unknown("hibernating".into()));
    assert_eq!(d.disk_type, DiskType::Unknown("ssd.gp9".into()));
    assert!(d.attachments.is_empty() && d.tags.is_empty() && d.name.is_empty());
    assert_eq!(d.charge, Charge::default());
    assert_eq!(serde_json::to_value(&d.status).unwrap(), "hibernating");
}

#[test]
fn every_known_status_round_trips() {
    for s in DiskStatus::KNOWN {
        assert_eq!(&DiskStatus::parse(s.as_str()), s);
    }
    for s in SnapshotStatus::KNOWN {
        assert_eq!(&SnapshotStatus::parse(s.as_str()), s);
    }
    assert!(SnapshotStatus::Creating.is_transitional());
    assert!(!SnapshotStatus::Available.is_transitional());
    assert!(DiskStatus::Attaching.is_transitional());
    assert!(!DiskStatus::InUse.is_transitional());
}
