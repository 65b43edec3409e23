//! The command line. Every flag can also come from an environment variable (`DISK_SERVER_*`).

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug, Parser)]
#[command(
    name = "disk-server",
    version,
    about = "Cloud Disk Console server with an emulated JD Cloud region"
)]
pub struct Config {
    /// Address to listen on; port 0 picks a free one. Loopback unless you say otherwise.
    #[arg(long, env = "DISK_SERVER_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// SQLite file of the emulated region, or `:memory:` for a throw-away region.
    #[arg(long, env = "DISK_SERVER_DB", default_value = ".data/region.sqlite3")]
    pub db: String,

    /// The built console (Trunk's dist/).
    #[arg(long, env = "DISK_SERVER_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Data to create in an empty region: `demo` or `none`.
    #[arg(long, env = "DISK_SERVER_SEED", default_value = "demo", value_parser = ["demo", "none"])]
    pub seed: String,

    /// Origins allowed to call the API from a browser (CORS), comma-separated; none by default.
    #[arg(long = "cors-origin", env = "DISK_SERVER_CORS_ORIGIN", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Request headers allowed from those origins besides the console's own (content-type, accept,
    /// authorization, x-jdcloud-*): the extra `headers` a deployment configures the console to send.
    #[arg(long = "cors-header", env = "DISK_SERVER_CORS_HEADER", value_delimiter = ',')]
    pub cors_headers: Vec<String>,

    /// Who may frame the console (the CSP `frame-ancestors` sources).
    #[arg(long, env = "DISK_SERVER_FRAME_ANCESTORS", default_value = "'self'")]
    pub frame_ancestors: String,

    /// The path the console and the API are served under, e.g. `/portal/disks` (a portal's sub-path);
    /// empty for the root. `/` redirects there.
    #[arg(long, env = "DISK_SERVER_BASE_PATH", default_value = "", value_parser = parse_base_path)]
    pub base_path: String,

    /// A JSON file served as the console's `console-config.json` (run-time configuration: API base, regions,
    /// theme, locale, …), read at start. Without it, dist/console-config.json if present, else `{}`.
    #[arg(long, env = "DISK_SERVER_CONSOLE_CONFIG")]
    pub console_config: Option<PathBuf>,

    /// Whether the demo seed also puts a few snapshots in cn-north-1 (available, one of a large disk still
    /// being created, one failed), so a first look shows every snapshot feature. Tests turn it off.
    #[arg(long, env = "DISK_SERVER_DEMO_SNAPSHOTS", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_snapshots: bool,

    /// Disks the demo seed puts in cn-north-1 (benchmarks use 10 to 1,000).
    #[arg(long, env = "DISK_SERVER_DEMO_DISKS", default_value_t = crate::seed::DEMO_DISKS)]
    pub demo_disks: usize,

    /// How fast snapshots are taken, in GiB per second (a 40 GiB disk takes about 10 s by default).
    #[arg(long, env = "DISK_SERVER_SNAPSHOT_GIB_PER_SEC", default_value_t = 4.0)]
    pub snapshot_gib_per_sec: f64,

    /// Snapshots allowed per region.
    #[arg(long, env = "DISK_SERVER_SNAPSHOT_QUOTA", default_value_t = 15)]
    pub snapshot_quota: u32,

    /// Disks one account may hold in a region (describeQuota type=disk; createDisks checks it).
    #[arg(long, env = "DISK_SERVER_DISK_QUOTA", default_value_t = 1000)]
    pub disk_quota: u32,

    /// The shortest time a snapshot takes, in seconds, however small the disk.
    #[arg(long, env = "DISK_SERVER_SNAPSHOT_MIN_SECONDS", default_value_t = 2.0)]
    pub snapshot_min_seconds: f64,

