//! The Cloud Disk Console: router, layout and the services every page shares.

#[cfg(feature = "alloc-probe")]
pub mod alloc_probe;
pub mod api;
pub mod boot;
pub mod components;
pub mod config;
pub mod crash;
pub mod dom;
pub mod format;
pub mod guided;
pub mod host;
pub mod i18n;
pub mod live;
pub mod names;
pub mod pages;
pub mod router;
pub mod schedule;
pub mod session;
pub mod split;
pub mod takeover;
pub mod task;

#[cfg(test)]
mod leak_tests;

use components::create_snapshot::{CreateSnapshotHost, CreateTarget};
use components::quota::SnapshotQuota;
use components::region_select::{LanguageSelect, RegionSelect};
use components::toasts::{ToastRegion, Toasts};
use i18n::{t, tf, T};
use leptos::prelude::*;
use router::{provide_router, Link};
use std::time::Duration;

/// The page a URL shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/` (leads to the disk list).
    Home,
    /// `/disks`
    DiskList,
    /// `/disks/{diskId}`
    DiskDetail(String),
    /// `/snapshots`
    SnapshotList,
    /// `/snapshots/{snapshotId}`
    SnapshotDetail(String),
    /// Anything else.
    NotFound,
}

impl Route {
    pub fn of(url: &router::Url) -> Self {
        match url.segments().as_slice() {
            [] => Self::Home,
            ["disks"] => Self::DiskList,
            ["disks", id] => Self::DiskDetail(disk_api::query::decode_component(id, false)),
            ["snapshots"] => Self::SnapshotList,
            ["snapshots", id] => Self::SnapshotDetail(disk_api::query::decode_component(id, false)),
            _ => Self::NotFound,
        }
    }
}

/// A mounted console: the route and the language, which outlive the views; switching the language rebuilds
/// the views in it (texts are plain lookups, not reactive closures, which keeps the bundle small).
#[component]
pub fn Console(config: config::Config, host: host::Host) -> impl IntoView {
    provide_context(host);
    provide_router(&config, host);
    let remembered = live::storage().and_then(|s| s.get_item(i18n::LOCALE_KEY).ok().flatten());
    // The cookie too (another console on this host chose it; cookies ignore the port): disk-server
    // renders the first view in it.
    let from_cookie = host.is_standalone().then(locale_cookie).flatten();
    let browser: Vec<String> =
        window().navigator().languages().iter().filter_map(|l| l.as_string()).collect();
    let prefs = remembered
        .iter()
        .chain(from_cookie.iter())
        .chain(config.locale.iter())
        .chain(browser.iter())
        .map(String::as_str);
    let wanted = i18n::Locale::choose(prefs);
    // On the console's own page the choice is mirrored into a cookie, so disk-server renders the first view
    // in it (the page a choice made before the cookie existed gets it from now on).
    let cookie_path = host.is_standalone().then(|| {
        if config.base_path.is_empty() {
            "/".to_owned()
        } else {
            config.base_path.clone()
        }
    });
    if let (Some(path), Some(tag)) = (&cookie_path, &remembered) {
        remember_for_server(tag, path);
    }
    // The second language's texts are a part of their own: nothing is shown until they are here, and where
    // they cannot be fetched the console starts in English.
    let locale = RwSignal::new(i18n::is_loaded(wanted).then_some(wanted));
    if locale.get_untracked().is_none() {
        leptos::task::spawn_local(async move {
            let shown = if i18n::load(wanted).await { wanted } else { i18n::Locale::En };
            locale.try_set(Some(shown));
        });
    }
    provide_context(LocaleSwitch(locale, StoredValue::new(cookie_path)));
    move || {
        let config = config.clone();
        locale.get().map(|locale| view! { <App config locale /> })
    }
}

/// Sets the console's language (and remembers it for next time).
#[derive(Clone, Copy)]
pub struct LocaleSwitch(RwSignal<Option<i18n::Locale>>, StoredValue<Option<String>>);

impl LocaleSwitch {
    /// Switches to `to` once its texts are here; false (and nothing changed) where they could not be
    /// fetched.
    pub async fn switch(self, to: i18n::Locale) -> bool {
        if !i18n::load(to).await {
            return false;
        }
        if let Some(s) = live::storage() {
            let _ = s.set_item(i18n::LOCALE_KEY, to.tag());
        }
        if let Some(path) = self.1.get_value() {
            remember_for_server(to.tag(), &path);
        }
        self.0.try_set(Some(to));
        true
    }
}

/// The language in the cookie disk-server reads, if any.
fn locale_cookie() -> Option<String> {
    let all = js_sys::Reflect::get(&document(), &"cookie".into()).ok()?.as_string()?;
    all.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == i18n::LOCALE_KEY).then(|| v.trim().to_owned())
    })
}

