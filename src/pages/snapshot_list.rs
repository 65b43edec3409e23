use crate::api::Client;
use crate::components::error_view::ErrorView;
use crate::components::freshness::Freshness;
use crate::components::pager::Pager;
use crate::components::quota::QuotaMeter;
use crate::components::snapshot_table::{SnapshotTable, SourceDisk};
use crate::format::snapshot_status;
use crate::i18n::{t, tf, T};
use crate::live::{now, use_live};
use crate::pages::{use_list_view, ListView};
use crate::task::Load;
use disk_api::console_url::DiskListState;
use disk_api::query::ListQuery;
use disk_api::SnapshotStatus;
use leptos::html;
use leptos::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// Every snapshot of a region: filter by name and status, paging, quota, delete (also several at once) and
/// edit.
#[component]
pub fn SnapshotListPage() -> impl IntoView {
    let api = expect_context::<Client>();
    let live = use_live();
    let ListView { state, go, region } = use_list_view("/snapshots");
    let (loaded_ms, set_loaded_ms) = signal(None::<f64>);
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let page = Load::new(move || {
        let (api, s) = (api.clone(), state.get());
        let answer = api.describe_snapshots(&s.region, &s.list_query());
        async move {
            let result = answer.await?;
            // Names of the source disks; a disk that is not found is gone.
            let disk_ids: BTreeSet<String> = result.snapshots.iter().map(|x| x.disk_id.clone()).collect();
            let mut disks = HashMap::new();
            if !disk_ids.is_empty() {
                let q = ListQuery::default().filter("diskId", disk_ids.iter().cloned()).page(1, 100);
                if let Ok(found) = api.describe_disks(&s.region, &q).await {
                    for id in &disk_ids {
                        let d = found.disks.iter().find(|d| &d.disk_id == id);
                        disks.insert(
                            id.clone(),
                            d.map_or(SourceDisk::Deleted, |d| SourceDisk::Named(d.name.clone())),
                        );
                    }
                }
            }
            let ids: Vec<String> = result
                .snapshots
                .into_iter()
                .map(|x| live.observe(&s.region, x).get_untracked().snapshot_id)
                .collect();
            set_loaded_ms.set(Some(now()));
            selected.set(BTreeSet::new());
            Ok::<_, crate::api::ApiError>((ids, result.total_count, disks))
        }
    });

    let search_input = NodeRef::<html::Input>::new();
    let status_select = NodeRef::<html::Select>::new();
    let on_filter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = search_input.get().map(|i| i.value()).unwrap_or_default();
        let status = status_select.get().map(|s| s.value()).unwrap_or_default();
        go.run(DiskListState { name: name.trim().to_owned(), status, page: 1, ..state.get_untracked() });
    };
    let statuses = [
        SnapshotStatus::Creating,
        SnapshotStatus::Available,
        SnapshotStatus::Deleting,
        SnapshotStatus::ErrorCreate,
        SnapshotStatus::ErrorDelete,
    ];

    view! {
        <section class="dc-page" aria-labelledby=crate::host::uid("snapshot-list-title")>
            <div class="dc-page__head">
                <h1 id=crate::host::uid("snapshot-list-title")>{t(T::Snapshots)}</h1>
                <form class="dc-search" role="search" on:submit=on_filter>
                    <label for=crate::host::uid("snapshot-search")>{t(T::SearchByName)}</label>
                    <input id=crate::host::uid("snapshot-search") type="search" node_ref=search_input prop:value=move || state.get().name maxlength="32" />
                    <label for=crate::host::uid("snapshot-status")>{t(T::Status)}</label>
                    <select id=crate::host::uid("snapshot-status") node_ref=status_select prop:value=move || state.get().status>
                        <option value="">{t(T::All)}</option>
                        {statuses.into_iter().map(|s| {
                            let label = snapshot_status(&s).0;
                            let value = s.as_str().to_owned();
                            view! { <option value=value.clone() selected=move || state.get().status == value>{label}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="dc-button">{t(T::Filter)}</button>
                </form>
            </div>
            <div class="dc-toolbar">
                <QuotaMeter region />
                <Freshness loaded_ms on_refresh=move || page.refetch() />
            </div>
            <p class="dc-note">{t(T::ManualKeptList)}</p>
            {move || match page.get() {
                        None => view! { <p class="dc-loading" role="status">{t(T::LoadingSnapshots)}</p> }.into_any(),
                        Some(Ok((fetched, total, disks))) => {
                            let s = state.get_untracked();
                            let unfiltered_first_page = s.page == 1 && s.name.is_empty() && s.status.is_empty();
                            let region_now = s.region.clone();
                            let fetched_ids = fetched.clone();
                            let ids = Signal::derive(move || {
                                let mut ids: Vec<String> = if unfiltered_first_page {
                                    live.created_in(&region_now).into_iter().filter(|id| !fetched_ids.contains(id)).collect()
                                } else {
                                    Vec::new()
                                };
                                ids.extend(fetched_ids.iter().cloned());
                                ids
                            });
                            let empty = total == 0 && ids.with_untracked(|i| i.is_empty());
                            let disks = Signal::stored(disks);
                            let on_page = { let s = s.clone(); Callback::new(move |p| go.run(s.with_page(p))) };
                            let on_page_size = { let s = s.clone(); Callback::new(move |size| go.run(DiskListState { page_size: size, page: 1, ..s.clone() })) };
                            if empty {
                                view! { <div class="dc-empty" role="status"><p>{tf(T::NoSnapshotsMatch, &[("region", &s.region)])}</p></div> }.into_any()
                            } else {
                                view! {
                                    <SnapshotTable region ids disks selected caption=t(T::Snapshots) />
                                    <Pager page=s.page page_size=s.page_size total on_page on_page_size />
                                }.into_any()
                            }
                        }
                        Some(Err(error)) => view! {
                            <ErrorView title=t(T::CouldNotLoadSnapshots) error on_retry=move || page.refetch() />
                        }.into_any(),
            }}
        </section>
    }
}
