//! The split release build: cargo builds the raw wasm (with the `split` feature); this step cuts it into
//! the first route's module and modules loaded on demand (wasm-split-cli), binds and optimises each, names
//! them all by one content hash and puts them in dist/; `page.rs` then writes the page that starts them.

pub use crate::page::Scripts;
use crate::{sh, Result};
use base64::Engine as _;
use sha2::{Digest, Sha384};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The stem of the app's files (the `disk-console` binary): `STEM-HASH…`.
const STEM: &str = "disk-console";

/// wasm-opt's settings for every module.
const WASM_OPT: &[&str] = &["-Oz", "--converge", "--strip-debug", "--strip-producers"];

/// The split set in `dist`; gives the names the page starts it by.
pub fn split_into_dist(raw_wasm: &Path, dist: &Path, path: &str) -> Result<Scripts> {
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
    let mut bytes = Vec::new();
    for file in &wasm {
        bytes.push(std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?);
    }
    bytes.push(glue.clone().into_bytes());
    bytes.push(loader.clone().into_bytes());
    let hash = hash_of(&bytes.iter().map(Vec::as_slice).collect::<Vec<_>>());

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

    write(&dist.join(&glue_name), &glue)?;
    write(&dist.join(&loader_name), &loader)?;
    // Both scripts minified (ES modules: their exports keep their names).
    for script in [&glue_name, &loader_name] {
        minify(&dist.join(script), path)?;
    }
    copy(&wasm[0], &dist.join(&main_wasm_name))?;
    let snippets = snippets_into(&pkg, dist)?;
    Ok(Scripts { glue: glue_name, loader: Some(loader_name), wasm: main_wasm_name, snippets })
}

/// The unsplit build in `dist` (cargo without the `split` feature: no split points): the raw wasm bound,
/// optimised and named by its hash, for the benchmark that compares it with the split build.
pub fn unsplit_into_dist(raw_wasm: &Path, dist: &Path, path: &str) -> Result<Scripts> {
    let pkg = raw_wasm.with_file_name("unsplit");
    let _ = std::fs::remove_dir_all(&pkg);
    std::fs::create_dir_all(&pkg).map_err(|e| e.to_string())?;
    sh(Command::new("wasm-bindgen")
        .arg(raw_wasm)
        .arg("--out-dir")
        .arg(&pkg)
        .args(["--target", "web", "--no-typescript"])
        .env("PATH", path))?;
    let wasm = pkg.join(format!("{STEM}_bg.wasm"));
    // The relocations `--emit-relocs` left for the splitter (stale once wasm-opt rewrites the code, and
    // larger than the code itself): the split build's modules come out of wasm-split-cli without them.
    let bound = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    std::fs::write(&wasm, without_relocations(&bound)?).map_err(|e| format!("{}: {e}", wasm.display()))?;
    sh(Command::new("wasm-opt").args(WASM_OPT).arg(&wasm).arg("-o").arg(&wasm).env("PATH", path))?;
    let glue = read(&pkg.join(format!("{STEM}.js")))?;
    let bytes = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let hash = hash_of(&[&bytes, glue.as_bytes()]);
    let (glue_name, wasm_name) = (format!("{STEM}-{hash}.js"), format!("{STEM}-{hash}_bg.wasm"));
    let glue = glue.replace(&format!("'{STEM}_bg.wasm'"), &format!("'{wasm_name}'"));
    write(&dist.join(&glue_name), &glue)?;
    minify(&dist.join(&glue_name), path)?;
    copy(&wasm, &dist.join(&wasm_name))?;
    let snippets = snippets_into(&pkg, dist)?;
    Ok(Scripts { glue: glue_name, loader: None, wasm: wasm_name, snippets })
}

/// A wasm module without its linking and relocation custom sections (`linking`, `reloc.*`); every other
/// section as it was, in order.
fn without_relocations(wasm: &[u8]) -> Result<Vec<u8>> {
    let bad = || "not a wasm module".to_owned();
    // An unsigned LEB128 at `at`: its value and the offset after it.
    let leb = |at: usize| -> Result<(usize, usize)> {
        let (mut value, mut shift) = (0usize, 0);
        for (i, b) in wasm.get(at..).ok_or_else(bad)?.iter().enumerate().take(5) {
            value |= usize::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                return Ok((value, at + i + 1));
            }
        }
        Err(bad())
    };
    if wasm.get(..4) != Some(b"\0asm") || wasm.len() < 8 {
        return Err(bad());
    }
    let mut out = wasm[..8].to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let (size, body) = leb(at + 1)?;
        let end = body.checked_add(size).filter(|&e| e <= wasm.len()).ok_or_else(bad)?;
        let dropped = wasm[at] == 0 && {
            let (len, name) = leb(body)?;
            let name = wasm.get(name..name + len).ok_or_else(bad)?;
            name == b"linking" || name.starts_with(b"reloc.")
        };
        if !dropped {
            out.extend_from_slice(&wasm[at..end]);
        }
        at = end;
    }
    Ok(out)
}

