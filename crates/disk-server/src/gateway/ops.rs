//! The operations the gateway forwards: exactly those the console uses. Anything else is answered here and
//! never reaches the cloud.

use axum::http::Method;
use disk_api::query::decode_component;

/// Who may do what: a viewer describes, an operator also changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    Operator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Operator => "operator",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "viewer" => Some(Self::Viewer),
            "operator" => Some(Self::Operator),
            _ => None,
        }
    }
}

/// One forwarded operation.
#[derive(Debug, PartialEq, Eq)]
pub struct Operation {
    /// JD's name, e.g. `createSnapshot`.
    pub name: &'static str,
    /// The service that signs and serves it: `disk` or `vm`.
    pub service: &'static str,
    /// The role needed.
    pub role: Role,
    /// Safe to send again after a failure: reads, and createSnapshot (its `clientToken` makes a repeat
    /// return the first snapshot instead of creating a second one).
    pub retry_safe: bool,
}

impl Operation {
    pub fn mutating(&self) -> bool {
        self.role == Role::Operator
    }
}

const fn op(name: &'static str, service: &'static str, role: Role, retry_safe: bool) -> Operation {
    Operation { name, service, role, retry_safe }
}

const DESCRIBE_DISKS: Operation = op("describeDisks", "disk", Role::Viewer, true);
const DESCRIBE_DISK: Operation = op("describeDisk", "disk", Role::Viewer, true);
// Its clientToken makes a repeat return the first disks, as with createSnapshot.
const CREATE_DISKS: Operation = op("createDisks", "disk", Role::Operator, true);
const RESTORE_DISK: Operation = op("restoreDisk", "disk", Role::Operator, false);
const DESCRIBE_SNAPSHOTS: Operation = op("describeSnapshots", "disk", Role::Viewer, true);
const CREATE_SNAPSHOT: Operation = op("createSnapshot", "disk", Role::Operator, true);
const DELETE_SNAPSHOTS: Operation = op("deleteSnapshots", "disk", Role::Operator, false);
const DESCRIBE_SNAPSHOT: Operation = op("describeSnapshot", "disk", Role::Viewer, true);
const MODIFY_SNAPSHOT: Operation = op("modifySnapshotAttribute", "disk", Role::Operator, false);
const DELETE_SNAPSHOT: Operation = op("deleteSnapshot", "disk", Role::Operator, false);
const DESCRIBE_QUOTA: Operation = op("describeQuota", "disk", Role::Viewer, true);
const DESCRIBE_INSTANCES: Operation = op("describeInstances", "vm", Role::Viewer, true);
const ATTACH_DISK: Operation = op("attachDisk", "vm", Role::Operator, false);
const DETACH_DISK: Operation = op("detachDisk", "vm", Role::Operator, false);

/// A request matched to an operation, with the path it is forwarded to (every segment checked and
/// re-encoded, so nothing in it can reach another path upstream).
#[derive(Debug, PartialEq, Eq)]
pub struct Matched {
    pub operation: &'static Operation,
    pub region: String,
    /// The disk, snapshot or instance the path names.
    pub resource: Option<String>,
    pub path: String,
}

/// Why a request is not forwarded.
#[derive(Debug, PartialEq, Eq)]
pub enum Unmatched {
    /// No such operation.
    NotFound,
    /// The path is an operation's, the method is not: the methods that are.
    MethodNotAllowed(Vec<Method>),
}

/// A path segment the gateway forwards: IDs, region names and actions are letters, digits, `-`, `_`, `.`.
fn plain(segment: &str) -> Option<String> {
    let s = decode_component(segment, false);
    let ok = !s.is_empty()
        && s.len() <= 128
        && s != "."
        && s != ".."
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then_some(s)
}

