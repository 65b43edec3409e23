//! Code splitting: what the disk list does not need at first paint (the other pages, the Create Snapshot
//! dialog, the watcher's polling round, the guided flow's requests, the second language's texts, in
//! `i18n.rs`) is cut into modules of its own by `cargo xtask build` (wasm-split-cli), fetched when first
//! needed and preloaded while the browser is idle, so a click seldom waits.
//!
//! Each split point is a function made by [`split_point!`]. With the `split` feature (the release build) it
//! is a `wasm_split` function: calling it fetches its module first, and a fetch that fails (offline, server
//! gone) is an `Err`, never a panic; a later call tries again. Without the feature (Trunk's dev build, the
//! component tests) it is a plain function: a build that skips the splitter must not name a split module.
//! The views here ([`page`], the dialog) show such a part once it is there, and say so where it is not.

use crate::components::create_snapshot::{CreateSnapshotDialog, CreateTarget};
use crate::components::toasts::use_toasts;
use crate::i18n::{t, T};
use crate::pages;
use crate::task::Boxed;
use futures::FutureExt;
use leptos::prelude::*;

/// A part of the console whose module could not be fetched.
#[derive(Debug)]
pub struct Unavailable;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for Unavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Unavailable
    }
}

type Part = Result<AnyView, Unavailable>;

/// `split_point!(module, preload_fn, fn name(args) -> T { … })`: an `async fn name(args) -> Result<T,
/// Unavailable>` whose body is in module `module` of the split build, and `preload_fn()`, which fetches that
/// module (both `pub(crate)`).
macro_rules! split_point {
    ($(#[$doc:meta])* $module:ident, $preload:ident, fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, preload($preload), fallible)]
        pub(crate) fn $name($($arg: $ty),*) -> Result<$ret, $crate::split::Unavailable> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub(crate) async fn $name($($arg: $ty),*) -> Result<$ret, $crate::split::Unavailable> {
            Ok($body)
        }

        #[cfg(not(feature = "split"))]
        pub(crate) async fn $preload() -> Result<(), $crate::split::Unavailable> {
            Ok(())
        }
    };
}
pub(crate) use split_point;

split_point!(
    /// A disk's detail page, with its snapshots and the dialogs it opens.
    disk_detail, preload_disk_detail, fn disk_detail_part(id: String) -> AnyView {
        view! { <pages::disk_detail::DiskDetailPage disk_id=id /> }.into_any()
    }
);

split_point!(
    /// The region's snapshot list.
    snapshot_list, preload_snapshot_list, fn snapshot_list_part() -> AnyView {
        view! { <pages::snapshot_list::SnapshotListPage /> }.into_any()
    }
);

split_point!(
    /// A snapshot's detail page.
    snapshot_detail, preload_snapshot_detail, fn snapshot_detail_part(id: String) -> AnyView {
        view! { <pages::snapshot_detail::SnapshotDetailPage snapshot_id=id /> }.into_any()
    }
);

split_point!(
    /// The Create Snapshot dialog (both methods open it).
    create_snapshot, preload_create_snapshot, fn create_snapshot_part(target: CreateTarget, on_close: Callback<()>) -> AnyView {
        view! { <CreateSnapshotDialog target on_close /> }.into_any()
    }
);

pub fn disk_detail_page(id: String) -> impl IntoView {
    page(Box::new(move || Box::pin(disk_detail_part(id.clone()))))
}

pub fn snapshot_list_page() -> impl IntoView {
    page(Box::new(|| Box::pin(snapshot_list_part())))
}

pub fn snapshot_detail_page(id: String) -> impl IntoView {
    page(Box::new(move || Box::pin(snapshot_detail_part(id.clone()))))
}

/// The Create Snapshot dialog for `target`. Where its module cannot be fetched, the dialog closes and a
/// toast says so, with Retry (which opens it again).
pub fn create_snapshot_dialog(
    target: CreateTarget,
    on_close: Callback<()>,
    reopen: Callback<CreateTarget>,
) -> impl IntoView {
    let toasts = use_toasts();
    let again = target.clone();
    deferred(
        Box::new(move || Box::pin(create_snapshot_part(target.clone(), on_close))),
        Box::new(move |_retry| {
            let again = again.clone();
            // After this render: closing the dialog drops this view.
            queue_microtask(move || {
                on_close.run(());
                toasts.error(
                    t(T::PartNotLoaded),
                    Some((t(T::Retry).to_owned(), Callback::new(move |_| reopen.run(again.clone())))),
                );
            });
            ().into_any()
        }),
    )
}

/// A page: where its module cannot be fetched, the page says so where the content goes, with Retry; it
/// also tries again by itself, every 5 s and when the browser is back online.
fn page(load: Load) -> AnyView {
    deferred(
        load,
        Box::new(|retry: Callback<()>| {
            // Again by itself: every 5 s (the console's server may be back) and at once when the browser is
            // back online.
            let online = window_event_listener(leptos::ev::online, move |_| retry.run(()));
            let again =
                set_timeout_with_handle(move || retry.run(()), std::time::Duration::from_secs(5)).ok();
            on_cleanup(move || {
                online.remove();
                if let Some(again) = again {
                    again.clear();
                }
            });
            view! {
            <div class="dc-error" role="alert">
                <h2>{t(T::PartNotLoaded)}</h2>
                <p class="dc-error__message">{t(T::PartNotLoadedWhy)}</p>
                <button type="button" class="dc-button" on:click=move |_| retry.run(())>{t(T::Retry)}</button>
            </div>
        }
        .into_any()
        }),
    )
}

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Loading,
    Ready,
    Failed,
}

