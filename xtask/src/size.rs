//! The transfer size of the built app: what a browser downloads, gzip-compressed.

use crate::Result;
use std::path::Path;
use std::process::Command;

/// The budget for wasm + js + css + html, gzip.
pub const BUDGET_GZIP_BYTES: u64 = 150 * 1024;

/// `(file name, raw bytes, gzip -9 bytes)` of each file of dist/.
pub fn measure(dist: &Path) -> Result<Vec<(String, u64, u64)>> {
    let mut rows = Vec::new();
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e} (build first)", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if !["wasm", "js", "css", "html"].iter().any(|ext| name.ends_with(&format!(".{ext}"))) {
            continue;
        }
        // embed.js is what a host page loads instead of index.html (about 1 KiB); the standalone page never does.
        if name == "embed.js" {
            continue;
        }
        let raw = entry.metadata().map_err(|e| e.to_string())?.len();
        let out =
            Command::new("gzip").args(["-9", "-c"]).arg(&path).output().map_err(|e| format!("gzip: {e}"))?;
        rows.push((name, raw, out.stdout.len() as u64));
    }
    rows.sort();
    Ok(rows)
}

pub fn report(dist: &Path) -> Result<u64> {
    let rows = measure(dist)?;
    let total: u64 = rows.iter().map(|r| r.2).sum();
    for (name, raw, gz) in &rows {
        eprintln!("  {name:<48} {:>8.1} KiB raw {:>8.1} KiB gzip", *raw as f64 / 1024.0, *gz as f64 / 1024.0);
    }
    eprintln!(
        "  total transfer: {:.1} KiB gzip (budget {} KiB)",
        total as f64 / 1024.0,
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
