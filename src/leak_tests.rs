//! The two fixes in vendor/reactive_graph (see vendor/README.md), proved through reactive_graph's public API:
//! each test fails on the crate as published.

use leptos::prelude::*;
use leptos::reactive::graph::{AnySource, AnySubscriber, ReactiveNode, Subscriber, WithObserver};
use leptos::reactive::owner::Owner;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

/// A subscriber that counts how often its sources tell it they changed.
#[derive(Default)]
struct Probe(AtomicUsize);

impl ReactiveNode for Probe {
    fn mark_dirty(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
    fn mark_check(&self) {}
    fn mark_subscribers_check(&self) {}
    fn update_if_necessary(&self) -> bool {
        false
    }
}

impl Subscriber for Probe {
    fn add_source(&self, _: AnySource) {}
    fn clear_sources(&self, _: &AnySubscriber) {}
}

/// `probe` as a subscriber under the identity `id` (a subscriber set knows its entries by identity alone).
fn as_subscriber(id: usize, probe: &Arc<Probe>) -> AnySubscriber {
    AnySubscriber(id, Arc::downgrade(probe) as Weak<dyn Subscriber + Send + Sync>)
}

#[test]
fn a_signal_lets_go_of_subscribers_that_have_gone() {
    let signal = RwSignal::new(0);
    // A view reads the signal, then goes (its effect is dropped without leaving the signal).
    let gone = Arc::new(Probe::default());
    as_subscriber(1, &gone).with_observer(|| signal.track());
    drop(gone);
    // More views come and go, as rows and dialogs do in a long session.
    for id in 2..40 {
        let p = Arc::new(Probe::default());
        as_subscriber(id, &p).with_observer(|| signal.track());
    }
    // A live subscriber under the first one's identity is heard only if the dead entry has left the set
    // (the set would otherwise keep the dead entry and ignore this one as already there).
    let live = Arc::new(Probe::default());
    as_subscriber(1, &live).with_observer(|| signal.track());
    signal.set(1);
    assert_eq!(live.0.load(Ordering::SeqCst), 1, "the dead subscriber is still in the signal's set");
}

#[test]
fn a_live_subscriber_is_never_dropped() {
    let signal = RwSignal::new(0);
    let live: Vec<_> = (0..50).map(|_| Arc::new(Probe::default())).collect();
    for (i, p) in live.iter().enumerate() {
        as_subscriber(1000 + i, p).with_observer(|| signal.track());
        // Dead ones in between, so the set is pruned again and again.
        let dead = Arc::new(Probe::default());
        as_subscriber(5000 + i, &dead).with_observer(|| signal.track());
    }
    signal.set(1);
    assert!(live.iter().all(|p| p.0.load(Ordering::SeqCst) == 1));
}

#[test]
fn an_owner_lets_go_of_children_that_have_gone() {
    // A long-lived owner (a page, the toast region) with children that come and go (rows, toasts). A gone
    // child that its parent still lists keeps its allocation, so every child would get a new address; once
    // the parent lets go, the allocator hands the same few blocks out again.
    let parent = Owner::new();
    let mut addresses = HashSet::new();
    for _ in 0..1000 {
        let child = parent.with(Owner::new);
        addresses.insert(child.debug_id());
    }
    assert!(addresses.len() < 100, "{} distinct addresses for 1,000 children that went", addresses.len());
    // A live child stays its parent's: cleaning the parent up cleans it up.
    let child = parent.with(Owner::new);
    let cleaned = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&cleaned);
    child.with(|| {
        on_cleanup(move || {
            seen.fetch_add(1, Ordering::SeqCst);
        })
    });
    for _ in 0..100 {
        drop(parent.with(Owner::new));
    }
    parent.cleanup();
    assert_eq!(cleaned.load(Ordering::SeqCst), 1);
}
