//! The emulated region's state, in SQLite. Every change of state is a row update inside a transaction; the
//! lifecycle is driven from persisted timestamps, so a restart picks up exactly where a crash left off.

use disk_api::{
    AttachmentStatus, Charge, ChargeMode, ChargeStatus, Disk, DiskAttachment, DiskStatus, DiskType,
};
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: disks, their attachments, instances, and a key-value table for facts about the region.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE instances (
        instance_id TEXT PRIMARY KEY,
        region TEXT NOT NULL,
        az TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL
     );
     CREATE TABLE disks (
        disk_id TEXT PRIMARY KEY,
        region TEXT NOT NULL,
        az TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        disk_type TEXT NOT NULL,
        size_gb INTEGER NOT NULL,
        iops INTEGER NOT NULL,
        throughput INTEGER NOT NULL,
        status TEXT NOT NULL,
        snapshot_id TEXT NOT NULL,
        multi_attachable INTEGER NOT NULL,
        encrypted INTEGER NOT NULL,
        enabled INTEGER NOT NULL,
        created_ms INTEGER NOT NULL,
        charge_mode TEXT NOT NULL,
        charge_status TEXT NOT NULL,
        charge_start_ms INTEGER NOT NULL,
        charge_expire_ms INTEGER,
        resource_group_id TEXT NOT NULL
     );
     CREATE INDEX disks_by_region ON disks (region, created_ms);
     CREATE TABLE attachments (
        attachment_id TEXT PRIMARY KEY,
        disk_id TEXT NOT NULL REFERENCES disks (disk_id) ON DELETE CASCADE,
        instance_id TEXT NOT NULL,
        instance_type TEXT NOT NULL,
        status TEXT NOT NULL,
        attached_ms INTEGER NOT NULL
     );
     CREATE INDEX attachments_by_disk ON attachments (disk_id);",
    // 2: snapshots (which outlive their disks), idempotency tokens, and timed disk operations.
    "CREATE TABLE snapshots (
        snapshot_id TEXT PRIMARY KEY,
        region TEXT NOT NULL,
        disk_id TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        status TEXT NOT NULL,
        size_gb INTEGER NOT NULL,
        encrypted INTEGER NOT NULL,
        created_ms INTEGER NOT NULL,
        done_ms INTEGER NOT NULL,
        fails INTEGER NOT NULL,
        expire_time TEXT NOT NULL
     );
     CREATE INDEX snapshots_by_region ON snapshots (region, created_ms);
     CREATE TABLE client_tokens (
        region TEXT NOT NULL,
        operation TEXT NOT NULL,
        token TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        PRIMARY KEY (region, operation, token)
     );
     ALTER TABLE disks ADD COLUMN done_ms INTEGER;
     ALTER TABLE disks ADD COLUMN trash_ms INTEGER;",
    // 3: indexes for what every request does (move due timed changes on) and for list filters.
    "CREATE INDEX disks_pending ON disks (status, done_ms);
     CREATE INDEX snapshots_pending ON snapshots (status, done_ms);
     CREATE INDEX snapshots_by_disk ON snapshots (disk_id);
     CREATE INDEX attachments_by_instance ON attachments (instance_id);",
    // 4: a timed disk change (create, restore, attach, detach) that the failure knob made end in failure.
    "ALTER TABLE disks ADD COLUMN fails INTEGER NOT NULL DEFAULT 0;",
    // 5: list pages in the index's own order (no sort before LIMIT), a page's attachments in theirs.
    "CREATE INDEX disks_page ON disks (region, created_ms DESC, disk_id);
     DROP INDEX disks_by_region;
     CREATE INDEX snapshots_page ON snapshots (region, created_ms DESC, snapshot_id);
     DROP INDEX snapshots_by_region;
     CREATE INDEX attachments_by_disk_time ON attachments (disk_id, attached_ms);
     DROP INDEX attachments_by_disk;",
];

/// A snapshot as stored (for the demo seed).
pub struct SnapshotRow {
    pub snapshot_id: String,
    pub region: String,
    pub disk_id: String,
    pub name: String,
    pub description: String,
    pub status: String,
    pub size_gb: u32,
    pub encrypted: bool,
    pub created_ms: i64,
    pub done_ms: i64,
}

