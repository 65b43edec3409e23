use crate::api::{ApiError, Client};
use crate::components::create_snapshot::use_create_snapshot;
use crate::components::error_view::ErrorView;
use crate::components::freshness::Freshness;
use crate::components::menu::{MenuButton, MenuItem};
use crate::components::modal::Modal;
use crate::components::quota::{use_quota, QuotaFullNote, QuotaMeter};
use crate::components::snapshot_table::SnapshotTable;
use crate::components::status_badge::status_badge;
use crate::dom::Raw;
use crate::format::{
    attachment_status, capacity_gib, charge_mode, disk_status, disk_type, short_time, thousands,
};
use crate::i18n::{t, tf, T};
use crate::live::use_live;
use crate::pages::disk_list::can_snapshot;
use crate::router::Link;
use crate::task::{ApiLoad, Shown, Task};
use disk_api::query::{encode_component, ListQuery};
use disk_api::{AttachmentStatus, Disk, DiskStatus};
use leptos::prelude::*;

/// One disk: its facts, its attachment, its snapshots, and the Actions menu (Method 2).
#[component]
pub fn DiskDetailPage(
    /// The disk's ID, from the path.
    disk_id: String,
) -> impl IntoView {
    let api = expect_context::<Client>();
    let region = crate::pages::use_url_region();
    let live = use_live();
    crate::host::use_host().set_title(&disk_id, t(T::CloudDisks));
    if !disk_api::validate::is_disk_id(&disk_id) {
        // Not an ID the API could know: no request, and no Retry that cannot help.
        return view! { <NotAnId id=disk_id kind=NotAnIdKind::Disk region=region.get_untracked() /> }
            .into_any();
    }
    let id = disk_id.clone();
    let disk = ApiLoad::new(move || {
        let region = region.get();
        let answer = api.describe_disk(&region, &id);
        async move { answer.await.map(|r| (region, r.disk)) }
    });
    view! {
        {move || match disk.shown() {
            Shown::Loading => view! { <p class="dc-loading" role="status">{t(T::LoadingDisk)}</p> }.into_any(),
            Shown::Data((region, d)) => {
                let sig = live.observe_disk(&region, d);
                view! { <DiskDetail region disk=sig /> }.into_any()
            }
            Shown::Failed(ApiError::Api { code: 404, .. }) => {
                view! { <DiskNotFound disk_id=disk_id.clone() region=region.get_untracked() /> }.into_any()
            }
            Shown::Failed(error) => view! {
                <ErrorView title=t(T::CouldNotLoadDisk) error on_retry=move || disk.refetch() />
            }
            .into_any(),
        }}
    }
    .into_any()
}

/// Which list a malformed ID's page leads back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotAnIdKind {
    Disk,
    Snapshot,
}

/// A path whose ID cannot be a disk's or a snapshot's: says so and links the list.
#[component]
pub fn NotAnId(id: String, kind: NotAnIdKind, region: String) -> impl IntoView {
    let (title, text, list, back) = match kind {
        NotAnIdKind::Disk => (T::NotADiskId, T::NotADiskIdText, "/disks", T::BackToDiskList),
        NotAnIdKind::Snapshot => {
            (T::NotASnapshotId, T::NotASnapshotIdText, "/snapshots", T::BackToSnapshotList)
        }
    };
    let href = format!("{list}?region={}", encode_component(&region));
    view! {
        <section class="dc-empty">
            <h1>{t(title)}</h1>
            <p>{tf(text, &[("id", &id)])}</p>
            <Link href=href>{t(back)}</Link>
        </section>
    }
}

#[component]
fn DiskNotFound(
    /// The ID that was asked for.
    disk_id: String,
    /// The region it was looked for in.
    region: String,
) -> impl IntoView {
    let href = format!("/disks?region={}", encode_component(&region));
    view! {
        <section class="dc-empty">
            <h1>{t(T::DiskNotFound)}</h1>
            <p>{tf(T::DiskNotFoundText, &[("disk", &disk_id), ("region", &region)])}</p>
            <Link href=href>{t(T::BackToDiskList)}</Link>
        </section>
    }
}

