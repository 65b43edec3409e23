//! `cargo xtask run | build | test`: everything a fresh machine needs, then run or test.
//!
//! Tools it installs when missing: the `wasm32-unknown-unknown` target and `rust-src`, `wasm-bindgen-cli`
//! at the exact version in Cargo.lock, `wasm-split-cli`, `wasm-opt`, terser and lightningcss (npm, into
//! `.tools/`), and for `test`
//! Debian's `chromium` and `chromium-driver`, and a Python venv with JD Cloud's SDK (`.tools/sdk-venv`).

mod page;
mod size;
mod split;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

pub const TARGET: &str = "wasm32-unknown-unknown";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("build") => build().map(drop),
        Some("test") => test(),
        Some("size") => size::report(&root().join("dist")).map(drop),
        Some("bench") => bench(),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n\
                 run [server flags]  install what is missing, build the release app, start disk-server on 127.0.0.1:8080\n\
                 build               install what is missing, build dist/ and target/release/disk-server\n\
                 test                install what is missing (and Chromium), run every check and test suite\n\
                 size                print the transfer size of dist/\n\
                 bench               build, measure (today: transfer size) into bench/results.json, fail over budget"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T, E = String> = std::result::Result<T, E>;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Runs a command in the workspace root, echoing it, and fails on a non-zero exit.
pub fn sh(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status =
        cmd.current_dir(root()).status().map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program().to_string_lossy().into_owned())
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Installs the tools and builds the release app (dist/) and the release server.
fn build() -> Result<String> {
    let path = tools::ensure_build_tools()?;
    build_app(&path)?;
    let _took = tools::announce("building disk-server", "4 minutes the first time");
    sh(cargo().args(["build", "--release", "-p", "disk-server"]))?;
    Ok(path)
}

/// The release app in dist/ (cargo, then `split.rs` and `page.rs`), skipped when dist/ is newer than every
/// input.
fn build_app(path: &str) -> Result<()> {
    build_app_into(path, &root().join("dist"), true)
}