    /// The fraction of snapshots (0 to 1) that end in `error_create`.
    #[arg(long, env = "DISK_SERVER_SNAPSHOT_FAILURE_RATE", default_value_t = 0.0,
          value_parser = parse_fraction)]
    pub snapshot_failure_rate: f64,

    /// How long attaching, detaching and deleting a disk or deleting a snapshot take, in seconds.
    #[arg(long, env = "DISK_SERVER_OPERATION_SECONDS", default_value_t = 2.0)]
    pub operation_seconds: f64,

    /// Emulator, tests and demos: the share (0 to 1) of API answers replaced by a 500 or 503 envelope (after
    /// the request was handled: a change may have happened although its answer is lost).
    #[arg(long, env = "DISK_SERVER_FAULT_RATE", default_value_t = 0.0, value_parser = parse_fraction)]
    pub fault_rate: f64,

    /// Emulator, tests and demos: delay every API answer by MIN..MAX milliseconds (or one number).
    #[arg(long, env = "DISK_SERVER_LATENCY_MS", value_parser = crate::faults::parse_latency)]
    pub latency_ms: Option<(u64, u64)>,

    /// Emulator, tests and demos: faults and latency only for requests whose `METHOD /path?query` matches
    /// this regular expression (e.g. `^POST .*/snapshots$`).
    #[arg(long, env = "DISK_SERVER_FAULT_ROUTE", value_parser = crate::faults::parse_route)]
    pub fault_route: Option<regex::Regex>,

    /// How log lines are written: `text` (colours only at a terminal) or `json` (one object a line).
    #[arg(long, env = "DISK_SERVER_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,

    /// Who serves the API: `emulator` (an emulated region in SQLite) or `jdcloud` (a signing gateway to
    /// your JD Cloud account).
    #[arg(long, env = "DISK_SERVER_BACKEND", default_value = "emulator", value_parser = ["emulator", "jdcloud"])]
    pub backend: String,

    /// Where JD Cloud is: `{service}` becomes `disk` or `vm`; a URL without it sends every service there.
    /// Plain http:// only to a loopback address.
    #[arg(long, env = "DISK_SERVER_JDCLOUD_ENDPOINT", default_value = "https://{service}.jdcloud-api.com")]
    pub jdcloud_endpoint: String,

    /// The JD Cloud CLI profile to take the keys from (else the name in ~/.jdc/current, else `default`),
    /// when JDCLOUD_ACCESS_KEY_ID and JDCLOUD_ACCESS_KEY_SECRET are not set.
    #[arg(long, env = "DISK_SERVER_JDCLOUD_PROFILE")]
    pub jdcloud_profile: Option<String>,

    /// The JD Cloud CLI profile file (default ~/.jdc/config).
    #[arg(long, env = "DISK_SERVER_JDCLOUD_CONFIG")]
    pub jdcloud_config: Option<PathBuf>,

    /// Emulator: check every API request's signature as JD Cloud does, with the account's keys (read like
    /// the gateway's); unsigned, wrongly signed or stale requests get 401.
    #[arg(long, env = "DISK_SERVER_VERIFY_SIGNATURES")]
    pub verify_signatures: bool,

    /// Gateway: the users, one per line `NAME ROLE SHA256_HEX_OF_TOKEN` (role `viewer` or `operator`);
    /// they send `Authorization: Bearer TOKEN`.
    #[arg(long, env = "DISK_SERVER_AUTH_TOKENS")]
    pub auth_tokens: Option<PathBuf>,

    /// Gateway: the header a trusted SSO proxy names the user in (with --trusted-proxy).
    #[arg(long, env = "DISK_SERVER_TRUSTED_USER_HEADER")]
    pub trusted_user_header: Option<String>,

    /// Gateway: the header a trusted SSO proxy names the role in; without it, --default-role.
    #[arg(long, env = "DISK_SERVER_TRUSTED_ROLE_HEADER")]
    pub trusted_role_header: Option<String>,

    /// Gateway: the proxies' addresses, comma-separated; the user header from anyone else is ignored.
    #[arg(long = "trusted-proxy", env = "DISK_SERVER_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Gateway: the role of a proxy's user when no role header says otherwise.
    #[arg(long, env = "DISK_SERVER_DEFAULT_ROLE", default_value = "viewer", value_parser = ["viewer", "operator"])]
    pub default_role: String,

    /// Gateway: everyone is a viewer.
    #[arg(long, env = "DISK_SERVER_READ_ONLY")]
    pub read_only: bool,

    /// Gateway: the audit log (one JSON line per mutating request); stderr without it.
    #[arg(long, env = "DISK_SERVER_AUDIT_LOG")]
    pub audit_log: Option<PathBuf>,

    /// Gateway: seconds to wait for a connection to JD Cloud.
    #[arg(long, env = "DISK_SERVER_UPSTREAM_CONNECT_TIMEOUT", default_value_t = 5.0)]
    pub upstream_connect_timeout: f64,

    /// Gateway: seconds one request to JD Cloud may take in all.
    #[arg(long, env = "DISK_SERVER_UPSTREAM_TIMEOUT", default_value_t = 30.0)]
    pub upstream_timeout: f64,
}

fn parse_base_path(s: &str) -> Result<String, String> {
    disk_api::query::normalize_base_path(s)
}

fn parse_fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("'{s}' is not a fraction between 0 and 1")),
    }
}

impl Config {
    /// How long a timed disk or snapshot operation takes.
    pub fn operation_ms(&self) -> i64 {
        (self.operation_seconds.max(0.0) * 1000.0) as i64
    }

    /// The defaults, as for a bare `disk-server`, but in memory: what tests start from.
    pub fn for_tests() -> Self {
        let mut c = Self::parse_from(["disk-server"]);
        c.db = ":memory:".into();
        c
    }
}
