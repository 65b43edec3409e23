//! The snapshot table, shared by a disk's detail page and the snapshot list. Rows read their snapshot from
//! the live store, so a status change re-renders that row's cells and nothing else. Edit and Delete live here
//! too, with their dialogs.

use crate::api::{ApiError, Client};
use crate::components::modal::{DialogButtons, Modal};
use crate::components::status_badge::status_badge;
use crate::components::toasts::use_toasts;
use crate::dom::{el, set_attr, Raw};
use crate::format::{capacity_gib, short_time, snapshot_status};
use crate::i18n::{t, tf, T};
use crate::live::{parse_time, use_live};
use crate::router::{link, use_router};
use crate::schedule::{about, elapsed};
use crate::task::Task;
use disk_api::query::encode_component;
use disk_api::validate::{check_description, check_name, DESCRIPTION_MAX_CHARS};
use disk_api::{ModifySnapshotAttributeRequest, Snapshot};
use leptos::prelude::*;
use std::collections::{BTreeSet, HashMap};
use wasm_bindgen::JsCast;

/// What a snapshot's t(T::SourceDisk) cell shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceDisk {
    /// Known disk: its name.
    Named(String),
    /// The disk no longer exists.
    Deleted,
}

#[component]
pub fn SnapshotTable(
    /// The region the snapshots are in.
    #[prop(into)]
    region: Signal<String>,
    /// The IDs of the rows, in order (each must be in the live store).
    #[prop(into)]
    ids: Signal<Vec<String>>,
    /// Source disk names by disk ID; `None` hides the column.
    #[prop(optional, into)]
    disks: Option<Signal<HashMap<String, SourceDisk>>>,
    /// Row selection for batch actions; `None` hides the checkboxes.
    #[prop(optional)]
    selected: Option<RwSignal<BTreeSet<String>>>,
    /// The table's caption (read by screen readers).
    caption: &'static str,
) -> impl IntoView {
    let live = use_live();
    let session = crate::session::use_session();
    let (editing, set_editing) = signal(None::<String>);
    let (deleting, set_deleting) = signal(None::<Vec<String>>);
    let (making_disk, set_making_disk) = signal(None::<String>);
    let show_disks = disks.is_some();
    // Rows are built with [`crate::dom`] (a page may hold 100 of them); each follows its snapshot's signal.
    let router = use_router();
    let row = move |id: String| {
        let Some(sig) = live.snapshot(&id) else { return Raw::from(el("tr")) };
        let progress = move || {
            let s = sig.get();
            if !s.status.is_transitional() {
                return String::new();
            }
            let started =
                live.pending_since(&s.snapshot_id, &s.status).unwrap_or_else(|| parse_time(&s.create_time));
            let since = elapsed((live.now_ms.get() - started) / 1000.0);
            let left = live.remaining_secs(&s.snapshot_id).map(|r| match r {
                None => t(T::Estimating).to_owned(),
                Some(r) if r <= 0.0 => t(T::Finishing).to_owned(),
                Some(r) => tf(T::LeftAbout, &[("about", &about(r))]),
            });
            match left {
                Some(left) if s.status == disk_api::SnapshotStatus::Creating => {
                    tf(T::ElapsedLeft, &[("since", &since), ("left", &left)])
                }
                _ => tf(T::Elapsed, &[("since", &since)]),
            }
        };
        // The status cell's ID: a button the status disables points at it (`aria-describedby`).
        let status_id = crate::host::uid(&format!("st-{id}"));
        let mut tr = el("tr");
        if let Some(sel) = selected {
            let (a, b) = (id.clone(), id.clone());
            let name = sig.with_untracked(|s| s.name.clone());
            tr = tr.child(
                el("td").class("dc-check").child(
                    el("input")
                        .attr("type", "checkbox")
                        .attr("aria-label", &tf(T::SelectName, &[("name", &name)]))
                        .dyn_with(move |input| {
                            let input: &web_sys::HtmlInputElement = input.unchecked_ref();
                            let checked = sel.with(|s| s.contains(&a));
                            if input.checked() != checked {
                                input.set_checked(checked);
                            }
                            let ro = session.read_only_reason().is_some();
                            let off = ro || !sig.with(|s| s.status.is_deletable());
                            set_attr(input, "disabled", off.then_some(""));
                        })
                        .on("change", move |ev| {
                            let on = event_target_checked(&ev);
                            sel.update(|s| {
                                if on {
                                    s.insert(b.clone());
                                } else {
                                    s.remove(&b);
                                }
                            });
                        }),
                ),
            );
        }
        tr = tr
            .child(
                el("th")
                    .attr("scope", "row")
                    .class("dc-cell-name")
                    .child({
                        let href = format!(
                            "/snapshots/{}?region={}",
                            encode_component(&id),
                            encode_component(&region.get_untracked())
                        );
                        link(router, &href).class("dc-name").dyn_text(move || sig.with(|s| s.name.clone()))
                    })
                    .child(el("span").class("dc-id").text(&id)),
            )
            .child(
                el("td")
                    .attr("id", &status_id)
                    .child(status_badge(move || sig.with(|s| snapshot_status(&s.status))))
                    .child(el("span").class("dc-progress").dyn_text(progress))
                    .dyn_child(move || {
                        failed_note(live, sig, &region.get_untracked(), session.read_only_reason().is_none())
                    }),
            );
        if let Some(disks) = disks {
            tr = tr.child(el("td").dyn_child(move || {
                let disk_id = sig.with(|s| s.disk_id.clone());
                let cell = match disks.with(|d| d.get(&disk_id).cloned()) {
                    Some(SourceDisk::Deleted) => el("span")
                        .text(&crate::names::with_id(
                            crate::names::use_names().disk(&disk_id).as_deref(),
                            &disk_id,
                        ))
                        .text(" ")
                        .child(el("span").class("dc-muted").text(t(T::DeletedDisk))),
                    known => {
                        let name = match known {
                            Some(SourceDisk::Named(n)) => n,
                            _ => disk_id.clone(),
                        };
                        let href = format!(
                            "/disks/{}?region={}",
                            encode_component(&disk_id),
                            encode_component(&region.get_untracked())
                        );
                        link(router, &href).text(&name)
                    }
                };
                Some(cell.into())
            }));
        }
        let (edit_id, delete_id, disk_from) = (id.clone(), id.clone(), id);
        let (st_a, st_b, st_c) = (status_id.clone(), status_id.clone(), status_id);
        Raw::from(
            tr.child(el("td").dyn_text(move || capacity_gib(sig.with(|s| s.snapshot_size_gb))))
                .child(el("td").dyn_text(move || sig.with(|s| short_time(&s.create_time))))
                .child(el("td").class("dc-desc").dyn_text(move || sig.with(|s| s.description.clone())))
                .child(
                    el("td")
                        .class("dc-actions")
                        .child(
                            crate::dom::small_button()
                                .dyn_with(move |b| {
                                    // A disk can be made only from an available snapshot.
                                    let ro = session.read_only_reason().is_some();
                                    let off =
                                        ro || sig.with(|s| s.status != disk_api::SnapshotStatus::Available);
                                    explain(b, off, ro, &st_a);
                                })
                                .on("click", move |_| set_making_disk.set(Some(disk_from.clone())))
                                .text(t(T::CreateDisk)),
                        )
                        .child(
                            crate::dom::small_button()
                                .dyn_with(move |b| {
                                    // A viewer may not change it: the reason says so.
                                    let ro = session.read_only_reason().is_some();
                                    let off =
                                        ro || sig.with(|s| s.status == disk_api::SnapshotStatus::Deleting);
                                    explain(b, off, ro, &st_b);
                                })
                                .on("click", move |_| set_editing.set(Some(edit_id.clone())))
                                .text(t(T::Edit)),
                        )
                        .child(
                            crate::dom::small_button()
                                .dyn_with(move |b| {
                                    let ro = session.read_only_reason().is_some();
                                    let off = ro || !sig.with(|s| s.status.is_deletable());
                                    explain(b, off, ro, &st_c);
                                })
                                .on("click", move |_| set_deleting.set(Some(vec![delete_id.clone()])))
                                .text(t(T::Delete)),
                        ),
                ),
        )
    };
    let visible = move || ids.get().into_iter().filter(|id| !live.is_gone(id)).collect::<Vec<_>>();
    let batch = selected.map(|sel| {
        view! {
            <div class="dc-batch">
                <button type="button" class="dc-button"
                    disabled=move || sel.with(|s| s.is_empty()) || session.read_only_reason().is_some()
                    aria-describedby=move || session.read_only_reason().map(|_| crate::host::uid(crate::session::READ_ONLY_NOTE))
                    on:click=move |_| set_deleting.set(Some(sel.get_untracked().into_iter().collect()))>
                    {move || tf(T::DeleteSelected, &[("n", &sel.with(|s| s.len()).to_string())])}
                </button>
            </div>
        }
    });
    view! {
        {batch}
        <div class="dc-table-wrap">
            <table class="dc-table">
                <caption class="dc-visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        {selected.map(|sel| {
                            // Every row that can be deleted now, at once.
                            let selectable = move || {
                                visible()
                                    .into_iter()
                                    .filter(|id| live.snapshot(id).is_some_and(|s| s.with(|s| s.status.is_deletable())))
                                    .collect::<Vec<_>>()
                            };
                            let chosen = move || {
                                let all = selectable();
                                let n = sel.with(|s| all.iter().filter(|i| s.contains(*i)).count());
                                (n, all.len())
                            };
                            view! {
                                <th scope="col" class="dc-check">
                                    <input type="checkbox" aria-label=t(T::SelectAll)
                                        prop:checked=move || { let (n, all) = chosen(); all > 0 && n == all }
                                        prop:indeterminate=move || { let (n, all) = chosen(); n > 0 && n < all }
                                        disabled=move || session.read_only_reason().is_some() || chosen().1 == 0
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            sel.set(if on { selectable().into_iter().collect() } else { BTreeSet::new() });
                                        } />
                                </th>
                            }
                        })}
                        <th scope="col" class="dc-cell-name">{t(T::Name)}</th>
                        <th scope="col">{t(T::Status)}</th>
                        {show_disks.then(|| view! { <th scope="col">{t(T::SourceDisk)}</th> })}
                        <th scope="col">{t(T::Size)}</th>
                        <th scope="col">{t(T::Created)}</th>
                        <th scope="col">{t(T::Description)}</th>
                        <th scope="col" class="dc-actions">{t(T::Actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=visible key=|id| id.clone() children=move |id| row(id) />
                </tbody>
            </table>
        </div>
        {move || editing.get().and_then(|id| live.snapshot(&id)).map(|sig| view! {
            <EditSnapshotDialog region=region.get_untracked() snapshot=sig.get_untracked() on_close=move || set_editing.set(None) />
        })}
        {move || making_disk.get().and_then(|id| live.snapshot(&id)).map(|sig| {
            let snapshot = sig.get_untracked();
            let source = live.disk(&snapshot.disk_id).map(|d| d.get_untracked());
            view! {
                <crate::components::after_snapshot::CreateDiskDialog region=region.get_untracked() snapshot source on_close=move || set_making_disk.set(None) />
            }
        })}
        {move || deleting.get().map(|ids| view! {
            <DeleteSnapshotsDialog region=region.get_untracked() ids on_close=move || set_deleting.set(None) selected />
        })}
    }
}

