//! The OpenAPI 3 document of every route, served at `/v1/openapi.json`: the whole contract the server
//! enforces, so a generic client or fuzzer that follows it is accepted, and one that does not is refused.
//! Operations come from the table below (a test checks that the router answers each one); parameter and
//! body rules are built from the same constants and patterns the validation uses (`disk_api::validate`,
//! `disk_api::query`, `disk_api::region`; a test checks that each pattern and its function agree); result
//! schemas are generated from the wire types.

use disk_api::*;
use disk_api::{query, region, validate};
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
    /// Query parameters.
    pub query: &'static [Param],
    /// The request body's schema.
    pub body: Option<fn() -> Value>,
    /// A body whose rules depend on the region (createDisks: the region's zones): the operation is
    /// documented once per region, at that region's path.
    pub region_body: Option<fn(&'static region::Region) -> Value>,
    pub result: SchemaFn,
}

fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// A query parameter: its name, whether it is required, its schema and what it means.
pub struct Param {
    pub name: &'static str,
    pub required: bool,
    pub schema: fn() -> Value,
    pub description: &'static str,
}

fn page_number() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": u32::MAX})
}

fn page_size() -> Value {
    json!({"type": "integer", "minimum": query::MIN_PAGE_SIZE, "maximum": query::MAX_PAGE_SIZE,
           "default": query::DEFAULT_PAGE_SIZE})
}

fn name_filter() -> Value {
    json!({"type": "string", "enum": ["name"]})
}

fn any_text() -> Value {
    json!({"type": "string"})
}

fn quota_type() -> Value {
    json!({"type": "string", "enum": ["snapshot", "disk", "snapshot_policy"]})
}

fn boolean() -> Value {
    json!({"type": "boolean"})
}

const fn param(
    name: &'static str,
    required: bool,
    schema: fn() -> Value,
    description: &'static str,
) -> Param {
    Param { name, required, schema, description }
}

/// Paging, and the one filter whose values are free text (JD's flattened `filters.N.name` /
/// `filters.N.values.M`, 1-based; a filter without a name is ignored). The other filters, whose values
/// must be IDs or statuses, are named in each operation's description.
const LIST: &[Param] = &[
    param("pageNumber", false, page_number, "Page, from 1 (default 1)"),
    param("pageSize", false, page_size, "Items per page, 10 to 100 (default 20)"),
    param("filters.1.name", false, name_filter, "A filter (filters.N.name, N from 1; filters are ANDed)"),
    param(
        "filters.1.values.1",
        false,
        any_text,
        "Its values (filters.N.values.M; ORed): for name, fuzzy text",
    ),
];

