use crate::api::Client;
use crate::components::error_view::ErrorView;
use crate::components::freshness::Freshness;
use crate::components::pager::Pager;
use crate::components::quota::QuotaMeter;
use crate::components::snapshot_table::{SnapshotTable, SourceDisk};
use crate::format::snapshot_status;
use crate::i18n::{t, tf, T};
use crate::live::use_live;
use crate::pages::{use_list_view, ListView};
use crate::task::{ApiLoad, Shown};
use disk_api::console_url::{page_count, DiskListState};
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
    let ListView { state, go, replace, region } = use_list_view("/snapshots");
    crate::host::use_host().set_title(t(T::Snapshots), t(T::ConsoleName));
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let names = crate::names::use_names();
    let page = ApiLoad::new(move || {
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
                    names.remember_disks(found.disks.iter().map(|d| (d.disk_id.as_str(), d.name.as_str())));
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
                    {move || {
                        let s = state.get();
                        (!s.name.is_empty() || !s.status.is_empty()).then(|| {
                            let cleared = DiskListState { name: String::new(), status: String::new(), page: 1, ..s };
                            view! { <button type="button" class="dc-button" on:click=move |_| go.run(cleared.clone())>{t(T::ClearFilters)}</button> }
                        })
                    }}
                </form>
            </div>
            <div class="dc-toolbar">
                <QuotaMeter region />
                <Freshness loaded_ms=page.loaded_ms() stale=page.stale() on_refresh=move || page.refetch() />
            </div>
            <p class="dc-note">{t(T::ManualKeptList)}</p>
            {move || match page.shown() {
                Shown::Loading => view! { <p class="dc-loading" role="status">{t(T::LoadingSnapshots)}</p> }.into_any(),
                Shown::Data((fetched, total, disks)) => {
                    let s = state.get_untracked();
                    let pages = page_count(total, s.page_size);
                    if total > 0 && s.page > pages {
                        // Past the end (an old link, or the last page emptied): the last page instead.
                        replace.run(s.with_page(pages));
                        return view! { <p class="dc-loading" role="status">{t(T::LoadingSnapshots)}</p> }.into_any();
                    }
                    let filtered = !s.name.is_empty() || !s.status.is_empty();
                    let unfiltered_first_page = s.page == 1 && !filtered;
                    let region_now = s.region.clone();
                    let fetched = StoredValue::new(fetched);
                    // Made here since the answer (shown first), and what is gone taken off, so the rows, the
                    // count and the pager agree.
                    let added = Memo::new(move |_| {
                        if !unfiltered_first_page {
                            return Vec::new();
                        }
                        let created = live.created_in(&region_now);
                        fetched.with_value(|f| created.into_iter().filter(|id| !f.contains(id) && !live.is_gone(id)).collect::<Vec<_>>())
                    });
                    let ids = Signal::derive(move || {
                        let mut ids = added.get();
                        fetched.with_value(|f| ids.extend(f.iter().filter(|id| !live.is_gone(id)).cloned()));
                        ids
                    });
                    let total_now = Signal::derive(move || {
                        let gone = fetched.with_value(|f| f.iter().filter(|id| live.is_gone(id)).count()) as u32;
                        (total + added.with(Vec::len) as u32).saturating_sub(gone)
                    });
                    let disks = Signal::stored(disks);
                    let on_page = { let s = s.clone(); Callback::new(move |p| go.run(s.with_page(p))) };
                    let on_page_size = { let s = s.clone(); Callback::new(move |size| go.run(DiskListState { page_size: size, page: 1, ..s.clone() })) };
                    let (page_no, page_size) = (s.page, s.page_size);
                    let empty = move || {
                        // "Clear Filters" is next to the filters while they are set.
                        let (message, clear) = if filtered {
                            (tf(T::NoSnapshotsMatch, &[("region", &s.region)]), None)
                        } else if s.page > 1 {
                            // The rows of this page went; the pages before still have some.
                            let back = s.with_page(s.page - 1);
                            (t(T::PageEmptied).to_owned(), Some(view! {
                                <button type="button" class="dc-button" on:click=move |_| go.run(back.clone())>{t(T::Previous)}</button>
                            }))
                        } else {
                            (tf(T::NoSnapshotsInRegion, &[("region", &s.region)]), None)
                        };
                        view! { <div class="dc-empty" role="status"><p>{message}</p>{clear}</div> }
                    };
                    view! {
                        // The table stays mounted (hidden while empty): its rows leave one by one as their
                        // snapshots go, each taking its effects with it. Unmounting the whole table while
                        // the last rows go left their effects running on disposed signals (a trap).
                        <div hidden=move || ids.with(|i| i.is_empty())>
                            <SnapshotTable region ids disks selected caption=t(T::Snapshots) />
                            <Pager page=page_no page_size total=total_now on_page on_page_size />
                        </div>
                        {move || ids.with(|i| i.is_empty()).then(&empty)}
                    }.into_any()
                }
                Shown::Failed(error) => view! {
                    <ErrorView title=t(T::CouldNotLoadSnapshots) error on_retry=move || page.refetch() />
                }.into_any(),
            }}
        </section>
    }
}