/// The release app in `dist`: split (what is served) or, for the benchmark that compares them, unsplit.
fn build_app_into(path: &str, dist: &Path, split: bool) -> Result<()> {
    let root = root();
    let inputs = [
        "src",
        "style",
        "index.html",
        "embed",
        "Cargo.toml",
        "Cargo.lock",
        "crates/disk-api",
        "crates/disk-texts",
        "vendor",
        // The release pipeline itself.
        "xtask/src/split.rs",
        "xtask/src/page.rs",
    ];
    let built = mtime(&dist.join("index.html"));
    let newest_input = inputs.iter().filter_map(|p| newest(&root.join(p))).max();
    if let (Some(built), Some(input)) = (built, newest_input) {
        if built > input {
            eprintln!("{} is up to date", dist.display());
            return Ok(());
        }
    }
    let _took = if split {
        tools::announce(
            "building the release app (cargo, wasm-split, wasm-opt)",
            "4 minutes the first time, 2 to 3 after a change",
        )
    } else {
        tools::announce("building the release app unsplit, to compare (cargo, wasm-opt)", "2 to 3 minutes")
    };
    // The release wasm only: std rebuilt with panics as a bare trap (no formatting machinery, no
    // locations; `crash.rs` shows the user a trap) and `Debug` output dropped; on the stable toolchain, with
    // the rust-src component. RUSTFLAGS replaces the config's, so its cfg is repeated. Tests and clippy
    // stay plain stable.
    // With the split points on (`split`) and the relocations wasm-split-cli needs (`--emit-relocs`).
    // The unsplit build keeps the same flags, so the two share every dependency's build.
    sh(cargo()
        .args(["build", "--target", TARGET, "--profile", "wasm-release", "--bin", "disk-console"])
        .args(if split { &["--features", "split"][..] } else { &[] })
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env(
            "RUSTFLAGS",
            "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Clink-args=--emit-relocs",
        ))?;
    let raw = target_dir().join(TARGET).join("wasm-release/disk-console.wasm");
    // A fresh dist/ each time: nothing of an older build is left to be served.
    let _ = std::fs::remove_dir_all(dist);
    std::fs::create_dir_all(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let scripts = if split {
        split::split_into_dist(&raw, dist, path)
    } else {
        split::unsplit_into_dist(&raw, dist, path)
    };
    let made = scripts
        .and_then(|scripts| page::write_page(&root.join("index.html"), dist, &scripts, path))
        .and_then(|()| split::recompute_integrity(dist))
        .and_then(|()| write_embed_js(dist))
        .and_then(|()| size::precompress(dist));
    if made.is_err() {
        // Not up to date: the next build starts again.
        let _ = std::fs::remove_file(dist.join("index.html"));
    }
    made
}

/// dist/embed.js: the stable entry for host pages (embed/embed.js with the built files' hashed names).
fn write_embed_js(dist: &Path) -> Result<()> {
    let names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    // Not the split loader (`disk-console-split-…`): the glue imports it.
    let find = |prefix: &str, suffix: &str| {
        names
            .iter()
            .find(|n| n.starts_with(prefix) && n.ends_with(suffix) && !n.contains("-split-"))
            .cloned()
            .ok_or_else(|| format!("no {prefix}*{suffix} in {}", dist.display()))
    };
    let template =
        std::fs::read_to_string(root().join("embed/embed.js")).map_err(|e| format!("embed.js: {e}"))?;
    let js = template
        .replace("__JS__", &find("disk-console-", ".js")?)
        .replace("__WASM__", &find("disk-console-", "_bg.wasm")?)
        .replace("__CSS__", &find("main-", ".css")?);
    std::fs::write(dist.join("embed.js"), js).map_err(|e| format!("embed.js: {e}"))
}

/// Cargo's target directory.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

fn mtime(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// The newest modification time of a file or anything below a folder.
fn newest(p: &Path) -> Option<std::time::SystemTime> {
    let meta = std::fs::metadata(p).ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    std::fs::read_dir(p).ok()?.flatten().filter_map(|e| newest(&e.path())).max()
}

/// Benchmarks: the transfer size here, then the browser and load benchmarks (`tests/e2e/src/bin/bench.rs`)
/// against the release server. Results go to bench/results.json and a table; the run fails when the size
/// budget is missed.
fn bench() -> Result<()> {
    // BENCH_ONLY=a,b runs just those benchmarks; the results file keeps the others' last figures.
    let only = std::env::var("BENCH_ONLY").ok();
    let selected = |name: &str| only.as_deref().is_none_or(|o| o.split(',').any(|x| x.trim() == name));
    let path = build()?;
    // The same app unsplit, for click to content split vs unsplit.
    let unsplit = target_dir().join("dist-unsplit");
    if selected("click_to_content") {
        build_app_into(&path, &unsplit, false)?;
    }
    let browser = tools::ensure_browser()?;
    let dist = root().join("dist");
    let rows = size::measure(&dist)?;
    let files: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::json!({"file": r.name, "raw": r.raw, "gzip": r.gzip, "brotli": r.brotli}))
        .collect();
    let transfer = serde_json::json!({
        "files": files,
        "total_gzip": rows.iter().map(|r| r.gzip).sum::<u64>(),
        "total_brotli": rows.iter().map(|r| r.brotli).sum::<u64>(),
        "budget_gzip": size::BUDGET_GZIP_BYTES,
    });
    let results_path = root().join("bench/results.json");
    let mut results = std::fs::read_to_string(&results_path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .filter(|r| r.is_object() && only.is_some())
        .unwrap_or_else(|| serde_json::json!({}));
    results["transfer"] = transfer;
    std::fs::create_dir_all(root().join("bench")).map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&results).map_err(|e| e.to_string())?;
    std::fs::write(&results_path, text + "\n").map_err(|e| e.to_string())?;
    sh(cargo()
        .args(["run", "--release", "-q", "-p", "e2e", "--bin", "bench"])
        .env("DISK_SERVER_BIN", root().join("target/release/disk-server"))
        .env("DISK_CONSOLE_DIST", &dist)
        .env("BENCH_UNSPLIT_DIST", &unsplit)
        .env("BENCH_RESULTS", &results_path)
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("CHROMIUM", &browser.chromium))?;
    size::report(&dist)?;
    if selected("first_route") {
        first_route_within_budget(&results_path)
    } else {
        eprintln!(
            "xtask: the first route was not measured in this run (BENCH_ONLY), so its budget is not checked"
        );
        Ok(())
    }
}

/// The budget, on what the browser really fetched before the disk list showed (resource timing), from the
/// benchmark's results file.
fn first_route_within_budget(results: &Path) -> Result<()> {
    let text = std::fs::read_to_string(results).map_err(|e| format!("{}: {e}", results.display()))?;
    let results: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let first_route =
        results["first_route"]["gzip"].as_u64().ok_or("the results have no first_route.gzip")?;
    eprintln!(
        "first route: {:.1} KiB gzip before the disk list shows (budget {} KiB); {:.1} KiB before the console runs its own view",
        first_route as f64 / 1024.0,
        size::BUDGET_GZIP_BYTES / 1024,
        results["first_route"]["until_console"]["gzip"].as_f64().unwrap_or(0.0) / 1024.0
    );
    if first_route > size::BUDGET_GZIP_BYTES {
        return Err(format!(
            "the first route fetches {:.1} KiB gzip before the disk list shows, over the {} KiB budget",
            first_route as f64 / 1024.0,
            size::BUDGET_GZIP_BYTES / 1024
        ));
    }
    Ok(())
}

/// The first-route benchmark alone (headless Chromium against the debug server), held to the budget.
fn first_route_check(browser: &tools::Browser) -> Result<()> {
    size::report(&root().join("dist"))?;
    let out = std::env::temp_dir().join(format!("dc-first-route-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&out);
    sh(cargo()
        .args(["run", "-q", "-p", "e2e", "--bin", "bench"])
        .env("BENCH_ONLY", "first_route")
        .env("BENCH_RESULTS", &out)
        .env("DISK_SERVER_BIN", root().join("target/debug/disk-server"))
        .env("DISK_CONSOLE_DIST", root().join("dist"))
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("CHROMIUM", &browser.chromium))?;
    let checked = first_route_within_budget(&out);
    let _ = std::fs::remove_file(&out);
    checked
}

/// The seed CI fuzzes with, so a run is reproducible; elsewhere a fresh one (printed) unless FUZZ_SEED says.
const CI_FUZZ_SEED: u64 = 20_261_201;

/// schemathesis against a fresh emulated region, from the region's own OpenAPI document, with the checks
/// that the document is the whole contract: no 5xx, answers as documented, valid requests accepted,
/// invalid ones refused. Bounded to about two minutes.
fn fuzz(schemathesis: &Path) -> Result<()> {
    use std::io::BufRead;
    sh(cargo().args(["build", "-p", "disk-server"]))?;
    let seed: u64 = match std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(s) => s,
        None if std::env::var_os("CI").is_some() => CI_FUZZ_SEED,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(1),
    };
    eprintln!("fuzzing with seed {seed} (replay: FUZZ_SEED={seed} cargo xtask test)");
    let mut server = Command::new(root().join("target/debug/disk-server"))
        // An empty region: every well-formed request for a resource is a 404, so what is checked is the
        // contract (shapes and rules), not the demo data's states (JD answers a state conflict with 400
        // FAILED_PRECONDITION, which the schema cannot tell from a malformed request).
        // No disk quota either: every valid createDisks is a 429, so it creates nothing for later requests
        // to conflict with.
        .args(["--listen", "127.0.0.1:0", "--db", ":memory:", "--seed", "none", "--dist", "/nonexistent"])
        .args(["--disk-quota", "0"])
        .env("DISK_SERVER_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start disk-server: {e}"))?;
    let mut line = String::new();
    let stdout = server.stdout.take().ok_or("no stdout")?;
    std::io::BufReader::new(stdout).read_line(&mut line).map_err(|e| e.to_string())?;
    let url = line.trim().strip_prefix("listening on ").map(str::to_owned);
    let result = match url {
        Some(url) => sh(Command::new(schemathesis)
            .arg("run")
            .arg(format!("{url}/v1/openapi.json"))
            .args(["--url", &url])
            .args([
                "--checks",
                "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance,positive_data_acceptance,negative_data_rejection",
                "--max-time",
                "120",
                "--workers",
                "1",
                "--request-timeout",
                "10",
                "--seed",
                &seed.to_string(),
            ])
),
        None => Err(format!("disk-server did not start: {line:?}")),
    };
    let _ = server.kill();
    let _ = server.wait();
    result.map_err(|e| format!("{e} (seed {seed}: FUZZ_SEED={seed} cargo xtask test replays it)"))
}

fn run(server_args: &[String]) -> Result<()> {
    build()?;
    let root = root();
    let mut cmd = Command::new(root.join("target/release/disk-server"));
    cmd.args(["--dist", "dist", "--db", ".data/region.sqlite3"]).args(server_args);
    eprintln!("Starting disk-server; open the URL below in a browser. Ctrl-C stops it.");
    sh(&mut cmd)
}

/// One named step of `cargo xtask test`.
struct Step {
    name: &'static str,
    secs: f64,
    ok: bool,
}

fn test() -> Result<()> {
    let started = Instant::now();
    let path = tools::ensure_build_tools()?;
    let browser = tools::ensure_browser()?;
    let sdk_python = tools::ensure_sdk_venv()?;
    let schemathesis = tools::ensure_fuzz_venv()?;
    let mut steps = Vec::new();
    let mut step = |name: &'static str, f: &mut dyn FnMut() -> Result<()>| {
        eprintln!("\n==> {name}");
        let t = Instant::now();
        let r = f();
        if let Err(e) = &r {
            eprintln!("FAILED: {name}: {e}");
        }
        steps.push(Step { name, secs: t.elapsed().as_secs_f64(), ok: r.is_ok() });
        r.is_ok()
    };
    let ok = step("format (cargo fmt --check)", &mut || sh(cargo().args(["fmt", "--all", "--check"])))
        && step("clippy, native", &mut || {
            sh(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
        })
        && step("clippy, wasm32", &mut || {
            sh(cargo().args([
                "clippy",
                "-p",
                "disk-console",
                "--target",
                TARGET,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        })
        && step("unit and integration tests", &mut || {
            // JD Cloud's Python SDK is one of the clients of the signature-checking emulator.
            sh(cargo()
                .args(["test", "--workspace", "--exclude", "e2e"])
                .env("JDCLOUD_SDK_PYTHON", &sdk_python))
        })
        && step("API fuzzing: schemathesis from the OpenAPI document, about 2 minutes", &mut || {
            fuzz(&schemathesis)
        })
        && step("build the release app", &mut || build_app(&path))
        && step("component tests in headless Chromium (wasm-bindgen-test)", &mut || {
            sh(cargo()
                .args(["test", "-p", "disk-console", "--target", TARGET])
                .env("PATH", &path)
                .env("CHROMEDRIVER", &browser.chromedriver)
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))
        })
        && step("end-to-end browser tests", &mut || {
            sh(cargo().args(["build", "-p", "disk-server"]))?;
            sh(cargo()
                .args(["test", "-p", "e2e", "--", "--test-threads=1"])
                .env("DISK_SERVER_BIN", root().join("target/debug/disk-server"))
                .env("DISK_CONSOLE_DIST", root().join("dist"))
                .env("CHROMEDRIVER", &browser.chromedriver)
                .env("CHROMIUM", &browser.chromium))
        })
        && step(
            "first route within budget: what the browser fetches before the disk list shows",
            &mut || first_route_check(&browser),
        );
    eprintln!("\nWhat ran:");
    for s in &steps {
        eprintln!("  {:<4} {:<60} {:>6.1}s", if s.ok { "ok" } else { "FAIL" }, s.name, s.secs);
    }
    let failed = steps.iter().filter(|s| !s.ok).count();
    println!("steps: {} passed, {} failed", steps.len() - failed, failed);
    eprintln!("total {:.0}s", started.elapsed().as_secs_f64());
    if ok {
        Ok(())
    } else {
        Err("some checks failed".into())
    }
}
