//! Installs what the build and the tests need, skipping what is already there at the right version.

use crate::{root, sh, Result, TARGET};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const BINARYEN_VERSION: &str = "132";
/// The JavaScript minifier for the split build's scripts (wasm-bindgen's glue and the split loader).
pub const TERSER_VERSION: &str = "5.51.4";
/// The splitter that cuts the release wasm into the first route's module and modules loaded on demand.
pub const WASM_SPLIT_VERSION: &str = "0.2.4";
/// The CSS minifier for the release page's style sheets (the one Trunk uses, as npm's prebuilt binary).
pub const LIGHTNINGCSS_VERSION: &str = "1.33.0";

/// Says what a one-time step is doing and about how long it takes on a 2-core machine, so a first run does
/// not look stuck; returns a guard that prints how long it really took.
pub fn announce(what: &str, about: &str) -> impl Drop {
    struct Took(String, std::time::Instant);
    impl Drop for Took {
        fn drop(&mut self) {
            eprintln!("xtask: {} took {:.0} s", self.0, self.1.elapsed().as_secs_f64());
        }
    }
    eprintln!("xtask: {what} (about {about} on 2 cores)");
    Took(what.to_owned(), std::time::Instant::now())
}

/// First line of `program --version`, if it runs.
fn version_of(program: &Path) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").to_owned())
}

fn cargo_bin_dir() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    cargo_home.join("bin")
}

/// The `wasm-bindgen` version that Cargo.lock pins.
pub fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen".into())
}

