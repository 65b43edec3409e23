//! Starting a console: the standalone page (`#disk-console` in index.html) and `mount(element, options)` for
//! host pages (also behind the `<disk-console>` element, see `embed.js`). Each mount reads its configuration,
//! then renders the app into its element; `unmount()` removes it with every timer, listener and request.

use crate::config::{Routing, Settings};
use crate::host::Host;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

const CONFIG_ELEMENT_ID: &str = "disk-console-config";

/// The settings in a JS object (host options, a parsed config element or file). Unknown keys are ignored.
pub fn settings_from_js(v: &JsValue) -> Settings {
    if !v.is_object() {
        return Settings::default();
    }
    let get = |k: &str| {
        js_sys::Reflect::get(v, &JsValue::from_str(k)).ok().filter(|x| !x.is_undefined() && !x.is_null())
    };
    let string = |k: &str| get(k).and_then(|x| x.as_string().or_else(|| x.as_bool().map(|b| b.to_string())));
    let regions = get("regions").map(|x| {
        if js_sys::Array::is_array(&x) {
            js_sys::Array::from(&x).iter().filter_map(|r| r.as_string()).collect()
        } else {
            x.as_string().unwrap_or_default().split(',').map(str::to_owned).collect()
        }
    });
    let headers = get("headers").map(|h| {
        js_sys::Object::entries(&h.unchecked_into())
            .iter()
            .filter_map(|pair| {
                let pair = js_sys::Array::from(&pair);
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect()
    });
    Settings {
        api_base: string("apiBase"),
        default_region: string("defaultRegion").or_else(|| string("region")),
        regions,
        base_path: string("basePath"),
        credentials: string("credentials"),
        headers,
        bearer_token: string("bearerToken"),
        locale: string("locale"),
        theme: string("theme"),
        routing: string("routing"),
        path: string("path"),
    }
}

/// The page's JSON config element, if any.
fn element_settings() -> Result<Settings, String> {
    let Some(el) = document().get_element_by_id(CONFIG_ELEMENT_ID) else { return Ok(Settings::default()) };
    let text = el.text_content().unwrap_or_default();
    let value = js_sys::JSON::parse(&text).map_err(|_| format!("#{CONFIG_ELEMENT_ID}: not valid JSON"))?;
    Ok(settings_from_js(&value))
}

/// `http://h/portal/disks/index.html?x` → `http://h/portal/disks`.
pub fn directory_of(url: &str) -> &str {
    let url = url.split(['?', '#']).next().unwrap_or("");
    url.rsplit_once('/').map_or(url, |(dir, _)| dir)
}

/// What a mount holds: nothing yet (configuration loading), the running app, or nothing (unmounted).
enum State {
    Loading,
    Running(Box<dyn std::any::Any>, Owner),
    Gone,
}

/// A mounted console; `unmount()` takes it out of the page.
pub struct Mounted {
    state: Rc<RefCell<State>>,
    element: web_sys::HtmlElement,
}

impl Mounted {
    /// Removes the console from its element: its views, timers, listeners and pending requests.
    pub fn unmount(&self) {
        let previous = std::mem::replace(&mut *self.state.borrow_mut(), State::Gone);
        if let State::Running(view, owner) = previous {
            drop(view);
            // Runs every cleanup (timers, listeners, aborts) and frees the reactive nodes, even those that
            // hold the owner themselves.
            owner.cleanup();
        }
        self.element.set_inner_html("");
    }
}

/// Mounts a console into `element`. `options` (highest priority) are merged over the page's config element,
/// `console-config.json` (next to the console's files, at `assetBase`) and the defaults. A configuration
/// error is shown in the element.
pub fn mount(element: web_sys::HtmlElement, options: JsValue, default_routing: Routing) -> Mounted {
    crate::host::mark("start");
    let state = Rc::new(RefCell::new(State::Loading));
    let host_settings = settings_from_js(&options);
    let get =
        |k: &str| js_sys::Reflect::get(&options, &JsValue::from_str(k)).ok().and_then(|v| v.as_string());
    let asset_base =
        get("assetBase").unwrap_or_else(|| document().base_uri().ok().flatten().unwrap_or_default());
    let stylesheet = get("stylesheet");
    // The page's config element may already hold the file's settings (disk-server puts them there).
    let file_in_page = document()
        .get_element_by_id(CONFIG_ELEMENT_ID)
        .and_then(|e| e.get_attribute("data-includes"))
        .is_some_and(|f| f == "console-config.json");
    let asked =
        js_sys::Reflect::get(&options, &JsValue::from_str("configUrl")).ok().filter(|v| !v.is_undefined());
    let config_url = match asked {
        Some(v) if v.as_bool() == Some(false) => None,
        Some(v) => Some(v.as_string().unwrap_or_else(|| "console-config.json".into())),
        None => (!file_in_page).then(|| "console-config.json".into()),
    };
    let (st, el) = (state.clone(), element.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let file = match config_url {
            Some(u) => {
                let url = web_sys::Url::new_with_base(&u, &asset_base).map(|u| u.href()).unwrap_or(u);
                crate::api::fetch_settings_file(&url)
                    .await
                    .map(|v| v.map(|v| settings_from_js(&v)).unwrap_or_default())
            }
            None => Ok(Settings::default()),
        };
        if !matches!(*st.borrow(), State::Loading) {
            return; // unmounted while the configuration loaded
        }
        // Unless configured, the API is where the console's files are (the server serves both).
        let beside_files =
            Settings { api_base: Some(directory_of(&asset_base).to_owned()), ..Settings::default() };
        let config = element_settings()
            .and_then(|page| file.map(|file| host_settings.over(page).over(file).over(beside_files)))
            .and_then(|s| s.resolve(default_routing));
        let config = match config {
            Ok(c) => c,
            Err(e) => {
                // In a child of the host's element, so unmounting leaves the element as it was.
                if let Ok(p) = document().create_element("p") {
                    p.set_text_content(Some(&format!("Cloud Disk Console: configuration error — {e}")));
                    let _ = p.set_attribute("role", "alert");
                    let _ = el.append_child(&p);
                }
                *st.borrow_mut() = State::Gone;
                return;
            }
        };
        if let Some(href) = stylesheet {
            if let Ok(link) = document().create_element("link") {
                let _ = link.set_attribute("rel", "stylesheet");
                let _ = link.set_attribute("href", &href);
                let _ = el.append_child(&link);
            }
        }
        let target: web_sys::Element = el.clone().into();
        crate::takeover::prepare(&target);
        let owner = Owner::new();
        let handle = owner.with(|| {
            leptos::mount::mount_to(el, move || {
                let host = Host::new(Some(target));
                view! { <crate::Console config host /> }
            })
        });
        crate::host::mark("mounted");
        *st.borrow_mut() = State::Running(Box::new(handle), owner);
    });
    Mounted { state, element }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_api_defaults_to_the_folder_of_the_files() {
        use super::directory_of;
        assert_eq!(directory_of("http://h:1/portal/disks/"), "http://h:1/portal/disks");
        assert_eq!(directory_of("http://h:1/portal/disks/index.html?x=/y#z"), "http://h:1/portal/disks");
        assert_eq!(directory_of("http://h:1/"), "http://h:1");
    }
}
