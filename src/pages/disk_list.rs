use crate::api::Client;
use crate::components::create_snapshot::{use_create_snapshot, CreateSnapshotHost};
use crate::components::error_view::ErrorView;
use crate::components::freshness::Freshness;
use crate::components::pager::Pager;
use crate::components::quota::{use_quota, QuotaFullNote, QuotaMeter};
use crate::components::status_badge::status_badge;
use crate::dom::{el, set_attr, El, Raw};
use crate::format::{capacity_gib, disk_status, short_time};
use crate::i18n::{t, tf, T};
use crate::live::{use_live, Live};
use crate::pages::{use_list_view, ListView};
use crate::router::{link, use_router, Router};
use crate::task::{ApiLoad, Shown};
use disk_api::console_url::DiskListState;
use disk_api::query::encode_component;
use disk_api::{DescribeDisksResult, Disk};
use leptos::html;
use leptos::prelude::*;

/// The disk list of a region: search by name, paging, all of it in the URL; Create Snapshot in each row
/// (Method 1).
#[component]
pub fn DiskListPage() -> impl IntoView {
    let api = expect_context::<Client>();
    let ListView { state, go, replace, region } = use_list_view("/disks");
    crate::host::use_host().set_title(t(T::CloudDisks), t(T::ConsoleName));
    let disks = ApiLoad::new(move || {
        let s = state.get();
        // Sent now, while the page is still being built.
        api.describe_disks(&s.region, &s.list_query())
    });

    // The first view disk-server rendered into the page is replaced once this one shows the same.
    Effect::new(move |_| {
        if !matches!(disks.shown(), Shown::Loading) {
            crate::takeover::soon();
        }
    });

    let search_input = NodeRef::<html::Input>::new();
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = search_input.get().map(|i| i.value()).unwrap_or_default();
        go.run(DiskListState { name: name.trim().to_owned(), page: 1, ..state.get_untracked() });
    };

    view! {
        <section class="dc-page" aria-labelledby=crate::host::uid("disk-list-title")>
            <div class="dc-page__head">
                <h1 id=crate::host::uid("disk-list-title")>{t(T::CloudDisks)}</h1>
                <form class="dc-search" role="search" on:submit=on_search>
                    <label for=crate::host::uid("disk-search")>{t(T::SearchByName)}</label>
                    <input
                        id=crate::host::uid("disk-search")
                        type="search"
                        node_ref=search_input
                        prop:value=move || state.get().name
                        placeholder=t(T::SearchPlaceholder)
                        maxlength="32"
                    />
                    <button type="submit" class="dc-button">{t(T::Search)}</button>
                    {move || {
                        let s = state.get();
                        (!s.name.is_empty()).then(|| {
                            let cleared = DiskListState { name: String::new(), page: 1, ..s };
                            view! { <button type="button" class="dc-button" on:click=move |_| go.run(cleared.clone())>{t(T::ClearSearch)}</button> }
                        })
                    }}
                </form>
            </div>
            <div class="dc-toolbar">
                <QuotaMeter region />
                <Freshness loaded_ms=disks.loaded_ms() stale=disks.stale() on_refresh=move || disks.refetch() />
            </div>
            <QuotaFullNote region />
            {move || match disks.shown() {
                Shown::Loading => view! { <p class="dc-loading" role="status">{t(T::LoadingDisks)}</p> }.into_any(),
                Shown::Data(result) => {
                    let s = state.get_untracked();
                    let pages = disk_api::console_url::page_count(result.total_count, s.page_size);
                    if result.total_count > 0 && s.page > pages {
                        // Past the end (an old link): the last page instead.
                        replace.run(s.with_page(pages));
                        return view! { <p class="dc-loading" role="status">{t(T::LoadingDisks)}</p> }.into_any();
                    }
                    view! { <DiskResults result state=state.get_untracked() go busy=disks.loading() /> }.into_any()
                }
                Shown::Failed(error) => view! {
                    <ErrorView title=t(T::CouldNotLoadDisks) error on_retry=move || disks.refetch() />
                }
                .into_any(),
            }}
        </section>
    }
}

