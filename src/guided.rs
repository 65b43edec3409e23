//! The guide's advice as one flow: detach the disk from every instance it is attached to, wait until it is
//! `available`, snapshot it, wait until the snapshot is `available`, attach it again to the same instances.
//!
//! The plan (disk, instances, the snapshot's clientToken, the current step) is kept in localStorage, so a
//! reload, another tab or a crash of the page finds it and carries on. One tab drives a plan at a time (a
//! lease renewed while it acts); the others show it. A failure stops the flow and says which step failed
//! and why; "Attach again now" is the one action that returns the disk to where it was.
//!
//! [`decide`] is the flow's whole logic, a plain function of the plan and what the API last said (tested
//! natively); [`Guided`] runs it against the live store.

use crate::api::{ApiError, Client};
use crate::components::toasts::Toasts;
use crate::i18n::{t, tf, T};
use crate::live::{now, storage, CreateInputs, Live};
use disk_api::{AttachmentStatus, Disk, DiskStatus, Snapshot, SnapshotSpec, SnapshotStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const PLANS_KEY: &str = "disk-console.guided-plans";
/// How long a tab's claim to drive a plan lasts without being renewed.
const LEASE_MS: f64 = 15_000.0;

/// Where a plan is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Detaching from each instance, until the disk is `available`.
    Detach,
    /// Creating the snapshot, until it is `available`.
    Snapshot,
    /// Attaching to each instance again, until the disk is `in-use` on all of them.
    Attach,
    Done,
}

/// One guided snapshot of one disk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub region: String,
    pub disk_id: String,
    pub disk_name: String,
    /// The instances to detach from and attach to again: (ID, name).
    pub instances: Vec<(String, String)>,
    pub name: String,
    pub description: String,
    pub client_token: String,
    pub snapshot_id: Option<String>,
    pub step: Step,
    /// Instances asked to detach (or attach) in this step: one that is still attached (or not attached)
    /// once the disk has settled did not make it.
    pub requested: Vec<String>,
    /// Which step failed and why; the flow waits for the user.
    pub failure: Option<String>,
    /// The tab driving it, and until when.
    pub lease: Option<(String, f64)>,
}

/// What to do next with a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Something is under way: wait for the API to say it is done.
    Wait,
    DetachFrom(String),
    CreateSnapshot,
    AttachTo(String),
    /// This step is done: on to the next.
    Advance(Step),
    Fail(String),
}

fn attached_to(disk: &Disk, instance: &str) -> bool {
    disk.attachments.iter().any(|a| a.instance_id == instance && a.status == AttachmentStatus::Attached)
}

fn name_of(plan: &Plan, instance: &str) -> String {
    match plan.instances.iter().find(|(id, _)| id == instance) {
        Some((id, name)) if !name.is_empty() => format!("{name} ({id})"),
        _ => instance.to_owned(),
    }
}

/// The next action for `plan`, given its disk and (once created) its snapshot as the API last said.
pub fn decide(plan: &Plan, disk: &Disk, snapshot: Option<&Snapshot>) -> Action {
    if plan.failure.is_some() || plan.step == Step::Done {
        return Action::Wait;
    }
    if disk.status.is_transitional() {
        return Action::Wait;
    }
    match plan.step {
        Step::Detach => {
            let still: Vec<&String> =
                plan.instances.iter().map(|(id, _)| id).filter(|id| attached_to(disk, id)).collect();
            if let Some(id) = still.iter().find(|id| plan.requested.contains(id)) {
                return Action::Fail(tf(T::GuidedDetachFailed, &[("instance", &name_of(plan, id))]));
            }
            match (still.first(), &disk.status) {
                (Some(id), DiskStatus::InUse) => Action::DetachFrom((*id).clone()),
                (None, DiskStatus::Available) => Action::Advance(Step::Snapshot),
                // Attached elsewhere too (not part of the plan): it never becomes available.
                (None, DiskStatus::InUse) => Action::Fail(t(T::GuidedAttachedElsewhere).to_owned()),
                (_, other) => Action::Fail(tf(T::GuidedDiskStatus, &[("status", other.as_str())])),
            }
        }
        Step::Snapshot => match (plan.snapshot_id.as_ref(), snapshot.map(|s| &s.status)) {
            (None, _) if disk.status == DiskStatus::Available => Action::CreateSnapshot,
            (None, _) => Action::Fail(tf(T::GuidedDiskStatus, &[("status", disk.status.as_str())])),
            (Some(_), Some(SnapshotStatus::Available)) => Action::Advance(Step::Attach),
            (Some(_), Some(SnapshotStatus::ErrorCreate)) => {
                Action::Fail(t(T::GuidedSnapshotFailed).to_owned())
            }
            (Some(_), Some(_)) => Action::Wait,
            (Some(_), None) => Action::Wait,
        },
        Step::Attach => {
            let missing: Vec<&String> =
                plan.instances.iter().map(|(id, _)| id).filter(|id| !attached_to(disk, id)).collect();
            if let Some(id) = missing.iter().find(|id| plan.requested.contains(id)) {
                return Action::Fail(tf(T::GuidedAttachFailed, &[("instance", &name_of(plan, id))]));
            }
            match missing.first() {
                Some(id) if matches!(disk.status, DiskStatus::Available | DiskStatus::InUse) => {
                    Action::AttachTo((*id).clone())
                }
                Some(_) => Action::Fail(tf(T::GuidedDiskStatus, &[("status", disk.status.as_str())])),
                None => Action::Advance(Step::Done),
            }
        }
        Step::Done => Action::Wait,
    }
}

