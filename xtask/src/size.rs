//! The transfer size of the built app: what a browser downloads, gzip-compressed.

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The budget for what the first route (the disk list) loads: wasm + js + css + html, gzip.
pub const BUDGET_GZIP_BYTES: u64 = 150 * 1024;

/// Writes `NAME.br` (brotli, quality 11) and `NAME.gz` (gzip -9) next to each wasm, js and css file of dist/,
/// which disk-server sends as they are (no compression work per request, and smaller than on-the-fly).
pub fn precompress(dist: &Path) -> Result<()> {
    for path in files(dist)? {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if !["wasm", "js", "css"].iter().any(|ext| name.ends_with(&format!(".{ext}"))) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::write(path.with_file_name(format!("{name}.br")), brotli_bytes(&bytes)?)
            .map_err(|e| e.to_string())?;
        let gz = Command::new("gzip")
            .args(["-9", "-n", "-c"])
            .arg(&path)
            .output()
            .map_err(|e| format!("gzip: {e}"))?;
        std::fs::write(path.with_file_name(format!("{name}.gz")), gz.stdout).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Every file under `dir`, in its subfolders too (wasm-bindgen's `snippets/`).
fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e} (build first)", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

fn brotli_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| format!("brotli: {e}"))?;
    Ok(out)
}

/// One built file: name, raw bytes, `gzip -9` bytes, brotli (quality 11) bytes.
pub struct Row {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Each file of dist/ a browser downloads for the console.
pub fn measure(dist: &Path) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for path in files(dist)? {
        let name = path.strip_prefix(dist).unwrap_or(&path).to_string_lossy().into_owned();
        if !["wasm", "js", "css", "html"].iter().any(|ext| name.ends_with(&format!(".{ext}"))) {
            continue;
        }
        // embed.js is what a host page loads instead of index.html (about 1 KiB); the standalone page never does.
        if name == "embed.js" {
            continue;
        }
        let raw = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
        let out =
            Command::new("gzip").args(["-9", "-c"]).arg(&path).output().map_err(|e| format!("gzip: {e}"))?;
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut br, &params)
            .map_err(|e| format!("brotli: {e}"))?;
        rows.push(Row { name, raw, gzip: out.stdout.len() as u64, brotli: br.len() as u64 });
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// Whether the browser fetches the file only on demand: a split module or a chunk of shared code, loaded
/// when a page or dialog that needs it is first opened (or preloaded while idle).
pub fn on_demand(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.starts_with("split_") || file.starts_with("chunk_")
}

/// Prints every file and the totals; returns the gzip total of what the first route loads (everything but
/// the on-demand modules; the benchmark counts it by the browser's own resource timing).
pub fn report(dist: &Path) -> Result<u64> {
    let rows = measure(dist)?;
    let kib = |b: u64| b as f64 / 1024.0;
    for r in &rows {
        eprintln!(
            "  {:<48} {:>7.1} KiB raw {:>7.1} KiB gzip {:>7.1} KiB brotli{}",
            r.name,
            kib(r.raw),
            kib(r.gzip),
            kib(r.brotli),
            if on_demand(&r.name) { "  (on demand)" } else { "" }
        );
    }
    let sum =
        |f: &dyn Fn(&Row) -> bool, g: &dyn Fn(&Row) -> u64| rows.iter().filter(|r| f(r)).map(g).sum::<u64>();
    let first = |r: &Row| !on_demand(&r.name);
    let first_gzip = sum(&first, &|r| r.gzip);
    eprintln!(
        "  the files the console starts with: {:.1} KiB gzip, {:.1} KiB brotli; whole app: {:.1} KiB gzip, {:.1} KiB brotli",
        kib(first_gzip),
        kib(sum(&first, &|r| r.brotli)),
        kib(sum(&|_| true, &|r| r.gzip)),
        kib(sum(&|_| true, &|r| r.brotli)),
    );
    Ok(first_gzip)
}
