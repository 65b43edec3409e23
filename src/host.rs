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
}

impl Host {
    pub fn new(target: Option<web_sys::Element>) -> Self {
        Self { target: StoredValue::new(target.map(SendWrapper::new)) }
    }

    /// Dispatches `disk-console:{name}` with a JSON-like object of string fields as its `detail`.
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

pub fn use_host() -> Host {
    use_context::<Host>().unwrap_or_else(|| Host::new(None))
}