/// The steps as the user reads them, with whether each is done, current, or to come.
pub fn step_texts(plan: &Plan) -> Vec<(String, Ordering)> {
    let names: Vec<String> = plan.instances.iter().map(|(id, _)| name_of(plan, id)).collect();
    let names = names.join(", ");
    let at = |s: Step| match (plan.step as u8).cmp(&(s as u8)) {
        std::cmp::Ordering::Greater => Ordering::Done,
        std::cmp::Ordering::Equal if plan.failure.is_some() => Ordering::Failed,
        std::cmp::Ordering::Equal => Ordering::Current,
        std::cmp::Ordering::Less => Ordering::ToCome,
    };
    vec![
        (tf(T::GuidedStepDetach, &[("instances", &names)]), at(Step::Detach)),
        (t(T::GuidedStepSnapshot).to_owned(), at(Step::Snapshot)),
        (tf(T::GuidedStepAttach, &[("instances", &names)]), at(Step::Attach)),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ordering {
    Done,
    Current,
    Failed,
    ToCome,
}

/// The running flows, provided once through context.
#[derive(Clone, Copy)]
pub struct Guided {
    pub plans: RwSignal<Vec<Plan>>,
    tab: StoredValue<String>,
    busy: StoredValue<Vec<String>>,
    api: StoredValue<Client>,
    live: Live,
    toasts: Toasts,
}

/// This tab's ID: kept in sessionStorage, so a reload is the same tab and another tab is not.
fn tab_id() -> String {
    const KEY: &str = "disk-console.tab";
    let session = window().session_storage().ok().flatten();
    if let Some(id) = session.as_ref().and_then(|s| s.get_item(KEY).ok().flatten()) {
        return id;
    }
    let id = crate::components::create_snapshot::new_client_token();
    if let Some(s) = session {
        let _ = s.set_item(KEY, &id);
    }
    id
}

fn load_plans() -> Vec<Plan> {
    let text = storage().and_then(|s| s.get_item(PLANS_KEY).ok().flatten()).unwrap_or_default();
    let value = js_sys::JSON::parse(&text).unwrap_or(wasm_bindgen::JsValue::NULL);
    serde_wasm_bindgen::from_value(value).unwrap_or_default()
}

fn save_plans(plans: &[Plan]) {
    let Some(st) = storage() else { return };
    if plans.is_empty() {
        let _ = st.remove_item(PLANS_KEY);
        return;
    }
    if let Ok(v) = serde_wasm_bindgen::to_value(plans) {
        if let Ok(text) = js_sys::JSON::stringify(&v) {
            let _ = st.set_item(PLANS_KEY, &String::from(text));
        }
    }
}

impl Guided {
    pub fn new(api: Client, live: Live, toasts: Toasts) -> Self {
        let g = Self {
            plans: RwSignal::new(load_plans()),
            tab: StoredValue::new(tab_id()),
            busy: StoredValue::new(Vec::new()),
            api: StoredValue::new(api),
            live,
            toasts,
        };
        // Another tab changed the plans: show (and, if its lease runs out, carry on) what it wrote.
        let handle = window_event_listener(leptos::ev::storage, move |ev| {
            if ev.key().as_deref() == Some(PLANS_KEY) {
                g.plans.set(load_plans());
            }
        });
        // Leaving the page (a reload, a closed tab) hands the plans it drives over at once.
        let leaving = window_event_listener(leptos::ev::pagehide, move |_| g.release());
        on_cleanup(move || {
            handle.remove();
            leaving.remove();
        });
        // Unfinished plans found at start: fetch their disks (and snapshots), so the runner has them.
        for plan in g.plans.get_untracked() {
            g.fetch(&plan);
        }
        // The runner: whenever a plan, its disk or its snapshot changes, take the next action.
        Effect::new(move || {
            for plan in g.plans.get() {
                let disk = live.disk(&plan.disk_id).map(|d| d.get());
                let snapshot = plan.snapshot_id.as_ref().and_then(|id| live.snapshot(id)).map(|s| s.get());
                if let Some(disk) = disk {
                    g.step(plan, disk, snapshot);
                }
            }
        });
        g
    }

    fn fetch(&self, plan: &Plan) {
        let (api, live, plans) = (self.api.get_value(), self.live, self.plans);
        let (region, disk_id, snapshot_id) =
            (plan.region.clone(), plan.disk_id.clone(), plan.snapshot_id.clone());
        leptos::task::spawn_local(async move {
            if let Ok(r) = api.describe_disk(&region, &disk_id).await {
                live.observe_disk(&region, r.disk);
            }
            if let Some(id) = snapshot_id {
                if let Ok(r) = api.describe_snapshot(&region, &id).await {
                    live.observe(&region, r.snapshot);
                }
            }
            // The runner looks again, now that the store has them.
            plans.update(|_| ());
        });
    }

    /// The unfinished (or failed) plan of a disk, if any (tracked).
    pub fn plan_of(&self, disk_id: &str) -> Option<Plan> {
        self.plans.with(|p| p.iter().find(|p| p.disk_id == disk_id).cloned())
    }

    /// Starts a guided snapshot of an attached disk.
    pub fn start(&self, plan: Plan) {
        self.live.track_disk(&plan.region, &plan.disk_id);
        self.plans.update(|p| {
            p.retain(|x| x.disk_id != plan.disk_id);
            p.push(plan);
        });
        self.save();
    }

    fn save(&self) {
        self.plans.with_untracked(|p| save_plans(p));
    }

    fn update(&self, disk_id: &str, f: impl FnOnce(&mut Plan)) {
        self.plans.update(|p| {
            if let Some(plan) = p.iter_mut().find(|x| x.disk_id == disk_id) {
                f(plan);
            }
        });
        self.save();
    }

    /// "Attach again now": back to the instances the plan took the disk from (also after a failure).
    pub fn attach_again(&self, disk_id: &str) {
        self.update(disk_id, |p| {
            p.step = Step::Attach;
            p.failure = None;
            p.requested.clear();
        });
    }

    /// Forgets a finished or failed plan.
    pub fn dismiss(&self, disk_id: &str) {
        self.plans.update(|p| p.retain(|x| x.disk_id != disk_id));
        self.save();
    }

    /// Gives up this tab's leases (written at once, for whichever tab carries on).
    fn release(&self) {
        let me = self.tab.get_value();
        self.plans.update_untracked(|p| {
            for plan in p.iter_mut() {
                if plan.lease.as_ref().is_some_and(|(tab, _)| tab == &me) {
                    plan.lease = None;
                }
            }
        });
        self.save();
    }

    /// Whether this tab may act on the plan now (no other tab holds a live lease), claiming it if so.
    fn claim(&self, plan: &Plan) -> bool {
        let me = self.tab.get_value();
        let free = match &plan.lease {
            Some((tab, until)) => tab == &me || *until < now(),
            None => true,
        };
        if free
            && plan.lease.as_ref().is_none_or(|(tab, until)| tab != &me || *until - now() < LEASE_MS / 2.0)
        {
            let until = now() + LEASE_MS;
            self.plans.update_untracked(|p| {
                if let Some(x) = p.iter_mut().find(|x| x.disk_id == plan.disk_id) {
                    x.lease = Some((me.clone(), until));
                }
            });
            self.save();
        }
        free
    }

    fn step(&self, plan: Plan, disk: Disk, snapshot: Option<Snapshot>) {
        let id = plan.disk_id.clone();
        if self.busy.with_value(|b| b.contains(&id)) {
            return;
        }
        let action = decide(&plan, &disk, snapshot.as_ref());
        if action == Action::Wait || !self.claim(&plan) {
            return;
        }
        let this = *self;
        match action.clone() {
            Action::Wait => {}
            Action::Advance(step) => {
                self.update(&id, |p| {
                    p.step = step;
                    p.requested.clear();
                });
                let text = match step {
                    Step::Snapshot => tf(T::GuidedDetachedToast, &[("disk", &plan.disk_name)]),
                    Step::Attach => tf(T::GuidedSnapshotReadyToast, &[("name", &plan.name)]),
                    _ => tf(T::GuidedDoneToast, &[("disk", &plan.disk_name)]),
                };
                self.toasts.info(text);
            }
            Action::Fail(why) => self.failed_at(&id, plan.step, &why),
            Action::DetachFrom(_) | Action::AttachTo(_) | Action::CreateSnapshot => {
                // Marked busy at once, so the runner starts nothing else for this disk meanwhile.
                self.busy.update_value(|b| b.push(id.clone()));
                if let Action::DetachFrom(instance) | Action::AttachTo(instance) = &action {
                    self.update(&id, |p| p.requested.push(instance.clone()));
                }
                let step = plan.step;
                leptos::task::spawn_local(async move {
                    match request(this, plan, disk, action).await {
                        Ok(run) => run.await,
                        Err(crate::split::Unavailable) => {
                            this.busy.update_value(|b| b.retain(|x| x != &id));
                            this.failed_at(&id, step, t(T::PartNotLoaded));
                        }
                    }
                });
            }
        }
    }

    /// The API request an action needs (detach, attach or create the snapshot), and what its answer does.
    async fn send(self, plan: Plan, disk: Disk, action: Action) {
        let (api, region, id) = (self.api.get_value(), plan.region.clone(), plan.disk_id.clone());
        match action {
            Action::DetachFrom(instance) | Action::AttachTo(instance) => {
                let detach = plan.step == Step::Detach;
                let answer = if detach {
                    api.detach_disk(&region, &instance, &id).await
                } else {
                    api.attach_disk(&region, &instance, &id).await
                };
                self.busy.update_value(|b| b.retain(|x| x != &id));
                match answer {
                    Ok(_) => self.live.disk_changing(
                        &region,
                        &id,
                        if detach { DiskStatus::Detaching } else { DiskStatus::Attaching },
                    ),
                    Err(e) => self.failed(&id, detach, &e),
                }
            }
            Action::CreateSnapshot => {
                let spec = SnapshotSpec {
                    name: Some(plan.name.clone()),
                    description: Some(plan.description.clone()),
                    disk_id: Some(id.clone()),
                };
                let answer = api.create_snapshot(&region, spec, &plan.client_token).await;
                self.busy.update_value(|b| b.retain(|x| x != &id));
                match answer {
                    Ok(created) => {
                        let snapshot = Snapshot {
                            snapshot_id: created.snapshot_id.clone(),
                            snapshot_source: "self".into(),
                            disk_id: id.clone(),
                            snapshot_size_gb: disk.disk_size_gb,
                            name: plan.name.clone(),
                            description: plan.description.clone(),
                            status: SnapshotStatus::Creating,
                            create_time: disk_api::time::resource_time(now() as i64),
                            encrypted: disk.encrypted,
                            ..Snapshot::default()
                        };
                        let inputs = CreateInputs {
                            region: region.clone(),
                            disk_id: id.clone(),
                            name: plan.name.clone(),
                            description: plan.description.clone(),
                        };
                        self.live.created(&region, snapshot, inputs);
                        self.update(&id, |p| p.snapshot_id = Some(created.snapshot_id));
                    }
                    Err(e) => self.failed_at(&id, Step::Snapshot, &e.message()),
                }
            }
            Action::Wait | Action::Advance(_) | Action::Fail(_) => {
                self.busy.update_value(|b| b.retain(|x| x != &id));
            }
        }
    }

    /// The plan failed at `step`, for `why`: said on the plan and in a toast.
    fn failed_at(&self, disk_id: &str, step: Step, why: &str) {
        let step = match step {
            Step::Detach => t(T::GuidedStepNameDetach),
            Step::Snapshot => t(T::GuidedStepNameSnapshot),
            _ => t(T::GuidedStepNameAttach),
        };
        let text = tf(T::GuidedFailed, &[("step", step), ("reason", why)]);
        self.update(disk_id, |p| p.failure = Some(text.clone()));
        self.toasts.error(text, None);
    }

    fn failed(&self, disk_id: &str, detach: bool, e: &ApiError) {
        self.failed_at(disk_id, if detach { Step::Detach } else { Step::Attach }, &e.message());
    }
}

crate::split::split_point!(
    /// A guided plan's requests, in a module of their own in the split build: fetched only when a plan
    /// runs.
    guided_request, preload_guided, fn request(g: Guided, plan: Plan, disk: Disk, action: Action) -> crate::task::Boxed<()> {
        Box::pin(g.send(plan, disk, action))
    }
);

pub fn use_guided() -> Guided {
    expect_context::<Guided>()
}

/// Whether the disk was taken off instances by a plan and not yet given back (the row's and page's mark).
pub fn detached_for_snapshot(plan: &Plan) -> bool {
    plan.step != Step::Done
        && (plan.step != Step::Detach || !plan.requested.is_empty() || plan.failure.is_some())
}

/// The flow's steps and where it is, announced as it moves; after a failure, why, and the way back.
#[component]
pub fn GuidedProgress(
    /// The disk whose plan to show.
    disk_id: String,
) -> impl IntoView {
    let guided = use_guided();
    let id = StoredValue::new(disk_id);
    // Only what is shown: a lease renewed or an instance asked does not rebuild the panel (and its focus).
    let shown = Memo::new(move |_| {
        guided.plan_of(&id.get_value()).map(|mut p| {
            p.lease = None;
            p.requested.clear();
            p
        })
    });
    move || {
        let plan = shown.get()?;
        let steps = step_texts(&plan);
        let current = steps
            .iter()
            .find(|(_, o)| matches!(o, Ordering::Current | Ordering::Failed))
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| tf(T::GuidedDoneToast, &[("disk", &plan.disk_name)]));
        let done = plan.step == Step::Done;
        let failure = plan.failure.clone();
        Some(view! {
            <section class="dc-note dc-guided" aria-labelledby=crate::host::uid("guided-title")>
                <h2 id=crate::host::uid("guided-title")>{t(T::GuidedTitle)}</h2>
                <ol class="dc-steps">
                    {steps.into_iter().map(|(text, o)| {
                        let (class, mark) = match o {
                            Ordering::Done => ("dc-step dc-step--done", t(T::GuidedMarkDone)),
                            Ordering::Current => ("dc-step dc-step--current", t(T::GuidedMarkCurrent)),
                            Ordering::Failed => ("dc-step dc-step--failed", t(T::GuidedMarkFailed)),
                            Ordering::ToCome => ("dc-step", ""),
                        };
                        view! { <li class=class aria-current=(o == Ordering::Current).then_some("step")><span class="dc-visually-hidden">{mark}</span>{text}</li> }
                    }).collect_view()}
                </ol>
                <p aria-live="polite" class="dc-guided__now">{if done { tf(T::GuidedDoneToast, &[("disk", &plan.disk_name)]) } else { current }}</p>
                {failure.map(|f| view! { <p class="dc-field__error" role="alert">{f}</p> })}
                <div class="dc-toolbar">
                    {(!done && plan.step != Step::Attach || plan.failure.is_some()).then(|| view! {
                        <button type="button" class="dc-button" on:click=move |_| guided.attach_again(&id.get_value())>{t(T::AttachAgainNow)}</button>
                    })}
                    {(done || plan.failure.is_some()).then(|| view! {
                        <button type="button" class="dc-button" on:click=move |_| guided.dismiss(&id.get_value())>{t(T::Dismiss)}</button>
                    })}
                </div>
            </section>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use disk_api::DiskAttachment;

    fn plan(step: Step) -> Plan {
        Plan {
            region: "cn-north-1".into(),
            disk_id: "vol-1".into(),
            disk_name: "data".into(),
            instances: vec![("i-a".into(), "web-01".into()), ("i-b".into(), "web-02".into())],
            name: "snap".into(),
            description: String::new(),
            client_token: "tok".into(),
            snapshot_id: None,
            step,
            requested: Vec::new(),
            failure: None,
            lease: None,
        }
    }

    fn disk(status: DiskStatus, on: &[&str]) -> Disk {
        Disk {
            disk_id: "vol-1".into(),
            status,
            attachments: on
                .iter()
                .map(|i| DiskAttachment {
                    instance_id: (*i).into(),
                    status: AttachmentStatus::Attached,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    fn snapshot(status: SnapshotStatus) -> Snapshot {
        Snapshot { snapshot_id: "snapshot-1".into(), status, ..Default::default() }
    }

    #[test]
    fn detaches_from_each_instance_in_turn_then_snapshots() {
        let mut p = plan(Step::Detach);
        assert_eq!(
            decide(&p, &disk(DiskStatus::InUse, &["i-a", "i-b"]), None),
            Action::DetachFrom("i-a".into())
        );
        p.requested.push("i-a".into());
        assert_eq!(decide(&p, &disk(DiskStatus::Detaching, &["i-a", "i-b"]), None), Action::Wait);
        assert_eq!(decide(&p, &disk(DiskStatus::InUse, &["i-b"]), None), Action::DetachFrom("i-b".into()));
        p.requested.push("i-b".into());
        assert_eq!(decide(&p, &disk(DiskStatus::Available, &[]), None), Action::Advance(Step::Snapshot));
    }

    #[test]
    fn a_detach_that_did_not_happen_fails_the_flow_and_names_the_instance() {
        let mut p = plan(Step::Detach);
        p.requested.push("i-a".into());
        match decide(&p, &disk(DiskStatus::InUse, &["i-a", "i-b"]), None) {
            Action::Fail(why) => assert!(why.contains("web-01 (i-a)"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_snapshot_is_created_once_and_waited_for() {
        let mut p = plan(Step::Snapshot);
        let free = disk(DiskStatus::Available, &[]);
        assert_eq!(decide(&p, &free, None), Action::CreateSnapshot);
        p.snapshot_id = Some("snapshot-1".into());
        assert_eq!(decide(&p, &free, Some(&snapshot(SnapshotStatus::Creating))), Action::Wait);
        assert_eq!(decide(&p, &free, None), Action::Wait, "not fetched yet");
        assert_eq!(
            decide(&p, &free, Some(&snapshot(SnapshotStatus::Available))),
            Action::Advance(Step::Attach)
        );
        assert!(matches!(decide(&p, &free, Some(&snapshot(SnapshotStatus::ErrorCreate))), Action::Fail(_)));
    }

    #[test]
    fn attaches_again_to_every_instance_then_is_done() {
        let mut p = plan(Step::Attach);
        assert_eq!(decide(&p, &disk(DiskStatus::Available, &[]), None), Action::AttachTo("i-a".into()));
        p.requested.push("i-a".into());
        assert_eq!(decide(&p, &disk(DiskStatus::Attaching, &[]), None), Action::Wait);
        assert_eq!(decide(&p, &disk(DiskStatus::InUse, &["i-a"]), None), Action::AttachTo("i-b".into()));
        p.requested.push("i-b".into());
        assert_eq!(decide(&p, &disk(DiskStatus::InUse, &["i-a", "i-b"]), None), Action::Advance(Step::Done));
        // An attach that did not happen fails.
        let mut q = plan(Step::Attach);
        q.requested.push("i-a".into());
        assert!(matches!(decide(&q, &disk(DiskStatus::Available, &[]), None), Action::Fail(_)));
    }

    #[test]
    fn a_failed_or_finished_plan_waits_for_the_user() {
        let mut p = plan(Step::Detach);
        p.failure = Some("no".into());
        assert_eq!(decide(&p, &disk(DiskStatus::InUse, &["i-a"]), None), Action::Wait);
        assert_eq!(decide(&plan(Step::Done), &disk(DiskStatus::InUse, &["i-a"]), None), Action::Wait);
    }

    #[test]
    fn steps_say_where_the_flow_is() {
        let mut p = plan(Step::Snapshot);
        let marks: Vec<Ordering> = step_texts(&p).into_iter().map(|(_, o)| o).collect();
        assert_eq!(marks, [Ordering::Done, Ordering::Current, Ordering::ToCome]);
        assert!(step_texts(&p)[0].0.contains("web-01 (i-a), web-02 (i-b)"));
        p.failure = Some("x".into());
        assert_eq!(step_texts(&p)[1].1, Ordering::Failed);
    }
}
