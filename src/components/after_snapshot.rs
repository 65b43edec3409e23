//! What a snapshot is for, afterwards: a new disk made from it, and its disk rolled back to it. Also Attach,
//! which gives a detached disk back to an instance.

use crate::api::{ApiError, Client};
use crate::components::create_snapshot::new_client_token;
use crate::components::modal::{DialogButtons, Modal};
use crate::components::toasts::use_toasts;
use crate::format::{capacity_gib, disk_type, name_problem_text, short_time};
use crate::i18n::{t, tf, T};
use crate::live::use_live;
use crate::router::use_router;
use crate::task::{Load, Task};
use disk_api::query::encode_component;
use disk_api::validate::{check_description, check_disk_size, check_name, DESCRIPTION_MAX_CHARS};
use disk_api::{Disk, DiskSpec, DiskStatus, DiskType, Snapshot};
use leptos::prelude::*;

/// Makes a new disk from an available snapshot: name, zone, type, size (at least the snapshot's),
/// description; the region's disk quota in view; one idempotency token per opened dialog. The new disk opens
/// on its page, `creating`, and turns `available` there by itself.
#[component]
pub fn CreateDiskDialog(
    /// The snapshot's region.
    region: String,
    /// The snapshot.
    snapshot: Snapshot,
    /// The source disk, when it still exists (its zone and type are the defaults).
    source: Option<Disk>,
    /// Closes the dialog.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let api = expect_context::<Client>();
    let live = use_live();
    let toasts = use_toasts();
    let router = use_router();
    let zones: Vec<String> = disk_api::region::find(&region)
        .map(|r| r.azs.iter().map(|z| z.to_string()).collect())
        .unwrap_or_default();
    let start_zone =
        source.as_ref().map(|d| d.az.clone()).or_else(|| zones.first().cloned()).unwrap_or_default();
    let start_type = source.as_ref().map(|d| d.disk_type.clone()).unwrap_or(DiskType::SsdGp1);
    let snapshot_gib = snapshot.snapshot_size_gb;
    let (_, _, step) = start_type.size_limits_gib();
    let start_size = snapshot_gib.max(20).div_ceil(step) * step;
    let (name, set_name) = signal(format!("{}-copy", snapshot.name).chars().take(32).collect::<String>());
    let (zone, set_zone) = signal(start_zone);
    let (kind, set_kind) = signal(start_type);
    let (size, set_size) = signal(start_size.to_string());
    let (description, set_description) = signal(String::new());
    let token = StoredValue::new(new_client_token());

    let quota = {
        let (api, region) = (api.clone(), region.clone());
        Load::new(move || api.describe_disk_quota(&region))
    };
    let quota_full = move || quota.get().and_then(Result::ok).filter(|q| q.used >= q.limit);
    let name_problem = move || check_name(&name.get()).err();
    let size_value = move || size.with(|s| s.trim().parse::<u32>().ok());
    let size_problem = move || match size_value() {
        None => Some(t(T::SizeNumber).to_owned()),
        Some(n) => check_disk_size(&kind.get(), n, Some(snapshot_gib)).err().map(|p| size_problem_text(&p)),
    };
    let description_problem = move || check_description(&description.get()).err();

    let create: Task<Result<String, ApiError>> = Task::new();
    let snapshot_id = snapshot.snapshot_id.clone();
    let work = {
        let (api, region) = (api.clone(), region.clone());
        move || {
            let spec = DiskSpec {
                az: Some(zone.get_untracked()),
                name: Some(name.get_untracked()),
                description: Some(description.get_untracked()),
                disk_type: Some(kind.get_untracked().to_string()),
                disk_size_gb: size_value(),
                snapshot_id: Some(snapshot_id.clone()),
                ..Default::default()
            };
            let (api, region, token) = (api.clone(), region.clone(), token.get_value());
            async move {
                let made = api.create_disk(&region, spec, &token).await?;
                made.disk_ids.into_iter().next().ok_or_else(|| ApiError::Network(t(T::NoDiskCreated).into()))
            }
        }
    };
    let region_for_done = region.clone();
    Effect::new(move || {
        if let Some(Ok(id)) = create.value().get() {
            live.track_disk(&region_for_done, &id);
            toasts.info(tf(T::CreatingDiskToast, &[("name", &name.get_untracked())]));
            on_close.run(());
            router.navigate(&format!(
                "/disks/{}?region={}",
                encode_component(&id),
                encode_component(&region_for_done)
            ));
        }
    });
    let ok = move || {
        name_problem().is_none()
            && size_problem().is_none()
            && description_problem().is_none()
            && quota_full().is_none()
            && !create.pending().get()
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if ok() {
            create.run(work());
        }
    };
    let uid = crate::host::uid;
    let region_label = region.clone();
    view! {
        <Modal title_id=uid("create-disk-title") on_close=on_close>
            <form on:submit=on_submit novalidate>
                <h2 id=uid("create-disk-title")>{t(T::CreateDisk)}</h2>
                <dl class="dc-facts">
                    <dt>{t(T::FromSnapshot)}</dt>
                    <dd>{snapshot.name.clone()} " " <span class="dc-id">{snapshot.snapshot_id.clone()}</span></dd>
                    <dt>{t(T::Size)}</dt><dd>{capacity_gib(snapshot_gib)}</dd>
                    <dt>{t(T::Region)}</dt><dd>{region.clone()}</dd>
                </dl>
                <p class="dc-quota-line">{move || quota.get().and_then(Result::ok).map(|q| tf(T::DiskQuotaLine, &[("used", &q.used.to_string()), ("limit", &q.limit.to_string()), ("region", &region_label)]))}</p>
                {move || quota_full().map(|_| view! { <p class="dc-field__error" role="alert">{t(T::DiskQuotaFull)}</p> })}
                <div class="dc-field">
                    <label for=uid("disk-name")>{t(T::Name)}</label>
                    <input id=uid("disk-name") type="text" prop:value=name aria-describedby=uid("disk-name-help")
                        on:input=move |ev| set_name.set(event_target_value(&ev)) />
                    <p id=uid("disk-name-help") class="dc-field__help" aria-live="polite">
                        {move || name_problem().map(|p| name_problem_text(&p)).unwrap_or_else(|| t(T::NameHelp).to_owned())}
                    </p>
                </div>
                <div class="dc-field">
                    <label for=uid("disk-zone")>{t(T::AvailabilityZone)}</label>
                    <select id=uid("disk-zone") on:change=move |ev| set_zone.set(event_target_value(&ev))>
                        {zones.iter().map(|z| { let (z1, z2, z3) = (z.clone(), z.clone(), z.clone()); view! { <option value=z1 selected=move || zone.get() == z2>{z3}</option> } }).collect_view()}
                    </select>
                </div>
                <div class="dc-field">
                    <label for=uid("disk-type")>{t(T::Type)}</label>
                    <select id=uid("disk-type") on:change=move |ev| set_kind.set(DiskType::parse(&event_target_value(&ev)))>
                        {DiskType::KNOWN.iter().map(|k| { let (k1, k2) = (k.clone(), k.clone()); view! { <option value=k.to_string() selected=move || kind.get() == k1>{disk_type(&k2)}</option> } }).collect_view()}
                    </select>
                </div>
                <div class="dc-field">
                    <label for=uid("disk-size")>{t(T::CapacityGib)}</label>
                    <input id=uid("disk-size") type="number" inputmode="numeric" min=snapshot_gib step=step prop:value=size aria-describedby=uid("disk-size-help")
                        on:input=move |ev| set_size.set(event_target_value(&ev)) />
                    <p id=uid("disk-size-help") class="dc-field__help" aria-live="polite">
                        {move || size_problem().unwrap_or_else(|| { let (min, max, step) = kind.get().size_limits_gib(); tf(T::SizeRule, &[("min", &min.max(snapshot_gib).to_string()), ("max", &max.to_string()), ("step", &step.to_string())]) })}
                    </p>
                </div>
                <div class="dc-field">
                    <label for=uid("disk-description")>{t(T::Description)}</label>
                    <textarea id=uid("disk-description") rows="2" prop:value=description
                        on:input=move |ev| set_description.set(event_target_value(&ev))></textarea>
                    <p class="dc-field__help">{move || tf(T::DescriptionCount, &[("n", &description.with(|d| d.chars().count()).to_string()), ("max", &DESCRIPTION_MAX_CHARS.to_string())])}</p>
                </div>
                {move || create.value().get().and_then(Result::err).map(|e| view! { <p class="dc-field__error" role="alert">{e.message()}</p> })}
                <DialogButtons on_cancel=on_close label=t(T::OkButton) disabled=Signal::derive(move || !ok()) />
            </form>
        </Modal>
    }
}

