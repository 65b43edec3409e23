//! Names where IDs alone do not help: an instance's name beside its ID (the disk list's Attached instance
//! column, a disk's attachment, the Detach confirmation), and a deleted disk's last known name beside its ID
//! (a snapshot's source disk).

use crate::api::Client;
use crate::live::{storage, use_live, Live};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

/// Where the names of disks seen are kept, so a snapshot can still name its source disk once it is gone.
const DISK_NAMES_KEY: &str = "disk-console.disk-names";
/// How many disk names are kept (the newest).
const DISK_NAMES_KEPT: usize = 1000;

/// The name service, provided once through context.
#[derive(Clone, Copy)]
pub struct Names {
    api: StoredValue<Client>,
    live: Live,
    /// Instance names by region, then by ID; a region is asked for once.
    instances: RwSignal<HashMap<String, HashMap<String, String>>>,
    asked: StoredValue<HashSet<String>>,
    /// The remembered disk names as stored (read from localStorage once, then kept in step with it).
    disk_names: StoredValue<Option<String>>,
}

impl Names {
    pub fn new(api: Client, live: Live) -> Self {
        Self {
            api: StoredValue::new(api),
            live,
            instances: RwSignal::new(HashMap::new()),
            asked: StoredValue::new(HashSet::new()),
            disk_names: StoredValue::new(None),
        }
    }

    /// "name (ID)" for an instance once its name is known (tracked), else the ID. Asks for the region's
    /// instances the first time one of them is named.
    pub fn instance(&self, region: &str, id: &str) -> String {
        self.load(region);
        let name = self.instances.with(|m| m.get(region).and_then(|r| r.get(id)).cloned());
        with_id(name.as_deref(), id)
    }

    /// Asks once for the instances of `region`; a failed answer is asked again next time.
    fn load(&self, region: &str) {
        let first = self.asked.try_update_value(|a| a.insert(region.to_owned())).unwrap_or(false);
        if !first {
            return;
        }
        let (this, region) = (*self, region.to_owned());
        let answer = self.api.with_value(|api| api.describe_instances(&region));
        leptos::task::spawn_local(async move {
            match answer.await {
                Ok(r) => {
                    let names = r.instances.into_iter().map(|i| (i.instance_id, i.instance_name)).collect();
                    let _ = this.instances.try_update(|m| m.insert(region, names));
                }
                Err(_) => {
                    this.asked.try_update_value(|a| a.remove(&region));
                }
            }
        });
    }

    /// The last known name of a disk (the live store's, else one remembered from an earlier list).
    pub fn disk(&self, id: &str) -> Option<String> {
        if let Some(d) = self.live.disk(id) {
            return Some(d.with_untracked(|d| d.name.clone()));
        }
        self.with_stored(|stored| parse_names(stored).remove(id))
    }

    /// Remembers the names of disks shown, the newest kept.
    pub fn remember_disks<'a>(&self, disks: impl IntoIterator<Item = (&'a str, &'a str)>) {
        let next = self.with_stored(|stored| {
            let next = merge_names(stored, disks, DISK_NAMES_KEPT);
            (next != stored).then_some(next)
        });
        if let Some(next) = next {
            if let Some(st) = storage() {
                let _ = st.set_item(DISK_NAMES_KEY, &next);
            }
            self.disk_names.set_value(Some(next));
        }
    }

    /// Runs `f` on the stored names, read from localStorage the first time only.
    fn with_stored<T>(&self, f: impl FnOnce(&str) -> T) -> T {
        if self.disk_names.with_value(Option::is_none) {
            let stored = storage().and_then(|st| st.get_item(DISK_NAMES_KEY).ok().flatten());
            self.disk_names.set_value(Some(stored.unwrap_or_default()));
        }
        self.disk_names.with_value(|s| f(s.as_deref().unwrap_or_default()))
    }
}

/// "name (ID)", or the ID when the name is unknown or empty.
pub fn with_id(name: Option<&str>, id: &str) -> String {
    match name {
        Some(n) if !n.is_empty() && n != id => format!("{n} ({id})"),
        _ => id.to_owned(),
    }
}

/// `id=name` lines → a map.
fn parse_names(stored: &str) -> HashMap<String, String> {
    stored.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// Stored names with `new` ones put first (replacing older entries of the same ID), at most `kept` lines.
fn merge_names<'a>(stored: &str, new: impl IntoIterator<Item = (&'a str, &'a str)>, kept: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for (id, name) in new {
        // A line per name: an ID or name with a line break (or an ID with `=`) cannot be stored.
        if id.contains(['=', '\n', '\r']) || name.contains(['\n', '\r']) || !seen.insert(id.to_owned()) {
            continue;
        }
        lines.push(format!("{id}={name}"));
    }
    for line in stored.lines() {
        if let Some((id, _)) = line.split_once('=') {
            if seen.insert(id.to_owned()) {
                lines.push(line.to_owned());
            }
        }
    }
    lines.truncate(kept);
    lines.join("\n")
}

pub fn use_names() -> Names {
    use_context::<Names>().unwrap_or_else(|| Names::new(expect_context::<Client>(), use_live()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_comes_with_its_id_and_an_unknown_one_is_just_the_id() {
        assert_eq!(with_id(Some("web-1"), "i-abc"), "web-1 (i-abc)");
        assert_eq!(with_id(Some(""), "i-abc"), "i-abc");
        assert_eq!(with_id(None, "i-abc"), "i-abc");
    }

    #[test]
    fn remembered_names_keep_the_newest_first_and_are_bounded() {
        let stored = merge_names("", [("vol-a", "alpha"), ("vol-b", "beta")], 10);
        let stored = merge_names(&stored, [("vol-b", "beta-2"), ("vol=x", "bad"), ("vol-c", "c\nd")], 10);
        assert_eq!(stored, "vol-b=beta-2\nvol-a=alpha");
        assert_eq!(parse_names(&stored).get("vol-a").map(String::as_str), Some("alpha"));
        assert_eq!(merge_names(&stored, [("vol-z", "z")], 2), "vol-z=z\nvol-b=beta-2");
    }
}
