//! The release page: dist/index.html and the styles, made from the source `index.html` by the build itself
//! (no Trunk on the way: installing it was a quarter of a fresh machine's first build). The source page's
//! `data-trunk` links stay as they are, so `trunk serve` still works for development; here each becomes
//! what the release build made: a style sheet minified by lightningcss and named by its content's hash, and
//! the script that starts the app with the preloads of its first route.

use crate::split::{attr, hash_of, sri};
use crate::{sh, Result};
use std::path::Path;
use std::process::Command;

/// The files the page starts: the wasm-bindgen glue, the split loader it imports, the main module and the
/// glue's snippets (paths relative to dist/).
pub struct Scripts {
    pub glue: String,
    /// None in an unsplit build (no split points, no loader).
    pub loader: Option<String>,
    pub wasm: String,
    pub snippets: Vec<String>,
}

/// Writes dist/index.html (and the style sheets it links) from `source`, the project's index.html.
pub fn write_page(source: &Path, dist: &Path, scripts: &Scripts, path: &str) -> Result<()> {
    let html = std::fs::read_to_string(source).map_err(|e| format!("{}: {e}", source.display()))?;
    let root = source.parent().unwrap_or(Path::new("."));
    let page = render(&html, scripts, &mut |href| style_sheet(&root.join(href), dist, path))?;
    std::fs::write(dist.join("index.html"), page).map_err(|e| format!("index.html: {e}"))
}