/// The text of a size problem, in the console's language.
fn size_problem_text(p: &disk_api::validate::SizeProblem) -> String {
    use disk_api::validate::SizeProblem::*;
    match *p {
        TooSmall { min } => tf(T::SizeAtLeast, &[("n", &min.to_string())]),
        TooLarge { max } => tf(T::SizeAtMost, &[("n", &max.to_string())]),
        NotStep { step } => tf(T::SizeStep, &[("n", &step.to_string())]),
        BelowSnapshot { snapshot } => tf(T::SizeBelowSnapshot, &[("n", &snapshot.to_string())]),
    }
}

/// Why a disk cannot be rolled back now, if it cannot: only a detached (`available`) disk can.
pub fn rollback_blocked(disk: &Disk) -> Option<String> {
    match disk.status {
        DiskStatus::Available => None,
        DiskStatus::InUse => Some(t(T::RollbackDetachFirst).to_owned()),
        ref other => {
            Some(tf(T::RollbackNotWhile, &[("status", &crate::format::disk_status(other).0.to_lowercase())]))
        }
    }
}

/// Rolls a detached disk back to one of its snapshots, after the user types the disk's name: what was
/// written since the snapshot's time is lost.
#[component]
pub fn RollbackDialog(
    /// The region.
    region: String,
    /// The snapshot to roll back to.
    snapshot: Snapshot,
    /// Its source disk (live).
    disk: RwSignal<Disk>,
    /// Closes the dialog.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let api = expect_context::<Client>();
    let live = use_live();
    let toasts = use_toasts();
    let (typed, set_typed) = signal(String::new());
    let d = disk.get_untracked();
    let disk_name = d.name.clone();
    let restore: Task<Result<(), ApiError>> = Task::new();
    let work = {
        let (region, disk_id, snapshot_id) =
            (region.clone(), d.disk_id.clone(), snapshot.snapshot_id.clone());
        move || {
            let (api, region, disk_id, snapshot_id) =
                (api.clone(), region.clone(), disk_id.clone(), snapshot_id.clone());
            async move {
                api.restore_disk(&region, &disk_id, &snapshot_id).await?;
                live.disk_changing(&region, &disk_id, DiskStatus::Restoring);
                Ok(())
            }
        }
    };
    let name_for_toast = disk_name.clone();
    Effect::new(move || {
        if let Some(Ok(())) = restore.value().get() {
            toasts.info(tf(T::RollingBackToast, &[("name", &name_for_toast)]));
            on_close.run(());
        }
    });
    let blocked = move || disk.with(rollback_blocked);
    let name_for_check = StoredValue::new(disk_name.clone());
    let ok = move || {
        name_for_check.with_value(|n| typed.with(|t| t == n))
            && blocked().is_none()
            && !restore.pending().get()
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if ok() {
            restore.run(work());
        }
    };
    let uid = crate::host::uid;
    view! {
        <Modal title_id=uid("rollback-title") on_close=on_close>
            <form on:submit=on_submit novalidate>
                <h2 id=uid("rollback-title")>{t(T::RollBackDiskQ)}</h2>
                <p>{tf(T::RollbackText, &[("disk", &disk_name), ("snapshot", &snapshot.name), ("time", &short_time(&snapshot.create_time))])}</p>
                <p class="dc-note dc-note--warn" role="note">{tf(T::RollbackLoss, &[("time", &short_time(&snapshot.create_time))])}</p>
                {move || blocked().map(|why| view! { <p class="dc-field__error" role="alert">{why}</p> })}
                <div class="dc-field">
                    <label for=uid("rollback-confirm")>{tf(T::TypeToConfirm, &[("name", &disk_name)])}</label>
                    <input id=uid("rollback-confirm") type="text" autocomplete="off" prop:value=typed
                        on:input=move |ev| set_typed.set(event_target_value(&ev)) />
                </div>
                {move || restore.value().get().and_then(Result::err).map(|e| view! { <p class="dc-field__error" role="alert">{e.message()}</p> })}
                <DialogButtons on_cancel=on_close label=t(T::RollBack) disabled=Signal::derive(move || !ok()) danger=true />
            </form>
        </Modal>
    }
}

