//! A one-at-a-time async operation started from an event handler: whether it is running, and its last
//! result. What the dialogs need of `Action`, without its async-derived machinery (which costs bundle size
//! for every instance).

use leptos::prelude::*;
use std::future::Future;

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
        self.pending.set(true);
        let this = *self;
        leptos::task::spawn_local(async move {
            let out = work.await;
            this.value.set(Some(out));
            this.pending.set(false);
        });
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