/// Matches `method path` (the path below the base path, as received) to an operation.
pub fn match_request(method: &Method, path: &str) -> Result<Matched, Unmatched> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let [v1, regions, region, rest @ ..] = segments.as_slice() else { return Err(Unmatched::NotFound) };
    if *v1 != "v1" || *regions != "regions" {
        return Err(Unmatched::NotFound);
    }
    let region = plain(region).ok_or(Unmatched::NotFound)?;
    let (table, resource, tail): (&[(Method, &'static Operation)], Option<String>, String) = match rest {
        ["disks"] => (&[(Method::GET, &DESCRIBE_DISKS), (Method::POST, &CREATE_DISKS)], None, "disks".into()),
        ["disks", action] if decode_component(action, false).contains(':') => {
            let decoded = decode_component(action, false);
            let (id, verb) = decoded.split_once(':').ok_or(Unmatched::NotFound)?;
            let id = plain(id).ok_or(Unmatched::NotFound)?;
            if verb != "restore" {
                return Err(Unmatched::NotFound);
            }
            (&[(Method::POST, &RESTORE_DISK)], Some(id.clone()), format!("disks/{id}:restore"))
        }
        ["disks", id] => {
            let id = plain(id).ok_or(Unmatched::NotFound)?;
            (&[(Method::GET, &DESCRIBE_DISK)], Some(id.clone()), format!("disks/{id}"))
        }
        ["snapshots"] => (
            &[
                (Method::GET, &DESCRIBE_SNAPSHOTS),
                (Method::POST, &CREATE_SNAPSHOT),
                (Method::DELETE, &DELETE_SNAPSHOTS),
            ],
            None,
            "snapshots".into(),
        ),
        ["snapshots", id] => {
            let id = plain(id).ok_or(Unmatched::NotFound)?;
            (
                &[
                    (Method::GET, &DESCRIBE_SNAPSHOT),
                    (Method::PATCH, &MODIFY_SNAPSHOT),
                    (Method::DELETE, &DELETE_SNAPSHOT),
                ],
                Some(id.clone()),
                format!("snapshots/{id}"),
            )
        }
        ["quotas"] => (&[(Method::GET, &DESCRIBE_QUOTA)], None, "quotas".into()),
        ["instances"] => (&[(Method::GET, &DESCRIBE_INSTANCES)], None, "instances".into()),
        ["instances", action] => {
            let decoded = decode_component(action, false);
            let (id, verb) = decoded.split_once(':').ok_or(Unmatched::NotFound)?;
            let id = plain(id).ok_or(Unmatched::NotFound)?;
            let table: &[(Method, &'static Operation)] = match verb {
                "attachDisk" => &[(Method::POST, &ATTACH_DISK)],
                "detachDisk" => &[(Method::POST, &DETACH_DISK)],
                _ => return Err(Unmatched::NotFound),
            };
            (table, Some(id.clone()), format!("instances/{id}:{verb}"))
        }
        _ => return Err(Unmatched::NotFound),
    };
    match table.iter().find(|(m, _)| m == method) {
        Some((_, operation)) => {
            Ok(Matched { operation, path: format!("/v1/regions/{region}/{tail}"), region, resource })
        }
        None => Err(Unmatched::MethodNotAllowed(table.iter().map(|(m, _)| m.clone()).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_console_operation_and_nothing_else() {
        let m = |method: Method, path: &str| match_request(&method, path).map(|m| (m.operation.name, m.path));
        assert_eq!(m(Method::GET, "/v1/regions/cn-north-1/disks").unwrap().0, "describeDisks");
        assert_eq!(
            m(Method::POST, "/v1/regions/cn-north-1/instances/i-abc%3AattachDisk").unwrap(),
            ("attachDisk", "/v1/regions/cn-north-1/instances/i-abc:attachDisk".to_owned())
        );
        assert_eq!(
            m(Method::POST, "/v1/regions/cn-north-1/instances/i-abc:detachDisk").unwrap().0,
            "detachDisk"
        );
        assert_eq!(m(Method::DELETE, "/v1/regions/cn-north-1/snapshots").unwrap().0, "deleteSnapshots");
        assert_eq!(
            m(Method::PATCH, "/v1/regions/cn-north-1/snapshots/snapshot-1").unwrap().0,
            "modifySnapshotAttribute"
        );
        assert_eq!(m(Method::GET, "/v1/regions/cn-north-1/quotas").unwrap().0, "describeQuota");
        assert_eq!(m(Method::POST, "/v1/regions/cn-north-1/disks").unwrap().0, "createDisks");
        assert_eq!(
            m(Method::POST, "/v1/regions/cn-north-1/disks/vol-1%3Arestore").unwrap(),
            ("restoreDisk", "/v1/regions/cn-north-1/disks/vol-1:restore".to_owned())
        );
        // Not the console's: never forwarded.
        for (method, path) in [
            (Method::DELETE, "/v1/regions/cn-north-1/disks/vol-1"),
            (Method::POST, "/v1/regions/cn-north-1/disks/vol-1:extend"),
            (Method::GET, "/v1/regions/cn-north-1/disks/vol-1:restore"),
            (Method::POST, "/v1/regions/cn-north-1/instances/i-1:stopInstance"),
            (Method::GET, "/v1/regions/cn-north-1/images"),
            (Method::GET, "/v1/regions/cn-north-1/disks/..%2F..%2Fvpcs"),
            (Method::GET, "/v1/regions/cn-north-1/disks/a%2Fb"),
            (Method::GET, "/v2/regions/cn-north-1/disks"),
            (Method::PUT, "/v1/regions/cn-north-1/snapshots/snapshot-1"),
        ] {
            assert!(match_request(&method, path).is_err(), "{method} {path}");
        }
        assert_eq!(
            match_request(&Method::PUT, "/v1/regions/cn-north-1/snapshots/snapshot-1").unwrap_err(),
            Unmatched::MethodNotAllowed(vec![Method::GET, Method::PATCH, Method::DELETE])
        );
        assert_eq!(
            match_request(&Method::GET, "/v1/regions/cn-north-1/images").unwrap_err(),
            Unmatched::NotFound
        );
    }
}
