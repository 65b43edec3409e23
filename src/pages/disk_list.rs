use crate::api::Client;
use crate::components::error_view::ErrorView;
use crate::components::pager::Pager;
use crate::components::status_badge::StatusBadge;
use crate::config::Config;
use crate::format::{capacity_gib, disk_status, short_time};
use crate::router::use_router;
use crate::url_state::DiskListState;
use disk_api::{DescribeDisksResult, Disk};
use leptos::html;
use leptos::prelude::*;

/// The disk list of a region: search by name, paging, all of it in the URL.
#[component]
pub fn DiskListPage() -> impl IntoView {
    let api = expect_context::<Client>();
    let default_region = use_context::<Config>().unwrap_or_default().default_region;
    let router = use_router();
    let state = Memo::new(move |_| {
        let url = router.url();
        DiskListState::from_query(|k| url.param(k), &default_region)
    });
    let disks = LocalResource::new(move || {
        let (api, s) = (api.clone(), state.get());
        async move { api.describe_disks(&s.region, &s.list_query()).await }
    });

    let go = Callback::new(move |next: DiskListState| router.navigate(&next.to_url()));
    let search_input = NodeRef::<html::Input>::new();
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = search_input.get().map(|i| i.value()).unwrap_or_default();
        go.run(DiskListState { name: name.trim().to_owned(), page: 1, ..state.get_untracked() });
    };
    let (refreshing, set_refreshing) = signal(false);

    view! {
        <section class="dc-page" aria-labelledby="disk-list-title">
            <div class="dc-page__head">
                <h1 id="disk-list-title">"Cloud Disks"</h1>
                <form class="dc-search" role="search" on:submit=on_search>
                    <label for="disk-search">"Search by name"</label>
                    <input
                        id="disk-search"
                        type="search"
                        node_ref=search_input
                        prop:value=move || state.get().name
                        placeholder="e.g. mysql"
                        maxlength="32"
                    />
                    <button type="submit" class="dc-button">"Search"</button>
                </form>
            </div>
            <Transition
                fallback=|| view! { <p class="dc-loading" role="status">"Loading disks…"</p> }
                set_pending=set_refreshing
            >
                {move || Suspend::new(async move {
                    match disks.await {
                        Ok(result) => view! { <DiskResults result state=state.get_untracked() go busy=refreshing /> }.into_any(),
                        Err(error) => view! {
                            <ErrorView title="Could not load disks" error on_retry=move || disks.refetch() />
                        }.into_any(),
                    }
                })}
            </Transition>
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
            format!("There are no cloud disks in {}.", state.region)
        } else {
            format!("No disks in {} have a name containing “{}”.", state.region, state.name)
        };
        let clear = (!state.name.is_empty()).then(|| {
            let s = DiskListState { name: String::new(), page: 1, ..state.clone() };
            view! { <button type="button" class="dc-button" on:click=move |_| go.run(s.clone())>"Clear search"</button> }
        });
        return view! {
            <div class="dc-empty" role="status">
                <p>{message}</p>
                {clear}
            </div>
        }
        .into_any();
    }
    let (page, page_size, total) = (state.page, state.page_size, result.total_count);
    let on_page = {
        let state = state.clone();
        Callback::new(move |p| go.run(state.with_page(p)))
    };
    let on_page_size =
        Callback::new(move |size| go.run(DiskListState { page_size: size, page: 1, ..state.clone() }));
    view! {
        <div class="dc-table-wrap" aria-busy=move || busy.get().to_string()>
            <table class="dc-table">
                <caption class="dc-visually-hidden">"Cloud disks"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Capacity"</th>
                        <th scope="col">"AZ"</th>
                        <th scope="col">"Attached instance"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || result.disks.clone() key=|d| d.disk_id.clone() let(disk)>
                        <DiskRow disk />
                    </For>
                </tbody>
            </table>
        </div>
        <Pager page page_size total on_page on_page_size />
    }
    .into_any()
}

/// One disk in the table.
#[component]
fn DiskRow(
    /// The disk to show.
    disk: Disk,
) -> impl IntoView {
    let (label, tone) = disk_status(&disk.status);
    let instances: Vec<String> = disk
        .attachments
        .iter()
        .filter(|a| a.status != disk_api::AttachmentStatus::Detached)
        .map(|a| a.instance_id.clone())
        .collect();
    let attached = if instances.is_empty() { "—".to_owned() } else { instances.join(", ") };
    view! {
        <tr>
            <th scope="row" class="dc-cell-name">
                <span class="dc-name">{disk.name.clone()}</span>
                <span class="dc-id">{disk.disk_id.clone()}</span>
            </th>
            <td><StatusBadge label tone /></td>
            <td>{disk.disk_type.label().to_owned()}</td>
            <td class="dc-num">{capacity_gib(disk.disk_size_gb)}</td>
            <td>{disk.az.clone()}</td>
            <td>{attached}</td>
            <td><time datetime=disk.create_time.clone()>{short_time(&disk.create_time)}</time></td>
            <td class="dc-actions"></td>
        </tr>
    }
}