pub const OPERATIONS: &[Operation] = &[
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/disks",
        id: "describeDisks",
        summary: "List the disks of a region (filters: diskId, diskType, instanceId, instanceType, status, az, name, multiAttach, encrypted)",
        query: LIST,
        body: None,
        region_body: None,
        result: schema::<Envelope<DescribeDisksResult>>,
    },
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/disks/{diskId}",
        id: "describeDisk",
        summary: "One disk",
        query: &[],
        body: None,
        region_body: None,
        result: schema::<Envelope<DescribeDiskResult>>,
    },
    Operation {
        method: "post",
        path: "/v1/regions/{regionId}/disks",
        id: "createDisks",
        summary: "Create disks, empty or from a snapshot (idempotent per clientToken; within the disk quota)",
        query: &[],
        body: None,
        region_body: Some(create_disks_body),
        result: schema::<Envelope<CreateDisksResult>>,
    },
    Operation {
        method: "post",
        path: "/v1/regions/{regionId}/disks/{diskId}:restore",
        id: "restoreDisk",
        summary: "Roll a detached disk back to one of its own available snapshots",
        query: &[],
        body: Some(restore_disk_body),
        region_body: None,
        result: schema::<Envelope<Empty>>,
    },
    Operation {
        method: "delete",
        path: "/v1/regions/{regionId}/disks/{diskId}",
        id: "deleteDisk",
        summary: "Delete an available disk; its snapshots stay",
        query: &[param("putInRecycleBin", false, boolean, "true to move it to the recycle bin")],
        body: None,
        region_body: None,
        result: schema::<Envelope<Empty>>,
    },
    Operation {
        method: "post",
        path: "/v1/regions/{regionId}/snapshots",
        id: "createSnapshot",
        summary: "Create a snapshot of a disk (idempotent per clientToken)",
        query: &[],
        body: Some(create_snapshot_body),
        region_body: None,
        result: schema::<Envelope<CreateSnapshotResult>>,
    },
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/snapshots",
        id: "describeSnapshots",
        summary: "List the snapshots of a region (filters: snapshotId, diskId, status, name)",
        query: LIST,
        body: None,
        region_body: None,
        result: schema::<Envelope<DescribeSnapshotsResult>>,
    },
    Operation {
        method: "delete",
        path: "/v1/regions/{regionId}/snapshots",
        id: "deleteSnapshots",
        summary: "Delete several snapshots; each succeeds or fails on its own",
        query: &[
            param("snapshotIds.1", true, any_text, "The snapshots to delete (snapshotIds.N, N from 1; at most 100)"),
            param("snapshotIds.2", false, any_text, "More of them; a malformed ID fails on its own in the answer"),
        ],
        body: None,
        region_body: None,
        result: schema::<Envelope<DeleteSnapshotsResult>>,
    },
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/snapshots/{snapshotId}",
        id: "describeSnapshot",
        summary: "One snapshot",
        query: &[],
        body: None,
        region_body: None,
        result: schema::<Envelope<DescribeSnapshotResult>>,
    },
    Operation {
        method: "delete",
        path: "/v1/regions/{regionId}/snapshots/{snapshotId}",
        id: "deleteSnapshot",
        summary: "Delete an available or failed snapshot",
        query: &[],
        body: None,
        region_body: None,
        result: schema::<Envelope<Empty>>,
    },
    Operation {
        method: "patch",
        path: "/v1/regions/{regionId}/snapshots/{snapshotId}",
        id: "modifySnapshotAttribute",
        summary: "Change a snapshot's name, description or expiry",
        query: &[],
        body: Some(modify_snapshot_body),
        region_body: None,
        result: schema::<Envelope<Empty>>,
    },
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/quotas",
        id: "describeQuota",
        summary: "Quota and usage",
        query: &[param("type", true, quota_type, "snapshot, disk or snapshot_policy")],
        body: None,
        region_body: None,
        result: schema::<Envelope<DescribeQuotaResult>>,
    },
    Operation {
        method: "get",
        path: "/v1/regions/{regionId}/instances",
        id: "describeInstances",
        summary: "The region's VM instances (targets to attach disks to)",
        query: &[],
        body: None,
        region_body: None,
        result: schema::<Envelope<DescribeInstancesResult>>,
    },
    Operation {
        method: "post",
        path: "/v1/regions/{regionId}/instances/{instanceId}:attachDisk",
        id: "attachDisk",
        summary: "Attach a disk to an instance in its availability zone",
        query: &[],
        body: Some(disk_on_instance_body),
        region_body: None,
        result: schema::<Envelope<Empty>>,
    },
    Operation {
        method: "post",
        path: "/v1/regions/{regionId}/instances/{instanceId}:detachDisk",
        id: "detachDisk",
        summary: "Detach a disk from an instance",
        query: &[],
        body: Some(disk_on_instance_body),
        region_body: None,
        result: schema::<Envelope<Empty>>,
    },
];

fn name() -> Value {
    // The pattern carries the length (1 to 32 characters).
    json!({"type": "string", "pattern": validate::name_pattern()})
}

fn description() -> Value {
    json!({"type": "string", "maxLength": validate::DESCRIPTION_MAX_CHARS})
}

fn id(pattern: &str) -> Value {
    json!({"type": "string", "pattern": pattern})
}

/// createSnapshot: a clientToken and a spec with a name and a disk (`null` means absent).
fn create_snapshot_body() -> Value {
    let mut description = description();
    description["nullable"] = json!(true);
    json!({
        "type": "object",
        "required": ["clientToken", "snapshotSpec"],
        "properties": {
            "clientToken": {"type": "string", "pattern": validate::CLIENT_TOKEN_PATTERN,
                            "minLength": 1, "maxLength": validate::CLIENT_TOKEN_MAX_CHARS,
                            "description": "Idempotency token: a repeat in the region returns the first snapshot"},
            "snapshotSpec": {
                "type": "object",
                "required": ["name", "diskId"],
                "properties": {"name": name(), "description": description, "diskId": id(validate::DISK_ID_PATTERN)}
            }
        }
    })
}

