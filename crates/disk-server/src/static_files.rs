//! The console's files: hashed assets are cached for a year, everything else is revalidated; any path that
//! is not a file gets `index.html`, so deep links work.

use axum::extract::Request;
use axum::http::header::{
    HeaderValue, ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, LINK, VARY,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use std::path::Path;
use std::sync::Arc;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The session of a page request, from its headers and peer address.
pub type SessionOf =
    Arc<dyn Fn(&HeaderMap, Option<std::net::IpAddr>) -> Option<serde_json::Value> + Send + Sync>;

/// What the standalone page says about who is using the console (`{backend, user, role}`), in its JSON
/// element `#disk-console-session`, so the console need not ask.
#[derive(Clone)]
pub enum PageSession {
    /// The same for every request (the emulator; the gateway's one local user).
    Fixed(serde_json::Value),
    /// From the page request itself (a trusted SSO proxy's headers).
    PerRequest(SessionOf),
    /// Not known from the page request (bearer tokens travel only with API requests): the console asks.
    Ask,
}

/// The page with its session element after the config element.
pub fn with_session(index: &str, session: &serde_json::Value) -> String {
    let json = session.to_string().replace('<', "\\u003c");
    let element = format!(r#"<script type="application/json" id="disk-console-session">{json}</script>"#);
    let marker = r#"id="disk-console-config""#;
    match index.find(marker).and_then(|at| index[at..].find("</script>").map(|e| at + e + "</script>".len()))
    {
        Some(end) => format!("{}{element}{}", &index[..end], &index[end..]),
        None => format!("{element}{index}"),
    }
}

/// The console's files and page. With `api` (the API routes being served beside it), the disk list's page
/// comes with its first view rendered in (see [`crate::prerender`]).
pub fn router<S: Clone + Send + Sync + 'static>(
    config: &crate::Config,
    session: PageSession,
    api: Option<axum::Router>,
) -> axum::Router<S> {
    let dist = &config.dist;
    let console_config = config
        .console_config
        .clone()
        .or_else(|| Some(dist.join("console-config.json")).filter(|p| p.is_file()));
    // Read once, at start: what the console is served and what the preloads assume are the same.
    let (config_text, config_value) = read_console_config(console_config.as_deref());
    let index = index_html(
        &std::fs::read_to_string(dist.join("index.html")).unwrap_or_default(),
        &config.base_path,
        &config_value,
    );
    // The policy allows the inline loader script of the index.html being served, by its hash (the JSON
    // elements are data, never run, and need none).
    let csp =
        crate::security::console_csp(&crate::security::inline_script_hashes(&index), &config.frame_ancestors);
    let csp =
        HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'self'"));
    let index = match &session {
        PageSession::Fixed(v) => with_session(&index, v),
        _ => index,
    };
    let index: &'static str = Box::leak(index.into_boxed_str());
    let preload = Arc::new(Preload::new(&config.base_path, &config_value));
    let first_view = api
        .and_then(|api| FirstViewSource::new(api, &config.base_path, &config_value, &preload))
        .map(Arc::new);
    let config_text: &'static str = Box::leak(config_text.into_boxed_str());
    let page = move |req: Request| {
        let preload = preload.clone();
        let session = session.clone();
        let first_view = first_view.clone();
        async move {
            let (req, _) = req.into_parts();
            let known = match &session {
                PageSession::Fixed(v) => Some(v.clone()),
                PageSession::PerRequest(f) => f(&req.headers, crate::gateway::peer(&req.extensions)),
                PageSession::Ask => None,
            };
            let page = match (&session, &known) {
                (PageSession::PerRequest(_), Some(v)) => std::borrow::Cow::Owned(with_session(index, v)),
                _ => std::borrow::Cow::Borrowed(index),
            };
            let rendered = match (&first_view, &known) {
                (Some(source), Some(session)) => source.render(&req, session, &page).await,
                _ => None,
            };
            let uri = &req.uri;
            let mut res = match rendered {
                Some(html) => Html(html).into_response(),
                None => {
                    let mut res = Html(page.into_owned()).into_response();
                    if let Some(links) = preload.links(uri.path(), uri.query().unwrap_or("")) {
                        res.headers_mut().insert(LINK, links);
                    }
                    res
                }
            };
            // What the first view is rendered in depends on these.
            res.headers_mut().insert(VARY, HeaderValue::from_static("cookie, accept-language"));
            res
        }
    };
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(get(page.clone()));
    axum::Router::new()
        .route("/", get(page.clone()))
        .route("/index.html", get(page))
        .route(
            "/console-config.json",
            get(move || async move { ([(CONTENT_TYPE, "application/json")], config_text) }),
        )
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_headers))
        .layer(SetResponseHeaderLayer::overriding(CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

/// index.html as served: its `<base href>` set to the base path, so every relative asset URL and deep link
/// resolves below it, and the console's settings in its JSON config element: the configuration file's
/// (`console-config.json`) with the base path over them. The element says it includes the file, so the
/// console does not fetch it (one round trip less before the first view), and the page's preload of the
/// file goes.
pub fn index_html(built: &str, base_path: &str, console_config: &serde_json::Value) -> String {
    let mut settings = console_config.as_object().cloned().unwrap_or_default();
    if !base_path.is_empty() {
        settings.insert("basePath".into(), base_path.into());
    }
    // `<` only occurs inside JSON strings, where `\u003c` means the same: no `</script>` can end the element.
    let json = serde_json::Value::Object(settings).to_string().replace('<', "\\u003c");
    let head = format!(
        r#"<base href="{base_path}/"><script type="application/json" id="disk-console-config" data-includes="console-config.json">{json}</script>"#
    );
    let built = without_config_preload(built);
    match built.find("<base ") {
        Some(start) => match built[start..].find('>') {
            Some(len) => format!("{}{head}{}", &built[..start], &built[start + len + 1..]),
            None => built,
        },
        // A minified page may have no <head> tag: then before the title, else first.
        None => match built.find("<head>").map(|i| i + "<head>".len()).or_else(|| built.find("<title")) {
            Some(at) => format!("{}{head}{}", &built[..at], &built[at..]),
            None => format!("{head}{built}"),
        },
    }
}

/// The page without its `<link rel=preload>` of `console-config.json`.
fn without_config_preload(html: &str) -> String {
    let mut out = html.to_owned();
    let mut from = 0;
    while let Some(start) = out[from..].find("<link").map(|i| i + from) {
        let Some(end) = out[start..].find('>').map(|i| start + i + 1) else { break };
        if out[start..end].contains("console-config.json") && out[start..end].contains("preload") {
            out.replace_range(start..end, "");
        } else {
            from = end;
        }
    }
    out
}

/// The API requests a console URL starts with, so the server can name them in a `Link: rel=preload` header
/// of the page: the browser fetches them while the app loads, and the app's own `fetch` gets the answer at once.
/// Only when the API is the server's own (no `apiBase` in the configuration file) and the console's requests
/// carry nothing a preload cannot (no `bearerToken` or extra `headers`: a preload sent without them would
/// be refused, and the console would be handed that answer).
pub struct Preload {
    base_path: String,
    default_region: String,
    enabled: bool,
}

impl Preload {
    pub fn new(base_path: &str, file: &serde_json::Value) -> Self {
        let text =
            |k: &str| file.get(k).and_then(|v| v.as_str()).filter(|v| !v.is_empty()).map(str::to_owned);
        let default_region = text("defaultRegion")
            .or_else(|| text("region"))
            .or_else(|| file.get("regions")?.get(0)?.as_str().map(str::to_owned))
            .unwrap_or_else(|| disk_api::region::DEFAULT_REGION.to_owned());
        let plain_requests = text("bearerToken").is_none()
            && file.get("headers").and_then(|h| h.as_object()).is_none_or(|h| h.is_empty());
        Self {
            base_path: base_path.to_owned(),
            default_region,
            enabled: text("apiBase").is_none() && plain_requests,
        }
    }

    /// The `Link` header for the page at `path` (below the base path) with `query`, if it loads lists.
    pub fn links(&self, path: &str, query: &str) -> Option<HeaderValue> {
        use disk_api::console_url::DiskListState;
        use disk_api::query::{encode_component, parse_pairs};
        if !self.enabled {
            return None;
        }
        let pairs = parse_pairs(query);
        let state = DiskListState::from_query(
            |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()),
            &self.default_region,
        );
        let api = format!("{}/v1/regions/{}", self.base_path, encode_component(&state.region));
        let list = match path.trim_end_matches('/') {
            "" | "/disks" => format!("{api}/disks?{}", state.list_query().encode()),
            "/snapshots" => format!("{api}/snapshots?{}", state.list_query().encode()),
            _ => return None,
        };
        let quota = format!("{api}/quotas?type=snapshot");
        let link = |u: &str| format!("<{u}>; rel=preload; as=fetch; crossorigin");
        HeaderValue::from_str(&format!("{}, {}", link(&list), link(&quota))).ok()
    }
}

/// The cookie in which the console mirrors the language chosen in its switcher (`i18n::LOCALE_KEY`), so the
/// first view is rendered in it.
pub const LOCALE_COOKIE: &str = "disk-console.locale";

/// Renders the disk list's first view into its page, from the API routes served beside it. Only where the
/// console's requests are the server's own plain ones (as for [`Preload`]) and the console reads its view
/// from the URL.
pub struct FirstViewSource {
    api: axum::Router,
    base_path: String,
    default_region: String,
    regions: Vec<String>,
    theme: String,
    locale: Option<String>,
}

/// How long the first view may hold the page back; past it the page goes without (and the console asks).
const FIRST_VIEW_BUDGET: std::time::Duration = std::time::Duration::from_millis(400);

impl FirstViewSource {
    pub fn new(
        api: axum::Router,
        base_path: &str,
        file: &serde_json::Value,
        preload: &Preload,
    ) -> Option<Self> {
        let text = |k: &str| file.get(k).and_then(|v| v.as_str()).map(str::trim).filter(|v| !v.is_empty());
        let memory_routing = text("routing").is_some_and(|r| r != "history") || text("path").is_some();
        let theme = text("theme").unwrap_or("auto");
        if !preload.enabled || memory_routing || !["auto", "light", "dark"].contains(&theme) {
            return None;
        }
        let regions: Vec<String> = match file.get("regions") {
            Some(serde_json::Value::Array(a)) => {
                a.iter().filter_map(|r| r.as_str()).map(str::to_owned).collect()
            }
            Some(serde_json::Value::String(s)) => s.split(',').map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        let mut regions: Vec<String> =
            regions.iter().map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect();
        if regions.is_empty() {
            regions = disk_api::region::REGIONS.iter().map(|r| r.id.to_owned()).collect();
        }
        // A region the emulator does not know may be a configuration error the console will report.
        if regions.iter().any(|r| disk_api::region::find(r).is_none()) {
            return None;
        }
        Some(Self {
            api,
            base_path: base_path.to_owned(),
            default_region: preload.default_region.trim().to_owned(),
            regions,
            theme: theme.to_owned(),
            locale: text("locale").map(str::to_owned),
        })
    }

    /// The page with the first view of the disk list the request asks for, or `None` (another page, an
    /// answer that is an error or late, a view the server does not render).
    pub async fn render(
        &self,
        req: &axum::http::request::Parts,
        session: &serde_json::Value,
        page: &str,
    ) -> Option<String> {
        use disk_api::console_url::DiskListState;
        use disk_api::query::{encode_component, parse_pairs};
        use disk_api::{DescribeDisksResult, DescribeQuotaResult, Envelope};
        if !matches!(req.uri.path().trim_end_matches('/'), "" | "/disks") {
            return None;
        }
        let at = page.find(r#"<div id="disk-console""#)?;
        let session = <disk_api::ConsoleSession as serde::Deserialize>::deserialize(session).ok()?;
        let pairs = parse_pairs(req.uri.query().unwrap_or(""));
        let state = DiskListState::from_query(
            |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()),
            &self.default_region,
        );
        if !self.regions.contains(&state.region) {
            return None;
        }
        let api = format!("/v1/regions/{}", encode_component(&state.region));
        let disks_path = format!("{api}/disks?{}", state.list_query().encode());
        let quota_path = format!("{api}/quotas?type=snapshot");
        let instances_path = format!("{api}/instances");
        let asked = tokio::time::timeout(FIRST_VIEW_BUDGET, async {
            tokio::join!(
                self.ask(req, &disks_path),
                self.ask(req, &quota_path),
                self.ask(req, &instances_path)
            )
        });
        let (disks_answer, quota_answer, instances_answer) = asked.await.ok()?;
        // Without the instances' names the view shows their IDs, as the console does until it has them.
        let instances = instances_answer.and_then(|a| {
            let e: Envelope<disk_api::DescribeInstancesResult> = serde_json::from_str(&a).ok()?;
            Some((e.result?, a))
        });
        let instance_names: std::collections::HashMap<String, String> = instances
            .iter()
            .flat_map(|(r, _)| r.instances.iter().map(|i| (i.instance_id.clone(), i.instance_name.clone())))
            .collect();
        let (disks_answer, quota_answer) = (disks_answer?, quota_answer?);
        let disks: Envelope<DescribeDisksResult> = serde_json::from_str(&disks_answer).ok()?;
        let quota: Envelope<DescribeQuotaResult> = serde_json::from_str(&quota_answer).ok()?;
        let (disks, quota) = (disks.result?, quota.result?.quota);
        let cookie = cookie_value(&req.headers, LOCALE_COOKIE);
        let accept = req.headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        let view = crate::prerender::FirstView {
            base_path: &self.base_path,
            locale: crate::prerender::choose_locale(cookie.as_deref(), self.locale.as_deref(), accept),
            theme: &self.theme,
            session: &session,
            regions: &self.regions,
            state: &state,
            disks: &disks,
            quota: &quota,
            instance_names: &instance_names,
        };
        let markup = crate::prerender::render(&view)?;
        // Each answer as it was sent (its parse above proved it JSON), not parsed and written again.
        let mut answers = vec![
            (format!("{}{disks_path}", self.base_path), disks_answer.as_str()),
            (format!("{}{quota_path}", self.base_path), quota_answer.as_str()),
        ];
        if let Some((_, answer)) = &instances {
            answers.push((format!("{}{instances_path}", self.base_path), answer.as_str()));
        }
        let answers = crate::prerender::answers_element(&answers);
        // Into the console's element; its answers after everything shown (the console reads them once the
        // page is parsed), so the browser can paint the view first.
        let open_end = at + page[at..].find('>')? + 1;
        let rest = &page[open_end..];
        let (rest, end) = rest.rfind("</body>").map_or((rest, ""), |i| (&rest[..i], &rest[i..]));
        Some(format!("{}{markup}{rest}{answers}{end}", &page[..open_end]))
    }

    /// A GET of the API beside the page, as the page's request (its headers and peer): the body's text, or
    /// `None` unless it answers 200.
    async fn ask(&self, page: &axum::http::request::Parts, path_and_query: &str) -> Option<String> {
        use tower::ServiceExt;
        let mut req = axum::http::Request::get(path_and_query).body(axum::body::Body::empty()).ok()?;
        *req.headers_mut() = page.headers.clone();
        req.headers_mut().insert(axum::http::header::ACCEPT, HeaderValue::from_static("application/json"));
        req.headers_mut().remove(axum::http::header::ACCEPT_ENCODING);
        if let Some(peer) = page.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>() {
            req.extensions_mut().insert(*peer);
        }
        let res = self.api.clone().oneshot(req).await.ok()?;
        if res.status() != axum::http::StatusCode::OK {
            return None;
        }
        let body = axum::body::to_bytes(res.into_body(), 8 << 20).await.ok()?;
        String::from_utf8(body.into()).ok()
    }
}

/// A cookie's value from the request's `Cookie` headers.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(
        |pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.trim().to_owned())
        },
    )
}