/// One condition of a list query, as SQL over the listed table's columns: a fragment with `?`
/// placeholders and the values for them. Conditions are ANDed.
#[derive(Clone, Debug, PartialEq)]
pub struct Where {
    pub sql: String,
    pub args: Vec<rusqlite::types::Value>,
}

impl Where {
    /// `column IN (values…)`; no values match nothing.
    pub fn any_of(column: &str, values: &[String]) -> Self {
        if values.is_empty() {
            return Self::never();
        }
        let marks = vec!["?"; values.len()].join(", ");
        Self {
            sql: format!("{column} IN ({marks})"),
            args: values.iter().map(|v| v.clone().into()).collect(),
        }
    }

    /// `column` contains `needle`, ignoring ASCII case (names hold only ASCII letters, digits, `_`, `-`
    /// and Chinese characters, so this is the rule's case folding).
    pub fn contains(column: &str, needle: &str) -> Self {
        Self { sql: format!("instr(lower({column}), ?) > 0"), args: vec![needle.to_lowercase().into()] }
    }

    pub fn equals(column: &str, value: impl Into<rusqlite::types::Value>) -> Self {
        Self { sql: format!("{column} = ?"), args: vec![value.into()] }
    }

    /// Some attachment of the disk has `column` in `values`.
    pub fn attachment_any_of(column: &str, values: &[String]) -> Self {
        let inner = Self::any_of(&format!("a.{column}"), values);
        Self {
            sql: format!(
                "EXISTS (SELECT 1 FROM attachments a WHERE a.disk_id = disks.disk_id AND {})",
                inner.sql
            ),
            args: inner.args,
        }
    }

    pub fn never() -> Self {
        Self { sql: "0".into(), args: Vec::new() }
    }

    pub fn always() -> Self {
        Self { sql: "1".into(), args: Vec::new() }
    }
}

/// Which page of a list: skip `offset` items, take at most `limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub offset: u64,
    pub limit: u32,
}

/// How many items match in all: known from the page itself when it is not full and not past the end (the
/// common case of short lists and of the watcher's polls), else counted.
pub(crate) fn total_of(
    conn: &Connection,
    table: &str,
    clause: &str,
    args: &[rusqlite::types::Value],
    window: Window,
    on_page: usize,
) -> rusqlite::Result<u32> {
    if on_page < window.limit as usize && (on_page > 0 || window.offset == 0) {
        return Ok(u32::try_from(window.offset + on_page as u64).unwrap_or(u32::MAX));
    }
    conn.prepare_cached(&format!("SELECT COUNT(*) FROM {table} {clause}"))?
        .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))
}

/// The `WHERE` clause for `region = ?` and every condition, with all the values in order.
pub(crate) fn where_clause(region: &str, conditions: &[Where]) -> (String, Vec<rusqlite::types::Value>) {
    let mut sql = String::from("WHERE region = ?");
    let mut args: Vec<rusqlite::types::Value> = vec![region.to_owned().into()];
    for c in conditions {
        sql.push_str(" AND (");
        sql.push_str(&c.sql);
        sql.push(')');
        args.extend(c.args.iter().cloned());
    }
    (sql, args)
}

/// A list query's `LIMIT` and `OFFSET`, bound last. Not a bare `?`: SQLite's planner reads a bare bound
/// LIMIT's value, so every new binding prepared the whole statement again (half of a page's cost).
pub(crate) const PAGE_LIMIT: &str = "LIMIT CAST(? AS INTEGER) OFFSET CAST(? AS INTEGER)";

/// The schema version a migrated database has.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

pub struct Store {
    conn: Mutex<Connection>,
    /// When the next timed change is due ([`NOTHING_DUE`] when none is pending, [`UNKNOWN_DUE`] after a
    /// change, until the next read has moved the timed changes on and looked again). A read before it
    /// skips [`advance`]: its thirteen statements were most of what a list request cost.
    next_due: AtomicI64,
    /// SQLite's `data_version` at that look: it changes when another connection (another process on the
    /// same file) commits, whose changes the reset by [`Store::lock`] cannot see.
    seen_version: AtomicI64,
}

