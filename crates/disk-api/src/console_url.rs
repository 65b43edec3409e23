//! The console's list URLs: what a list view shows lives in its URL, so a link or a reload shows the same
//! view. Shared by the console (which reads and writes them) and the server (which, serving the console for
//! such a URL, tells the browser to start the page's first API request while the app loads).

use crate::query::QueryWriter;
use crate::query::{ListQuery, DEFAULT_PAGE_SIZE};

/// The page sizes offered (all inside the API's 10..=100).
pub const PAGE_SIZES: [u32; 4] = [10, 20, 50, 100];

/// The state of a list page: `/disks?region=cn-east-2&name=…&page=2&pageSize=50`
/// (the snapshot list adds `&status=creating`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskListState {
    pub region: String,
    pub name: String,
    /// A status filter (snapshot list only); empty for all.
    pub status: String,
    pub page: u32,
    pub page_size: u32,
}

impl DiskListState {
    /// Reads the state from URL query parameters; anything missing or malformed takes its default.
    pub fn from_query(get: impl Fn(&str) -> Option<String>, default_region: &str) -> Self {
        let region = get("region").filter(|r| !r.is_empty()).unwrap_or_else(|| default_region.to_owned());
        let page = get("page").and_then(|p| p.parse().ok()).filter(|&p| p >= 1).unwrap_or(1);
        let page_size = get("pageSize")
            .and_then(|p| p.parse().ok())
            .filter(|p| PAGE_SIZES.contains(p))
            .unwrap_or(DEFAULT_PAGE_SIZE);
        let name = get("name").unwrap_or_default().trim().to_owned();
        Self { region, name, status: get("status").unwrap_or_default(), page, page_size }
    }

    /// The URL of this state on the disk list; defaults are left out, the region never is.
    pub fn to_url(&self) -> String {
        self.to_url_at("/disks")
    }

    /// The URL of this state on the list at `path`.
    pub fn to_url_at(&self, path: &str) -> String {
        let mut q = QueryWriter::default();
        q.pair("region", &self.region);
        if !self.name.is_empty() {
            q.pair("name", &self.name);
        }
        if !self.status.is_empty() {
            q.pair("status", &self.status);
        }
        if self.page != 1 {
            q.pair("page", &self.page.to_string());
        }
        if self.page_size != DEFAULT_PAGE_SIZE {
            q.pair("pageSize", &self.page_size.to_string());
        }
        format!("{path}?{}", q.0)
    }

    /// The describeDisks request for this state.
    pub fn list_query(&self) -> ListQuery {
        let names = (!self.name.is_empty()).then(|| self.name.clone());
        let statuses = (!self.status.is_empty()).then(|| self.status.clone());
        ListQuery::default().filter("name", names).filter("status", statuses).page(self.page, self.page_size)
    }

    /// The same view on another page.
    pub fn with_page(&self, page: u32) -> Self {
        Self { page, ..self.clone() }
    }
}

/// How many pages `total` items fill at `page_size` a page (at least one).
pub fn page_count(total: u32, page_size: u32) -> u32 {
    total.div_ceil(page_size.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(pairs: &[(&str, &str)]) -> DiskListState {
        DiskListState::from_query(
            |k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string()),
            "cn-north-1",
        )
    }

    #[test]
    fn defaults_and_round_trip() {
        let s = state(&[]);
        assert_eq!(
            s,
            DiskListState {
                region: "cn-north-1".into(),
                name: String::new(),
                status: String::new(),
                page: 1,
                page_size: 20
            }
        );
        assert_eq!(s.to_url(), "/disks?region=cn-north-1");

        let s = state(&[("region", "cn-east-2"), ("name", "数据 盘"), ("page", "2"), ("pageSize", "50")]);
        assert_eq!(
            s.to_url(),
            "/disks?region=cn-east-2&name=%E6%95%B0%E6%8D%AE%20%E7%9B%98&page=2&pageSize=50"
        );
    }

    #[test]
    fn malformed_values_fall_back() {
        let s = state(&[("page", "0"), ("pageSize", "7")]);
        assert_eq!((s.page, s.page_size), (1, 20));
        let s = state(&[("page", "x"), ("pageSize", "1000"), ("region", "")]);
        assert_eq!((s.page, s.page_size, s.region.as_str()), (1, 20, "cn-north-1"));
    }

    #[test]
    fn list_query_carries_name_and_paging() {
        let s = state(&[("name", "  web "), ("page", "3"), ("pageSize", "10")]);
        assert_eq!(
            s.list_query().encode(),
            "filters.1.name=name&filters.1.values.1=web&pageNumber=3&pageSize=10"
        );
        assert_eq!(state(&[]).list_query().encode(), "pageNumber=1&pageSize=20");
    }

    #[test]
    fn the_snapshot_list_adds_a_status() {
        let s = state(&[("region", "cn-east-1"), ("status", "creating")]);
        assert_eq!(s.to_url_at("/snapshots"), "/snapshots?region=cn-east-1&status=creating");
        assert_eq!(
            s.list_query().encode(),
            "filters.1.name=status&filters.1.values.1=creating&pageNumber=1&pageSize=20"
        );
    }

    #[test]
    fn pages() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(14, 10), 2);
    }
}
