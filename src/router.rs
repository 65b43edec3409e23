//! A small client-side router: the URL as a signal, history navigation, and links that navigate without a
//! reload. The console has a handful of flat routes, so this replaces `leptos_router`, whose nested-route
//! machinery cost more of the bundle than every page together (see the size budget in the README).

use crate::config::{Config, Routing};
use crate::host::Host;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// The current URL, relative to the origin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Url {
    /// `/disks`
    pub path: String,
    /// `region=cn-east-2&page=2` (without `?`)
    pub query: String,
}

impl Url {
    pub fn parse(href: &str) -> Self {
        let href = href.split('#').next().unwrap_or("");
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        Self { path: if path.is_empty() { "/".into() } else { path.into() }, query: query.into() }
    }

    /// The decoded value of one query parameter.
    pub fn param(&self, name: &str) -> Option<String> {
        disk_api::query::parse_pairs(&self.query).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The non-empty path segments: `/disks/vol-x` → `["disks", "vol-x"]`.
    pub fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }
}

/// The router's state, provided once by [`provide_router`].
#[derive(Clone, Copy)]
pub struct Router {
    url: RwSignal<Url>,
    /// The path the console lives under (`/portal/disks`), empty at the root.
    base: StoredValue<String>,
    /// Whether the route lives only in memory (the console is mounted into a host page that owns the URL).
    memory: bool,
    host: Host,
}

impl Router {
    /// The current URL (tracked), relative to the base path.
    pub fn url(&self) -> Url {
        self.url.get()
    }

    /// A reactive read of the URL.
    pub fn url_signal(&self) -> Signal<Url> {
        self.url.into()
    }

    /// The address of a console route in the browser: `/disks` → `/portal/disks/disks`.
    pub fn href(&self, route: &str) -> String {
        format!("{}{route}", self.base.get_value())
    }

    /// Goes to `href` (a console route, e.g. `/disks?region=cn-east-2`), adding a history entry.
    pub fn navigate(&self, href: &str) {
        self.go(href, false);
    }

    /// Goes to `href` without adding a history entry.
    pub fn replace(&self, href: &str) {
        self.go(href, true);
    }

    fn go(&self, href: &str, replace: bool) {
        let full = self.href(href);
        if !self.memory {
            if let Ok(history) = window().history() {
                let _ = if replace {
                    history.replace_state_with_url(&JsValue::NULL, "", Some(&full))
                } else {
                    history.push_state_with_url(&JsValue::NULL, "", Some(&full))
                };
            }
        }
        let next = Url::parse(href);
        if self.url.get_untracked() != next {
            self.url.set(next);
            self.host.emit("navigate", &[("path", href), ("href", &full)]);
        }
        if !replace && !self.memory {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

/// The browser path without the base path (`None` when the path is outside it).
pub fn strip_base<'a>(path: &'a str, base: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(base)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

/// Reads the browser's URL (or, routing in memory, starts at `start`), follows back/forward, and provides the
/// [`Router`] through context.
pub fn provide_router(config: &Config, host: Host) -> Router {
    let base = config.base_path.clone();
    let memory = config.routing == Routing::Memory;
    let current = {
        let base = base.clone();
        move || {
            let loc = window().location();
            let path = loc.pathname().unwrap_or_default();
            let path = strip_base(&path, &base).unwrap_or("/");
            Url::parse(&format!("{path}{}", loc.search().unwrap_or_default()))
        }
    };
    let start = if memory { Url::parse(&config.start_path) } else { current() };
    let router = Router { url: RwSignal::new(start), base: StoredValue::new(base), memory, host };
    if !memory {
        let handle = window_event_listener(ev::popstate, move |_| router.url.set(current()));
        on_cleanup(move || handle.remove());
    }
    provide_context(router);
    router
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// A plain left click on a console link navigates inside the console without reloading; modified clicks
/// (new tab, …) stay native.
fn follow(router: Router, e: &web_sys::MouseEvent, target: &str) {
    if e.button() == 0 && !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key()) {
        e.prevent_default();
        router.navigate(target);
    }
}

/// [`Link`] built with [`crate::dom`] (for table rows).
pub fn link(router: Router, href: &str) -> crate::dom::El {
    let target = href.to_owned();
    crate::dom::el("a")
        .attr("href", &router.href(href))
        .on("click", move |e| follow(router, wasm_bindgen::JsCast::unchecked_ref(&e), &target))
}

/// A link that navigates inside the console without reloading; modified clicks (new tab, …) stay native.
#[component]
pub fn Link(
    /// Where it goes, e.g. `/disks?region=cn-east-2`.
    #[prop(into)]
    href: String,
    /// Marks the link `aria-current="page"` while the URL's path starts with this.
    #[prop(optional, into)]
    current_when: Option<&'static str>,
    /// Extra class names.
    #[prop(optional, into)]
    class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let router = use_router();
    let target = href.clone();
    let on_click = move |e: ev::MouseEvent| follow(router, &e, &target);
    let aria_current =
        move || current_when.and_then(|prefix| router.url.read().path.starts_with(prefix).then_some("page"));
    let href = router.href(&href);
    view! {
        <a href=href class=class on:click=on_click aria-current=aria_current>
            {children()}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::Url;

    #[test]
    fn parses_paths_and_queries() {
        let u = Url::parse("/disks?region=cn-east-2&name=%E6%95%B0+x#top");
        assert_eq!(u.path, "/disks");
        assert_eq!(u.param("region").as_deref(), Some("cn-east-2"));
        assert_eq!(u.param("name").as_deref(), Some("数 x"));
        assert_eq!(u.param("page"), None);
        assert_eq!(u.segments(), ["disks"]);
        assert_eq!(Url::parse("").path, "/");
        assert_eq!(Url::parse("/disks/vol-abc/").segments(), ["disks", "vol-abc"]);
    }

    #[test]
    fn strips_the_base_path() {
        use super::strip_base;
        assert_eq!(strip_base("/portal/disks/disks/vol-1", "/portal/disks"), Some("/disks/vol-1"));
        assert_eq!(strip_base("/portal/disks", "/portal/disks"), Some("/"));
        assert_eq!(strip_base("/portal/disks/", "/portal/disks"), Some("/"));
        assert_eq!(strip_base("/portal/disksx", "/portal/disks"), None);
        assert_eq!(strip_base("/disks", ""), Some("/disks"));
    }
}