/// A page of disks, or the empty state, with the pager.
#[component]
fn DiskResults(
    /// The describeDisks answer.
    result: DescribeDisksResult,
    /// The view it answers.
    state: DiskListState,
    /// Navigates to another view.
    go: Callback<DiskListState>,
    /// True while a newer page is loading.
    busy: ReadSignal<bool>,
) -> impl IntoView {
    if result.total_count == 0 {
        let message = if state.name.is_empty() {
            tf(T::NoDisks, &[("region", &state.region)])
        } else {
            tf(T::NoDisksNamed, &[("region", &state.region), ("name", &state.name)])
        };
        // "Clear Search" is next to the search box while a search is set.
        return view! {
            <div class="dc-empty" role="status">
                <p>{message}</p>
            </div>
        }
        .into_any();
    }
    let live = use_live();
    let region = state.region.clone();
    crate::names::use_names()
        .remember_disks(result.disks.iter().map(|d| (d.disk_id.as_str(), d.name.as_str())));
    let rows: Vec<RwSignal<Disk>> = result.disks.into_iter().map(|d| live.observe_disk(&region, d)).collect();
    let quota = use_quota();
    let session = crate::session::use_session();
    // Why no snapshot can be taken in this region now, once for all rows: the user's role, or the quota.
    let quota_full = {
        let region = region.clone();
        Memo::new(move |_| session.read_only_reason().or_else(|| quota.full_reason(&region)))
    };
    let (page, page_size, total) = (state.page, state.page_size, result.total_count);
    let on_page = {
        let state = state.clone();
        Callback::new(move |p| go.run(state.with_page(p)))
    };
    let on_page_size =
        Callback::new(move |size| go.run(DiskListState { page_size: size, page: 1, ..state.clone() }));
    let cx = RowContext {
        live,
        create: use_create_snapshot(),
        router: use_router(),
        region: region.clone(),
        quota_full,
        read_only: Memo::new(move |_| session.read_only_reason().is_some()),
    };
    let built: Vec<Raw> = rows.into_iter().map(|disk| Raw::from(disk_row(&cx, disk))).collect();
    // Mounted right after this returns and painted with the next frame: marked once that frame is done (a
    // task posted from the frame's callback runs after its paint).
    request_animation_frame(|| set_timeout(|| crate::host::mark("disks-shown"), std::time::Duration::ZERO));
    view! {
        <div class="dc-table-wrap" aria-busy=move || busy.get().to_string()>
            <table class="dc-table">
                <caption class="dc-visually-hidden">{t(T::CloudDisksTable)}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="dc-cell-name">{t(T::Name)}</th>
                        <th scope="col">{t(T::Status)}</th>
                        <th scope="col">{t(T::Type)}</th>
                        <th scope="col">{t(T::Capacity)}</th>
                        <th scope="col">{t(T::Az)}</th>
                        <th scope="col">{t(T::AttachedInstance)}</th>
                        <th scope="col">{t(T::Created)}</th>
                        <th scope="col" class="dc-actions">{t(T::Actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    // The rows of one answer never change as a list (a new page is a new answer), so a plain
                    // list of rows, each following its disk's live signal, instead of a keyed <For>.
                    {built}
                </tbody>
            </table>
        </div>
        <Pager page page_size total on_page on_page_size />
    }
    .into_any()
}

pub use disk_texts::words::can_snapshot;

/// What every row of one table shares.
#[derive(Clone)]
struct RowContext {
    live: Live,
    create: CreateSnapshotHost,
    router: Router,
    region: String,
    /// Why the region's quota allows no snapshot now, if it does not.
    quota_full: Memo<Option<String>>,
    /// Whether the user's role allows no change (then `quota_full` is the role's reason).
    read_only: Memo<bool>,
}

/// One disk in the table; its status follows the live store. Built with [`crate::dom`]: a page shows up to
/// 100 of these at once.
fn disk_row(cx: &RowContext, disk: RwSignal<Disk>) -> El {
    let RowContext { live, create, router, quota_full, read_only, .. } = cx.clone();
    let region = cx.region.clone();
    let d = disk.get_untracked();
    let names = crate::names::use_names();
    let region_for_names = region.clone();
    let attached = move || {
        let ids: Vec<String> = disk.with(|d| {
            d.attachments
                .iter()
                .filter(|a| a.status != disk_api::AttachmentStatus::Detached)
                .map(|a| a.instance_id.clone())
                .collect()
        });
        if ids.is_empty() {
            "—".to_owned()
        } else {
            ids.iter().map(|id| names.instance(&region_for_names, id)).collect::<Vec<_>>().join(", ")
        }
    };
    let id = d.disk_id.clone();
    let guided = crate::guided::use_guided();
    let region_for_mark = region.clone();
    let href = format!("/disks/{}?region={}", encode_component(&d.disk_id), encode_component(&region));
    el("tr")
        .child(
            el("th")
                .attr("scope", "row")
                .class("dc-cell-name")
                .child(link(router, &href).class("dc-name").text(&d.name))
                .child(el("span").class("dc-id").text(&d.disk_id)),
        )
        .child(el("td").child(status_badge(move || disk.with(|d| disk_status(&d.status)))).dyn_child(
            move || {
                // Taken off its instances by a guided snapshot and not yet given back: say so on the row.
                if guided.plan_of(&id).is_some_and(|p| crate::guided::detached_for_snapshot(&p)) {
                    let href = format!(
                        "/disks/{}?region={}",
                        encode_component(&id),
                        encode_component(&region_for_mark)
                    );
                    return Some(
                        link(router, &href)
                            .class("dc-progress dc-progress--warn")
                            .text(t(T::DetachedForSnapshot))
                            .0
                            .into(),
                    );
                }
                live.snapshot_in_progress(&id)
                    .then(|| el("span").class("dc-progress").text(t(T::SnapshotInProgress)).into())
            },
        ))
        .child(el("td").text(&crate::format::disk_type(&d.disk_type)))
        .child(el("td").text(&capacity_gib(d.disk_size_gb)))
        .child(el("td").text(&d.az))
        .child(el("td").dyn_text(attached))
        .child(el("td").child(el("time").attr("datetime", &d.create_time).text(&short_time(&d.create_time))))
        .child({
            // Why no snapshot can be taken now, in text: the role's or the quota's note on the page, or the
            // disk's status in the row.
            let why_id = crate::host::uid(&format!("why-{}", d.disk_id));
            let why_for_button = why_id.clone();
            let status_blocked =
                move || (!disk.with(|d| can_snapshot(&d.status))).then(|| t(T::StatusForbidsSnapshot));
            el("td")
                .class("dc-actions")
                .child(
                    crate::dom::small_button()
                        .dyn_with(move |b| {
                            let page_note = quota_full.get().map(|_| {
                                let note = if read_only.get() {
                                    crate::session::READ_ONLY_NOTE
                                } else {
                                    crate::components::quota::QUOTA_NOTE
                                };
                                crate::host::uid(note)
                            });
                            let row_note = status_blocked().map(|_| why_for_button.clone());
                            let described = page_note.or(row_note);
                            set_attr(b, "aria-describedby", described.as_deref());
                            set_attr(b, "disabled", described.as_ref().map(|_| ""));
                        })
                        .on("click", move |_| create.open(&region, disk.get_untracked()))
                        .text(t(T::CreateSnapshot)),
                )
                .child(el("span").class("dc-why").attr("id", &why_id).dyn_text(move || {
                    if quota_full.get().is_some() {
                        return String::new();
                    }
                    status_blocked().unwrap_or_default().to_owned()
                }))
        })
}