/// `next_due` when it must be looked up: every change of state sets it.
const UNKNOWN_DUE: i64 = i64::MIN;
/// `next_due` when nothing is pending.
const NOTHING_DUE: i64 = i64::MAX;

/// A VM instance of the emulated region (only what the console needs of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub instance_id: String,
    pub region: String,
    pub az: String,
    pub name: String,
    pub status: String,
}

/// A disk as stored, with the region it lives in.
#[derive(Clone, Debug, PartialEq)]
pub struct DiskRow {
    pub region: String,
    pub created_ms: i64,
    pub charge_start_ms: i64,
    pub charge_expire_ms: Option<i64>,
    pub disk: Disk,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`, and migrates it.
    pub fn open(path: &str) -> rusqlite::Result<Self> {
        let conn = if path == ":memory:" {
            Connection::open_in_memory()?
        } else {
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                }
            }
            let c = Connection::open(path)?;
            c.pragma_update(None, "journal_mode", "WAL")?;
            c.pragma_update(None, "synchronous", "FULL")?;
            c
        };
        conn.pragma_update(None, "foreign_keys", true)?;
        // Every request runs the timed-change statements and its own queries: keep them all prepared.
        conn.set_prepared_statement_cache_capacity(128);
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let store = Self {
            conn: Mutex::new(conn),
            next_due: AtomicI64::new(UNKNOWN_DUE),
            seen_version: AtomicI64::new(-1),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The connection, to change the state: whatever is done with it, the next read looks again for
    /// when the next timed change is due.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        let conn = self.peek();
        self.next_due.store(UNKNOWN_DUE, Ordering::Relaxed);
        conn
    }

    /// When the next read will move the timed changes on (for tests).
    #[cfg(test)]
    pub(crate) fn next_due_ms(&self) -> i64 {
        self.next_due.load(Ordering::Relaxed)
    }

    /// The connection, only to read what no timed change moves (instances, tokens, facts).
    pub(crate) fn peek(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back), so go on.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The connection, only to read, with every timed change due by `now_ms` made: [`advance`] runs only
    /// when one is due or the state changed since the last look.
    pub(crate) fn read(&self, now_ms: i64) -> rusqlite::Result<MutexGuard<'_, Connection>> {
        let conn = self.peek();
        // Under the lock: no change of this process can come between these loads and the stores below.
        let version: i64 = conn.prepare_cached("PRAGMA data_version")?.query_row([], |r| r.get(0))?;
        if now_ms >= self.next_due.load(Ordering::Relaxed)
            || version != self.seen_version.load(Ordering::Relaxed)
        {
            advance(&conn, now_ms)?;
            self.next_due.store(next_due(&conn)?, Ordering::Relaxed);
            self.seen_version.store(version, Ordering::Relaxed);
        }
        Ok(conn)
    }

    fn migrate(&self) -> rusqlite::Result<()> {
        let mut conn = self.lock();
        let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn schema_version(&self) -> rusqlite::Result<usize> {
        self.peek().pragma_query_value(None, "user_version", |r| r.get(0))
    }

    pub fn meta(&self, key: &str) -> rusqlite::Result<Option<String>> {
        self.peek().query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()
    }

    pub fn set_meta(&self, key: &str, value: &str) -> rusqlite::Result<()> {
        self.lock()
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(drop)
    }

    pub fn insert_instance(&self, i: &Instance) -> rusqlite::Result<()> {
        self.lock()
            .execute(
                "INSERT INTO instances (instance_id, region, az, name, status) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![i.instance_id, i.region, i.az, i.name, i.status],
            )
            .map(drop)
    }

    pub fn instances(&self, region: &str) -> rusqlite::Result<Vec<Instance>> {
        let conn = self.peek();
        let mut stmt = conn.prepare_cached(&format!("{INSTANCE_SELECT} WHERE region = ?1 ORDER BY name"))?;
        let rows = stmt.query_map([region], instance_from_row)?;
        rows.collect()
    }

    /// Inserts a snapshot as it is (the demo seed).
    pub fn insert_snapshot(&self, row: &SnapshotRow) -> rusqlite::Result<()> {
        self.lock().execute(
            "INSERT INTO snapshots (snapshot_id, region, disk_id, name, description, status, size_gb, encrypted,
                created_ms, done_ms, fails, expire_time)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, '')",
            params![
                row.snapshot_id,
                row.region,
                row.disk_id,
                row.name,
                row.description,
                row.status,
                row.size_gb,
                row.encrypted,
                row.created_ms,
                row.done_ms
            ],
        )?;
        Ok(())
    }

    /// Inserts a disk with its attachments, in one transaction.
    pub fn insert_disk(&self, row: &DiskRow) -> rusqlite::Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        insert_disk_in(&tx, row)?;
        tx.commit()
    }

    /// Every disk of a region, newest first, as of `now_ms`.
    pub fn disks(&self, region: &str, now_ms: i64) -> rusqlite::Result<Vec<Disk>> {
        let conn = self.read(now_ms)?;
        let mut stmt = conn
            .prepare_cached(&format!("{DISK_SELECT} WHERE region = ?1 ORDER BY created_ms DESC, disk_id"))?;
        let mut disks = stmt.query_map([region], disk_from_row)?.collect::<Result<Vec<_>, _>>()?;
        load_attachments(&conn, &mut disks)?;
        Ok(disks)
    }

    /// One page of a region's disks matching every condition, newest first, and how many match in all, as
    /// of `now_ms`: filtered, counted and paged in SQLite (by the region's index), attachments read only for
    /// the page.
    pub fn disk_page(
        &self,
        region: &str,
        conditions: &[Where],
        window: Window,
        now_ms: i64,
    ) -> rusqlite::Result<(u32, Vec<Disk>)> {
        let conn = self.read(now_ms)?;
        let (clause, mut args) = where_clause(region, conditions);
        let filtered = args.clone();
        args.push(i64::from(window.limit).into());
        args.push(i64::try_from(window.offset).unwrap_or(i64::MAX).into());
        let mut stmt = conn.prepare_cached(&format!(
            "{DISK_SELECT} {clause} ORDER BY created_ms DESC, disk_id {PAGE_LIMIT}"
        ))?;
        let mut disks = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), disk_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        let total = total_of(&conn, "disks", &clause, &filtered, window, disks.len())?;
        load_attachments(&conn, &mut disks)?;
        Ok((total, disks))
    }

    /// How many disks a region has, as of `now_ms`.
    pub fn count_region_disks(&self, region: &str, now_ms: i64) -> rusqlite::Result<u32> {
        let conn = self.read(now_ms)?;
        let count = conn
            .prepare_cached("SELECT COUNT(*) FROM disks WHERE region = ?1")?
            .query_row([region], |r| r.get(0));
        count
    }

    /// One disk of a region, as of `now_ms`.
    pub fn disk(&self, region: &str, disk_id: &str, now_ms: i64) -> rusqlite::Result<Option<Disk>> {
        let conn = self.read(now_ms)?;
        read_disk(&conn, region, disk_id)
    }

    pub fn count_disks(&self) -> rusqlite::Result<u32> {
        self.peek().query_row("SELECT COUNT(*) FROM disks", [], |r| r.get(0))
    }
}

pub(crate) fn read_disk(conn: &Connection, region: &str, disk_id: &str) -> rusqlite::Result<Option<Disk>> {
    {
        let mut stmt = conn.prepare_cached(&format!("{DISK_SELECT} WHERE region = ?1 AND disk_id = ?2"))?;
        let Some(disk) = stmt.query_row([region, disk_id], disk_from_row).optional()? else {
            return Ok(None);
        };
        let mut disks = vec![disk];
        load_attachments(conn, &mut disks)?;
        Ok(disks.pop())
    }
}

/// Inserts a disk with its attachments, in the transaction `tx`.
pub(crate) fn insert_disk_in(tx: &Connection, row: &DiskRow) -> rusqlite::Result<()> {
    let d = &row.disk;
    tx.execute(
        "INSERT INTO disks (disk_id, region, az, name, description, disk_type, size_gb, iops, throughput,
            status, snapshot_id, multi_attachable, encrypted, enabled, created_ms, charge_mode,
            charge_status, charge_start_ms, charge_expire_ms, resource_group_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
            d.disk_id,
            row.region,
            d.az,
            d.name,
            d.description,
            d.disk_type.as_str(),
            d.disk_size_gb,
            d.iops,
            d.throughput,
            d.status.as_str(),
            d.snapshot_id,
            d.multi_attachable,
            d.encrypted,
            d.enabled,
            row.created_ms,
            d.charge.charge_mode.as_str(),
            d.charge.charge_status.as_str(),
            row.charge_start_ms,
            row.charge_expire_ms,
            d.resource_group_id,
        ],
    )?;
    for a in &d.attachments {
        tx.execute(
            "INSERT INTO attachments (attachment_id, disk_id, instance_id, instance_type, status, attached_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![a.attachment_id, d.disk_id, a.instance_id, a.instance_type, a.status.as_str(), row.created_ms],
        )?;
    }
    Ok(())
}

/// Moves every timed state change that is due by `now_ms` to its end: snapshots finish or go, disks finish
/// attaching, detaching or deleting. Reads call it first, so what they see is the state at `now_ms`, also
/// after a restart.
pub(crate) fn advance(conn: &Connection, now_ms: i64) -> rusqlite::Result<()> {
    conn.execute_batch("SAVEPOINT advance")?;
    let steps = [
        // Changes the failure knob made fail: the disk goes back to where it was.
        "DELETE FROM attachments WHERE status = 'attaching' AND disk_id IN
            (SELECT disk_id FROM disks WHERE status = 'attaching' AND fails = 1 AND done_ms <= ?1)",
        "UPDATE disks SET done_ms = NULL, fails = 0, status = CASE WHEN EXISTS
            (SELECT 1 FROM attachments a WHERE a.disk_id = disks.disk_id) THEN 'in-use' ELSE 'available' END
            WHERE status = 'attaching' AND fails = 1 AND done_ms <= ?1",
        "UPDATE attachments SET status = 'attached' WHERE status = 'detaching' AND disk_id IN
            (SELECT disk_id FROM disks WHERE status = 'detaching' AND fails = 1 AND done_ms <= ?1)",
        "UPDATE disks SET done_ms = NULL, fails = 0, status = 'in-use'
            WHERE status = 'detaching' AND fails = 1 AND done_ms <= ?1",
        "UPDATE disks SET done_ms = NULL, status = CASE fails WHEN 1 THEN 'error_create' ELSE 'available' END,
            fails = 0 WHERE status = 'creating' AND done_ms <= ?1",
        "UPDATE disks SET done_ms = NULL, status = CASE fails WHEN 1 THEN 'error_restore' ELSE 'available' END,
            fails = 0 WHERE status = 'restoring' AND done_ms <= ?1",
        "UPDATE attachments SET status = 'attached' WHERE status = 'attaching' AND disk_id IN
            (SELECT disk_id FROM disks WHERE status = 'attaching' AND done_ms <= ?1)",
        "UPDATE disks SET status = 'in-use', done_ms = NULL WHERE status = 'attaching' AND done_ms <= ?1",
        "DELETE FROM attachments WHERE status = 'detaching' AND disk_id IN
            (SELECT disk_id FROM disks WHERE status = 'detaching' AND done_ms <= ?1)",
        "UPDATE disks SET done_ms = NULL, status = CASE WHEN EXISTS
            (SELECT 1 FROM attachments a WHERE a.disk_id = disks.disk_id) THEN 'in-use' ELSE 'available' END
            WHERE status = 'detaching' AND done_ms <= ?1",
        "DELETE FROM disks WHERE status = 'deleting' AND done_ms <= ?1",
        "UPDATE snapshots SET status = CASE fails WHEN 1 THEN 'error_create' ELSE 'available' END
            WHERE status = 'creating' AND done_ms <= ?1",
        "DELETE FROM snapshots WHERE status = 'deleting' AND done_ms <= ?1",
    ];
    for sql in steps {
        if let Err(e) = conn.prepare_cached(sql).and_then(|mut st| st.execute([now_ms])) {
            conn.execute_batch("ROLLBACK TO advance; RELEASE advance")?;
            return Err(e);
        }
    }
    conn.execute_batch("RELEASE advance")
}

/// When the first pending timed change is due: [`NOTHING_DUE`] when none is pending. The statuses are
/// exactly those [`advance`] moves on.
fn next_due(conn: &Connection) -> rusqlite::Result<i64> {
    let due: Option<i64> = conn
        .prepare_cached(
            "SELECT MIN(due) FROM (
                SELECT MIN(done_ms) AS due FROM disks
                    WHERE status IN ('creating', 'restoring', 'attaching', 'detaching', 'deleting')
                UNION ALL
                SELECT MIN(done_ms) FROM snapshots WHERE status IN ('creating', 'deleting'))",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(due.unwrap_or(NOTHING_DUE))
}

pub(crate) const INSTANCE_SELECT: &str = "SELECT instance_id, region, az, name, status FROM instances";

pub(crate) fn instance_from_row(r: &Row<'_>) -> rusqlite::Result<Instance> {
    Ok(Instance {
        instance_id: r.get(0)?,
        region: r.get(1)?,
        az: r.get(2)?,
        name: r.get(3)?,
        status: r.get(4)?,
    })
}

const DISK_SELECT: &str = "SELECT disk_id, az, name, description, disk_type, size_gb, iops, throughput, status,
    snapshot_id, multi_attachable, encrypted, enabled, created_ms, charge_mode, charge_status, charge_start_ms,
    charge_expire_ms, resource_group_id, trash_ms FROM disks";

fn disk_from_row(r: &Row<'_>) -> rusqlite::Result<Disk> {
    let created_ms: i64 = r.get(13)?;
    let charge_start_ms: i64 = r.get(16)?;
    let charge_expire_ms: Option<i64> = r.get(17)?;
    let disk_type = DiskType::parse(&r.get::<_, String>(4)?);
    Ok(Disk {
        disk_id: r.get(0)?,
        az: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        disk_type,
        disk_size_gb: r.get(5)?,
        iops: r.get(6)?,
        throughput: r.get(7)?,
        status: DiskStatus::parse(&r.get::<_, String>(8)?),
        attachments: Vec::new(),
        snapshot_id: r.get(9)?,
        multi_attachable: r.get(10)?,
        encrypted: r.get(11)?,
        enabled: r.get(12)?,
        create_time: disk_api::time::resource_time(created_ms),
        charge: Charge {
            charge_mode: ChargeMode::parse(&r.get::<_, String>(14)?),
            charge_status: ChargeStatus::parse(&r.get::<_, String>(15)?),
            charge_start_time: disk_api::time::utc_time(charge_start_ms),
            charge_expired_time: charge_expire_ms.map(disk_api::time::utc_time).unwrap_or_default(),
            charge_retire_time: String::new(),
        },
        tags: Vec::new(),
        snapshot_policies: Vec::new(),
        resource_group_id: r.get(18)?,
        can_put_in_recycle_bin: true,
        trash_time: r.get::<_, Option<i64>>(19)?.map(disk_api::time::resource_time).unwrap_or_default(),
    })
}

fn load_attachments(conn: &Connection, disks: &mut [Disk]) -> rusqlite::Result<()> {
    if disks.is_empty() {
        return Ok(());
    }
    // One query for the whole page (a statement per disk cost more than the page itself).
    let ids = serde_json::to_string(&disks.iter().map(|d| d.disk_id.as_str()).collect::<Vec<_>>())
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let mut stmt = conn.prepare_cached(
        "SELECT disk_id, attachment_id, instance_id, instance_type, status, attached_ms FROM attachments
         WHERE disk_id IN (SELECT value FROM json_each(?1)) ORDER BY disk_id, attached_ms",
    )?;
    let mut rows = stmt.query([ids])?;
    while let Some(r) = rows.next()? {
        let disk_id: String = r.get(0)?;
        let Some(d) = disks.iter_mut().find(|d| d.disk_id == disk_id) else { continue };
        d.attachments.push(DiskAttachment {
            attachment_id: r.get(1)?,
            disk_id,
            instance_id: r.get(2)?,
            instance_type: r.get(3)?,
            status: AttachmentStatus::parse(&r.get::<_, String>(4)?),
            attach_time: disk_api::time::resource_time(r.get(5)?),
        });
    }
    Ok(())
}
