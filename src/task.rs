//! Async work in views: [`Task`], a one-at-a-time operation started from an event handler (what the dialogs
//! need of `Action`), and [`Load`], data a view loads (what the pages need of `LocalResource` + `Suspend`);
//! both without Leptos's async-derived machinery, which costs bundle size for every instance.

use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A future as one boxed type: the async runtime's code is compiled once for it, instead of once per
/// future type (each async block is its own type, and its polling code is otherwise inlined into every
/// caller's).
pub type Boxed<T> = Pin<Box<dyn Future<Output = T>>>;

/// Runs `work` with `busy` set meanwhile, and keeps what it gives in `value`: scoped to the current reactive
/// owner (cancelled with it) or not. Not generic over the future, so the async runtime's code is compiled
/// once per output type.
fn run_into<T: Send + Sync + 'static>(
    work: Boxed<T>,
    value: RwSignal<Option<T>>,
    busy: RwSignal<bool>,
    scoped: bool,
) {
    busy.set(true);
    let done: Boxed<()> = Box::pin(async move {
        let out = work.await;
        value.set(Some(out));
        busy.set(false);
    });
    if scoped {
        leptos::task::spawn_local_scoped_with_cancellation(done);
    } else {
        leptos::task::spawn_local(done);
    }
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
