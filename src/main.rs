//! The browser entry: the standalone page mounts the console into its `[data-disk-console-standalone]` element; host pages call the
//! exported `mount(element, options)` (or use `<disk-console>`, defined by `embed.js`).

use disk_console::boot;
use disk_console::config::Routing;
use wasm_bindgen::prelude::*;

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let root = leptos::prelude::document().query_selector("[data-disk-console-standalone]").ok().flatten();
    if let Some(root) = root.and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok()) {
        // The standalone console lives as long as the page.
        std::mem::forget(boot::mount(root, JsValue::UNDEFINED, Routing::History));
    }
}

/// A console mounted into a host page.
#[wasm_bindgen]
pub struct Mounted(boot::Mounted);

#[wasm_bindgen]
impl Mounted {
    /// Takes the console out of the page: its views, timers, listeners and pending requests.
    pub fn unmount(&self) {
        self.0.unmount();
    }
}

/// Mounts a console into `element`. `options`: `apiBase`, `defaultRegion`, `regions`, `basePath`, `credentials`,
/// `headers`, `bearerToken`, `locale`, `theme`, `routing` (default `memory`: the host page owns the URL),
/// `path`, `configUrl` (or `false`), `assetBase`, `stylesheet`.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Mounted {
    Mounted(boot::mount(element, options, Routing::Memory))
}
