//! Headers that make the console a good guest: a Content-Security-Policy without `unsafe-inline` or
//! `unsafe-eval` (Trunk's one inline loader script is allowed by its hash, WebAssembly by
//! `wasm-unsafe-eval`), `frame-ancestors` from the command line, and CORS for exactly the origins allowed.

use axum::http::{header, HeaderName, HeaderValue, Method};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// `'sha256-…'` sources for every inline `<script>` (one without `src`) of a page.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let open_tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find("</script>") else { break };
        // Scripts with a src are 'self'; JSON data blocks are never run, so they need no hash.
        if !open_tag.contains("src=") && !open_tag.contains("application/json") {
            let digest = Sha256::digest(&body_and_more.as_bytes()[..close]);
            out.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        rest = &body_and_more[close + "</script>".len()..];
    }
    out
}

/// The console's Content-Security-Policy.
pub fn console_csp(script_hashes: &[String], frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {}",
        script_hashes.join(" "),
        frame_ancestors
    )
}

/// CORS for the API: only for the listed origins; preflights answered for what the console and the SDKs send;
/// `x-jdcloud-request-id` readable by the page. `None` when no origin is allowed (the default).
pub fn cors(origins: &[String], extra_headers: &[String]) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> =
        origins.iter().filter_map(|o| HeaderValue::from_str(o.trim()).ok()).collect();
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
            .allow_headers(
                [
                    header::CONTENT_TYPE,
                    header::ACCEPT,
                    header::AUTHORIZATION,
                    HeaderName::from_static("x-jdcloud-date"),
                    HeaderName::from_static("x-jdcloud-nonce"),
                    HeaderName::from_static("x-jdcloud-security-token"),
                ]
                .into_iter()
                // The extra headers a deployment configures the console to send (its `headers` setting).
                .chain(extra_headers.iter().filter_map(|h| HeaderName::from_bytes(h.trim().as_bytes()).ok()))
                .collect::<Vec<_>>(),
            )
            .expose_headers([HeaderName::from_static(crate::error::REQUEST_ID_HEADER)])
            .max_age(std::time::Duration::from_secs(600)),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script type=module>alert(1)</script><script src="/a.js"></script><script>x</script>"#;
        let h = super::inline_script_hashes(html);
        assert_eq!(h.len(), 2);
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(h[0], "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
        let csp = super::console_csp(&h, "'self'");
        assert!(
            csp.contains("'wasm-unsafe-eval'")
                && !csp.contains("unsafe-inline")
                && !csp.contains("'unsafe-eval'")
        );
        assert!(csp.ends_with("frame-ancestors 'self'"));
    }
}