/// The console's run-time configuration file, as text (served as it is) and parsed: the file, or `{}` (the
/// defaults) when there is none or it cannot be used, which the log says.
fn read_console_config(path: Option<&Path>) -> (String, serde_json::Value) {
    let Some(p) = path else { return ("{}".to_owned(), serde_json::Value::default()) };
    match std::fs::read_to_string(p) {
        Ok(text) => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) => (text, value),
            Err(e) => {
                tracing::error!("{} is not valid JSON ({e}); serving the defaults", p.display());
                ("{}".to_owned(), serde_json::Value::default())
            }
        },
        Err(e) => {
            tracing::error!("cannot read {}: {e}; serving the defaults", p.display());
            ("{}".to_owned(), serde_json::Value::default())
        }
    }
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let value = if immutable && !is_html && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// Trunk names built assets `name-<16 hex digits>[_bg].ext`.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_pages_preload_their_first_requests() {
        let none = serde_json::Value::default();
        let p = super::Preload::new("/portal/disks", &none);
        let links = p.links("/disks", "region=cn-east-2&pageSize=100").unwrap();
        assert_eq!(
            links.to_str().unwrap(),
            "</portal/disks/v1/regions/cn-east-2/disks?pageNumber=1&pageSize=100>; rel=preload; as=fetch; crossorigin, \
             </portal/disks/v1/regions/cn-east-2/quotas?type=snapshot>; rel=preload; as=fetch; crossorigin"
        );
        let home = super::Preload::new("", &none).links("/", "").unwrap();
        assert!(home
            .to_str()
            .unwrap()
            .starts_with("</v1/regions/cn-north-1/disks?pageNumber=1&pageSize=20>"));
        assert!(super::Preload::new("", &none).links("/disks/vol-1", "").is_none());
        // Requests a preload could not make as the console does: none.
        for file in [
            serde_json::json!({"bearerToken": "t"}),
            serde_json::json!({"headers": {"x-portal": "1"}}),
            serde_json::json!({"apiBase": "https://api.example.com"}),
        ] {
            assert!(super::Preload::new("", &file).links("/disks", "").is_none(), "{file}");
        }
        assert!(super::Preload::new("", &serde_json::json!({"headers": {}})).links("/disks", "").is_some());
    }

    #[test]
    fn index_gets_the_base_path_and_the_settings() {
        let built = r#"<html><head><meta charset=utf-8><base href=/><link as=fetch crossorigin href=console-config.json rel=preload><script>x</script></head>"#;
        let none = serde_json::json!({});
        assert_eq!(
            super::index_html(built, "/portal/disks", &none),
            r#"<html><head><meta charset=utf-8><base href="/portal/disks/"><script type="application/json" id="disk-console-config" data-includes="console-config.json">{"basePath":"/portal/disks"}</script><script>x</script></head>"#
        );
        assert!(super::index_html(built, "", &none).contains(r#"<base href="/"><script type="application/json" id="disk-console-config" data-includes="console-config.json">{}</script>"#));
        assert!(super::index_html("<html><head></head>", "/p", &none)
            .starts_with(r#"<html><head><base href="/p/">"#));
        // The file's settings are in the element, and no text in them can end it.
        let file =
            serde_json::json!({"defaultRegion": "cn-east-2", "basePath": "/ignored", "x": "</script><b>"});
        let page = super::index_html(built, "/portal", &file);
        let json = page
            .split("data-includes=\"console-config.json\">")
            .nth(1)
            .unwrap()
            .split("</script>")
            .next()
            .unwrap();
        let back: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"defaultRegion": "cn-east-2", "basePath": "/portal", "x": "</script><b>"})
        );
        assert!(!page.contains("console-config.json rel=preload"));
    }

    #[test]
    fn hashed_assets() {
        assert!(super::is_hashed_asset("/disk-console-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(super::is_hashed_asset("/disk-console-1a2b3c4d5e6f7a8b.js"));
        assert!(super::is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(!super::is_hashed_asset("/index.html"));
        assert!(!super::is_hashed_asset("/disks"));
        assert!(!super::is_hashed_asset("/console-config.json"));
    }
}
