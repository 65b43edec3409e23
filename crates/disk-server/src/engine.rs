//! The snapshot engine and the other state changes of the emulated region. Each operation is one SQLite
//! transaction: checks and writes cannot interleave, so quotas and idempotency hold under concurrency.
//! Timed changes are stored as a status plus the time it ends (`done_ms`); [`crate::store::advance`] ends
//! them, so nothing depends on a background task surviving a restart.

use crate::error::ApiError;
use crate::seed::random_id;
use crate::store::{advance, instance_from_row, Instance, Store, INSTANCE_SELECT};
use disk_api::{ChargeMode, Disk, DiskStatus, ErrorCode, Snapshot, SnapshotStatus};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

/// How long a snapshot of `size_gib` takes: `max(min_secs, size / rate)`.
pub fn snapshot_duration_ms(size_gib: u32, gib_per_sec: f64, min_secs: f64) -> i64 {
    let secs = if gib_per_sec > 0.0 { f64::from(size_gib) / gib_per_sec } else { f64::INFINITY };
    (secs.max(min_secs) * 1000.0).min(i64::MAX as f64 / 2.0) as i64
}

/// A createSnapshot request that passed validation.
pub struct NewSnapshot<'a> {
    pub region: &'a str,
    pub client_token: &'a str,
    pub disk_id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub now_ms: i64,
    pub quota: u32,
    pub gib_per_sec: f64,
    pub min_secs: f64,
    /// Whether this snapshot will end in `error_create`.
    pub fails: bool,
}

const CREATE_SNAPSHOT: &str = "createSnapshot";
const CREATE_DISKS: &str = "createDisks";

/// A createDisks request that passed validation.
pub struct NewDisks<'a> {
    pub region: &'a str,
    pub client_token: &'a str,
    pub az: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub disk_type: disk_api::DiskType,
    pub size_gb: u32,
    pub snapshot_id: Option<&'a str>,
    pub multi_attachable: bool,
    pub encrypt: bool,
    pub count: u32,
    pub now_ms: i64,
    pub quota: u32,
    pub gib_per_sec: f64,
    pub min_secs: f64,
    /// Whether the disks will end in `error_create`.
    pub fails: bool,
}

fn rng_id(prefix: &str) -> String {
    random_id(&mut fastrand::Rng::new(), prefix)
}

