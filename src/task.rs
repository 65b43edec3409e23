//! Async work in views: [`Task`], a one-at-a-time operation started from an event handler (what the dialogs
//! need of `Action`), and [`Load`], data a view loads (what the pages need of `LocalResource` + `Suspend`);
//! both without Leptos's async-derived machinery, which costs bundle size for every instance.

use crate::api::ApiError;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A future as one boxed type: the async runtime's code is compiled once for it, instead of once per
/// future type (each async block is its own type, and its polling code is otherwise inlined into every
/// caller's).
pub type Boxed<T> = Pin<Box<dyn Future<Output = T>>>;

/// Runs `work` with `busy` set meanwhile: scoped to the current reactive owner (cancelled with it) or not.
/// Not generic over the future, so the async runtime's code is compiled once.
fn run_while(work: Boxed<()>, busy: RwSignal<bool>, scoped: bool) {
    busy.set(true);
    let done: Boxed<()> = Box::pin(async move {
        work.await;
        busy.set(false);
    });
    if scoped {
        leptos::task::spawn_local_scoped_with_cancellation(done);
    } else {
        leptos::task::spawn_local(done);
    }
}

/// Runs `work` with `busy` set meanwhile, and keeps what it gives in `value`.
fn run_into<T: Send + Sync + 'static>(
    work: Boxed<T>,
    value: RwSignal<Option<T>>,
    busy: RwSignal<bool>,
    scoped: bool,
) {
    run_while(Box::pin(async move { value.set(Some(work.await)) }), busy, scoped);
}

/// A one-at-a-time async operation: whether it is running, and its last result.
pub struct Task<T: Send + Sync + 'static> {
    pending: RwSignal<bool>,
    value: RwSignal<Option<T>>,
}

impl<T: Send + Sync + 'static> Clone for Task<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Task<T> {}

impl<T: Send + Sync + 'static> Default for Task<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + Sync + 'static> Task<T> {
    pub fn new() -> Self {
        Self { pending: RwSignal::new(false), value: RwSignal::new(None) }
    }

    /// Runs `work` unless a run is under way.
    pub fn run(&self, work: impl Future<Output = T> + 'static) {
        if self.pending.get_untracked() {
            return;
        }
        run_into(Box::pin(work), self.value, self.pending, false);
    }

    /// True while a run is under way (tracked).
    pub fn pending(&self) -> ReadSignal<bool> {
        self.pending.read_only()
    }

    /// The last result (tracked).
    pub fn value(&self) -> ReadSignal<Option<T>> {
        self.value.read_only()
    }
}

/// Data a view loads from the API: loaded again whenever a signal that `source` reads changes (or on
/// `refetch`), the last answer kept on screen while a newer one loads, a superseded request aborted. What the
/// views need of `LocalResource` + `Transition` + `Suspend`, without their async-derived machinery (which costs
/// bundle size for every instance).
pub struct Load<T: Send + Sync + 'static> {
    value: RwSignal<Option<T>>,
    loading: RwSignal<bool>,
    refetches: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Load<T> {}

impl<T: Send + Sync + 'static> Load<T> {
    pub fn new<F: Future<Output = T> + 'static>(source: impl Fn() -> F + 'static) -> Self {
        let this =
            Self { value: RwSignal::new(None), loading: RwSignal::new(true), refetches: RwSignal::new(0) };
        // A render effect: its first run (and so the first request) starts now, while the rest of the view
        // is still being built, not on the next tick. Kept until the view that made it goes away.
        let effect = RenderEffect::new(move |_| {
            this.refetches.track();
            // Scoped to this run of the effect: the next run (or the view going away) cancels it, and the
            // request's abort signal fires.
            run_into(Box::pin(source()), this.value, this.loading, true);
        });
        crate::dom::keep(effect);
        this
    }

    /// Loads again with the same inputs.
    pub fn refetch(&self) {
        self.refetches.update(|n| *n = n.wrapping_add(1));
    }

    /// The last answer (tracked); `None` until the first one.
    pub fn get(&self) -> Option<T>
    where
        T: Clone,
    {
        self.value.get()
    }

    /// True while a request is under way (tracked).
    pub fn loading(&self) -> ReadSignal<bool> {
        self.loading.read_only()
    }
}

/// What a page shows of an [`ApiLoad`].
#[derive(Clone, Debug, PartialEq)]
pub enum Shown<V> {
    /// Nothing yet.
    Loading,
    /// The last good answer to the page's query (a newer attempt may have failed: [`ApiLoad::stale`]).
    Data(V),
    /// The query failed and nothing good of it is at hand.
    Failed(ApiError),
}

/// The first pause before a page that could not reach the API tries again by itself, and the longest.
const RECOVER_FIRST_MS: f64 = 2_000.0;
const RECOVER_MAX_MS: f64 = 30_000.0;

