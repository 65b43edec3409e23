//! The Cloud Disk Console: router, layout and the services every page shares.

pub mod api;
pub mod components;
pub mod config;
pub mod format;
pub mod pages;
pub mod router;
pub mod url_state;

use components::region_select::RegionSelect;
use leptos::prelude::*;
use router::{provide_router, Link};

/// The page a URL shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/` (leads to the disk list).
    Home,
    /// `/disks`
    DiskList,
    /// Anything else.
    NotFound,
}

impl Route {
    pub fn of(url: &router::Url) -> Self {
        match url.segments().as_slice() {
            [] => Self::Home,
            ["disks"] => Self::DiskList,
            _ => Self::NotFound,
        }
    }
}

/// The whole console: a persistent header and the routed pages.
#[component]
pub fn App() -> impl IntoView {
    let config = config::Config::from_page();
    provide_context(api::Client::new(&config));
    provide_context(config);
    let router = provide_router();
    // Pages are rebuilt only when the route changes, not when the query string does.
    let route = Memo::new(move |_| Route::of(&router.url()));
    view! {
        <header class="dc-header">
            <Link href="/disks" class="dc-brand">"Cloud Disk Console"</Link>
            <nav aria-label="Main" class="dc-nav">
                <Link href="/disks" current_when="/disks">"Disks"</Link>
            </nav>
            <RegionSelect />
        </header>
        <main class="dc-main" id="main">
            {move || match route.get() {
                Route::Home => {
                    router.replace("/disks");
                    ().into_any()
                }
                Route::DiskList => view! { <pages::disk_list::DiskListPage /> }.into_any(),
                Route::NotFound => view! { <pages::not_found::NotFoundPage /> }.into_any(),
            }}
        </main>
    }
}