/// The language cookie disk-server reads (`LOCALE_COOKIE` there), below the console's path, for a year.
fn remember_for_server(tag: &str, path: &str) {
    let cookie = format!("{}={tag}; path={path}; max-age=31536000; samesite=lax", i18n::LOCALE_KEY); // i18n: not shown
    let _ = js_sys::Reflect::set(&document(), &"cookie".into(), &cookie.into());
}

/// The whole console: a persistent header and the routed pages, with the shared services.
#[component]
pub fn App(config: config::Config, locale: i18n::Locale) -> impl IntoView {
    let host = host::use_host();
    let router = router::use_router();
    let api = api::Client::new(&config);
    let default_region = config.default_region.clone();
    let theme = config.theme.as_str();
    provide_context(locale);
    if host.is_standalone() {
        // The page is the console's own: its title and language follow the console's.
        document().set_title(i18n::t(T::ConsoleName));
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", locale.tag());
        }
    }
    if let Some(root) = host.element() {
        crate::crash::watch(&root);
    }
    provide_context(api.clone());
    provide_context(session::Session::start(&api, host));
    let offered = components::region_select::offered_regions(&config);
    provide_context(config);
    let toasts = Toasts::new();
    provide_context(toasts);
    let live = live::Live::new(api.clone(), toasts, host);
    provide_context(live);
    provide_context(names::Names::new(api.clone(), live));
    provide_context(guided::Guided::new(api.clone(), live, toasts));
    let create = CreateSnapshotHost { target: RwSignal::new(None) };
    provide_context(create);
    live.set_on_retry(Callback::new(move |inputs: live::CreateInputs| {
        let disk = live
            .disk(&inputs.disk_id)
            .map(|d| d.get_untracked())
            .unwrap_or_else(|| disk_api::Disk { disk_id: inputs.disk_id.clone(), ..Default::default() });
        create.target.set(Some(CreateTarget {
            region: inputs.region,
            disk,
            name: inputs.name,
            description: inputs.description,
        }));
    }));

    // The clock that elapsed times and "updated … ago" read; it sends no requests.
    let ticker = set_interval_with_handle(move || live.now_ms.set(live::now()), Duration::from_secs(1)).ok();
    split::preload_when_idle();
    on_cleanup(move || {
        if let Some(t) = ticker {
            t.clear();
        }
    });

    let region = Memo::new(move |_| router.url().param("region").unwrap_or_else(|| default_region.clone()));
    let quota = task::Load::new(move || {
        live.quota_version.track();
        api.describe_snapshot_quota(&region.get())
    });
    provide_context(SnapshotQuota(quota));

    // The dialog's callbacks outlive each opening (a toast's Retry opens it again after it closed).
    let close_create = Callback::new(move |_| create.target.set(None));
    let reopen_create = Callback::new(move |again| create.target.set(Some(again)));
    // Pages are rebuilt only when the route changes, not when the query string does.
    let route = Memo::new(move |_| Route::of(&router.url()));
    // disk-server renders only the disk list's first view (which takes over when its list shows): another
    // page replaces it at once.
    Effect::new(move |_| {
        if !matches!(route.get(), Route::Home | Route::DiskList) {
            takeover::soon();
        }
    });
    view! {
        <div class="dc-app" data-theme=theme lang=locale.tag()>
        <header class="dc-header">
            <Link href="/disks" class="dc-brand">{t(T::ConsoleName)}</Link>
            <nav aria-label=t(T::MainNav) class="dc-nav">
                <Link href="/disks" current_when="/disks">{t(T::Disks)}</Link>
                <Link href="/snapshots" current_when="/snapshots">{t(T::Snapshots)}</Link>
            </nav>
            <session::SessionTag />
            <RegionSelect />
            <LanguageSelect />
        </header>
        <ToastRegion />
        <session::ReadOnlyNote />
        {move || live.error.get().map(|e| view! {
            <div class="dc-banner" role="status">
                <span>{tf(T::LivePaused, &[("reason", &e.message())])}</span>
                <button type="button" class="dc-button dc-button--small" on:click=move |_| live.retry_now()>{t(T::Retry)}</button>
            </div>
        })}
        <main class="dc-main" id=crate::host::uid("main")>
            {move || match route.get() {
                Route::DiskList | Route::DiskDetail(_) | Route::SnapshotList | Route::SnapshotDetail(_)
                    if !offered.contains(&region.get()) =>
                {
                    view! { <components::region_select::UnknownRegion region=region.get() /> }.into_any()
                }
                Route::Home => {
                    router.replace("/disks");
                    ().into_any()
                }
                Route::DiskList => view! { <pages::disk_list::DiskListPage /> }.into_any(),
                Route::DiskDetail(id) => split::disk_detail_page(id).into_any(),
                Route::SnapshotList => split::snapshot_list_page().into_any(),
                Route::SnapshotDetail(id) => split::snapshot_detail_page(id).into_any(),
                Route::NotFound => view! { <pages::not_found::NotFoundPage /> }.into_any(),
            }}
        </main>
        {move || create.target.get().map(|target| split::create_snapshot_dialog(target, close_create, reopen_create))}
        </div>
    }
}
