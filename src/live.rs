//! The status watcher: one store of every snapshot and disk any view has shown, kept true while snapshots
//! are created and deleted and disks attached or detached.
//!
//! - It polls only for items in a transitional status, with one describeSnapshots request per region a tick
//!   (a `snapshotId` filter, 100 IDs a request) and one describeDisks for pending disks, so the cost does not
//!   grow with the number of pending items; with nothing pending it sends nothing.
//! - The interval starts at 2 s and grows ×1.5 to 15 s while nothing changes; a change or a new item resets
//!   it; the first 30 s of an item follow the backoff alone, then the capacity-based estimate (learned per
//!   region and disk type from completions seen) keeps it from polling long before a big disk can be done.
//! - It pauses while the tab is hidden and refreshes at once when it is shown again.
//! - Errors are never silent: `error` is set (views show a banner) and polling retries with backoff.
//! - Views render rows from the store's signals, so a status change touches only that row.

use crate::api::{ApiError, Client};
use crate::components::toasts::Toasts;
use crate::host::Host;
use crate::i18n::{t, tf, T};
use crate::schedule;
use disk_api::query::ListQuery;
use disk_api::{Disk, DiskStatus, Snapshot, SnapshotStatus};
use leptos::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// How many IDs of gone snapshots are remembered.
const GONE_KEPT: usize = 500;

/// localStorage key of the learned snapshot rates ([`schedule::Rates`]'s stored form).
const RATES_KEY: &str = "disk-console.snapshot-rates";

#[derive(Clone, Debug, PartialEq)]
struct Pending {
    region: String,
    disk_id: String,
    /// The source disk's type, when the console knows the disk ("" otherwise).
    disk_type: String,
    size_gb: u32,
    /// When the snapshot started (its createTime), ms since the epoch.
    started_ms: f64,
    /// When this console first saw it pending.
    seen_ms: f64,
}

/// What was typed to create a snapshot, kept so a failure can be retried with the same inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateInputs {
    pub region: String,
    pub disk_id: String,
    pub name: String,
    pub description: String,
}

/// The watcher, provided once through context.
#[derive(Clone, Copy)]
pub struct Live {
    /// The app-level owner: the store's signals live as long as the app, not as the view that first
    /// showed them.
    owner: StoredValue<Owner>,
    api: StoredValue<Client>,
    toasts: Toasts,
    snapshots: StoredValue<HashMap<String, RwSignal<Snapshot>>>,
    disks: StoredValue<HashMap<String, RwSignal<Disk>>>,
    /// Snapshots created in this browser: (region, id), newest first.
    created: RwSignal<Vec<(String, String)>>,
    /// Snapshots known to be gone.
    gone: RwSignal<Vec<String>>,
    pending: RwSignal<BTreeMap<String, Pending>>,
    pending_disks: RwSignal<BTreeMap<String, String>>,
    inputs: StoredValue<HashMap<String, CreateInputs>>,
    /// Why live updates are paused, while they are.
    pub error: RwSignal<Option<ApiError>>,
    /// Changes whenever the number of snapshots changes (quota meters refetch on it).
    pub quota_version: RwSignal<u32>,
    /// The time, updated every second by the app (for elapsed times and "updated … ago"; no requests).
    pub now_ms: RwSignal<f64>,
    /// When the watcher last heard from the API.
    pub updated_ms: RwSignal<Option<f64>>,
    /// Snapshot polls sent (for tests and benchmarks).
    pub polls: RwSignal<u32>,
    rates: StoredValue<schedule::Rates>,
    delay_ms: StoredValue<f64>,
    /// Failed polls in a row.
    failures: StoredValue<u32>,
    timer: StoredValue<Option<TimeoutHandle>>,
    /// Cancels the poll round under way (when the app goes).
    round: StoredValue<Option<futures::future::AbortHandle>>,
    busy: StoredValue<bool>,
    hidden: StoredValue<bool>,
    on_retry: StoredValue<Option<Callback<CreateInputs>>>,
    /// Where snapshot events for the host page go.
    host: Host,
}

pub fn now() -> f64 {
    js_sys::Date::now()
}