#[component]
fn DiskDetail(
    /// The region of the disk.
    region: String,
    /// The disk's live signal.
    disk: RwSignal<Disk>,
) -> impl IntoView {
    let api = expect_context::<Client>();
    let live = use_live();
    let quota = use_quota();
    let session = crate::session::use_session();
    let create = use_create_snapshot();
    let d = disk.get_untracked();
    let (detaching, set_detaching) = signal(None::<String>);
    let (attaching, set_attaching) = signal(false);

    let items = {
        let region = region.clone();
        Signal::derive(move || {
            let d = disk.get();
            let read_only = session.read_only_reason();
            let blocked = read_only.clone().or_else(|| quota.full_reason(&region)).or_else(|| {
                (!can_snapshot(&d.status))
                    .then(|| tf(T::NoSnapshotWhile, &[("status", &disk_status(&d.status).0.to_lowercase())]))
            });
            let region2 = region.clone();
            let mut items = vec![MenuItem {
                label: t(T::CreateSnapshot).into(),
                disabled: blocked,
                action: Callback::new(move |()| create.open(&region2, disk.get_untracked())),
            }];
            if d.attachments.is_empty() && d.status == DiskStatus::Available {
                items.push(MenuItem {
                    label: t(T::Attach).into(),
                    disabled: read_only.clone(),
                    action: Callback::new(move |()| set_attaching.set(true)),
                });
            }
            if let Some(a) = d.active_attachment() {
                let instance = a.instance_id.clone();
                items.push(MenuItem {
                    label: t(T::Detach).into(),
                    disabled: read_only
                        .or_else(|| (d.status != DiskStatus::InUse).then(|| t(T::DiskBusy).to_owned())),
                    action: Callback::new(move |()| set_detaching.set(Some(instance.clone()))),
                });
            }
            items
        })
    };

    // This disk's snapshots: the fetched ones and any created here since.
    let snapshots = {
        let (api, region, disk_id) = (api.clone(), region.clone(), d.disk_id.clone());
        ApiLoad::new(move || {
            let q = ListQuery::default().filter("diskId", [disk_id.clone()]).page(1, 100);
            let answer = api.describe_snapshots(&region, &q);
            let region = region.clone();
            async move {
                let r = answer.await;
                r.map(|r| {
                    r.snapshots
                        .into_iter()
                        .map(|s| live.observe(&region, s).get_untracked().snapshot_id)
                        .collect::<Vec<_>>()
                })
            }
        })
    };
    let ids = {
        let (region, disk_id) = (region.clone(), d.disk_id.clone());
        Signal::derive(move || {
            let fetched = snapshots.good().unwrap_or_default();
            let mut ids: Vec<String> = live
                .created_in(&region)
                .into_iter()
                .filter(|id| !fetched.contains(id))
                .filter(|id| live.snapshot(id).is_some_and(|s| s.with(|s| s.disk_id == disk_id)))
                .collect();
            ids.extend(fetched);
            // A deleted snapshot leaves (and with the last one, the table gives way to the empty state).
            ids.retain(|id| !live.is_gone(id));
            ids
        })
    };
    let snapshot_error = move || match snapshots.shown() {
        Shown::Failed(e) => Some(e),
        _ => None,
    };
    // Refresh reloads the disk too, in place (its facts, status and attachment), and the snapshots.
    let refresh = {
        let (api, region, id) = (api.clone(), region.clone(), d.disk_id.clone());
        move || {
            snapshots.refetch();
            let answer = api.describe_disk(&region, &id);
            let region = region.clone();
            leptos::task::spawn_local(async move {
                if let Ok(r) = answer.await {
                    live.observe_disk(&region, r.disk);
                }
            });
        }
    };
    let host = crate::host::use_host();
    Effect::new(move || host.set_title(&disk.with(|d| d.name.clone()), t(T::CloudDisks)));
    let list_href = format!("/disks?region={}", encode_component(&region));

    let names = crate::names::use_names();
    let region_for_names = region.clone();
    let attachment = move || {
        let d = disk.get();
        match d.active_attachment().cloned() {
            None => view! { <p>{t(T::NotAttached)}</p> }.into_any(),
            Some(_) => view! {
                <dl class="dc-facts">
                    {d.attachments.iter().filter(|a| a.status != AttachmentStatus::Detached).map(|a| view! {
                        <dt>{t(T::Instance)}</dt><dd>{let (id, region) = (a.instance_id.clone(), region_for_names.clone()); move || names.instance(&region, &id)}</dd>
                        <dt>{t(T::AttachmentStatus)}</dt><dd>{attachment_status(&a.status)}</dd>
                        <dt>{t(T::AttachedAt)}</dt><dd>{short_time(&a.attach_time)}</dd>
                    }).collect_view()}
                </dl>
            }
            .into_any(),
        }
    };
    let region_signal = Signal::stored(region.clone());
    let region_for_detach = region.clone();
    let region_for_attach = region.clone();
    view! {
        <section class="dc-page" aria-labelledby=crate::host::uid("disk-title")>
            <crate::pages::Breadcrumb list=T::CloudDisks href=list_href current=Signal::derive(move || disk.with(|d| d.name.clone())) />
            <div class="dc-page__head">
                <div>
                    <h1 id=crate::host::uid("disk-title")>{move || disk.with(|d| d.name.clone())}</h1>
                    <p class="dc-id">{d.disk_id.clone()}</p>
                    {Raw::from(status_badge(move || disk.with(|d| disk_status(&d.status))))}
                    {move || live.snapshot_in_progress(&disk.with(|d| d.disk_id.clone())).then(|| view! { <span class="dc-progress">{t(T::SnapshotInProgress)}</span> })}
                </div>
                <MenuButton label=t(T::Actions) menu_id=crate::host::uid("disk-actions") items />
            </div>
            <QuotaFullNote region=region_signal />
            <crate::guided::GuidedProgress disk_id=d.disk_id.clone() />

            <h2>{t(T::BasicInformation)}</h2>
            <dl class="dc-facts dc-facts--grid">
                <dt>{t(T::Type)}</dt><dd>{disk_type(&d.disk_type)}</dd>
                <dt>{t(T::Capacity)}</dt><dd>{capacity_gib(d.disk_size_gb)}</dd>
                <dt>{t(T::Iops)}</dt><dd>{thousands(d.iops.into())}</dd>
                <dt>{t(T::Throughput)}</dt><dd>{tf(T::MbPerSec, &[("n", &thousands(d.throughput.into()))])}</dd>
                <dt>{t(T::AvailabilityZone)}</dt><dd>{d.az.clone()}</dd>
                <dt>{t(T::Encrypted)}</dt><dd>{if d.encrypted { t(T::Yes) } else { t(T::No) }}</dd>
                <dt>{t(T::MultiAttach)}</dt><dd>{if d.multi_attachable { t(T::Yes) } else { t(T::No) }}</dd>
                <dt>{t(T::ChargeMode)}</dt><dd>{charge_mode(&d.charge.charge_mode)}</dd>
                <dt>{t(T::Created)}</dt><dd>{short_time(&d.create_time)}</dd>
                <dt>{t(T::SourceSnapshot)}</dt><dd>{if d.snapshot_id.is_empty() { "—".to_owned() } else { d.snapshot_id.clone() }}</dd>
                <dt>{t(T::Description)}</dt><dd>{if d.description.is_empty() { "—".to_owned() } else { d.description.clone() }}</dd>
            </dl>

            <h2>{t(T::Attachment)}</h2>
            {attachment}

            <div class="dc-section-head">
                <h2>{t(T::Snapshots)}</h2>
                <QuotaMeter region=region_signal />
                <Freshness loaded_ms=snapshots.loaded_ms() stale=snapshots.stale() on_refresh=refresh />
            </div>
            {move || snapshot_error().map(|error| view! { <ErrorView title=t(T::CouldNotLoadSnapshots) error on_retry=move || snapshots.refetch() /> })}
            {move || (snapshots.good().is_some() && ids.with(|i| i.is_empty())).then(|| view! {
                <p class="dc-empty">{t(T::NoSnapshotsYet)}</p>
            })}
            // Mounted while empty too (hidden), so its rows leave one by one with their effects.
            <div hidden=move || ids.with(|i| i.is_empty())>
                <SnapshotTable region=region_signal ids caption=t(T::SnapshotsOfDisk) />
            </div>
        </section>
        {move || attaching.get().then(|| view! {
            <crate::components::after_snapshot::AttachDialog region=region_for_attach.clone() disk on_close=move || set_attaching.set(false) />
        })}
        {move || detaching.get().map(|instance| view! {
            <DetachDialog region=region_for_detach.clone() disk_id=d.disk_id.clone() instance on_close=move || set_detaching.set(None) />
        })}
    }
}

