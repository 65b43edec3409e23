//! One snapshot (`/snapshots/{id}?region=…`): its facts, its status live, its source disk by name (or
//! "(deleted)"), and what can be done with it: Create Disk, Roll Back Source Disk, Edit, Delete.

use crate::api::{ApiError, Client};
use crate::components::after_snapshot::{rollback_blocked, CreateDiskDialog, RollbackDialog};
use crate::components::error_view::ErrorView;
use crate::components::snapshot_table::{DeleteSnapshotsDialog, EditSnapshotDialog};
use crate::components::status_badge::status_badge;
use crate::dom::Raw;
use crate::format::{capacity_gib, disk_status, short_time, snapshot_status};
use crate::i18n::{t, tf, T};
use crate::live::use_live;
use crate::pages::disk_detail::{NotAnId, NotAnIdKind};
use crate::router::Link;
use crate::task::{ApiLoad, Shown};
use disk_api::query::encode_component;
use disk_api::{Disk, Snapshot, SnapshotStatus};
use leptos::prelude::*;

#[component]
pub fn SnapshotDetailPage(
    /// The snapshot's ID, from the path.
    snapshot_id: String,
) -> impl IntoView {
    let api = expect_context::<Client>();
    let region = crate::pages::use_url_region();
    let live = use_live();
    crate::host::use_host().set_title(&snapshot_id, t(T::Snapshots));
    if !disk_api::validate::is_snapshot_id(&snapshot_id) {
        // Not an ID the API could know: no request, and no Retry that cannot help.
        return view! { <NotAnId id=snapshot_id kind=NotAnIdKind::Snapshot region=region.get_untracked() /> }
            .into_any();
    }
    let id = snapshot_id.clone();
    let loaded = ApiLoad::new(move || {
        let (api, region, id) = (api.clone(), region.get(), id.clone());
        async move {
            let snapshot = api.describe_snapshot(&region, &id).await?.snapshot;
            // The source disk, if it still exists (snapshots outlive their disks).
            let disk = match api.describe_disk(&region, &snapshot.disk_id).await {
                Ok(r) => Some(r.disk),
                Err(ApiError::Api { code: 404, .. }) => None,
                Err(e) => return Err(e),
            };
            Ok::<_, ApiError>((region, snapshot, disk))
        }
    });
    view! {
        {move || match loaded.shown() {
            Shown::Loading => view! { <p class="dc-loading" role="status">{t(T::LoadingSnapshot)}</p> }.into_any(),
            Shown::Data((region, s, d)) => {
                let snapshot = live.observe(&region, s);
                let disk = d.map(|d| live.observe_disk(&region, d));
                view! { <SnapshotDetail region snapshot disk /> }.into_any()
            }
            Shown::Failed(ApiError::Api { code: 404, .. }) => {
                let href = format!("/snapshots?region={}", encode_component(&region.get_untracked()));
                view! {
                    <section class="dc-empty">
                        <h1>{t(T::SnapshotNotFound)}</h1>
                        <p>{tf(T::SnapshotNotFoundText, &[("snapshot", &snapshot_id), ("region", &region.get_untracked())])}</p>
                        <Link href=href>{t(T::BackToSnapshotList)}</Link>
                    </section>
                }
                .into_any()
            }
            Shown::Failed(error) => view! {
                <ErrorView title=t(T::CouldNotLoadSnapshot) error on_retry=move || loaded.refetch() />
            }
            .into_any(),
        }}
    }
    .into_any()
}

/// Which dialog the page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    CreateDisk,
    Rollback,
    Edit,
    Delete,
}