/// Attaches a detached disk to an instance of its zone (describeInstances).
#[component]
pub fn AttachDialog(
    /// The disk's region.
    region: String,
    /// The disk (live).
    disk: RwSignal<Disk>,
    /// Closes the dialog.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let api = expect_context::<Client>();
    let live = use_live();
    let d = disk.get_untracked();
    let zone = StoredValue::new(d.az.clone());
    let instances = {
        let (api, region) = (api.clone(), region.clone());
        Load::new(move || api.describe_instances(&region))
    };
    let (chosen, set_chosen) = signal(None::<String>);
    let candidates = move || {
        instances.get().and_then(Result::ok).map(|r| {
            r.instances
                .into_iter()
                .filter(|i| {
                    zone.with_value(|z| &i.az == z) && matches!(i.status.as_str(), "running" | "stopped")
                })
                .collect::<Vec<_>>()
        })
    };
    Effect::new(move || {
        if chosen.get_untracked().is_none() {
            if let Some(first) = candidates().and_then(|c| c.into_iter().next()) {
                set_chosen.set(Some(first.instance_id));
            }
        }
    });
    let attach: Task<Result<(), ApiError>> = Task::new();
    let work = {
        let (region, disk_id) = (region.clone(), d.disk_id.clone());
        move |instance: String| {
            let (api, region, disk_id) = (api.clone(), region.clone(), disk_id.clone());
            async move {
                api.attach_disk(&region, &instance, &disk_id).await?;
                live.disk_changing(&region, &disk_id, DiskStatus::Attaching);
                Ok(())
            }
        }
    };
    Effect::new(move || {
        if let Some(Ok(())) = attach.value().get() {
            on_close.run(());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(i) = chosen.get_untracked() {
            attach.run(work(i));
        }
    };
    let uid = crate::host::uid;
    let zone_label = d.az.clone();
    view! {
        <Modal title_id=uid("attach-title") on_close=on_close>
            <form on:submit=on_submit novalidate>
                <h2 id=uid("attach-title")>{t(T::AttachDiskTitle)}</h2>
                <p>{tf(T::AttachText, &[("disk", &d.name), ("zone", &zone_label)])}</p>
                {move || match candidates() {
                    None => view! { <p class="dc-loading" role="status">{t(T::LoadingInstances)}</p> }.into_any(),
                    Some(list) if list.is_empty() => view! { <p class="dc-field__error" role="alert">{tf(T::NoInstanceInZone, &[("zone", &zone_label)])}</p> }.into_any(),
                    Some(list) => view! {
                        <div class="dc-field">
                            <label for=uid("attach-instance")>{t(T::Instance)}</label>
                            <select id=uid("attach-instance") on:change=move |ev| set_chosen.set(Some(event_target_value(&ev)))>
                                {list.into_iter().map(|i| { let id = i.instance_id.clone(); let id2 = id.clone(); view! { <option value=id selected=move || chosen.get().as_deref() == Some(id2.as_str())>{format!("{} ({})", i.instance_name, i.instance_id)}</option> } }).collect_view()}
                            </select>
                        </div>
                    }.into_any(),
                }}
                {move || instances.get().and_then(Result::err).map(|e| view! { <p class="dc-field__error" role="alert">{e.message()}</p> })}
                {move || attach.value().get().and_then(Result::err).map(|e| view! { <p class="dc-field__error" role="alert">{e.message()}</p> })}
                <DialogButtons on_cancel=on_close label=t(T::Attach) disabled=Signal::derive(move || chosen.get().is_none() || attach.pending().get()) />
            </form>
        </Modal>
    }
}