/// Shows what `load` builds: at once when its module is there (always, in a build that is not split),
/// else nothing for the moment the fetch takes, then the part; `failed(retry)` where it cannot be fetched.
/// Not generic (boxed closures and future), so its code is compiled once for every split point.
type Load = Box<dyn Fn() -> Boxed<Part>>;
type Failed = Box<dyn Fn(Callback<()>) -> AnyView>;

fn deferred(load: Load, failed: Failed) -> AnyView {
    // Kept on this thread (the closures need not be Send), reached through Copy handles.
    let (load, failed) = (StoredValue::new_local(load), StoredValue::new_local(failed));
    let phase = RwSignal::new(Phase::Loading);
    let part = StoredValue::new_local(None::<AnyView>);
    let done = move |result: Part| match result {
        Ok(view) => {
            part.set_value(Some(view));
            phase.set(Phase::Ready);
        }
        Err(Unavailable) => phase.set(Phase::Failed),
    };
    // A retry comes from a timer, an event or a click, where no reactive owner is current: the part is
    // built (and its load spawned) under this view's own, so it finds its contexts and goes with the view.
    let owner = Owner::current();
    let start = Callback::new(move |_| {
        let go = || {
            let mut future = load.with_value(|load| load());
            match (&mut future).now_or_never() {
                Some(result) => done(result),
                None => {
                    phase.set(Phase::Loading);
                    leptos::task::spawn_local_scoped(async move { done(future.await) });
                }
            }
        };
        match &owner {
            Some(owner) => owner.with(go),
            None => go(),
        }
    });
    start.run(());
    let shown = move || match phase.get() {
        Phase::Loading => None,
        Phase::Ready => part.try_update_value(Option::take).flatten(),
        Phase::Failed => failed.try_with_value(|failed| failed(start)),
    };
    shown.into_any()
}

/// Fetches every split module while the browser is idle (1.5 s after start), so that opening a page or the
/// dialog seldom waits. A round that cannot fetch them all (offline, server gone) is tried again 30 s later,
/// a few times; a module still missing then is fetched on first use.
pub fn preload_when_idle() {
    if cfg!(feature = "split") {
        preload_round(1500, 5);
    }
}

fn preload_round(after_ms: u64, rounds_left: u32) {
    let round = async move {
        // Offline, a fetch cannot succeed: not even tried.
        let loaded = window().navigator().on_line()
            && preload_create_snapshot().await.is_ok()
            && crate::live::preload_poll().await.is_ok()
            && crate::guided::preload_guided().await.is_ok()
            && preload_disk_detail().await.is_ok()
            && preload_snapshot_list().await.is_ok()
            && preload_snapshot_detail().await.is_ok()
            && crate::i18n::preload_zh().await.is_ok();
        if !loaded && rounds_left > 1 {
            preload_round(30_000, rounds_left - 1);
        }
    };
    set_timeout(move || leptos::task::spawn_local(round), std::time::Duration::from_millis(after_ms));
}