/// Whether a failed load may mend by itself (no answer, a 5xx, throttling), so it is tried again without
/// the user.
pub fn recoverable(e: &ApiError) -> bool {
    matches!(e, ApiError::Network(_)) || e.is_transient()
}

/// A page's data from the API that survives outages: the last good answer to the same query stays on
/// screen when a refresh fails (with the failure as a stale mark); a failure that may mend is tried again
/// by itself with a growing pause, and at once when the watcher hears from the API again, so a page
/// recovers with no Retry pressed. A new query (another page, filter, region) that fails shows its error,
/// not the old query's data; while it loads, the old answer stays on screen.
pub struct ApiLoad<V: Send + Sync + 'static> {
    good: RwSignal<Option<V>>,
    failed: RwSignal<Option<ApiError>>,
    loaded_ms: RwSignal<Option<f64>>,
    loading: RwSignal<bool>,
    refetches: RwSignal<u32>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl<V: Send + Sync + 'static> Clone for ApiLoad<V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V: Send + Sync + 'static> Copy for ApiLoad<V> {}

impl<V: Send + Sync + 'static> ApiLoad<V> {
    pub fn new<F: Future<Output = Result<V, ApiError>> + 'static>(source: impl Fn() -> F + 'static) -> Self {
        let this = Self {
            good: RwSignal::new(None),
            failed: RwSignal::new(None),
            loaded_ms: RwSignal::new(None),
            loading: RwSignal::new(true),
            refetches: RwSignal::new(0),
            timer: StoredValue::new(None),
        };
        // Whether `good` answers the query asked now, and the pause before the next try by itself.
        let current = StoredValue::new(false);
        let pause = StoredValue::new(RECOVER_FIRST_MS);
        let effect = RenderEffect::new(move |last: Option<u32>| {
            let n = this.refetches.get();
            if last == Some(n) {
                // The inputs changed: a new query.
                current.set_value(false);
                pause.set_value(RECOVER_FIRST_MS);
            }
            this.stop_timer();
            let answer = source();
            let work: Boxed<()> = Box::pin(async move {
                match answer.await {
                    Ok(v) => {
                        current.set_value(true);
                        pause.set_value(RECOVER_FIRST_MS);
                        this.good.set(Some(v));
                        this.failed.set(None);
                        this.loaded_ms.set(Some(js_sys::Date::now()));
                    }
                    Err(e) => {
                        if !current.get_value() {
                            this.good.set(None);
                            this.loaded_ms.set(None);
                        }
                        if recoverable(&e) {
                            let wait = pause.get_value();
                            pause.set_value((wait * 2.0).min(RECOVER_MAX_MS));
                            let again = move || {
                                let _ = this.refetches.try_update(|n| *n = n.wrapping_add(1));
                            };
                            let h = set_timeout_with_handle(again, Duration::from_millis(wait as u64)).ok();
                            this.timer.set_value(h);
                        }
                        this.failed.set(Some(e));
                    }
                }
            });
            run_while(work, this.loading, true);
            n
        });
        crate::dom::keep(effect);
        // The watcher heard from the API: a page that failed tries again now.
        if let Some(live) = use_context::<crate::live::Live>() {
            let heard = live.updated_ms;
            let effect = RenderEffect::new(move |last: Option<Option<f64>>| {
                let now = heard.get();
                if last.is_some_and(|l| l != now) && this.failed.get_untracked().is_some() {
                    this.refetch();
                }
                now
            });
            crate::dom::keep(effect);
        }
        on_cleanup(move || this.stop_timer());
        this
    }

    fn stop_timer(&self) {
        if let Some(Some(h)) = self.timer.try_get_value() {
            h.clear();
        }
        self.timer.try_set_value(None);
    }

    /// Loads again with the same inputs (Refresh, Retry).
    pub fn refetch(&self) {
        self.refetches.update(|n| *n = n.wrapping_add(1));
    }

    /// What to show (tracked).
    pub fn shown(&self) -> Shown<V>
    where
        V: Clone,
    {
        match self.good.get() {
            Some(v) => Shown::Data(v),
            None => self.failed.get().map_or(Shown::Loading, Shown::Failed),
        }
    }

    /// The last good answer, if any (tracked).
    pub fn good(&self) -> Option<V>
    where
        V: Clone,
    {
        self.good.get()
    }

    /// Why the data on screen may be out of date: the latest try failed (tracked).
    pub fn stale(&self) -> Signal<Option<ApiError>> {
        let this = *self;
        Signal::derive(move || if this.good.with(Option::is_some) { this.failed.get() } else { None })
    }

    /// When the last good answer came (tracked).
    pub fn loaded_ms(&self) -> Signal<Option<f64>> {
        self.loaded_ms.into()
    }

    /// True while a request is under way (tracked).
    pub fn loading(&self) -> ReadSignal<bool> {
        self.loading.read_only()
    }
}