impl Store {
    /// Runs `f` in one immediate transaction over the state as of `now_ms`; commits if it succeeds.
    fn write<T>(
        &self,
        now_ms: i64,
        f: impl FnOnce(&Connection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        advance(&tx, now_ms)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Like [`Store::write`], for an operation on one existing snapshot.
    fn write_snapshot(
        &self,
        region: &str,
        id: &str,
        now_ms: i64,
        f: impl FnOnce(&Connection, Snapshot) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        self.write(now_ms, |tx| {
            let snapshot = read_snapshot(tx, region, id)?
                .ok_or_else(|| ApiError::not_found(format!("Snapshot '{id}' not found")))?;
            f(tx, snapshot)
        })
    }

    /// Like [`Store::write`], for an operation on one existing disk.
    fn write_disk(
        &self,
        region: &str,
        disk_id: &str,
        now_ms: i64,
        f: impl FnOnce(&Connection, Disk) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        self.write(now_ms, |tx| {
            let disk = crate::store::read_disk(tx, region, disk_id)?
                .ok_or_else(|| ApiError::not_found(format!("Disk '{disk_id}' not found")))?;
            f(tx, disk)
        })
    }

    /// The resource an earlier request with this idempotency token created, if any.
    pub fn replayed(&self, region: &str, token: &str) -> rusqlite::Result<Option<String>> {
        replayed(&self.peek(), region, CREATE_SNAPSHOT, token)
    }

    /// The disks an earlier createDisks with this idempotency token created, if any.
    pub fn replayed_disks(&self, region: &str, token: &str) -> rusqlite::Result<Option<Vec<String>>> {
        Ok(replayed(&self.peek(), region, CREATE_DISKS, token)?.map(|ids| split_ids(&ids)))
    }

    /// createDisks: `count` disks, empty or from a snapshot, `creating` for a time that grows with their
    /// size, within the region's disk quota. Returns the new (or, for a repeated token, the earlier) IDs.
    pub fn create_disks(&self, n: &NewDisks<'_>) -> Result<Vec<String>, ApiError> {
        self.write(n.now_ms, |tx| {
            if let Some(ids) = replayed(tx, n.region, CREATE_DISKS, n.client_token)? {
                return Ok(split_ids(&ids));
            }
            let mut encrypted = n.encrypt;
            if let Some(snapshot_id) = n.snapshot_id {
                let snapshot = read_snapshot(tx, n.region, snapshot_id)?
                    .ok_or_else(|| ApiError::not_found(format!("Snapshot id '{snapshot_id}' not found")))?;
                if snapshot.status != SnapshotStatus::Available {
                    return Err(ApiError::precondition(format!(
                        "Invalid snapshot status '{}'",
                        snapshot.status
                    )));
                }
                disk_api::validate::check_disk_size(&n.disk_type, n.size_gb, Some(snapshot.snapshot_size_gb))
                    .map_err(|p| ApiError::invalid(format!("Invalid disk size '{}': {p}", n.size_gb)))?;
                encrypted |= snapshot.encrypted;
            }
            let used: u32 =
                tx.query_row("SELECT COUNT(*) FROM disks WHERE region = ?1", [n.region], |r| r.get(0))?;
            if used.saturating_add(n.count) > n.quota {
                return Err(ApiError::new(ErrorCode::QuotaExceeded, "Disk quota limit exceeded"));
            }
            let (iops, throughput) = crate::seed::performance(&n.disk_type, n.size_gb);
            let done_ms = n.now_ms + snapshot_duration_ms(n.size_gb, n.gib_per_sec, n.min_secs);
            let mut ids = Vec::new();
            for i in 1..=n.count {
                let id = rng_id("vol-");
                let disk = Disk {
                    disk_id: id.clone(),
                    az: n.az.to_owned(),
                    // A batch is named <name>-1, <name>-2, …
                    name: if n.count == 1 { n.name.to_owned() } else { format!("{}-{i}", n.name) },
                    description: n.description.to_owned(),
                    disk_type: n.disk_type.clone(),
                    disk_size_gb: n.size_gb,
                    iops,
                    throughput,
                    status: DiskStatus::Creating,
                    snapshot_id: n.snapshot_id.unwrap_or_default().to_owned(),
                    multi_attachable: n.multi_attachable,
                    encrypted,
                    enabled: true,
                    charge: disk_api::Charge {
                        charge_mode: ChargeMode::PostpaidByDuration,
                        charge_status: disk_api::ChargeStatus::Normal,
                        ..Default::default()
                    },
                    resource_group_id: "rg-default".into(),
                    ..Disk::default()
                };
                crate::store::insert_disk_in(
                    tx,
                    &crate::store::DiskRow {
                        region: n.region.to_owned(),
                        created_ms: n.now_ms,
                        charge_start_ms: n.now_ms,
                        charge_expire_ms: None,
                        disk,
                    },
                )?;
                tx.execute(
                    "UPDATE disks SET done_ms = ?2, fails = ?3 WHERE disk_id = ?1",
                    params![id, done_ms, n.fails],
                )?;
                ids.push(id);
            }
            tx.execute(
                "INSERT INTO client_tokens (region, operation, token, resource_id) VALUES (?1, ?2, ?3, ?4)",
                params![n.region, CREATE_DISKS, n.client_token, ids.join(",")],
            )?;
            Ok(ids)
        })
    }

    /// restoreDisk: a detached (`available`) disk rolled back to one of its own available snapshots; it is
    /// `restoring` for a time that grows with the snapshot's size.
    #[allow(clippy::too_many_arguments)]
    pub fn restore_disk(
        &self,
        region: &str,
        disk_id: &str,
        snapshot_id: &str,
        now_ms: i64,
        gib_per_sec: f64,
        min_secs: f64,
        fails: bool,
    ) -> Result<(), ApiError> {
        self.write_disk(region, disk_id, now_ms, |tx, disk| {
            if disk.status != DiskStatus::Available {
                return Err(ApiError::precondition(format!(
                    "Cannot restore disk in status '{}'",
                    disk.status
                )));
            }
            let snapshot = read_snapshot(tx, region, snapshot_id)?
                .ok_or_else(|| ApiError::not_found(format!("Snapshot '{snapshot_id}' not found")))?;
            if snapshot.disk_id != disk_id {
                return Err(ApiError::invalid(format!(
                    "Snapshot '{snapshot_id}' is not a snapshot of disk '{disk_id}'"
                )));
            }
            if snapshot.status != SnapshotStatus::Available {
                return Err(ApiError::precondition(format!("Invalid snapshot status '{}'", snapshot.status)));
            }
            let done_ms = now_ms + snapshot_duration_ms(snapshot.snapshot_size_gb, gib_per_sec, min_secs);
            begin_disk_change(tx, disk_id, "restoring", done_ms)?;
            set_fails(tx, disk_id, fails)
        })
    }

    /// createSnapshot. Returns the new (or, for a repeated token, the earlier) snapshot ID.
    pub fn create_snapshot(&self, n: &NewSnapshot<'_>) -> Result<String, ApiError> {
        self.write(n.now_ms, |tx| {
            if let Some(id) = replayed(tx, n.region, CREATE_SNAPSHOT, n.client_token)? {
                return Ok(id);
            }
            let disk: Option<(String, u32, bool)> = tx
                .query_row(
                    "SELECT status, size_gb, encrypted FROM disks WHERE region = ?1 AND disk_id = ?2",
                    [n.region, n.disk_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((status, size_gb, encrypted)) = disk else {
                return Err(ApiError::not_found(format!("Disk '{}' not found", n.disk_id)));
            };
            if !matches!(DiskStatus::parse(&status), DiskStatus::Available | DiskStatus::InUse) {
                return Err(ApiError::precondition(format!("Invalid disk status '{status}'")));
            }
            if count_snapshots(tx, n.region)? >= n.quota {
                return Err(ApiError::new(ErrorCode::QuotaExceeded, "Snapshot quota limit exceeded"));
            }
            let id = rng_id("snapshot-");
            let done_ms = n.now_ms + snapshot_duration_ms(size_gb, n.gib_per_sec, n.min_secs);
            tx.execute(
                "INSERT INTO snapshots (snapshot_id, region, disk_id, name, description, status, size_gb,
                    encrypted, created_ms, done_ms, fails, expire_time)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'creating', ?6, ?7, ?8, ?9, ?10, '')",
                params![
                    id,
                    n.region,
                    n.disk_id,
                    n.name,
                    n.description,
                    size_gb,
                    encrypted,
                    n.now_ms,
                    done_ms,
                    n.fails
                ],
            )?;
            tx.execute(
                "INSERT INTO client_tokens (region, operation, token, resource_id) VALUES (?1, ?2, ?3, ?4)",
                params![n.region, CREATE_SNAPSHOT, n.client_token, id],
            )?;
            Ok(id)
        })
    }

    /// Every snapshot of a region not yet gone, newest first, as of `now_ms`.
    pub fn snapshots(&self, region: &str, now_ms: i64) -> rusqlite::Result<Vec<Snapshot>> {
        let conn = self.read(now_ms)?;
        let mut stmt = conn.prepare_cached(&format!(
            "{SNAPSHOT_SELECT} WHERE region = ?1 ORDER BY created_ms DESC, snapshot_id"
        ))?;
        let rows = stmt.query_map([region], snapshot_from_row)?;
        rows.collect()
    }

    /// One page of a region's snapshots matching every condition, newest first, and how many match in
    /// all, as of `now_ms` (filtered, counted and paged in SQLite).
    pub fn snapshot_page(
        &self,
        region: &str,
        conditions: &[crate::store::Where],
        window: crate::store::Window,
        now_ms: i64,
    ) -> rusqlite::Result<(u32, Vec<Snapshot>)> {
        let conn = self.read(now_ms)?;
        let (clause, mut args) = crate::store::where_clause(region, conditions);
        let filtered = args.clone();
        args.push(i64::from(window.limit).into());
        args.push(i64::try_from(window.offset).unwrap_or(i64::MAX).into());
        let mut stmt = conn.prepare_cached(&format!(
            "{SNAPSHOT_SELECT} {clause} ORDER BY created_ms DESC, snapshot_id {}",
            crate::store::PAGE_LIMIT
        ))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), snapshot_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        let total = crate::store::total_of(&conn, "snapshots", &clause, &filtered, window, rows.len())?;
        Ok((total, rows))
    }

    /// One snapshot, as of `now_ms`.
    pub fn snapshot(&self, region: &str, id: &str, now_ms: i64) -> rusqlite::Result<Option<Snapshot>> {
        let conn = self.read(now_ms)?;
        read_snapshot(&conn, region, id)
    }

    /// Snapshots that count toward the quota: every one not yet gone.
    pub fn count_snapshots(&self, region: &str, now_ms: i64) -> rusqlite::Result<u32> {
        let conn = self.read(now_ms)?;
        count_snapshots(&conn, region)
    }

    /// deleteSnapshot: an available or failed snapshot goes `deleting`, and is gone after `delete_ms`.
    pub fn delete_snapshot(
        &self,
        region: &str,
        id: &str,
        now_ms: i64,
        delete_ms: i64,
    ) -> Result<(), ApiError> {
        self.write_snapshot(region, id, now_ms, |tx, snapshot| {
            if !snapshot.status.is_deletable() {
                return Err(ApiError::precondition(format!("Invalid snapshot status '{}'", snapshot.status)));
            }
            tx.execute(
                "UPDATE snapshots SET status = 'deleting', done_ms = ?3 WHERE region = ?1 AND snapshot_id = ?2",
                params![region, id, now_ms + delete_ms],
            )?;
            Ok(())
        })
    }

    /// modifySnapshotAttribute: the fields given, on a snapshot that is not being deleted.
    pub fn modify_snapshot(
        &self,
        region: &str,
        id: &str,
        now_ms: i64,
        name: Option<&str>,
        description: Option<&str>,
        expire_time: Option<&str>,
    ) -> Result<(), ApiError> {
        self.write_snapshot(region, id, now_ms, |tx, snapshot| {
            if snapshot.status == SnapshotStatus::Deleting {
                return Err(ApiError::precondition(format!("Invalid snapshot status '{}'", snapshot.status)));
            }
            tx.execute(
                "UPDATE snapshots SET name = COALESCE(?3, name), description = COALESCE(?4, description),
                    expire_time = COALESCE(?5, expire_time) WHERE region = ?1 AND snapshot_id = ?2",
                params![region, id, name, description, expire_time],
            )?;
            Ok(())
        })
    }

    /// deleteDisk: an available (or failed) disk goes `deleting` and is gone after `delete_ms`, or goes to
    /// the recycle bin. Its snapshots stay.
    pub fn delete_disk(
        &self,
        region: &str,
        disk_id: &str,
        now_ms: i64,
        delete_ms: i64,
        to_recycle_bin: bool,
    ) -> Result<(), ApiError> {
        self.write_disk(region, disk_id, now_ms, |tx, disk| {
            if !(disk.status == DiskStatus::Available || disk.status.is_error()) {
                return Err(ApiError::precondition(format!(
                    "Cannot delete disk in status '{}'",
                    disk.status
                )));
            }
            let expire_ms: Option<i64> =
                tx.query_row("SELECT charge_expire_ms FROM disks WHERE disk_id = ?1", [disk_id], |r| {
                    r.get(0)
                })?;
            if disk.charge.charge_mode == ChargeMode::PrepaidByDuration
                && expire_ms.is_some_and(|e| e > now_ms)
            {
                return Err(ApiError::precondition(
                    "Can't delete 'prepaid_by_duration' disk which isn't overdue",
                ));
            }
            if to_recycle_bin {
                tx.execute(
                    "UPDATE disks SET status = 'in-recyclebin', trash_ms = ?2 WHERE disk_id = ?1",
                    params![disk_id, now_ms],
                )?;
            } else {
                tx.execute(
                    "UPDATE disks SET status = 'deleting', done_ms = ?2 WHERE disk_id = ?1",
                    params![disk_id, now_ms + delete_ms],
                )?;
            }
            Ok(())
        })
    }

    pub fn instance(&self, region: &str, instance_id: &str) -> rusqlite::Result<Option<Instance>> {
        self.peek()
            .query_row(
                &format!("{INSTANCE_SELECT} WHERE region = ?1 AND instance_id = ?2"),
                [region, instance_id],
                instance_from_row,
            )
            .optional()
    }

    /// attachDisk: the disk goes `attaching` and is `in-use` after `op_ms` (or, if it `fails`, back to where
    /// it was).
    pub fn attach_disk(
        &self,
        region: &str,
        instance: &Instance,
        disk_id: &str,
        now_ms: i64,
        op_ms: i64,
        fails: bool,
    ) -> Result<(), ApiError> {
        self.write_disk(region, disk_id, now_ms, |tx, disk| {
            if disk.az != instance.az {
                return Err(ApiError::precondition(format!(
                    "Disk '{disk_id}' is in '{}' and instance '{}' in '{}': they must be in the same availability zone",
                    disk.az, instance.instance_id, instance.az
                )));
            }
            if disk.attachments.iter().any(|a| a.instance_id == instance.instance_id) {
                return Err(ApiError::precondition(format!(
                    "Disk '{disk_id}' is already attached to instance '{}'",
                    instance.instance_id
                )));
            }
            let shareable = disk.multi_attachable && disk.status == DiskStatus::InUse && disk.attachments.len() < 16;
            if !(disk.status == DiskStatus::Available || shareable) {
                return Err(ApiError::precondition(format!("Disk '{disk_id}' busy in '{}'", disk.status)));
            }
            tx.execute(
                "INSERT INTO attachments (attachment_id, disk_id, instance_id, instance_type, status, attached_ms)
                 VALUES (?1, ?2, ?3, 'vm', 'attaching', ?4)",
                params![rng_id("att-"), disk_id, instance.instance_id, now_ms],
            )?;
            begin_disk_change(tx, disk_id, "attaching", now_ms + op_ms)?;
            set_fails(tx, disk_id, fails)
        })
    }

    /// detachDisk: the disk goes `detaching` and is `available` (or still `in-use` elsewhere) after `op_ms`
    /// (or, if it `fails`, stays attached).
    pub fn detach_disk(
        &self,
        region: &str,
        instance: &Instance,
        disk_id: &str,
        now_ms: i64,
        op_ms: i64,
        fails: bool,
    ) -> Result<(), ApiError> {
        self.write_disk(region, disk_id, now_ms, |tx, disk| {
            if !disk.attachments.iter().any(|a| a.instance_id == instance.instance_id) {
                return Err(ApiError::precondition(format!(
                    "Disk '{disk_id}' is not attached to instance '{}'",
                    instance.instance_id
                )));
            }
            if disk.status != DiskStatus::InUse {
                return Err(ApiError::precondition(format!("Disk '{disk_id}' busy in '{}'", disk.status)));
            }
            tx.execute(
                "UPDATE attachments SET status = 'detaching' WHERE disk_id = ?1 AND instance_id = ?2",
                params![disk_id, instance.instance_id],
            )?;
            begin_disk_change(tx, disk_id, "detaching", now_ms + op_ms)?;
            set_fails(tx, disk_id, fails)
        })
    }
}

/// Puts a disk in a timed status that [`advance`] ends at `done_ms`.
fn begin_disk_change(tx: &Connection, disk_id: &str, status: &str, done_ms: i64) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE disks SET status = ?2, done_ms = ?3 WHERE disk_id = ?1",
        params![disk_id, status, done_ms],
    )?;
    Ok(())
}

