//! One page per file, and what the two list pages share.

pub mod disk_detail;
pub mod disk_list;
pub mod not_found;
pub mod snapshot_detail;
pub mod snapshot_list;

use crate::config::Config;
use crate::i18n::{t, T};
use crate::router::use_router;
use crate::router::Link;
use disk_api::console_url::DiskListState;
use leptos::prelude::*;

/// A list page's view, all of it in the URL: region, search, filters, page.
#[derive(Clone, Copy)]
pub struct ListView {
    /// What the URL asks for.
    pub state: Memo<DiskListState>,
    /// Goes to another view of the same list (a history entry).
    pub go: Callback<DiskListState>,
    /// Shows another view in place of this one (no history entry: a correction, like a page past the end).
    pub replace: Callback<DiskListState>,
    /// The region shown.
    pub region: Signal<String>,
}

/// The view of the list page at `path` (`/disks`, `/snapshots`), read from the URL.
pub fn use_list_view(path: &'static str) -> ListView {
    let default_region = use_context::<Config>().unwrap_or_default().default_region;
    let router = use_router();
    let state = Memo::new(move |_| {
        let url = router.url();
        DiskListState::from_query(|k| url.param(k), &default_region)
    });
    ListView {
        state,
        go: Callback::new(move |next: DiskListState| router.navigate(&next.to_url_at(path))),
        replace: Callback::new(move |next: DiskListState| router.replace(&next.to_url_at(path))),
        region: Signal::derive(move || state.get().region),
    }
}

/// Where a detail page is: its list (a link back, with the region) and itself.
#[component]
pub fn Breadcrumb(
    /// The list's name.
    list: T,
    /// The list's URL.
    href: String,
    /// The page's own name.
    #[prop(into)]
    current: Signal<String>,
) -> impl IntoView {
    view! {
        <nav class="dc-breadcrumb" aria-label=t(T::Breadcrumb)>
            <ol>
                <li><Link href=href>{t(list)}</Link></li>
                <li aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}

/// The region a page's URL names (`?region=`), else the configured default (tracked).
pub fn use_url_region() -> Memo<String> {
    let default_region = use_context::<Config>().unwrap_or_default().default_region;
    let router = use_router();
    Memo::new(move |_| router.url().param("region").unwrap_or_else(|| default_region.clone()))
}
