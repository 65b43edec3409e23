//! Toasts: short messages in `aria-live` regions, so they are announced. Success and progress go to a polite
//! region and disappear by themselves; errors go to an assertive one and stay until dismissed.

use crate::i18n::{t as tr, T};
use leptos::prelude::*;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Error,
}

#[derive(Clone)]
pub struct Toast {
    pub id: u32,
    pub kind: ToastKind,
    pub text: String,
    /// A button in the toast: its label and what it does.
    pub action: Option<(String, Callback<()>)>,
    /// What a progress toast is about (snapshot IDs): it goes once each has settled.
    pub keys: Vec<String>,
}

/// The toast service, provided once through context.
#[derive(Clone, Copy)]
pub struct Toasts {
    list: RwSignal<Vec<Toast>>,
    next: StoredValue<u32>,
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}

impl Toasts {
    pub fn new() -> Self {
        Self { list: RwSignal::new(Vec::new()), next: StoredValue::new(1) }
    }

    /// A message that goes away after a few seconds.
    pub fn info(&self, text: impl Into<String>) {
        self.progress(Vec::new(), text);
    }

    /// Work under way on `keys` (snapshot IDs): goes after a few seconds, or sooner once each has
    /// [`settled`](Self::settled), so "Deleting…" never outlives "was deleted".
    pub fn progress(&self, keys: Vec<String>, text: impl Into<String>) {
        let id = self.push(ToastKind::Info, text.into(), None);
        if !keys.is_empty() {
            self.list.update(|l| {
                if let Some(t) = l.iter_mut().find(|t| t.id == id) {
                    t.keys = keys;
                }
            });
        }
        let this = *self;
        set_timeout(move || this.dismiss(id), Duration::from_secs(6));
    }

    /// `key`'s work is over: its progress toasts let go of it (and go when nothing is left).
    pub fn settled(&self, key: &str) {
        if self.list.with_untracked(|l| l.iter().any(|t| t.keys.iter().any(|k| k == key))) {
            self.list.update(|l| {
                l.retain_mut(|t| {
                    let had = !t.keys.is_empty();
                    t.keys.retain(|k| k != key);
                    !had || !t.keys.is_empty()
                })
            });
        }
    }

    /// A message that stays until dismissed, with an optional action.
    pub fn error(&self, text: impl Into<String>, action: Option<(String, Callback<()>)>) {
        self.push(ToastKind::Error, text.into(), action);
    }

    fn push(&self, kind: ToastKind, text: String, action: Option<(String, Callback<()>)>) -> u32 {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.list.update(|l| l.push(Toast { id, kind, text, action, keys: Vec::new() }));
        id
    }

    pub fn dismiss(&self, id: u32) {
        self.list.update(|l| l.retain(|t| t.id != id));
    }

    /// The texts shown now (for tests and for views that want to know).
    pub fn texts(&self) -> Vec<String> {
        self.list.with(|l| l.iter().map(|t| t.text.clone()).collect())
    }
}

pub fn use_toasts() -> Toasts {
    use_context::<Toasts>().unwrap_or_default()
}

/// The two live regions where toasts appear.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    let of_kind = move |kind: ToastKind| {
        move || toasts.list.with(|l| l.iter().filter(|t| t.kind == kind).cloned().collect::<Vec<_>>())
    };
    let render = move |t: Toast| {
        let id = t.id;
        let class = if t.kind == ToastKind::Error { "dc-toast dc-toast--error" } else { "dc-toast" };
        let action = t.action.map(|(label, cb)| {
            view! {
                <button type="button" class="dc-button" on:click=move |_| {
                    toasts.dismiss(id);
                    cb.run(());
                }>{label}</button>
            }
        });
        view! {
            <div class=class>
                <span class="dc-toast__text">{t.text}</span>
                {action}
                <button type="button" class="dc-toast__close" aria-label=tr(T::Dismiss) on:click=move |_| toasts.dismiss(id)>
                    "×"
                </button>
            </div>
        }
    };
    view! {
        <div class="dc-toasts">
            <div role="status" aria-live="polite">
                <For each=of_kind(ToastKind::Info) key=|t| t.id children=render />
            </div>
            <div role="alert" aria-live="assertive">
                <For each=of_kind(ToastKind::Error) key=|t| t.id children=render />
            </div>
        </div>
    }
}