/// Turns a row's button off or on; an off one points at the text that says why: the role's note, else the
/// row's status.
fn explain(b: &web_sys::Element, off: bool, read_only: bool, status_id: &str) {
    let why = off.then(|| {
        if read_only {
            crate::host::uid(crate::session::READ_ONLY_NOTE)
        } else {
            status_id.to_owned()
        }
    });
    set_attr(b, "aria-describedby", why.as_deref());
    set_attr(b, "disabled", off.then_some(""));
}

/// What a failed snapshot's row says: why (the API gives no reason, so it says so), that it still counts
/// toward the quota, and Retry (creating) or Delete again (deleting), beside the row's own Delete.
fn failed_note(
    live: crate::live::Live,
    sig: RwSignal<Snapshot>,
    region: &str,
    can_act: bool,
) -> Option<web_sys::Node> {
    let status = sig.with(|s| s.status.clone());
    let (why, retry) = match status {
        disk_api::SnapshotStatus::ErrorCreate => (T::CreateFailedNoReason, Some(T::Retry)),
        disk_api::SnapshotStatus::ErrorDelete => (T::DeleteFailedNoReason, None),
        _ => return None,
    };
    let mut note = el("div")
        .class("dc-failed")
        .child(el("p").text(t(why)))
        .child(el("p").class("dc-muted").text(t(T::FailedCountsTowardQuota)));
    if let (Some(label), true) = (retry, can_act) {
        let region = region.to_owned();
        note = note.child(
            crate::dom::small_button()
                .on("click", move |_| live.retry_create(&region, &sig.get_untracked()))
                .text(t(label)),
        );
    }
    Some(note.into())
}

