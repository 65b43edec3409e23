//! The page the console lives in: the element it is mounted on, and the DOM events it tells the host page
//! (`disk-console:snapshot-created`, `…:snapshot-available`, `…:snapshot-failed`, `…:navigate`). Events bubble
//! and cross shadow roots, so a portal can listen on the `<disk-console>` element or on `document`.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, JsValue};

/// Where host events are dispatched. Cheap to copy; provided through context.
#[derive(Clone, Copy)]
pub struct Host {
    target: StoredValue<Option<SendWrapper<web_sys::Element>>>,
    /// Prefixes the console's element IDs: empty for the standalone page, `dc2-`, `dc3-`, … for consoles
    /// mounted into a host page, so two of them (and the host's own IDs) never clash.
    id_prefix: StoredValue<String>,
}

/// A User Timing mark `disk-console:{name}` (`start`: the console's code runs; `mounted`: its first view is in
/// the page; `disks-shown`: a page of disks is on screen), for the benchmark and for real-user monitoring.
pub fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(&format!("disk-console:{name}"));
    }
}

static MOUNTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

impl Host {
    pub fn new(target: Option<web_sys::Element>) -> Self {
        let standalone = target.as_ref().is_some_and(|t| t.has_attribute("data-disk-console-standalone"));
        let id_prefix = if standalone || target.is_none() {
            String::new()
        } else {
            format!("dc{}-", MOUNTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1)
        };
        Self {
            target: StoredValue::new(target.map(SendWrapper::new)),
            id_prefix: StoredValue::new(id_prefix),
        }
    }

    /// The element the console is mounted into.
    pub fn element(&self) -> Option<web_sys::Element> {
        self.target.try_with_value(|t| t.as_ref().map(|t| (**t).clone())).flatten()
    }

    /// An element ID unique to this console on the page: `snapshot-name` → `dc2-snapshot-name`.
    pub fn id(&self, name: &str) -> String {
        format!("{}{name}", self.id_prefix.try_get_value().unwrap_or_default())
    }

    /// Dispatches `disk-console:{name}` with a JSON-like object of string fields as its `detail`.
    /// The browser tab's title, `{what} · {within}`, on the console's own page (a host page keeps its own).
    pub fn set_title(&self, what: &str, within: &str) {
        if self.is_standalone() {
            document().set_title(&format!("{what} · {within}"));
        }
    }

    pub fn emit(&self, name: &str, detail: &[(&str, &str)]) {
        let Some(Some(target)) = self.target.try_get_value() else { return };
        let obj = js_sys::Object::new();
        for (k, v) in detail {
            let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(k), &JsValue::from_str(v));
        }
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&obj);
        if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(&format!("disk-console:{name}"), &init)
        {
            let _ = target.dispatch_event(&ev);
        }
    }

    /// Whether the console owns the whole page (index.html), and so may set its title and language.
    pub fn is_standalone(&self) -> bool {
        self.target
            .try_with_value(|t| t.as_ref().is_some_and(|t| t.has_attribute("data-disk-console-standalone")))
            .unwrap_or(false)
    }

    /// The focused element in the console's own tree (inside its shadow root, when it has one).
    pub fn active_element(&self) -> Option<web_sys::Element> {
        let root: JsValue = match self.target.try_get_value().flatten() {
            Some(t) => t.get_root_node().into(),
            None => document().into(),
        };
        js_sys::Reflect::get(&root, &JsValue::from_str("activeElement")).ok()?.dyn_into().ok()
    }
}

/// An element ID unique to the console being built (see [`Host::id`]).
pub fn uid(name: &str) -> String {
    use_host().id(name)
}

/// Several IDs, for `aria-describedby`.
pub fn uids(names: &[&str]) -> String {
    let host = use_host();
    names.iter().map(|n| host.id(n)).collect::<Vec<_>>().join(" ")
}

pub fn use_host() -> Host {
    use_context::<Host>().unwrap_or_else(|| Host::new(None))
}
