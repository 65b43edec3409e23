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

    /// How fast snapshots are taken, in GiB per second (a 40 GiB disk takes about 10 s by default).
    #[arg(long, env = "DISK_SERVER_SNAPSHOT_GIB_PER_SEC", default_value_t = 4.0)]
    pub snapshot_gib_per_sec: f64,

    /// Snapshots allowed per region.
    #[arg(long, env = "DISK_SERVER_SNAPSHOT_QUOTA", default_value_t = 15)]
    pub snapshot_quota: u32,
}

impl Config {
    /// The defaults, as for a bare `disk-server`, but in memory: what tests start from.
    pub fn for_tests() -> Self {
        let mut c = Self::parse_from(["disk-server"]);
        c.db = ":memory:".into();
        c
    }
}