/// Makes sure the wasm target, the standard library's source, wasm-bindgen-cli, wasm-split-cli and the npm
/// tools (wasm-opt, terser, lightningcss) are installed; returns the PATH to
/// build with (the project's tool folders first).
pub fn ensure_build_tools() -> Result<String> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output();
    if !installed.map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l == TARGET)).unwrap_or(false) {
        sh(Command::new("rustup").args(["target", "add", TARGET]))?;
    }
    // The standard library's source: the release wasm rebuilds std (`-Zbuild-std`, see `build_app`).
    let components = Command::new("rustup").args(["component", "list", "--installed"]).output();
    if !components
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l == "rust-src"))
        .unwrap_or(false)
    {
        sh(Command::new("rustup").args(["component", "add", "rust-src"]))?;
    }
    // Its dependencies, fetched here with everything else that is downloaded.
    let sysroot =
        Command::new("rustc").args(["--print", "sysroot"]).output().map_err(|e| format!("rustc: {e}"))?;
    let library = format!(
        "{}/lib/rustlib/src/rust/library/Cargo.toml",
        String::from_utf8_lossy(&sysroot.stdout).trim()
    );
    sh(crate::cargo().args(["fetch", "--quiet", "--manifest-path", &library]).env("RUSTC_BOOTSTRAP", "1"))?;

    let bin = cargo_bin_dir();
    let wbg = locked_wasm_bindgen()?;
    let want = format!("wasm-bindgen {wbg}");
    if version_of(&bin.join("wasm-bindgen")).as_deref() != Some(want.as_str()) {
        // Not --locked: the CLI's own lock file pins versions that no longer build on this toolchain.
        // No default features: no TLS (its test runner speaks plain HTTP to the local ChromeDriver). A debug
        // build: 2 minutes instead of 4.3 here, for 1 s more per release build and about 5 s more per
        // component-test binary.
        let _took = announce(
            &format!("installing wasm-bindgen-cli {wbg} from crates.io, once per machine"),
            "2 minutes",
        );
        sh(crate::cargo()
            .args(["install", "wasm-bindgen-cli", "--version", &wbg, "--force"])
            .args(["--no-default-features", "--debug"]))?;
    }

    // wasm-split-cli has no --version: cargo's own list of installed crates tells.
    let listed = crate::cargo().args(["install", "--list"]).output().map_err(|e| format!("cargo: {e}"))?;
    let want = format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}:");
    if !String::from_utf8_lossy(&listed.stdout).lines().any(|l| l == want)
        || !bin.join("wasm-split-cli").exists()
    {
        // A debug build: 1 minute instead of 2 here, for 0.6 s more per release build.
        let _took = announce(
            &format!("installing wasm-split-cli {WASM_SPLIT_VERSION} from crates.io, once per machine"),
            "1 minute",
        );
        sh(crate::cargo().args([
            "install",
            "wasm_split_cli_support",
            "--version",
            WASM_SPLIT_VERSION,
            "--locked",
            "--features",
            "build-binary",
            "--debug",
            "--force",
        ]))?;
    }

    let tools = root().join(".tools");
    let npm_bin = tools.join("node_modules/.bin");
    let wasm_opt = version_of(&npm_bin.join("wasm-opt")).unwrap_or_default();
    let terser = version_of(&npm_bin.join("terser")).unwrap_or_default();
    // Its binary says its own crate's version, not the npm package's: the package says that.
    let lightningcss = std::fs::read_to_string(tools.join("node_modules/lightningcss-cli/package.json"))
        .ok()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
        .and_then(|p| p["version"].as_str().map(str::to_owned))
        .filter(|_| npm_bin.join("lightningcss").exists())
        .unwrap_or_default();
    if !wasm_opt.contains(&format!("version {BINARYEN_VERSION}"))
        || terser != format!("terser {TERSER_VERSION}")
        || lightningcss != LIGHTNINGCSS_VERSION
    {
        let _took = announce(
            &format!(
                "installing wasm-opt, terser and lightningcss (npm binaryen@{BINARYEN_VERSION}, terser@{TERSER_VERSION}, lightningcss-cli@{LIGHTNINGCSS_VERSION}), once per machine"
            ),
            "20 seconds",
        );
        // One install for all: npm keeps only what one `install --no-save` names.
        std::fs::create_dir_all(&tools).map_err(|e| e.to_string())?;
        sh(Command::new("npm")
            .args(["install", "--no-save", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .arg(format!("binaryen@{BINARYEN_VERSION}"))
            .arg(format!("terser@{TERSER_VERSION}"))
            .arg(format!("lightningcss-cli@{LIGHTNINGCSS_VERSION}")))?;
    }

    let mut path = vec![npm_bin, bin];
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(path).map(|p| p.to_string_lossy().into_owned()).map_err(|e| e.to_string())
}

/// Where the browser and its driver are.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Makes sure Debian's Chromium and ChromeDriver are installed.
pub fn ensure_browser() -> Result<Browser> {
    let b = Browser { chromium: "/usr/bin/chromium".into(), chromedriver: "/usr/bin/chromedriver".into() };
    // A CJK font, so the Chinese names in screenshots are glyphs, not boxes.
    let cjk_font = Path::new("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").exists();
    if version_of(&b.chromium).is_none() || version_of(&b.chromedriver).is_none() || !cjk_font {
        let apt =
            |args: &[&str]| sh(Command::new("apt-get").args(args).env("DEBIAN_FRONTEND", "noninteractive"));
        apt(&["update", "-qq"])?;
        apt(&["install", "-y", "-qq", "chromium", "chromium-driver", "fonts-wqy-microhei"])?;
    }
    Ok(b)
}

/// A Python venv with JD Cloud's own SDK (pinned in tests/sdk/requirements.txt), for the test that uses the
/// SDK as a client of the signature-checking emulator; returns its python.
pub fn ensure_sdk_venv() -> Result<PathBuf> {
    ensure_venv("sdk-venv", "tests/sdk/requirements.txt").map(|bin| bin.join("python"))
}

/// A Python venv with schemathesis (pinned in tests/fuzz/requirements.txt); returns its `schemathesis`.
pub fn ensure_fuzz_venv() -> Result<PathBuf> {
    ensure_venv("fuzz-venv", "tests/fuzz/requirements.txt").map(|bin| bin.join("schemathesis"))
}

/// `.tools/NAME` with the requirements installed; made once, again when the requirements change. Returns
/// its `bin/`.
fn ensure_venv(name: &str, requirements: &str) -> Result<PathBuf> {
    let venv = root().join(".tools").join(name);
    let bin = venv.join("bin");
    let requirements = root().join(requirements);
    let wanted =
        std::fs::read_to_string(&requirements).map_err(|e| format!("{}: {e}", requirements.display()))?;
    let stamp = venv.join("requirements.installed");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) && bin.join("python").exists()
    {
        return Ok(bin);
    }
    let make = || Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv).status();
    if !make().map(|s| s.success()).unwrap_or(false) {
        // Debian's python3 keeps venv in its own package.
        let apt =
            |args: &[&str]| sh(Command::new("apt-get").args(args).env("DEBIAN_FRONTEND", "noninteractive"));
        apt(&["update", "-qq"])?;
        apt(&["install", "-y", "-qq", "python3-venv"])?;
        sh(Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv))?;
    }
    sh(Command::new(bin.join("python"))
        .args(["-m", "pip", "install", "-q", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(bin)
}
