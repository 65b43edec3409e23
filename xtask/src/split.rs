//! The split release build: Trunk builds the page, the styles and an unsplit script (with the `split`
//! feature, which it cannot split); this step cuts the raw wasm into the first route's module and modules
//! loaded on demand (wasm-split-cli), binds and optimises each, names them all by one content hash and
//! puts them in dist/ in place of Trunk's script and wasm, with the page's integrity values recomputed.

use crate::{sh, Result};
use base64::Engine as _;
use sha2::{Digest, Sha384};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The stem of the app's files (the `disk-console` binary); Trunk names its files `STEM-HASH…`.
const STEM: &str = "disk-console";

/// wasm-opt's settings for every module (Trunk runs none: its output is replaced).
const WASM_OPT: &[&str] = &["-Oz", "--converge", "--strip-debug", "--strip-producers"];

pub fn split_into_dist(raw_wasm: &Path, dist: &Path, path: &str) -> Result<()> {
    let work = raw_wasm.with_file_name("split");
    let _ = std::fs::remove_dir_all(&work);
    let (out, pkg) = (work.join("out"), work.join("pkg"));
    std::fs::create_dir_all(&pkg).map_err(|e| e.to_string())?;

    sh(Command::new("wasm-split-cli")
        .arg(raw_wasm)
        .arg(&out)
        .args(["--target", "web", "--out-name", STEM])
        .env("PATH", path))?;
    // The main module keeps the exports the split modules link against.
    sh(Command::new("wasm-bindgen")
        .arg(out.join(format!("{STEM}.wasm")))
        .arg("--out-dir")
        .arg(&pkg)
        .args(["--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript"])
        .env("PATH", path))?;

    // Every wasm file, optimised in place: the bound main module, the chunks and the split modules.
    let mut wasm = vec![pkg.join(format!("{STEM}_bg.wasm"))];
    let mut parts: Vec<PathBuf> = entries(&out)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "wasm") && !p.ends_with(format!("{STEM}.wasm")))
        .collect();
    parts.sort();
    wasm.extend(parts.iter().cloned());
    for file in &wasm {
        sh(Command::new("wasm-opt").args(WASM_OPT).arg(file).arg("-o").arg(file).env("PATH", path))?;
    }

    let glue_path = pkg.join(format!("{STEM}.js"));
    let loader_path = out.join("__wasm_split.js");
    let glue = read(&glue_path)?;
    let loader = read(&loader_path)?;

    // One hash for the set: a change anywhere renames every file, so no mix of old and new is ever served.
    let mut hasher = Sha384::new();
    for file in &wasm {
        hasher.update(std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?);
    }
    hasher.update(glue.as_bytes());
    hasher.update(loader.as_bytes());
    let hash: String = hasher.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect();

    let glue_name = format!("{STEM}-{hash}.js");
    let main_wasm_name = format!("{STEM}-{hash}_bg.wasm");
    let loader_name = format!("{STEM}-split-{hash}.js");

    // The loader imports the glue (for the main module's exports) and fetches each part by its plain name.
    let mut loader = loader.replace(&format!("from \"./{STEM}.js\""), &format!("from \"./{glue_name}\""));
    if !loader.contains(&glue_name) {
        return Err("wasm-split-cli's loader no longer imports ./disk-console.js".into());
    }
    for part in &parts {
        let stem = part.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let plain = format!("\"./{stem}.wasm\"");
        if !loader.contains(&plain) {
            return Err(format!("the loader does not fetch {plain}"));
        }
        loader = loader.replace(&plain, &format!("\"./{stem}-{hash}.wasm\""));
        copy(part, &dist.join(format!("{stem}-{hash}.wasm")))?;
    }
    // The glue imports the loader: only the specifier changes (the wasm's import module keeps its name).
    let glue = rename_import(&glue, "./__wasm_split.js", &format!("./{loader_name}"))?
        .replace(&format!("'{STEM}_bg.wasm'"), &format!("'{main_wasm_name}'"));

    // Out with Trunk's unsplit script and wasm, in with the split set.
    let html_path = dist.join("index.html");
    let mut html = read(&html_path)?;
    for old in entries(dist)? {
        let name = old.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if name.starts_with(&format!("{STEM}-")) && (name.ends_with(".js") || name.ends_with("_bg.wasm")) {
            let new = if name.ends_with(".js") { &glue_name } else { &main_wasm_name };
            html = html.replace(&name, new);
            std::fs::remove_file(&old).map_err(|e| e.to_string())?;
        }
    }
    write(&dist.join(&glue_name), &glue)?;
    write(&dist.join(&loader_name), &loader)?;
    // Both scripts minified (ES modules: their exports keep their names).
    for script in [&glue_name, &loader_name] {
        let file = dist.join(script);
        sh(Command::new("terser")
            .arg(&file)
            .args(["--module", "--compress", "--mangle", "-o"])
            .arg(&file)
            .env("PATH", path))?;
    }
    copy(&wasm[0], &dist.join(&main_wasm_name))?;
    if pkg.join("snippets").is_dir() {
        let _ = std::fs::remove_dir_all(dist.join("snippets"));
        copy_dir(&pkg.join("snippets"), &dist.join("snippets"))?;
    }

    // The loader is modulepreloaded right after the glue (which imports it at once); then every integrity
    // value is recomputed from the files (the glue and the snippets are new).
    let glue_link = link_to(&html, &glue_name).ok_or("index.html has no modulepreload of the script")?;
    let loader_link = format!("<link crossorigin href=./{loader_name} integrity=sha384- rel=modulepreload>");
    html.insert_str(glue_link.end, &loader_link);
    write(&html_path, &with_integrity(&html, dist)?)
}

