//! A small, non-generic DOM builder for the table rows, which a page shows up to 100 of at once.
//!
//! Why: every `view!` is its own nested type, and Leptos compiles build/rebuild/mount/unmount code for each
//! one. A row built here is about three times faster to build and its code about 40 % smaller (see README,
//! Performance). An element is a `web_sys::Element` built by plain calls, and reactivity is Leptos's own:
//! each dynamic part is one `RenderEffect` over a boxed closure, kept alive by the reactive owner that built
//! it and dropped with it. [`Raw`] puts a built element inside a `view!`.
//!
//! Text is always set as text (`textContent`, text nodes, attribute values), never parsed as HTML.

use leptos::prelude::*;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::{Position, PositionState, Render, RenderHtml};
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, UnwrapThrowExt};
use web_sys::{Element, Event, Node};

/// An element being built.
pub struct El(pub Element);

/// Creates an element.
pub fn el(tag: &str) -> El {
    El(document().create_element(tag).unwrap_throw())
}

/// A row's small button (`type="button"`, so it never submits a form).
pub fn small_button() -> El {
    el("button").attr("type", "button").class("dc-button dc-button--small")
}

/// Sets an attribute, or removes it for `None`, only when that changes it: the effects run again whenever
/// anything about their row changes, and a write of the same value is still DOM work (and a mutation).
pub fn set_attr(e: &Element, name: &str, value: Option<&str>) {
    if e.get_attribute(name).as_deref() != value {
        let _ = match value {
            Some(v) => e.set_attribute(name, v),
            None => e.remove_attribute(name),
        };
    }
}

/// Sets an element's text, only when that changes it.
pub fn set_text(e: &Element, text: &str) {
    if e.text_content().as_deref() != Some(text) {
        e.set_text_content(Some(text));
    }
}

/// Keeps `value` alive until the current reactive owner is cleaned up (its view went away).
pub fn keep<T: 'static>(value: T) {
    let value = SendWrapper::new(value);
    on_cleanup(move || drop(value));
}

/// Runs `update` now and again whenever a signal it read changes, for as long as the current owner lives.
fn effect(update: Box<dyn Fn()>) {
    keep(RenderEffect::new(move |_| update()));
}

impl El {
    /// Sets an attribute.
    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Sets the class attribute.
    pub fn class(self, class: &str) -> Self {
        self.0.set_class_name(class);
        self
    }

    /// Appends a text node.
    pub fn text(self, text: &str) -> Self {
        let _ = self.0.append_with_str_1(text);
        self
    }

    /// Appends a child.
    pub fn child(self, child: impl AsRef<Node>) -> Self {
        let _ = self.0.append_child(child.as_ref());
        self
    }

    /// Runs `update` on the element now and whenever a signal it reads changes (one effect for several
    /// properties that follow the same state).
    pub fn dyn_with(self, update: impl Fn(&Element) + 'static) -> Self {
        let e = self.0.clone();
        effect(Box::new(move || update(&e)));
        self
    }

    /// Appends a text node that follows `text`.
    pub fn dyn_text(self, text: impl Fn() -> String + 'static) -> Self {
        self.dyn_text_boxed(Box::new(text))
    }

    fn dyn_text_boxed(self, text: Box<dyn Fn() -> String>) -> Self {
        let node = document().create_text_node("");
        let _ = self.0.append_child(&node);
        effect(Box::new(move || {
            let text = text();
            if node.data() != text {
                node.set_data(&text);
            }
        }));
        self
    }

    /// A boolean attribute (`disabled`, `hidden`, …) that follows `on`.
    pub fn dyn_flag(self, name: &'static str, on: impl Fn() -> bool + 'static) -> Self {
        self.dyn_flag_boxed(name, Box::new(on))
    }

    fn dyn_flag_boxed(self, name: &'static str, on: Box<dyn Fn() -> bool>) -> Self {
        let e = self.0.clone();
        effect(Box::new(move || set_attr(&e, name, on().then_some(""))));
        self
    }

    /// Runs `handler` on each `event` until the current owner is cleaned up.
    pub fn on(self, event: &'static str, handler: impl FnMut(Event) + 'static) -> Self {
        self.on_boxed(event, Box::new(handler))
    }

    fn on_boxed(self, event: &'static str, handler: Box<dyn FnMut(Event)>) -> Self {
        let closure = Closure::wrap(handler);
        let _ = self.0.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
        // Removed before it is dropped, so the element never calls a dropped closure.
        let listener = SendWrapper::new((self.0.clone(), closure));
        on_cleanup(move || {
            let (target, closure) = listener.take();
            let _ = target.remove_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
        });
        self
    }

    /// A part that is rebuilt whenever a signal `part` reads changes: the previous one is removed and its
    /// reactive owner (effects, listeners, requests) cleaned up. `None` shows nothing.
    pub fn dyn_child(self, part: impl Fn() -> Option<Node> + 'static) -> Self {
        self.dyn_child_boxed(Box::new(part))
    }

    fn dyn_child_boxed(self, part: Box<dyn Fn() -> Option<Node>>) -> Self {
        let marker: Node = document().create_comment("").into();
        let _ = self.0.append_child(&marker);
        let parent = self.0.clone();
        let current = std::cell::RefCell::new(None::<(Node, Owner)>);
        // Weak: the effect lives in this owner's cleanups, so a strong reference here was a cycle that kept
        // the owner (a whole table row: its effects, listeners and signals' subscriptions) alive for ever
        // after the row went, its effects still running on the row's disposed signals.
        let owner = Owner::current().unwrap_or_default().downgrade();
        effect(Box::new(move || {
            let Some(owner) = owner.upgrade() else { return };
            let child_owner = owner.child();
            let node = child_owner.with(&part);
            if let Some((old, old_owner)) = current.take() {
                let _ = parent.remove_child(&old);
                old_owner.cleanup();
            }
            match node {
                Some(node) => {
                    let _ = parent.insert_before(&node, Some(&marker));
                    *current.borrow_mut() = Some((node, child_owner));
                }
                None => child_owner.cleanup(),
            }
        }));
        self
    }
}

impl AsRef<Node> for El {
    fn as_ref(&self) -> &Node {
        &self.0
    }
}

impl From<El> for Node {
    fn from(e: El) -> Node {
        e.0.into()
    }
}

/// A built element placed in a `view!`.
pub struct Raw(SendWrapper<Element>);

impl From<El> for Raw {
    fn from(e: El) -> Self {
        Raw(SendWrapper::new(e.0))
    }
}

impl Render for Raw {
    type State = Element;

    fn build(self) -> Element {
        self.0.take()
    }

    fn rebuild(self, state: &mut Element) {
        let new = self.0.take();
        if let Some(parent) = state.parent_node() {
            let _ = parent.replace_child(&new, state);
        }
        *state = new;
    }
}

leptos::tachys::no_attrs!(Raw);

/// Server rendering is not used (client-side rendering only); these render nothing.
impl RenderHtml for Raw {
    type AsyncOutput = Self;
    type Owned = Self;
    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self {
        self
    }

    fn to_html_with_buf(
        self,
        _buf: &mut String,
        _position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
    }

    fn hydrate<const FROM_SERVER: bool>(self, _cursor: &Cursor, _position: &PositionState) -> Element {
        self.build()
    }

    fn into_owned(self) -> Self {
        self
    }
}