/// createDisks in `region`: a clientToken, a count, and a spec whose zone is one of the region's and whose
/// size fits its type (one alternative per group of types with the same limits).
fn create_disks_body(region: &'static region::Region) -> Value {
    type Limits = (u32, u32, u32);
    let mut groups: Vec<(Limits, Vec<&str>)> = Vec::new();
    for t in DiskType::KNOWN {
        let limits = t.size_limits_gib();
        match groups.iter_mut().find(|(l, _)| *l == limits) {
            Some((_, names)) => names.push(t.as_str()),
            None => groups.push((limits, vec![t.as_str()])),
        }
    }
    let by_type: Vec<Value> = groups
        .into_iter()
        .map(|((min, max, step), names)| {
            json!({
                "properties": {
                    "diskType": {"type": "string", "enum": names},
                    "diskSizeGB": {"type": "integer", "minimum": min, "maximum": max, "multipleOf": step}
                }
            })
        })
        .collect();
    let mut description = description();
    description["nullable"] = json!(true);
    let (lo, hi) = validate::MAX_COUNT_RANGE;
    json!({
        "type": "object",
        "required": ["clientToken", "maxCount", "diskSpec"],
        "properties": {
            "clientToken": {"type": "string", "pattern": validate::CLIENT_TOKEN_PATTERN,
                            "minLength": 1, "maxLength": validate::CLIENT_TOKEN_MAX_CHARS,
                            "description": "Idempotency token: a repeat in the region returns the first disks"},
            "maxCount": {"type": "integer", "minimum": lo, "maximum": hi,
                         "description": "How many disks; a batch is named <name>-1, <name>-2, …"},
            "diskSpec": {
                "type": "object",
                "required": ["az", "name", "diskType", "diskSizeGB"],
                "properties": {
                    "az": {"type": "string", "enum": region.azs},
                    "name": name(),
                    "description": description,
                    "diskType": {"type": "string", "enum": DiskType::KNOWN.iter().map(|t| t.as_str()).collect::<Vec<_>>()},
                    "diskSizeGB": {"type": "integer", "description": "GiB; at least the snapshot's size when snapshotId is given"},
                    "snapshotId": {"type": "string", "pattern": validate::SNAPSHOT_ID_PATTERN, "nullable": true},
                    "charge": {"type": "object", "nullable": true, "properties": {
                        "chargeMode": {"type": "string", "enum": ["postpaid_by_duration"], "nullable": true}}},
                    "multiAttachable": {"type": "boolean", "nullable": true},
                    "encrypt": {"type": "boolean", "nullable": true}
                },
                "oneOf": by_type
            }
        }
    })
}

/// restoreDisk: the snapshot to roll back to.
fn restore_disk_body() -> Value {
    json!({
        "type": "object",
        "required": ["snapshotId"],
        "properties": {"snapshotId": id(validate::SNAPSHOT_ID_PATTERN)}
    })
}

/// modifySnapshotAttribute: at least one of name, description, expireTime (`""` clears the expiry).
fn modify_snapshot_body() -> Value {
    json!({
        "type": "object",
        "properties": {
            "name": name(),
            "description": description(),
            "expireTime": {"type": "string", "pattern": validate::EXPIRE_TIME_PATTERN}
        },
        "anyOf": [{"required": ["name"]}, {"required": ["description"]}, {"required": ["expireTime"]}]
    })
}

/// attachDisk / detachDisk: the disk, and the optional device name and flags.
fn disk_on_instance_body() -> Value {
    json!({
        "type": "object",
        "required": ["diskId"],
        "properties": {
            "diskId": id(validate::DISK_ID_PATTERN),
            "deviceName": {"type": "string", "nullable": true},
            "autoDelete": {"type": "boolean", "nullable": true},
            "force": {"type": "boolean", "nullable": true}
        }
    })
}

