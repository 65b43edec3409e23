//! The audit trail: one JSON line per mutating request, to stderr or a file. No credentials, ever: only who,
//! what, where and how it ended.

use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Record<'a> {
    /// UTC, `2026-12-01T21:35:18Z`.
    pub time: String,
    pub user: &'a str,
    pub role: &'a str,
    pub operation: &'a str,
    pub region: &'a str,
    /// The disks, snapshots and instances the request names (path, body, query) and the one it created.
    pub resource_ids: Vec<String>,
    pub http_status: u16,
    /// JD's `error.status`, when the answer is an error.
    pub error_status: Option<String>,
    /// The cloud's request ID, when it answered.
    pub jd_request_id: Option<String>,
    /// The gateway's own request ID.
    pub request_id: &'a str,
}

pub struct Audit {
    out: Mutex<Box<dyn Write + Send>>,
}

impl Audit {
    pub fn stderr() -> Self {
        Self { out: Mutex::new(Box::new(std::io::stderr())) }
    }

    /// Appends to `path` (created with mode 600 where the system has modes).
    pub fn file(path: &Path) -> Result<Self, String> {
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let f = opts.open(path).map_err(|e| format!("cannot open the audit log {}: {e}", path.display()))?;
        Ok(Self { out: Mutex::new(Box::new(f)) })
    }

    pub fn write(&self, record: &Record) {
        let Ok(mut line) = serde_json::to_string(record) else { return };
        line.push('\n');
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
            tracing::error!("cannot write the audit log: {e}");
        }
    }
}

/// The resource IDs a request names: the path's, the body's (`diskId`, `snapshotSpec.diskId`,
/// `snapshotId`), the query's `snapshotIds.N`, and the answer's new `snapshotId`.
pub fn resource_ids(
    path_id: Option<&str>,
    body: &[u8],
    query_pairs: &[(String, String)],
    answer: &[u8],
) -> Vec<String> {
    let mut ids: Vec<String> = path_id.map(str::to_owned).into_iter().collect();
    let mut push = |v: Option<&serde_json::Value>| {
        if let Some(s) = v.and_then(|v| v.as_str()) {
            if !ids.iter().any(|i| i == s) {
                ids.push(s.to_owned());
            }
        }
    };
    if let Ok(b) = serde_json::from_slice::<serde_json::Value>(body) {
        push(b.get("diskId"));
        push(b.pointer("/snapshotSpec/diskId"));
        push(b.get("snapshotId"));
    }
    if let Ok(a) = serde_json::from_slice::<serde_json::Value>(answer) {
        push(a.pointer("/result/snapshotId"));
    }
    for (k, v) in query_pairs {
        if k.starts_with("snapshotIds.") {
            push(Some(&serde_json::Value::String(v.clone())));
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_from_everywhere() {
        let ids = super::resource_ids(
            None,
            br#"{"clientToken":"t","snapshotSpec":{"name":"n","diskId":"vol-1"}}"#,
            &[],
            br#"{"requestId":"r","result":{"snapshotId":"snapshot-1"}}"#,
        );
        assert_eq!(ids, ["vol-1", "snapshot-1"]);
        let ids = super::resource_ids(
            Some("i-1"),
            br#"{"diskId":"vol-2"}"#,
            &[("snapshotIds.1".into(), "snapshot-a".into())],
            b"",
        );
        assert_eq!(ids, ["i-1", "vol-2", "snapshot-a"]);
    }
}