/// `2021-08-11T15:20:10+08:00` → ms since the epoch (now, if unreadable).
pub fn parse_time(wire: &str) -> f64 {
    let t = js_sys::Date::parse(wire);
    if t.is_nan() {
        now()
    } else {
        t
    }
}

pub fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

impl Live {
    pub fn new(api: Client, toasts: Toasts, host: Host) -> Self {
        let rates = storage()
            .and_then(|s| s.get_item(RATES_KEY).ok().flatten())
            .map(|v| schedule::Rates::parse(&v))
            .unwrap_or_default();
        let live = Self {
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            api: StoredValue::new(api),
            toasts,
            snapshots: StoredValue::new(HashMap::new()),
            disks: StoredValue::new(HashMap::new()),
            created: RwSignal::new(Vec::new()),
            gone: RwSignal::new(Vec::new()),
            pending: RwSignal::new(BTreeMap::new()),
            pending_disks: RwSignal::new(BTreeMap::new()),
            inputs: StoredValue::new(HashMap::new()),
            error: RwSignal::new(None),
            quota_version: RwSignal::new(0),
            now_ms: RwSignal::new(now()),
            updated_ms: RwSignal::new(None),
            polls: RwSignal::new(0),
            rates: StoredValue::new(rates),
            delay_ms: StoredValue::new(schedule::MIN_DELAY_MS),
            failures: StoredValue::new(0),
            timer: StoredValue::new(None),
            round: StoredValue::new(None),
            busy: StoredValue::new(false),
            hidden: StoredValue::new(document().hidden()),
            on_retry: StoredValue::new(None),
            host,
        };
        let handle = window_event_listener(leptos::ev::visibilitychange, move |_| {
            let hidden = document().hidden();
            live.hidden.set_value(hidden);
            if hidden {
                live.stop_timer();
            } else {
                live.poll();
            }
        });
        on_cleanup(move || {
            handle.remove();
            live.stop_timer();
            if let Some(Some(round)) = live.round.try_get_value() {
                round.abort();
            }
        });
        live
    }

    /// What Retry on a failed snapshot does (the app reopens the create dialog).
    pub fn set_on_retry(&self, cb: Callback<CreateInputs>) {
        self.on_retry.set_value(Some(cb));
    }

    /// Opens the create dialog again for a snapshot that could not be created: with what was typed in this
    /// browser, else with the failed snapshot's own disk, name and description.
    pub fn retry_create(&self, region: &str, s: &Snapshot) {
        let inputs =
            self.inputs.with_value(|m| m.get(&s.snapshot_id).cloned()).unwrap_or_else(|| CreateInputs {
                region: region.to_owned(),
                disk_id: s.disk_id.clone(),
                name: s.name.clone(),
                description: s.description.clone(),
            });
        if let Some(cb) = self.on_retry.get_value() {
            cb.run(inputs);
        }
    }

    /// Expected seconds for a snapshot of `size_gib` of a disk of this region and type, once the console has
    /// seen one finish there.
    pub fn estimate_secs(&self, region: &str, disk_type: &str, size_gib: u32) -> Option<f64> {
        self.rates.with_value(|r| r.estimate_secs(region, disk_type, size_gib))
    }

    // ---- the store ----