/// The `<link>` tag whose href is `./NAME` or `NAME` (quoted or not), as a byte range of `html`.
fn link_to(html: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let mut from = 0;
    while let Some(at) = html[from..].find("<link").map(|i| i + from) {
        let end = at + html[at..].find('>')? + 1;
        if attr(&html[at..end], "href").is_some_and(|h| h.trim_start_matches("./") == name) {
            return Some(at..end);
        }
        from = end;
    }
    None
}

/// An attribute's value in a tag, quoted or not.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}="))? + name.len() + 2;
    let rest = &tag[at..];
    Some(match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?,
        _ => rest.split([' ', '>']).next()?.trim_end_matches('/'),
    })
}

/// The page with each `<link>`'s integrity computed again from the file its href names in `dist`.
fn with_integrity(html: &str, dist: &Path) -> Result<String> {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<link") {
        out.push_str(&rest[..at]);
        let end = at + rest[at..].find('>').ok_or("index.html: unclosed <link>")? + 1;
        let tag = &rest[at..end];
        match (attr(tag, "integrity"), attr(tag, "href")) {
            (Some(old), Some(href)) => {
                let file = dist.join(href.trim_start_matches("./"));
                let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
                out.push_str(&tag.replacen(old, &sri(&bytes), 1));
            }
            _ => out.push_str(tag),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `import … from 'FROM'` (either quote) with `FROM` replaced, and nothing else touched.
fn rename_import(js: &str, from: &str, to: &str) -> Result<String> {
    for q in ['\'', '"'] {
        let old = format!("from {q}{from}{q}");
        if js.contains(&old) {
            return Ok(js.replace(&old, &format!("from {q}{to}{q}")));
        }
    }
    Err(format!("the script does not import {from}"))
}

fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

fn entries(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect())
}

fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn write(p: &Path, s: &str) -> Result<()> {
    std::fs::write(p, s).map_err(|e| format!("{}: {e}", p.display()))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to).map(drop).map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())?.flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            copy(&src, &dst)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_is_renamed_in_its_specifier_only() {
        let js = "import * as s from './__wasm_split.js';\nimports['./__wasm_split.js'] = s;";
        let out = rename_import(js, "./__wasm_split.js", "./x-1.js").unwrap();
        assert_eq!(out, "import * as s from './x-1.js';\nimports['./__wasm_split.js'] = s;");
        assert!(rename_import("import a from './b.js';", "./c.js", "./d.js").is_err());
    }

    #[test]
    fn links_are_found_by_href_and_their_integrity_is_recomputed() {
        let dir = std::env::temp_dir().join(format!("xtask-split-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.js"), "abc").unwrap();
        let html = "<head><link crossorigin href=./a.js integrity=sha384-OLD rel=modulepreload><link href=\"b.css\" rel=stylesheet></head>";
        let range = link_to(html, "a.js").unwrap();
        assert!(html[range].starts_with("<link crossorigin href=./a.js"));
        assert_eq!(attr(&html[link_to(html, "b.css").unwrap()], "rel"), Some("stylesheet"));
        assert!(link_to(html, "c.js").is_none());
        let out = with_integrity(html, &dir).unwrap();
        assert!(out.contains(&format!("integrity={} rel=modulepreload", sri(b"abc"))), "{out}");
        assert!(out.contains("<link href=\"b.css\" rel=stylesheet>"), "{out}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(sri(b"abc"), "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn");
    }
}