/// Marks the disk's timed change as one that ends in failure (the failure knob).
fn set_fails(tx: &Connection, disk_id: &str, fails: bool) -> Result<(), ApiError> {
    tx.execute("UPDATE disks SET fails = ?2 WHERE disk_id = ?1", params![disk_id, fails])?;
    Ok(())
}

fn split_ids(ids: &str) -> Vec<String> {
    ids.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn replayed(conn: &Connection, region: &str, op: &str, token: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT resource_id FROM client_tokens WHERE region = ?1 AND operation = ?2 AND token = ?3",
        [region, op, token],
        |r| r.get(0),
    )
    .optional()
}

fn count_snapshots(conn: &Connection, region: &str) -> rusqlite::Result<u32> {
    conn.query_row("SELECT COUNT(*) FROM snapshots WHERE region = ?1", [region], |r| r.get(0))
}

const SNAPSHOT_SELECT: &str = "SELECT snapshot_id, disk_id, name, description, status, size_gb, encrypted,
    created_ms, expire_time FROM snapshots";

fn read_snapshot(conn: &Connection, region: &str, id: &str) -> rusqlite::Result<Option<Snapshot>> {
    conn.prepare_cached(&format!("{SNAPSHOT_SELECT} WHERE region = ?1 AND snapshot_id = ?2"))?
        .query_row([region, id], snapshot_from_row)
        .optional()
}