    /// The row signal of `id` in a store: brought up to date (set only when the value differs, so rows that did
    /// not change do not re-render), or created under the app's owner so it outlives the view that fetched it.
    fn upsert<T: Clone + PartialEq + Send + Sync + 'static>(
        &self,
        store: StoredValue<HashMap<String, RwSignal<T>>>,
        id: &str,
        value: &T,
    ) -> RwSignal<T> {
        match store.with_value(|m| m.get(id).copied()) {
            Some(sig) => {
                if sig.with_untracked(|old| old != value) {
                    sig.set(value.clone());
                }
                sig
            }
            None => {
                let sig = self.owner.with_value(|o| o.with(|| RwSignal::new(value.clone())));
                store.update_value(|m| {
                    m.insert(id.to_owned(), sig);
                });
                sig
            }
        }
    }

    /// The row signal of a snapshot, created or brought up to date from what a view fetched.
    pub fn observe(&self, region: &str, s: Snapshot) -> RwSignal<Snapshot> {
        let signal = self.upsert(self.snapshots, &s.snapshot_id, &s);
        if s.status.is_transitional() && self.pending.with_untracked(|p| !p.contains_key(&s.snapshot_id)) {
            let disk_type = self.disk(&s.disk_id).map(|d| d.with_untracked(|d| d.disk_type.to_string()));
            self.pending.update(|p| {
                p.insert(
                    s.snapshot_id.clone(),
                    Pending {
                        region: region.to_owned(),
                        disk_id: s.disk_id.clone(),
                        disk_type: disk_type.unwrap_or_default(),
                        size_gb: s.snapshot_size_gb,
                        started_ms: parse_time(&s.create_time),
                        seen_ms: now(),
                    },
                );
            });
            self.wake();
        }
        signal
    }

    /// The row signal of a known snapshot.
    pub fn snapshot(&self, id: &str) -> Option<RwSignal<Snapshot>> {
        self.snapshots.with_value(|m| m.get(id).copied())
    }

    /// Records a snapshot this browser just created: it shows at once wherever its disk's snapshots show.
    pub fn created(&self, region: &str, snapshot: Snapshot, inputs: CreateInputs) {
        let id = snapshot.snapshot_id.clone();
        self.inputs.update_value(|m| {
            m.insert(id.clone(), inputs);
        });
        self.emit("snapshot-created", &snapshot, region);
        self.observe(region, snapshot);
        self.created.update(|c| {
            if !c.iter().any(|(_, known)| known == &id) {
                c.insert(0, (region.to_owned(), id));
            }
        });
        self.quota_version.update(|v| *v += 1);
        self.wake();
    }

    /// IDs of snapshots created in this browser in `region`, newest first (tracked).
    pub fn created_in(&self, region: &str) -> Vec<String> {
        self.created.with(|c| c.iter().filter(|(r, _)| r == region).map(|(_, id)| id.clone()).collect())
    }

    /// Whether a snapshot is gone (tracked).
    pub fn is_gone(&self, id: &str) -> bool {
        self.gone.with(|g| g.iter().any(|x| x == id))
    }

    /// Whether a snapshot of this disk is being created (tracked).
    pub fn snapshot_in_progress(&self, disk_id: &str) -> bool {
        self.pending.with(|p| p.values().any(|x| x.disk_id == disk_id))
            && self.pending.with_untracked(|p| {
                p.keys().any(|id| {
                    self.snapshot(id).is_some_and(|s| {
                        s.with(|s| s.disk_id == disk_id && s.status == SnapshotStatus::Creating)
                    })
                })
            })
    }

    /// For a pending snapshot, the seconds it is expected to still take: `Some(None)` while there is no
    /// estimate yet (tracked through the ticking clock).
    pub fn remaining_secs(&self, id: &str) -> Option<Option<f64>> {
        let now = self.now_ms.get();
        self.pending
            .with(|p| p.get(id).cloned())
            .map(|p| self.remaining_ms(&p, now).map(|ms| (ms / 1000.0).max(0.0)))
    }

    /// When a pending item's current operation started, ms since the epoch: a snapshot being created from
    /// its createTime, one being deleted from when this console saw the delete begin (tracked).
    pub fn pending_since(&self, id: &str, status: &SnapshotStatus) -> Option<f64> {
        self.pending.with(|p| {
            p.get(id).map(|p| if *status == SnapshotStatus::Creating { p.started_ms } else { p.seen_ms })
        })
    }

    fn remaining_ms(&self, p: &Pending, now: f64) -> Option<f64> {
        let total = self.estimate_secs(&p.region, &p.disk_type, p.size_gb)? * 1000.0;
        Some(p.started_ms + total - now)
    }

    /// The row signal of a disk, created or brought up to date from what a view fetched.
    pub fn observe_disk(&self, region: &str, d: Disk) -> RwSignal<Disk> {
        let signal = self.upsert(self.disks, &d.disk_id, &d);
        if d.status.is_transitional() {
            self.track_disk(region, &d.disk_id);
        }
        signal
    }

    /// The row signal of a known disk.
    pub fn disk(&self, id: &str) -> Option<RwSignal<Disk>> {
        self.disks.with_value(|m| m.get(id).copied())
    }

    /// Watches a disk until its status settles (after Detach, say).
    pub fn track_disk(&self, region: &str, disk_id: &str) {
        if self.pending_disks.with_untracked(|p| !p.contains_key(disk_id)) {
            self.pending_disks.update(|p| {
                p.insert(disk_id.to_owned(), region.to_owned());
            });
        }
        self.wake();
    }

    /// Marks a disk as being in `status` now (what the API just accepted) and watches it.
    pub fn disk_changing(&self, region: &str, disk_id: &str, status: DiskStatus) {
        if let Some(sig) = self.disks.with_value(|m| m.get(disk_id).copied()) {
            sig.update(|d| d.status = status);
        }
        self.track_disk(region, disk_id);
    }

    /// A snapshot the user asked to delete: `deleting` now, gone when the API says so.
    pub fn deleting(&self, region: &str, id: &str) {
        if let Some(sig) = self.snapshot(id) {
            sig.update(|s| s.status = SnapshotStatus::Deleting);
            let s = sig.get_untracked();
            self.observe(region, s);
        }
    }

    /// Whether anything is being watched (tracked).
    pub fn anything_pending(&self) -> bool {
        self.pending.with(|p| !p.is_empty()) || self.pending_disks.with(|p| !p.is_empty())
    }

    // ---- polling ----

    /// Polls soon, from the shortest interval (something new to watch, or the user asked).
    pub fn wake(&self) {
        self.delay_ms.set_value(schedule::MIN_DELAY_MS);
        self.schedule();
    }

    /// Polls now.
    pub fn retry_now(&self) {
        self.delay_ms.set_value(schedule::MIN_DELAY_MS);
        self.poll();
    }

    fn stop_timer(&self) {
        if let Some(Some(h)) = self.timer.try_get_value() {
            h.clear();
        }
        self.timer.try_set_value(None);
    }

    fn schedule(&self) {
        self.stop_timer();
        if !self.anything_pending_untracked() {
            return;
        }
        if self.hidden.get_value() || self.busy.get_value() {
            return;
        }
        // The estimate may only space out polls once every pending item is past its early phase and has one.
        let now = now();
        let soonest = self.pending.with_untracked(|p| {
            schedule::soonest_remaining(now, p.values().map(|x| (x.seen_ms, self.remaining_ms(x, now))))
        });
        let soonest = if self.pending_disks.with_untracked(|p| p.is_empty()) { soonest } else { None };
        let wait = schedule::wait_ms(self.delay_ms.get_value(), soonest);
        let this = *self;
        let handle = set_timeout_with_handle(move || this.poll(), Duration::from_millis(wait as u64)).ok();
        self.timer.set_value(handle);
    }

    fn anything_pending_untracked(&self) -> bool {
        self.pending.with_untracked(|p| !p.is_empty()) || self.pending_disks.with_untracked(|p| !p.is_empty())
    }

    fn poll(&self) {
        self.stop_timer();
        if self.busy.get_value() || self.hidden.get_value() || !self.anything_pending_untracked() {
            self.schedule();
            return;
        }
        self.busy.set_value(true);
        let this = *self;
        // When the app unmounts, the round is dropped mid-flight (and its request aborted). One cleanup,
        // registered in `new`, cancels whichever round is under way: a cleanup per round would pile up in
        // the app's owner for as long as the page lives.
        let round = async move {
            let outcome = match poll_round(this).await {
                Ok(round) => round.await,
                Err(crate::split::Unavailable) => Err(ApiError::Network(t(T::PartNotLoaded).to_owned())),
            };
            this.busy.set_value(false);
            match outcome {
                Ok(changed) => {
                    this.failures.set_value(0);
                    this.error.set(None);
                    this.updated_ms.set(Some(now()));
                    this.delay_ms.update_value(|d| *d = schedule::next_delay(*d, changed));
                }
                Err(e) => {
                    // Throttling and 5xx answers are waited out (backing off) and shown only if they last.
                    this.failures.update_value(|n| *n += 1);
                    if schedule::shows_failure(e.is_transient(), this.failures.get_value()) {
                        this.error.set(Some(e));
                    }
                    this.delay_ms.update_value(|d| *d = schedule::error_delay(*d));
                }
            }
            this.schedule();
        };
        let (round, abort) = futures::future::abortable(round);
        self.round.set_value(Some(abort));
        let round =
            self.owner.with_value(|o| o.with(|| leptos::reactive::computed::ScopedFuture::new(round)));
        leptos::task::spawn_local(async move {
            let _ = round.await;
        });
    }

    /// One round: a request per region for pending snapshots (chunks of 100) and one for pending disks.
    async fn poll_once(&self) -> Result<bool, ApiError> {
        let api = self.api.get_value();
        let mut by_region: BTreeMap<String, Vec<String>> = BTreeMap::new();
        self.pending.with_untracked(|p| {
            for (id, x) in p {
                by_region.entry(x.region.clone()).or_default().push(id.clone());
            }
        });
        let mut changed = false;
        for (region, ids) in by_region {
            for chunk in ids.chunks(100) {
                let q = ListQuery::default().filter("snapshotId", chunk.iter().cloned()).page(1, 100);
                self.polls.update(|n| *n += 1);
                let answer = api.describe_snapshots(&region, &q).await?;
                changed |= self.apply_snapshots(&region, chunk, answer.snapshots);
            }
        }
        let mut disks_by_region: BTreeMap<String, Vec<String>> = BTreeMap::new();
        self.pending_disks.with_untracked(|p| {
            for (id, region) in p {
                disks_by_region.entry(region.clone()).or_default().push(id.clone());
            }
        });
        for (region, ids) in disks_by_region {
            for chunk in ids.chunks(100) {
                let q = ListQuery::default().filter("diskId", chunk.iter().cloned()).page(1, 100);
                let answer = api.describe_disks(&region, &q).await?;
                changed |= self.apply_disks(&region, chunk, answer.disks);
            }
        }
        Ok(changed)
    }

    fn apply_snapshots(&self, region: &str, asked: &[String], got: Vec<Snapshot>) -> bool {
        let returned: Vec<String> = got.iter().map(|s| s.snapshot_id.clone()).collect();
        let mut changed = false;
        for s in got {
            let before = self.snapshot(&s.snapshot_id).map(|sig| sig.get_untracked());
            changed |= before.as_ref() != Some(&s);
            let settled = !s.status.is_transitional();
            let id = s.snapshot_id.clone();
            self.observe(region, s.clone());
            if settled {
                if let Some(p) = self.pending.try_update(|p| p.remove(&id)).flatten() {
                    self.announce(&s, before.map(|b| b.status), p);
                }
            }
        }
        for id in asked.iter().filter(|id| !returned.contains(id)) {
            // Asked for and not in the answer: the snapshot is gone.
            self.pending.update(|p| {
                p.remove(id);
            });
            self.gone.update(|g| {
                g.push(id.clone());
                // Only IDs views may still hold from an older answer matter; a long session keeps the latest.
                if g.len() > GONE_KEPT {
                    g.drain(..g.len() - GONE_KEPT);
                }
            });
            self.quota_version.update(|v| *v += 1);
            changed = true;
            if let Some(sig) = self.snapshot(id) {
                // Deleted when a delete was asked for; otherwise it is just gone (the user deleted nothing).
                let (name, deleting) =
                    sig.with_untracked(|s| (s.name.clone(), s.status == SnapshotStatus::Deleting));
                let text = if deleting { T::SnapshotDeletedToast } else { T::SnapshotGoneToast };
                self.toasts.settled(id);
                self.toasts.info(tf(text, &[("name", &name), ("region", region)]));
            }
            self.forget(id);
        }
        changed
    }

    /// Drops what the store keeps of a snapshot that is gone, so a long session does not grow with every
    /// lifecycle: its row signal (disposed once the views have let go of its row), inputs and "created" entry.
    fn forget(&self, id: &str) {
        self.inputs.update_value(|m| {
            m.remove(id);
        });
        if self.created.with_untracked(|c| c.iter().any(|(_, known)| known == id)) {
            self.created.update(|c| c.retain(|(_, known)| known != id));
        }
        let mut sig = None;
        self.snapshots.update_value(|m| sig = m.remove(id));
        if let Some(sig) = sig {
            // Rows leave on the next render; the signal goes after that.
            set_timeout(move || sig.dispose(), Duration::from_secs(1));
        }
    }

    /// Tells the host page about a snapshot (`disk-console:{name}`).
    fn emit(&self, name: &str, s: &Snapshot, region: &str) {
        self.host.emit(
            name,
            &[
                ("snapshotId", &s.snapshot_id),
                ("diskId", &s.disk_id),
                ("name", &s.name),
                ("status", s.status.as_str()),
                ("region", region),
            ],
        );
    }

    fn announce(&self, s: &Snapshot, before: Option<SnapshotStatus>, p: Pending) {
        match (&before, &s.status) {
            (Some(SnapshotStatus::Creating), SnapshotStatus::Available) => {
                self.toasts.settled(&s.snapshot_id);
                self.toasts.info(tf(T::SnapshotAvailableToast, &[("name", &s.name)]));
                self.emit("snapshot-available", s, &p.region);
                // Every completion seen teaches the estimate of its region and disk type.
                let secs = (now() - p.started_ms) / 1000.0;
                let disk_type = if p.disk_type.is_empty() {
                    self.disk(&s.disk_id)
                        .map(|d| d.with_untracked(|d| d.disk_type.to_string()))
                        .unwrap_or_default()
                } else {
                    p.disk_type.clone()
                };
                let mut learned = false;
                if !disk_type.is_empty() {
                    self.rates.update_value(|r| learned = r.learn(&p.region, &disk_type, p.size_gb, secs));
                }
                if let (true, Some(st)) = (learned, storage()) {
                    let _ = st.set_item(RATES_KEY, &self.rates.with_value(|r| r.to_stored()));
                }
            }
            (Some(SnapshotStatus::Creating), SnapshotStatus::ErrorCreate) => {
                let inputs = self.inputs.with_value(|m| m.get(&s.snapshot_id).cloned());
                let action = inputs.and_then(|inputs| {
                    let cb = self.on_retry.get_value()?;
                    Some((t(T::Retry).to_owned(), Callback::new(move |()| cb.run(inputs.clone()))))
                });
                self.toasts.settled(&s.snapshot_id);
                self.toasts.error(tf(T::SnapshotFailedToast, &[("name", &s.name)]), action);
                self.emit("snapshot-failed", s, &p.region);
            }
            _ => {}
        }
    }

    fn apply_disks(&self, region: &str, asked: &[String], got: Vec<Disk>) -> bool {
        let returned: Vec<String> = got.iter().map(|d| d.disk_id.clone()).collect();
        let mut changed = false;
        for d in got {
            let before = self.disks.with_value(|m| m.get(&d.disk_id).map(|s| s.get_untracked()));
            changed |= before.as_ref() != Some(&d);
            let (settled, id) = (!d.status.is_transitional(), d.disk_id.clone());
            self.observe_disk(region, d);
            if settled {
                self.pending_disks.update(|p| {
                    p.remove(&id);
                });
            }
        }
        for id in asked.iter().filter(|id| !returned.contains(id)) {
            // Asked for and not in the answer: the disk was deleted.
            self.pending_disks.update(|p| {
                p.remove(id);
            });
            if let Some(sig) = self.disks.with_value(|m| m.get(id).copied()) {
                sig.update(|d| d.status = DiskStatus::Deleted);
            }
            changed = true;
        }
        changed
    }
}

crate::split::split_point!(
    /// A polling round, in a module of its own in the split build: nothing polls until something is
    /// pending, so the disk list's first load does without this code.
    live_poll, preload_poll, fn poll_round(live: Live) -> crate::task::Boxed<Result<bool, ApiError>> {
        Box::pin(async move { live.poll_once().await })
    }
);

pub fn use_live() -> Live {
    expect_context::<Live>()
}
