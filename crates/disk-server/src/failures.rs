//! The emulator's failure knob, for tests and demos: the next N calls of an operation are refused (an error
//! answer) or accepted and then fail (`error_create`, `error_restore`, an attachment that does not happen,
//! a detach that does not happen). Set with `POST /_emulator/failures`, read with `GET`, cleared with
//! `DELETE`; nothing is armed by default. It lives in memory: a restart disarms it, and the region's data
//! (including a failure already under way) stays in SQLite.

use crate::error::{ApiError, ApiJson, ApiResult};
use crate::extract::ApiBody;
use crate::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

/// The operations the knob can fail.
pub const OPERATIONS: [&str; 5] =
    ["createSnapshot", "createDisks", "restoreDisk", "attachDisk", "detachDisk"];

/// How an armed failure shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    /// The call is answered with an error and changes nothing.
    Reject,
    /// The call is accepted; the operation then ends in failure.
    Fail,
}

#[derive(Default)]
pub struct Failures(Mutex<BTreeMap<String, VecDeque<Mode>>>);

impl Failures {
    /// How the next call of `operation` fails, if one is armed (and disarms it).
    pub fn take(&self, operation: &str) -> Option<Mode> {
        let mut armed = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let queue = armed.get_mut(operation)?;
        let mode = queue.pop_front();
        if queue.is_empty() {
            armed.remove(operation);
        }
        mode
    }

    /// Arms `count` failures of `operation`.
    pub fn arm(&self, operation: &str, mode: Mode, count: u32) {
        let mut armed = self.0.lock().unwrap_or_else(|e| e.into_inner());
        armed.entry(operation.to_owned()).or_default().extend(std::iter::repeat_n(mode, count as usize));
    }

    fn armed(&self) -> BTreeMap<String, Vec<Mode>> {
        let armed = self.0.lock().unwrap_or_else(|e| e.into_inner());
        armed.iter().map(|(k, v)| (k.clone(), v.iter().copied().collect())).collect()
    }

    fn clear(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// What a call of `operation` does under the knob: `Err` when it is refused, `Ok(true)` when it is accepted
/// and will fail, `Ok(false)` normally.
pub fn check(st: &AppState, operation: &str) -> Result<bool, ApiError> {
    match st.failures.take(operation) {
        Some(Mode::Reject) => Err(ApiError::precondition(format!(
            "{operation} refused: the emulator was told to refuse it (POST /_emulator/failures)"
        ))),
        Some(Mode::Fail) => Ok(true),
        None => Ok(false),
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Arm {
    operation: String,
    mode: Option<Mode>,
    count: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct Armed {
    armed: BTreeMap<String, Vec<Mode>>,
}

/// `POST /_emulator/failures` `{"operation": "attachDisk", "mode": "fail"|"reject", "count": 1}`.
pub async fn arm(State(st): State<AppState>, ApiBody(body): ApiBody<Arm>) -> ApiResult<Armed> {
    if !OPERATIONS.contains(&body.operation.as_str()) {
        return Err(ApiError::invalid(format!(
            "Invalid operation '{}': one of {}",
            body.operation,
            OPERATIONS.join(", ")
        )));
    }
    let count = body.count.unwrap_or(1);
    if !(1..=100).contains(&count) {
        return Err(ApiError::invalid(format!("Invalid count '{count}': 1 to 100")));
    }
    st.failures.arm(&body.operation, body.mode.unwrap_or(Mode::Fail), count);
    Ok(ApiJson(Armed { armed: st.failures.armed() }))
}

pub async fn list(State(st): State<AppState>) -> ApiJson<Armed> {
    ApiJson(Armed { armed: st.failures.armed() })
}

pub async fn clear(State(st): State<AppState>) -> ApiJson<Armed> {
    st.failures.clear();
    ApiJson(Armed { armed: st.failures.armed() })
}
