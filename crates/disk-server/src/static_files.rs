//! The console's files: hashed assets are cached for a year, everything else is revalidated; any path that
//! is not a file gets `index.html`, so deep links work.

use axum::extract::Request;
use axum::http::header::{
    HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LINK, X_CONTENT_TYPE_OPTIONS,
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

pub fn router<S: Clone + Send + Sync + 'static>(
    config: &crate::Config,
    session: PageSession,
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
    let config_text: &'static str = Box::leak(config_text.into_boxed_str());
    let page = move |req: Request| {
        let preload = preload.clone();
        let session = session.clone();
        async move {
            let uri = req.uri();
            let mut res = match &session {
                PageSession::PerRequest(f) => {
                    match f(req.headers(), crate::gateway::peer(req.extensions())) {
                        Some(v) => Html(with_session(index, &v)).into_response(),
                        None => Html(index).into_response(),
                    }
                }
                _ => Html(index).into_response(),
            };
            if let Some(links) = preload.links(uri.path(), uri.query().unwrap_or("")) {
                res.headers_mut().insert(LINK, links);
            }
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