#[component]
fn SnapshotDetail(
    region: String,
    /// The snapshot's live signal.
    snapshot: RwSignal<Snapshot>,
    /// The source disk's live signal; `None` when it is gone.
    disk: Option<RwSignal<Disk>>,
) -> impl IntoView {
    let live = use_live();
    let session = crate::session::use_session();
    let (open, set_open) = signal(None::<Open>);
    let s = snapshot.get_untracked();
    let id = s.snapshot_id.clone();
    let gone = {
        let id = id.clone();
        move || live.is_gone(&id)
    };
    let list_href = format!("/snapshots?region={}", encode_component(&region));
    let host = crate::host::use_host();
    Effect::new(move || host.set_title(&snapshot.with(|s| s.name.clone()), t(T::Snapshots)));
    let source = match disk {
        Some(d) => {
            let href = format!(
                "/disks/{}?region={}",
                encode_component(&s.disk_id),
                encode_component(&region)
            );
            view! {
                <dt>{t(T::SourceDisk)}</dt>
                <dd><Link href=href>{move || d.with(|d| d.name.clone())}</Link> " " <span class="dc-id">{s.disk_id.clone()}</span></dd>
                <dt>{t(T::SourceDiskStatus)}</dt>
                <dd>{Raw::from(status_badge(move || d.with(|d| disk_status(&d.status))))}</dd>
            }
            .into_any()
        }
        None => view! {
            <dt>{t(T::SourceDisk)}</dt>
            <dd>{crate::names::with_id(crate::names::use_names().disk(&s.disk_id).as_deref(), &s.disk_id)} " " <span class="dc-muted">{t(T::DeletedDisk)}</span></dd>
        }
        .into_any(),
    };
    // Why each action is off, in text next to the buttons (not only a hover title).
    let read_only = move || session.read_only_reason();
    let available = move || snapshot.with(|s| s.status == SnapshotStatus::Available);
    let create_blocked = move || {
        read_only().or_else(|| {
            (!available()).then(|| {
                tf(
                    T::NotWhileSnapshot,
                    &[("status", &snapshot_status(&snapshot.get().status).0.to_lowercase())],
                )
            })
        })
    };
    let rollback_reason = move || {
        read_only()
            .or_else(|| {
                (!available()).then(|| {
                    tf(
                        T::NotWhileSnapshot,
                        &[("status", &snapshot_status(&snapshot.get().status).0.to_lowercase())],
                    )
                })
            })
            .or_else(|| match disk {
                None => Some(t(T::RollbackSourceGone).to_owned()),
                Some(d) => d.with(rollback_blocked),
            })
    };
    let delete_blocked = move || {
        read_only()
            .or_else(|| (!snapshot.with(|s| s.status.is_deletable())).then(|| t(T::DiskBusy).to_owned()))
    };
    let uid = crate::host::uid;
    // Each distinct reason once, in text; a disabled button points at its reason (aria-describedby).
    let reasons = move || {
        let mut distinct: Vec<String> = Vec::new();
        for r in [create_blocked(), rollback_reason(), read_only(), delete_blocked()].into_iter().flatten() {
            if !distinct.contains(&r) {
                distinct.push(r);
            }
        }
        distinct
    };
    let button = move |label: &'static str, which: Open, reason: Signal<Option<String>>| {
        let described = move || {
            let r = reason.get()?;
            reasons().iter().position(|x| *x == r).map(|i| uid(&format!("why-{i}")))
        };
        view! {
            <button type="button" class="dc-button" disabled=move || reason.get().is_some()
                aria-describedby=described on:click=move |_| set_open.set(Some(which))>{label}</button>
        }
    };
    let notes = move || {
        reasons()
            .into_iter()
            .enumerate()
            .map(|(i, text)| view! { <p class="dc-note" id=uid(&format!("why-{i}"))>{text}</p> })
            .collect_view()
    };
    let region_for_dialogs = region.clone();
    view! {
        <section class="dc-page" aria-labelledby=uid("snapshot-title")>
            <crate::pages::Breadcrumb list=T::Snapshots href=list_href.clone() current=Signal::derive(move || snapshot.with(|s| s.name.clone())) />
            <div class="dc-page__head">
                <div>
                    <h1 id=uid("snapshot-title")>{move || snapshot.with(|s| s.name.clone())}</h1>
                    <p class="dc-id">{id.clone()}</p>
                    <div aria-live="polite">{Raw::from(status_badge(move || snapshot.with(|s| snapshot_status(&s.status))))}</div>
                </div>
                <div class="dc-toolbar">
                    {button(t(T::CreateDisk), Open::CreateDisk, Signal::derive(create_blocked))}
                    {button(t(T::RollBackSourceDisk), Open::Rollback, Signal::derive(rollback_reason))}
                    {button(t(T::Edit), Open::Edit, Signal::derive(read_only))}
                    {button(t(T::Delete), Open::Delete, Signal::derive(delete_blocked))}
                </div>
            </div>
            {notes}
            {move || gone().then(|| view! { <p class="dc-note dc-note--warn" role="status">{t(T::SnapshotGoneNow)} " " <Link href=list_href.clone()>{t(T::BackToSnapshotList)}</Link></p> })}
            <dl class="dc-facts dc-facts--grid">
                {source}
                <dt>{t(T::Size)}</dt><dd>{capacity_gib(s.snapshot_size_gb)}</dd>
                <dt>{t(T::Created)}</dt><dd>{short_time(&s.create_time)}</dd>
                <dt>{t(T::Encrypted)}</dt><dd>{if s.encrypted { t(T::Yes) } else { t(T::No) }}</dd>
                <dt>{t(T::Description)}</dt><dd>{move || snapshot.with(|s| if s.description.is_empty() { "—".to_owned() } else { s.description.clone() })}</dd>
            </dl>
            {move || {
                let region = region_for_dialogs.clone();
                let close = move || set_open.set(None);
                match open.get()? {
                    Open::CreateDisk => Some(view! { <CreateDiskDialog region snapshot=snapshot.get_untracked() source=disk.map(|d| d.get_untracked()) on_close=close /> }.into_any()),
                    Open::Rollback => disk.map(|disk| view! { <RollbackDialog region snapshot=snapshot.get_untracked() disk on_close=close /> }.into_any()),
                    Open::Edit => Some(view! { <EditSnapshotDialog region snapshot=snapshot.get_untracked() on_close=close /> }.into_any()),
                    Open::Delete => Some(view! { <DeleteSnapshotsDialog region ids=vec![snapshot.get_untracked().snapshot_id] on_close=close selected=None /> }.into_any()),
                }
            }}
        </section>
    }
}