/// An ES module minified in place (its exports keep their names).
fn minify(file: &Path, path: &str) -> Result<()> {
    sh(Command::new("terser")
        .arg(file)
        .args(["--module", "--compress", "--mangle", "-o"])
        .arg(file)
        .env("PATH", path))
}

/// wasm-bindgen's snippets (in `pkg`) copied into `dist`; their paths there.
fn snippets_into(pkg: &Path, dist: &Path) -> Result<Vec<String>> {
    let mut snippets = Vec::new();
    if pkg.join("snippets").is_dir() {
        copy_dir(&pkg.join("snippets"), &dist.join("snippets"), &mut snippets)?;
    }
    Ok(snippets
        .iter()
        .filter_map(|p| p.strip_prefix(dist).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .collect())
}

/// The page (dist/index.html) with every `<link>`'s integrity computed from the file it names.
pub fn recompute_integrity(dist: &Path) -> Result<()> {
    let html_path = dist.join("index.html");
    let html = read(&html_path)?;
    write(&html_path, &with_integrity(&html, dist)?)
}

/// An attribute's value in a tag, quoted or not.
pub fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
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

/// The first 8 bytes of the SHA-384 of `parts`, in hex: the content hash in file names.
pub fn hash_of(parts: &[&[u8]]) -> String {
    let mut hasher = Sha384::new();
    for p in parts {
        hasher.update(p);
    }
    hasher.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sri(bytes: &[u8]) -> String {
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

/// Copies a folder; `copied` gets every file written.
fn copy_dir(from: &Path, to: &Path, copied: &mut Vec<PathBuf>) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())?.flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst, copied)?;
        } else {
            copy(&src, &dst)?;
            copied.push(dst);
        }
    }
    copied.sort();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relocations_are_dropped_and_every_other_section_kept() {
        let custom = |name: &str, body: &[u8]| {
            let mut s = vec![0, (1 + name.len() + body.len()) as u8, name.len() as u8];
            s.extend_from_slice(name.as_bytes());
            s.extend_from_slice(body);
            s
        };
        let header = b"\0asm\x01\0\0\0".to_vec();
        let types = vec![1, 4, 1, 0x60, 0, 0];
        let module = [
            header.clone(),
            types.clone(),
            custom("linking", &[2, 8, 0]),
            custom("reloc.CODE", &[3, 0]),
            custom("name", &[1, 2]),
        ]
        .concat();
        let kept = without_relocations(&module).unwrap();
        assert_eq!(kept, [header, types, custom("name", &[1, 2])].concat());
        assert!(without_relocations(b"\0asm\x01\0\0\0\x01\x09").is_err(), "a section past the end");
        assert!(without_relocations(b"nope").is_err());
    }

    #[test]
    fn an_import_is_renamed_in_its_specifier_only() {
        let js = "import * as s from './__wasm_split.js';\nimports['./__wasm_split.js'] = s;";
        let out = rename_import(js, "./__wasm_split.js", "./x-1.js").unwrap();
        assert_eq!(out, "import * as s from './x-1.js';\nimports['./__wasm_split.js'] = s;");
        assert!(rename_import("import a from './b.js';", "./c.js", "./d.js").is_err());
    }

    #[test]
    fn attributes_are_read_quoted_or_not_and_integrity_is_recomputed() {
        let dir = std::env::temp_dir().join(format!("xtask-split-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.js"), "abc").unwrap();
        let html = "<head><link crossorigin href=./a.js integrity=sha384-OLD rel=modulepreload><link href=\"b.css\" rel=stylesheet></head>";
        assert_eq!(attr("<link crossorigin href=./a.js integrity=x>", "href"), Some("./a.js"));
        assert_eq!(attr("<link href=\"b.css\" rel=stylesheet>", "href"), Some("b.css"));
        assert_eq!(attr("<link rel='css' />", "rel"), Some("css"));
        assert_eq!(attr("<link data-trunk rel=rust/>", "rel"), Some("rust"));
        assert_eq!(attr("<link href=a>", "rel"), None);
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