/// One snapshot of a delete request: its ID and why it failed, if it did.
type ItemOutcome = (String, Result<(), String>);

/// Confirms and deletes one or more snapshots.
#[component]
pub(crate) fn DeleteSnapshotsDialog(
    /// Their region.
    region: String,
    /// What to delete.
    ids: Vec<String>,
    /// Closes the dialog.
    #[prop(into)]
    on_close: Callback<()>,
    /// The selection to clear after a batch delete.
    selected: Option<RwSignal<BTreeSet<String>>>,
) -> impl IntoView {
    let api = expect_context::<Client>();
    let live = use_live();
    let toasts = use_toasts();
    let names: Vec<String> = ids
        .iter()
        .map(|id| {
            let name = live.snapshot(id).map(|s| s.with_untracked(|s| s.name.clone())).unwrap_or_default();
            format!("{name} ({id})")
        })
        .collect();
    let title = if ids.len() == 1 {
        t(T::DeleteSnapshotQ).to_owned()
    } else {
        tf(T::DeleteSnapshotsQ, &[("n", &ids.len().to_string())])
    };
    let failure = RwSignal::new(None::<String>);
    let (ids_for_toast, toast_names) = (ids.clone(), names.clone());
    let delete: Task<(String, Result<Vec<ItemOutcome>, ApiError>)> = Task::new();
    let delete_work = move |ids: Vec<String>| {
        let (api, region) = (api.clone(), region.clone());
        async move {
            let outcome: Result<Vec<ItemOutcome>, ApiError> = if ids.len() == 1 {
                api.delete_snapshot(&region, &ids[0])
                    .await
                    .map(|_| vec![(ids[0].clone(), Ok(()))])
                    .or_else(|e| Ok(vec![(ids[0].clone(), Err(e.message()))]))
            } else {
                api.delete_snapshots(&region, &ids).await.map(|r| {
                    r.snapshots
                        .into_iter()
                        .map(|d| (d.snapshot_id, if d.success { Ok(()) } else { Err(d.detail) }))
                        .collect()
                })
            };
            (region, outcome)
        }
    };
    Effect::new(move || {
        let Some((region, outcome)) = delete.value().get() else { return };
        match outcome {
            Ok(items) => {
                let mut failed = Vec::new();
                for (id, r) in items {
                    match r {
                        Ok(()) => live.deleting(&region, &id),
                        Err(why) => failed.push(format!("{id}: {why}")),
                    }
                }
                if let Some(sel) = selected {
                    sel.set(BTreeSet::new());
                }
                if failed.is_empty() {
                    // Named, and gone as soon as the snapshots are.
                    let text = match toast_names.as_slice() {
                        [one] => tf(T::DeletingSnapshotToast, &[("name", one)]),
                        many => tf(T::DeletingSnapshotsToast, &[("n", &many.len().to_string())]),
                    };
                    toasts.progress(ids_for_toast.clone(), text);
                    on_close.run(());
                } else {
                    failure.set(Some(failed.join("; ")));
                }
            }
            Err(e) => failure.set(Some(e.message())),
        }
    });
    let ids_for_submit = ids.clone();
    view! {
        <Modal title_id=crate::host::uid("delete-snapshot-title") on_close=on_close>
            <h2 id=crate::host::uid("delete-snapshot-title")>{title}</h2>
            <ul class="dc-list">{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            <p>{t(T::CannotBeUndone)}</p>
            {move || failure.get().map(|f| view! { <p class="dc-field__error" role="alert">{f}</p> })}
            <div class="dc-dialog__buttons">
                <button type="button" class="dc-button" on:click=move |_| on_close.run(())>{t(T::Cancel)}</button>
                <button type="button" class="dc-button dc-button--danger" disabled=move || delete.pending().get()
                    on:click=move |_| delete.run(delete_work(ids_for_submit.clone()))>{t(T::Delete)}</button>
            </div>
        </Modal>
    }
}

/// Changes a snapshot's name and description.
#[component]
pub(crate) fn EditSnapshotDialog(
    /// Its region.
    region: String,
    /// The snapshot as shown now.
    snapshot: Snapshot,
    /// Closes the dialog.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let api = expect_context::<Client>();
    let live = use_live();
    let toasts = use_toasts();
    let (name, set_name) = signal(snapshot.name.clone());
    let (description, set_description) = signal(snapshot.description.clone());
    let name_problem = move || check_name(&name.get()).err();
    let description_problem = move || check_description(&description.get()).err();
    let failure = RwSignal::new(None::<ApiError>);
    let id = snapshot.snapshot_id.clone();
    let save: Task<Result<(String, ModifySnapshotAttributeRequest), ApiError>> = Task::new();
    let save_work = move |(name, description): (String, String)| {
        let (api, region, id) = (api.clone(), region.clone(), id.clone());
        let change = ModifySnapshotAttributeRequest {
            name: Some(name),
            description: Some(description),
            expire_time: None,
        };
        async move { api.modify_snapshot_attribute(&region, &id, &change).await.map(|_| (id, change)) }
    };
    Effect::new(move || match save.value().get() {
        Some(Ok((id, change))) => {
            let name = change.name.unwrap_or_default();
            if let Some(sig) = live.snapshot(&id) {
                sig.update(|s| {
                    s.name = name.clone();
                    s.description = change.description.unwrap_or_default();
                });
            }
            toasts.info(tf(T::SnapshotSaved, &[("name", &name)]));
            on_close.run(());
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let ok = move || name_problem().is_none() && description_problem().is_none() && !save.pending().get();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if ok() {
            save.run(save_work((name.get_untracked(), description.get_untracked())));
        }
    };
    view! {
        <Modal title_id=crate::host::uid("edit-snapshot-title") on_close=on_close>
            <form on:submit=on_submit novalidate>
                <h2 id=crate::host::uid("edit-snapshot-title")>{t(T::EditSnapshot)}</h2>
                <p class="dc-id">{snapshot.snapshot_id.clone()}</p>
                <div class="dc-field">
                    <label for=crate::host::uid("edit-name")>{t(T::Name)}</label>
                    <input id=crate::host::uid("edit-name") type="text" prop:value=name aria-describedby=format!("{} {}", crate::host::uid("edit-name-help"), crate::host::uid("edit-name-error"))
                        on:input=move |ev| set_name.set(event_target_value(&ev)) />
                    <p id=crate::host::uid("edit-name-help") class="dc-field__help">{t(T::NameHelp)}</p>
                    <p id=crate::host::uid("edit-name-error") class="dc-field__error" aria-live="polite">{move || name_problem().map(|p| crate::format::name_problem_text(&p))}</p>
                </div>
                <div class="dc-field">
                    <label for=crate::host::uid("edit-description")>{t(T::Description)}</label>
                    <textarea id=crate::host::uid("edit-description") rows="3" prop:value=description aria-describedby=crate::host::uid("edit-description-error")
                        on:input=move |ev| set_description.set(event_target_value(&ev))></textarea>
                    <p class="dc-field__help">{move || tf(T::DescriptionCount, &[("n", &description.with(|d| d.chars().count()).to_string()), ("max", &DESCRIPTION_MAX_CHARS.to_string())])}</p>
                    <p id=crate::host::uid("edit-description-error") class="dc-field__error" aria-live="polite">{move || description_problem().map(|p| crate::format::description_problem_text(&p))}</p>
                </div>
                {move || failure.get().map(|e| view! { <p class="dc-field__error" role="alert">{e.message()}</p> })}
                <DialogButtons on_cancel=on_close label=t(T::OkButton) disabled=Signal::derive(move || !ok()) />
                <p class="dc-field__help" aria-live="polite">{move || save.pending().get().then_some(t(T::Saving))}</p>
            </form>
        </Modal>
    }
}