fn snapshot_from_row(r: &Row<'_>) -> rusqlite::Result<Snapshot> {
    Ok(Snapshot {
        snapshot_id: r.get(0)?,
        snapshot_source: "self".into(),
        disk_id: r.get(1)?,
        snapshot_size_gb: r.get(5)?,
        images: Vec::new(),
        name: r.get(2)?,
        description: r.get(3)?,
        status: SnapshotStatus::parse(&r.get::<_, String>(4)?),
        create_time: disk_api::time::resource_time(r.get(7)?),
        expire_time: r.get(8)?,
        shar_info: Vec::new(),
        share_info: Vec::new(),
        encrypted: r.get(6)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_764_300_000_000;

    fn snapshot_request<'a>(disk_id: &'a str, token: &'a str, now_ms: i64) -> NewSnapshot<'a> {
        NewSnapshot {
            region: "cn-north-1",
            client_token: token,
            disk_id,
            name: "due",
            description: "",
            now_ms,
            quota: 15,
            gib_per_sec: 1.0,
            min_secs: 5.0,
            fails: false,
        }
    }

    /// Reads skip the timed-change statements until a change is due, and never miss one: a change made
    /// after a read that found nothing pending is moved on at its time, by reads alone.
    #[test]
    fn reads_move_timed_changes_on_only_when_one_is_due_and_miss_none() {
        let store = Store::open(":memory:").unwrap();
        crate::seed::demo(&store, T0).unwrap();
        let disk = store.disks("cn-north-1", T0).unwrap().into_iter().find(|d| !d.status.is_transitional());
        let disk = disk.unwrap();
        let idle_due = store.next_due_ms();
        assert!(idle_due > T0, "after a read, nothing due yet ({idle_due})");

        let id = store.create_snapshot(&snapshot_request(&disk.disk_id, "token-due-1", T0 + 1_000)).unwrap();
        assert_eq!(store.next_due_ms(), i64::MIN, "a change makes the next read look again");
        let done = T0 + 1_000 + snapshot_duration_ms(disk.disk_size_gb, 1.0, 5.0);
        let status = |now| store.snapshot("cn-north-1", &id, now).unwrap().unwrap().status;
        assert_eq!(status(T0 + 2_000), SnapshotStatus::Creating);
        assert_eq!(store.next_due_ms(), done.min(idle_due), "due when the snapshot is done");
        assert_eq!(status(done - 1), SnapshotStatus::Creating);
        assert_eq!(status(done), SnapshotStatus::Available);
        assert!(store.next_due_ms() > done, "nothing due once it is done");

        // Deleting is timed too: a list read alone ends it.
        store.delete_snapshot("cn-north-1", &id, done + 10, 2_000).unwrap();
        assert_eq!(status(done + 11), SnapshotStatus::Deleting);
        let listed = |now| store.snapshots("cn-north-1", now).unwrap().iter().any(|s| s.snapshot_id == id);
        assert!(listed(done + 2_009));
        assert!(!listed(done + 2_010));
    }

    /// Another process on the same database file: its changes are moved on at their time by this one's
    /// reads too.
    #[test]
    fn a_change_another_process_made_is_moved_on_at_its_time() {
        let path = std::env::temp_dir().join(format!(
            "disk-server-due-{}-{}.sqlite3",
            std::process::id(),
            fastrand::u64(..)
        ));
        let path = path.to_str().unwrap().to_owned();
        let (reader, writer) = (Store::open(&path).unwrap(), Store::open(&path).unwrap());
        crate::seed::demo(&writer, T0).unwrap();
        let disk = reader.disks("cn-north-1", T0).unwrap().into_iter().find(|d| !d.status.is_transitional());
        let disk = disk.unwrap();
        assert!(reader.next_due_ms() > T0 + 60_000, "nothing due soon after the idle read");
        let id = writer.create_snapshot(&snapshot_request(&disk.disk_id, "token-due-2", T0 + 1_000)).unwrap();
        let done = T0 + 1_000 + snapshot_duration_ms(disk.disk_size_gb, 1.0, 5.0);
        let status = |now| reader.snapshot("cn-north-1", &id, now).unwrap().unwrap().status;
        assert_eq!(status(done - 1), SnapshotStatus::Creating);
        assert_eq!(status(done), SnapshotStatus::Available, "moved on by the reader alone");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
}
