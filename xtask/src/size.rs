//! The transfer size of the built app: what a browser downloads, gzip-compressed.

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The budget for wasm + js + css + html, gzip.
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

pub fn report(dist: &Path) -> Result<u64> {
    let rows = measure(dist)?;
    let total: u64 = rows.iter().map(|r| r.gzip).sum();
    let kib = |b: u64| b as f64 / 1024.0;
    for r in &rows {
        eprintln!(
            "  {:<40} {:>7.1} KiB raw {:>7.1} KiB gzip {:>7.1} KiB brotli",
            r.name,
            kib(r.raw),
            kib(r.gzip),
            kib(r.brotli)
        );
    }
    eprintln!(
        "  total transfer: {:.1} KiB gzip, {:.1} KiB brotli (budget {} KiB gzip)",
        kib(total),
        kib(rows.iter().map(|r| r.brotli).sum()),
        BUDGET_GZIP_BYTES / 1024
    );
    Ok(total)
}

pub fn check(dist: &Path) -> Result<()> {
    let total = report(dist)?;
    if total > BUDGET_GZIP_BYTES {
        return Err(format!(
            "the app transfers {:.1} KiB gzip, over the {} KiB budget",
            total as f64 / 1024.0,
            BUDGET_GZIP_BYTES / 1024
        ));
    }
    Ok(())
}

/// Prints the sizes and says plainly whether the budget is met, without failing: the console is over the
/// budget today (see the README's Size section), and a test that always fails would hide every other result.
pub fn report_against_budget(dist: &Path) -> Result<()> {
    let total = report(dist)?;
    if total > BUDGET_GZIP_BYTES {
        eprintln!(
            "  OVER BUDGET: {:.1} KiB gzip, {:.1} KiB more than the {} KiB budget",
            total as f64 / 1024.0,
            (total - BUDGET_GZIP_BYTES) as f64 / 1024.0,
            BUDGET_GZIP_BYTES / 1024
        );
    }
    Ok(())
}
