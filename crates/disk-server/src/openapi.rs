//! The OpenAPI 3 document of every route, served at `/v1/openapi.json`. Operations come from the table
//! below (a test checks that the router answers each one), schemas are generated from the wire types.

use axum::response::IntoResponse;
use disk_api::*;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// One documented operation.
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub id: &'static str,
    pub summary: &'static str,
    /// Query parameters: (name, description).
    pub query: &'static [(&'static str, &'static str)],
    pub body: Option<SchemaFn>,
    pub result: SchemaFn,
}

fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

const LIST: &[(&str, &str)] = &[
    ("pageNumber", "Page, from 1 (default 1)"),
    ("pageSize", "Items per page, 10 to 100 (default 20)"),
    ("filters.N.name", "Filter name; filters are ANDed"),
    ("filters.N.values.M", "Filter values; values of one filter are ORed"),
];

pub const OPERATIONS: &[Operation] = &[
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/disks",
        id: "describeDisks",
        summary: "List the disks of a region (filters: diskId, diskType, instanceId, instanceType, status, az, name, multiAttach, encrypted)",
        query: LIST,
        body: None,
        result: schema::<Envelope<DescribeDisksResult>>,
    },
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/disks/{diskId}",
        id: "describeDisk",
        summary: "One disk",
        query: &[],
        body: None,
        result: schema::<Envelope<DescribeDiskResult>>,
    },
    Operation {
        method: "delete",
        path: "/v1/regions/{regionId}/disks/{diskId}",
        id: "deleteDisk",
        summary: "Delete an available disk; its snapshots stay",
        query: &[("putInRecycleBin", "true to move it to the recycle bin")],
        body: None,
        result: schema::<Envelope<Empty>>,
    },
    Operation {
        method: "post",
        path: "/v1/regions/{regionId}/snapshots",
        id: "createSnapshot",
        summary: "Create a snapshot of a disk (idempotent per clientToken)",
        query: &[],
        body: Some(schema::<CreateSnapshotRequest>),
        result: schema::<Envelope<CreateSnapshotResult>>,
    },
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/snapshots",
        id: "describeSnapshots",
        summary: "List the snapshots of a region (filters: snapshotId, diskId, status, name)",
        query: LIST,
        body: None,
        result: schema::<Envelope<DescribeSnapshotsResult>>,
    },
    Operation {
        method: "delete",
        path: "/v1/regions/{regionId}/snapshots",
        id: "deleteSnapshots",
        summary: "Delete several snapshots; each succeeds or fails on its own",
        query: &[("snapshotIds.N", "The snapshots to delete")],
        body: None,
        result: schema::<Envelope<DeleteSnapshotsResult>>,
    },
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/snapshots/{snapshotId}",
        id: "describeSnapshot",
        summary: "One snapshot",
        query: &[],
        body: None,
        result: schema::<Envelope<DescribeSnapshotResult>>,
    },
    Operation {
        method: "delete",
        path: "/v1/regions/{regionId}/snapshots/{snapshotId}",
        id: "deleteSnapshot",
        summary: "Delete an available or failed snapshot",
        query: &[],
        body: None,
        result: schema::<Envelope<Empty>>,
    },
    Operation {
        method: "patch",
        path: "/v1/regions/{regionId}/snapshots/{snapshotId}",
        id: "modifySnapshotAttribute",
        summary: "Change a snapshot's name, description or expiry",
        query: &[],
        body: Some(schema::<ModifySnapshotAttributeRequest>),
        result: schema::<Envelope<Empty>>,
    },
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/quotas",
        id: "describeQuota",
        summary: "Quota and usage",
        query: &[("type", "snapshot, disk or snapshot_policy")],
        body: None,
        result: schema::<Envelope<DescribeQuotaResult>>,
    },
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/instances",
        id: "describeInstances",
        summary: "The region's VM instances (targets to attach disks to)",
        query: &[],
        body: None,
        result: schema::<Envelope<DescribeInstancesResult>>,
    },
    Operation {
        method: "post",
        path: "/v1/regions/{regionId}/instances/{instanceId}:attachDisk",
        id: "attachDisk",
        summary: "Attach a disk to an instance in its availability zone",
        query: &[],
        body: Some(schema::<DiskOnInstanceRequest>),
        result: schema::<Envelope<Empty>>,
    },
    Operation {
        method: "post",
        path: "/v1/regions/{regionId}/instances/{instanceId}:detachDisk",
        id: "detachDisk",
        summary: "Detach a disk from an instance",
        query: &[],
        body: Some(schema::<DiskOnInstanceRequest>),
        result: schema::<Envelope<Empty>>,
    },
];

/// The whole document.
pub fn build() -> Value {
    let mut g = SchemaSettings::openapi3().into_generator();
    let error = schema::<Envelope<Empty>>(&mut g);
    let mut paths = Map::new();
    for op in OPERATIONS {
        let mut params: Vec<Value> = op
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.split('}').next()))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        params.extend(op.query.iter().map(|(name, description)| {
            json!({"name": name, "in": "query", "required": false, "description": description,
                   "schema": {"type": "string"}})
        }));
        let mut operation = json!({
            "operationId": op.id,
            "summary": op.summary,
            "parameters": params,
            "responses": {
                "200": {"description": "Success", "content": {"application/json": {"schema": (op.result)(&mut g)}}},
                "default": {"description": "JD error envelope; the HTTP status equals error.code",
                            "content": {"application/json": {"schema": error.clone()}}}
            }
        });
        if let Some(body) = op.body {
            operation["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": body(&mut g)}}});
        }
        let entry = paths.entry(op.path).or_insert_with(|| json!({}));
        entry[op.method] = operation;
    }
    let schemas: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    json!({
        "openapi": "3.0.3",
        "info": {"title": "JD Cloud Cloud Disk Service v1 (emulated region)", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// The document itself, as OpenAPI tools expect it (not wrapped in an envelope).
pub async fn document() -> impl IntoResponse {
    axum::Json(build())
}