/// A style sheet minified into dist/ as `STEM-HASH.css`; gives that name and its integrity value.
fn style_sheet(source: &Path, dist: &Path, path: &str) -> Result<(String, String)> {
    let stem = source.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    let out = dist.join(format!("{stem}.css"));
    sh(Command::new("lightningcss").arg("--minify").arg(source).arg("-o").arg(&out).env("PATH", path))?;
    let bytes = std::fs::read(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let name = format!("{stem}-{}.css", hash_of(&[&bytes]));
    std::fs::rename(&out, dist.join(&name)).map_err(|e| format!("{name}: {e}"))?;
    Ok((name, sri(&bytes)))
}

/// The page with its `data-trunk` links replaced, comments dropped and the whitespace between tags gone.
/// `css(href)` makes a style sheet and names it.
fn render(
    html: &str,
    scripts: &Scripts,
    css: &mut dyn FnMut(&str) -> Result<(String, String)>,
) -> Result<String> {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = without_comments(html);
    let mut started = false;
    while let Some(at) = rest.find("<link data-trunk") {
        out.push_str(&rest[..at]);
        let end = at + rest[at..].find('>').ok_or("index.html: unclosed <link>")? + 1;
        let tag = &rest[at..end];
        match attr(tag, "rel") {
            Some("css") => {
                let href = attr(tag, "href").ok_or("index.html: a css link without href")?;
                let (name, integrity) = css(href)?;
                out.push_str(&format!(r#"<link rel="stylesheet" href="./{name}" integrity="{integrity}">"#));
            }
            Some("rust") if !started => {
                out.push_str(&start_script(scripts));
                started = true;
            }
            other => return Err(format!("index.html: unexpected data-trunk link ({other:?})")),
        }
        rest = rest[end..].to_owned();
    }
    out.push_str(&rest);
    if !started {
        return Err("index.html has no <link data-trunk rel=\"rust\">".into());
    }
    Ok(between_tags_collapsed(&out))
}

/// The module script that starts the app (the glue's `init` with the main module; where disk-server rendered
/// the first view into the page, after that view's first contentful paint has been presented (the paint
/// timing entry; a frame begun is not enough: compiling and starting the module competes with that frame's
/// raster on a small machine); at most 300 ms, at once in a hidden tab, which paints nothing; after the
/// next frame where paint timing is missing: no `PerformanceObserver`, or one without the `paint` type, where
/// observing it would throw nothing and wait the 300 ms), and the preloads of what
/// the first route needs at once: both scripts, the snippets and the main module. `disk-console:started`
/// hands the instance to whoever listens (the soak benchmark reads its memory); `wasmBindings` are the
/// glue's exports.
fn start_script(s: &Scripts) -> String {
    let mut html = format!(
        "<script type=\"module\">import init, * as bindings from './{glue}';\
         if (document.querySelector('[data-prerendered]')) await new Promise(r => {{ if (document.visibilityState !== 'visible') return r(); setTimeout(r, 300); \
         try {{ if (!PerformanceObserver.supportedEntryTypes.includes('paint')) throw 0; new PerformanceObserver((l, o) => {{ if (l.getEntriesByName('first-contentful-paint').length) {{ o.disconnect(); setTimeout(r); }} }}).observe({{type: 'paint', buffered: true}}); }} \
         catch (e) {{ requestAnimationFrame(() => setTimeout(r)); }} }});\
         const wasm = await init({{ module_or_path: './{wasm}' }});\
         window.wasmBindings = bindings;\
         dispatchEvent(new CustomEvent('disk-console:started', {{detail: {{wasm}}}}));</script>",
        glue = s.glue,
        wasm = s.wasm
    );
    for script in std::iter::once(&s.glue).chain(&s.loader).chain(&s.snippets) {
        html.push_str(&format!(
            r#"<link rel="modulepreload" href="./{script}" crossorigin integrity="sha384-">"#
        ));
    }
    // No integrity on a fetch preload: Chromium ignores it there and warns; the glue checks nothing either.
    html.push_str(&format!(
        r#"<link rel="preload" href="./{}" as="fetch" type="application/wasm" crossorigin>"#,
        s.wasm
    ));
    html
}

fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<!--") {
        out.push_str(&rest[..at]);
        rest = rest[at..].find("-->").map_or("", |end| &rest[at + end + 3..]);
    }
    out.push_str(rest);
    out
}

/// Whitespace-only text between two tags removed (the page has no `<pre>`), every other text kept.
fn between_tags_collapsed(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(gt) = rest.find('>') {
        out.push_str(&rest[..=gt]);
        rest = &rest[gt + 1..];
        let text_end = rest.find('<').unwrap_or(rest.len());
        if rest[..text_end].trim().is_empty() {
            rest = &rest[text_end..];
        }
    }
    out.push_str(rest.trim());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripts() -> Scripts {
        Scripts {
            glue: "dc-1.js".into(),
            loader: Some("dc-split-1.js".into()),
            wasm: "dc-1_bg.wasm".into(),
            snippets: vec!["snippets/x/inline0.js".into()],
        }
    }

    #[test]
    fn the_trunk_links_become_the_release_build_s_script_preloads_and_styles() {
        let source = "<!DOCTYPE html>\n<html>\n  <head>\n    <title>Cloud Disk Console</title>\n    <!-- a note -->\n    <link data-trunk rel=\"rust\" data-bin=\"x\" />\n    <link data-trunk rel=\"css\" href=\"style/main.css\" />\n  </head>\n  <body>\n    <noscript>Needs JavaScript.</noscript>\n  </body>\n</html>\n";
        let mut asked = Vec::new();
        let page = render(source, &scripts(), &mut |href| {
            asked.push(href.to_owned());
            Ok(("main-ab.css".into(), "sha384-Q".into()))
        })
        .unwrap();
        assert_eq!(asked, ["style/main.css"]);
        assert!(!page.contains("data-trunk") && !page.contains("a note"), "{page}");
        assert!(page.starts_with("<!DOCTYPE html><html><head><title>Cloud Disk Console</title><script type=\"module\">import init, * as bindings from './dc-1.js';"), "{page}");
        assert!(page.contains("module_or_path: './dc-1_bg.wasm'"), "{page}");
        for preload in ["dc-1.js", "dc-split-1.js", "snippets/x/inline0.js"] {
            assert!(
                page.contains(&format!(
                    "<link rel=\"modulepreload\" href=\"./{preload}\" crossorigin integrity=\"sha384-\">"
                )),
                "{page}"
            );
        }
        assert!(page.contains("<link rel=\"preload\" href=\"./dc-1_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>"));
        assert!(page.contains("<link rel=\"stylesheet\" href=\"./main-ab.css\" integrity=\"sha384-Q\"></head><body><noscript>Needs JavaScript.</noscript></body></html>"), "{page}");
    }

    #[test]
    fn a_page_that_does_not_start_the_app_is_an_error() {
        let none = |_: &str| -> Result<(String, String)> { Ok((String::new(), String::new())) };
        assert!(render("<html><head></head></html>", &scripts(), &mut { none }).is_err());
        let odd = "<link data-trunk rel=\"rust\"/><link data-trunk rel=\"copy-dir\" href=\"x\"/>";
        assert!(render(odd, &scripts(), &mut { none }).is_err());
    }
}