/// A path parameter's schema: regions by name, IDs by pattern.
fn path_param(name: &str) -> Value {
    let schema = match name {
        "regionId" => {
            json!({"type": "string", "enum": region::REGIONS.iter().map(|r| r.id).collect::<Vec<_>>()})
        }
        "diskId" => id(validate::DISK_ID_PATTERN),
        "snapshotId" => id(validate::SNAPSHOT_ID_PATTERN),
        "instanceId" => id(validate::INSTANCE_ID_PATTERN),
        _ => any_text(),
    };
    json!({"name": name, "in": "path", "required": true, "schema": schema})
}

/// The errors each operation may answer with, all in JD's envelope with HTTP status = error.code.
const ERRORS: [(&str, &str); 6] = [
    ("400", "INVALID_ARGUMENT (a parameter breaks its rule) or FAILED_PRECONDITION (the resource's status forbids it)"),
    ("404", "NOT_FOUND: no such disk, snapshot or instance in the region"),
    ("405", "METHOD_NOT_ALLOWED"),
    ("429", "QUOTA_EXCEEDED or RATE_LIMIT"),
    ("500", "INTERNAL"),
    ("503", "UNAVAILABLE"),
];

/// The whole document; `base_path` is where the API is served (the `servers` entry).
pub fn build(base_path: &str) -> Value {
    build_for(base_path, |_| true)
}

/// The document of the operations `served` keeps (the gateway forwards fewer than the emulator serves).
pub fn build_for(base_path: &str, served: impl Fn(&Operation) -> bool) -> Value {
    let mut g = SchemaSettings::openapi3().into_generator();
    let error = schema::<Envelope<Empty>>(&mut g);
    let mut paths = Map::new();
    let expanded = OPERATIONS.iter().filter(|op| served(op)).flat_map(|op| match op.region_body {
        None => vec![(op, op.path.to_owned(), op.body.map(|b| b()))],
        Some(body) => {
            region::REGIONS.iter().map(|r| (op, op.path.replace("{regionId}", r.id), Some(body(r)))).collect()
        }
    });
    for (op, path, body) in expanded {
        let mut params: Vec<Value> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.split('}').next()))
            .map(path_param)
            .collect();
        params.extend(op.query.iter().map(|p| {
            json!({"name": p.name, "in": "query", "required": p.required, "description": p.description,
                   "schema": (p.schema)()})
        }));
        let mut responses = json!({
            "200": {"description": "Success", "content": {"application/json": {"schema": (op.result)(&mut g)}}},
            "default": {"description": "JD error envelope; the HTTP status equals error.code",
                        "content": {"application/json": {"schema": error.clone()}}}
        });
        for (code, description) in ERRORS {
            responses[code] = json!({"description": description, "content": {"application/json": {"schema": error.clone()}}});
        }
        let mut operation = json!({
            "operationId": op.id,
            "summary": op.summary,
            "parameters": params,
            "responses": responses
        });
        if let Some(body) = body {
            operation["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": body}}});
        }
        if op.region_body.is_some() {
            // One entry per region: the operation ID must stay unique.
            let region = path.split('/').nth(3).unwrap_or_default();
            operation["operationId"] = json!(format!("{}-{region}", op.id));
        }
        let entry = paths.entry(path).or_insert_with(|| json!({}));
        entry[op.method] = operation;
    }
    let schemas: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    let server = if base_path.is_empty() { "/" } else { base_path };
    json!({
        "openapi": "3.0.3",
        "info": {"title": "JD Cloud Cloud Disk Service v1 (disk-server)", "version": env!("CARGO_PKG_VERSION")},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// The document itself, as OpenAPI tools expect it (not wrapped in an envelope), for a server whose API is
/// below `base_path`.
pub fn document<S: Clone + Send + Sync + 'static>(base_path: &str) -> axum::routing::MethodRouter<S> {
    serve(build(base_path))
}

/// A document, served as it is.
pub fn serve<S: Clone + Send + Sync + 'static>(doc: Value) -> axum::routing::MethodRouter<S> {
    axum::routing::get(move || {
        let doc = doc.clone();
        async move { axum::Json(doc) }
    })
}