/// Confirms detaching a disk from its instance.
#[component]
fn DetachDialog(
    /// The disk's region.
    region: String,
    /// The disk.
    disk_id: String,
    /// The instance it is attached to.
    instance: String,
    /// Closes the dialog.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let api = expect_context::<Client>();
    let live = use_live();
    let inst = instance.clone();
    // The instance by its name and ID (the confirmation says which machine loses the disk).
    let names = crate::names::use_names();
    let (label_region, label_id) = (region.clone(), instance.clone());
    let label = move || names.instance(&label_region, &label_id);
    let detach: Task<Result<(), ApiError>> = Task::new();
    let detach_work = move || {
        let (api, region, disk_id, instance) = (api.clone(), region.clone(), disk_id.clone(), inst.clone());
        async move {
            api.detach_disk(&region, &instance, &disk_id).await?;
            live.disk_changing(&region, &disk_id, DiskStatus::Detaching);
            Ok::<_, ApiError>(())
        }
    };
    Effect::new(move || {
        if let Some(Ok(())) = detach.value().get() {
            on_close.run(());
        }
    });
    view! {
        <Modal title_id=crate::host::uid("detach-title") on_close=on_close>
            <h2 id=crate::host::uid("detach-title")>{t(T::DetachDiskQ)}</h2>
            <p>{move || tf(T::DetachText, &[("instance", &label())])}</p>
            {move || detach.value().get().and_then(Result::err).map(|e| view! { <p class="dc-field__error" role="alert">{e.message()}</p> })}
            <div class="dc-dialog__buttons">
                <button type="button" class="dc-button" on:click=move |_| on_close.run(())>{t(T::Cancel)}</button>
                <button type="button" class="dc-button dc-button--primary" disabled=move || detach.pending().get()
                    on:click=move |_| detach.run(detach_work())>{t(T::Detach)}</button>
            </div>
        </Modal>
    }
}
