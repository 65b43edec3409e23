//! Code splitting: what the disk list does not need at first paint (the other pages and the Create Snapshot
//! dialog) is cut into modules of its own by `cargo xtask build` (wasm-split-cli), fetched when first needed
//! and preloaded while the browser is idle, so a click seldom waits.
//!
//! Each split point is a function that builds a view. With the `split` feature (the release build) it is a
//! `wasm_split` function: calling it fetches its module first, and a fetch that fails (offline, server gone)
//! is an `Err`, never a panic; a later call tries again. Without the feature (Trunk's dev build, the
//! component tests) it is a plain function: a build that skips the splitter must not name a split module.

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

/// `split_point!(module, preload_fn, fn name(args) { view })`: an `async fn name(args) -> Part` that builds
/// the view, in module `module` of the split build, and `preload_fn()`, which fetches that module.
macro_rules! split_point {
    ($(#[$doc:meta])* $module:ident, $preload:ident, fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, preload($preload), fallible)]
        fn $name($($arg: $ty),*) -> Part {
            Ok($body.into_any())
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        async fn $name($($arg: $ty),*) -> Part {
            Ok($body.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $preload() -> Result<(), Unavailable> {
            Ok(())
        }
    };
}

split_point!(
    /// A disk's detail page, with its snapshots and the dialogs it opens.
    disk_detail, preload_disk_detail, fn disk_detail_part(id: String) {
        view! { <pages::disk_detail::DiskDetailPage disk_id=id /> }
    }
);

split_point!(
    /// The region's snapshot list.
    snapshot_list, preload_snapshot_list, fn snapshot_list_part() {
        view! { <pages::snapshot_list::SnapshotListPage /> }
    }
);

split_point!(
    /// A snapshot's detail page.
    snapshot_detail, preload_snapshot_detail, fn snapshot_detail_part(id: String) {
        view! { <pages::snapshot_detail::SnapshotDetailPage snapshot_id=id /> }
    }
);

split_point!(
    /// The Create Snapshot dialog (both methods open it).
    create_snapshot, preload_create_snapshot, fn create_snapshot_part(target: CreateTarget, on_close: Callback<()>) {
        view! { <CreateSnapshotDialog target on_close /> }
    }
);

pub fn disk_detail_page(id: String) -> impl IntoView {
    page(move || Box::pin(disk_detail_part(id.clone())))
}

pub fn snapshot_list_page() -> impl IntoView {
    page(|| Box::pin(snapshot_list_part()))
}

pub fn snapshot_detail_page(id: String) -> impl IntoView {
    page(move || Box::pin(snapshot_detail_part(id.clone())))
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
        move || Box::pin(create_snapshot_part(target.clone(), on_close)),
        move |_retry| {
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
        },
    )
}

/// A page: where its module cannot be fetched, the page says so where the content goes, with Retry; it
/// also tries again by itself when the browser is back online.
fn page(load: impl Fn() -> Boxed<Part> + 'static) -> impl IntoView {
    deferred(load, |retry: Callback<()>| {
        let online = window_event_listener(leptos::ev::online, move |_| retry.run(()));
        on_cleanup(move || online.remove());
        view! {
            <div class="dc-error" role="alert">
                <h2>{t(T::PartNotLoaded)}</h2>
                <p class="dc-error__message">{t(T::PartNotLoadedWhy)}</p>
                <button type="button" class="dc-button" on:click=move |_| retry.run(())>{t(T::Retry)}</button>
            </div>
        }
        .into_any()
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Loading,
    Ready,
    Failed,
}

/// Shows what `load` builds: at once when its module is there (always, in a build that is not split),
/// else nothing for the moment the fetch takes, then the part; `failed(retry)` where it cannot be fetched.
/// Not generic over the future, so the async code is compiled once.
fn deferred(
    load: impl Fn() -> Boxed<Part> + 'static,
    failed: impl Fn(Callback<()>) -> AnyView + 'static,
) -> impl IntoView {
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
    let start = Callback::new(move |_| {
        let mut future = load.with_value(|load| load());
        match (&mut future).now_or_never() {
            Some(result) => done(result),
            None => {
                phase.set(Phase::Loading);
                leptos::task::spawn_local_scoped(async move { done(future.await) });
            }
        }
    });
    start.run(());
    move || match phase.get() {
        Phase::Loading => None,
        Phase::Ready => part.try_update_value(Option::take).flatten(),
        Phase::Failed => failed.try_with_value(|failed| failed(start)),
    }
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
            && preload_disk_detail().await.is_ok()
            && preload_snapshot_list().await.is_ok()
            && preload_snapshot_detail().await.is_ok();
        if !loaded && rounds_left > 1 {
            preload_round(30_000, rounds_left - 1);
        }
    };
    set_timeout(move || leptos::task::spawn_local(round), std::time::Duration::from_millis(after_ms));
}
