//! The flattened query encoding of JD's SDKs: `filters.1.name=…&filters.1.values.1=…`, `pageNumber`,
//! `pageSize`, `snapshotIds.1=…`. Indexes are 1-based on the way out; both 0- and 1-based are read.

use std::collections::BTreeMap;

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MIN_PAGE_SIZE: u32 = 10;
pub const MAX_PAGE_SIZE: u32 = 100;

/// One `Filter`: conditions of different filters are ANDed, the values inside one are ORed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub name: String,
    pub values: Vec<String>,
    /// `eq` when absent.
    pub operator: Option<String>,
}

impl Filter {
    pub fn new(name: &str, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self { name: name.to_owned(), values: values.into_iter().map(Into::into).collect(), operator: None }
    }
}

/// The paging and filter part of a describe* request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
    pub filters: Vec<Filter>,
}

impl ListQuery {
    /// Adds a filter unless it has no values (an empty filter would match nothing, and the SDKs drop it).
    pub fn filter(mut self, name: &str, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let filter = Filter::new(name, values);
        if !filter.values.is_empty() {
            self.filters.push(filter);
        }
        self
    }

    pub fn page(mut self, number: u32, size: u32) -> Self {
        self.page_number = Some(number);
        self.page_size = Some(size);
        self
    }

    /// The query string, without the leading `?`, in the SDKs' shape.
    pub fn encode(&self) -> String {
        let mut out = QueryWriter::default();
        for (i, f) in self.filters.iter().enumerate() {
            let n = i + 1;
            out.pair(&format!("filters.{n}.name"), &f.name);
            if let Some(op) = &f.operator {
                out.pair(&format!("filters.{n}.operator"), op);
            }
            for (j, v) in f.values.iter().enumerate() {
                out.pair(&format!("filters.{n}.values.{}", j + 1), v);
            }
        }
        if let Some(p) = self.page_number {
            out.pair("pageNumber", &p.to_string());
        }
        if let Some(s) = self.page_size {
            out.pair("pageSize", &s.to_string());
        }
        out.0
    }

    /// The values of the filter `name`, if the query has one.
    pub fn values(&self, name: &str) -> Option<&[String]> {
        self.filters.iter().find(|f| f.name == name).map(|f| f.values.as_slice())
    }
}

/// Builds `k=v&k=v` with RFC 3986 encoding.
#[derive(Default)]
pub struct QueryWriter(pub String);

impl QueryWriter {
    pub fn pair(&mut self, key: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        encode_into(&mut self.0, key);
        self.0.push('=');
        encode_into(&mut self.0, value);
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s);
    out
}

fn encode_into(out: &mut String, s: &str) {
    encode_bytes_into(out, s.as_bytes(), b"");
}

/// Percent-encodes `bytes` into `out`, keeping RFC 3986's unreserved characters and those in `keep`
/// (e.g. `/` for a path), with upper-case hex digits.
pub fn encode_bytes_into(out: &mut String, bytes: &[u8], keep: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`). Invalid escapes are kept as they are;
/// invalid UTF-8 is replaced, so decoding never fails.
pub fn decode_component(s: &str, plus_is_space: bool) -> String {
    String::from_utf8_lossy(&decode_bytes(s, plus_is_space)).into_owned()
}

/// [`decode_component`] to bytes, without any UTF-8 replacement (what request signatures are computed over).
pub fn decode_bytes(s: &str, plus_is_space: bool) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Splits a raw query string into decoded pairs, in order.
pub fn parse_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode_component(k, true), decode_component(v, true))
        })
        .collect()
}

/// Why a query could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    /// A parameter that must be a whole number is not: `(parameter, value)`.
    NotANumber(&'static str, String),
    /// `pageNumber` below 1.
    PageNumber(u32),
    /// `pageSize` outside 10..=100.
    PageSize(u32),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotANumber(p, v) => write!(f, "Invalid parameter {p} '{v}'"),
            Self::PageNumber(n) => write!(f, "Invalid page number '{n}', must be at least 1"),
            Self::PageSize(n) => {
                write!(f, "Invalid page size '{n}', must be between {MIN_PAGE_SIZE} and {MAX_PAGE_SIZE}")
            }
        }
    }
}

impl ListQuery {
    /// Reads paging and filters from decoded pairs, accepting 0- and 1-based indexes alike. Keys it does not
    /// know (tags, orders, SDK extras) are left to the caller.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, QueryError> {
        let mut q = ListQuery::default();
        // filter index -> (name, operator, value index -> value)
        type Slot = (Option<String>, Option<String>, BTreeMap<u32, String>);
        let mut filters: BTreeMap<u32, Slot> = BTreeMap::new();
        for (k, v) in pairs {
            match k.as_str() {
                "pageNumber" => {
                    let n = number("pageNumber", v)?;
                    if n < 1 {
                        return Err(QueryError::PageNumber(n));
                    }
                    q.page_number = Some(n);
                }
                "pageSize" => {
                    let n = number("pageSize", v)?;
                    if !(MIN_PAGE_SIZE..=MAX_PAGE_SIZE).contains(&n) {
                        return Err(QueryError::PageSize(n));
                    }
                    q.page_size = Some(n);
                }
                _ => {
                    let Some(rest) = k.strip_prefix("filters.") else { continue };
                    let mut parts = rest.splitn(3, '.');
                    let (Some(idx), Some(field)) = (parts.next(), parts.next()) else { continue };
                    let Ok(idx) = idx.parse::<u32>() else { continue };
                    let slot = filters.entry(idx).or_default();
                    match (field, parts.next()) {
                        ("name", None) => slot.0 = Some(v.clone()),
                        ("operator", None) => slot.1 = Some(v.clone()),
                        ("values", Some(j)) => {
                            if let Ok(j) = j.parse::<u32>() {
                                slot.2.insert(j, v.clone());
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        // A filter that names nothing filters nothing: ignored, like other keys without meaning (the
        // OpenAPI document cannot say that `filters.N.values` needs `filters.N.name`).
        for (name, operator, values) in filters.into_values() {
            if let Some(name) = name {
                q.filters.push(Filter { name, operator, values: values.into_values().collect() });
            }
        }
        Ok(q)
    }

    pub fn page_number_or_default(&self) -> u32 {
        self.page_number.unwrap_or(1)
    }

    pub fn page_size_or_default(&self) -> u32 {
        self.page_size.unwrap_or(DEFAULT_PAGE_SIZE)
    }
}

fn number(param: &'static str, v: &str) -> Result<u32, QueryError> {
    v.trim().parse::<u32>().map_err(|_| QueryError::NotANumber(param, v.to_owned()))
}

/// `snapshotIds.1=a&snapshotIds.2=b` (or 0-based) → `[a, b]` in index order.
pub fn indexed_values(pairs: &[(String, String)], prefix: &str) -> Vec<String> {
    let mut found: BTreeMap<u32, String> = BTreeMap::new();
    for (k, v) in pairs {
        if let Some(i) = k.strip_prefix(prefix).and_then(|r| r.strip_prefix('.')) {
            if let Ok(i) = i.parse::<u32>() {
                found.insert(i, v.clone());
            }
        }
    }
    found.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_sdks() {
        let q = ListQuery::default()
            .filter("diskId", ["vol-aaa", "vol-bbb"])
            .filter("status", ["available"])
            .filter("name", Vec::<String>::new())
            .page(1, 20);
        assert_eq!(
            q.encode(),
            "filters.1.name=diskId&filters.1.values.1=vol-aaa&filters.1.values.2=vol-bbb\
             &filters.2.name=status&filters.2.values.1=available&pageNumber=1&pageSize=20"
        );
    }

    #[test]
    fn encodes_unicode_and_reserved_characters() {
        let q = ListQuery::default().filter("name", ["数据 盘&x=1"]);
        assert_eq!(
            q.encode(),
            "filters.1.name=name&filters.1.values.1=%E6%95%B0%E6%8D%AE%20%E7%9B%98%26x%3D1"
        );
    }

    #[test]
    fn round_trips_through_parse() {
        let q = ListQuery::default()
            .filter("diskId", ["vol-aaa", "vol-bbb"])
            .filter("name", ["数据 盘&x=1"])
            .page(3, 50);
        assert_eq!(ListQuery::from_pairs(&parse_pairs(&q.encode())).unwrap(), q);
    }

    #[test]
    fn reads_zero_based_indexes_and_operator() {
        let pairs = parse_pairs(
            "filters.0.name=status&filters.0.values.0=available&filters.0.values.1=in-use&filters.0.operator=eq",
        );
        let q = ListQuery::from_pairs(&pairs).unwrap();
        assert_eq!(q.filters.len(), 1);
        assert_eq!(q.values("status").unwrap(), ["available", "in-use"]);
        assert_eq!(q.filters[0].operator.as_deref(), Some("eq"));
    }

    #[test]
    fn plus_is_a_space_in_queries() {
        assert_eq!(parse_pairs("a=b+c%20d"), vec![("a".into(), "b c d".into())]);
    }

    #[test]
    fn bad_escapes_are_kept() {
        assert_eq!(decode_component("100%", false), "100%");
        assert_eq!(decode_component("%zz%4", false), "%zz%4");
        assert_eq!(decode_component("i-x%3AattachDisk", false), "i-x:attachDisk");
    }

    #[test]
    fn paging_bounds() {
        let read = |s: &str| ListQuery::from_pairs(&parse_pairs(s));
        assert_eq!(read("pageSize=9"), Err(QueryError::PageSize(9)));
        assert_eq!(read("pageSize=101"), Err(QueryError::PageSize(101)));
        assert_eq!(read("pageNumber=0"), Err(QueryError::PageNumber(0)));
        assert_eq!(read("pageNumber=x"), Err(QueryError::NotANumber("pageNumber", "x".into())));
        assert_eq!(read("pageSize=-1"), Err(QueryError::NotANumber("pageSize", "-1".into())));
        let q = read("pageSize=10&pageNumber=7").unwrap();
        assert_eq!((q.page_number_or_default(), q.page_size_or_default()), (7, 10));
        let q = read("").unwrap();
        assert_eq!((q.page_number_or_default(), q.page_size_or_default()), (1, 20));
    }

    #[test]
    fn a_filter_without_a_name_is_ignored() {
        let q = ListQuery::from_pairs(&parse_pairs(
            "filters.2.values.1=x&filters.3.name=name&filters.3.values.1=y",
        ))
        .unwrap();
        assert_eq!(q.filters.len(), 1);
        assert_eq!(
            (q.filters[0].name.as_str(), q.filters[0].values.as_slice()),
            ("name", &["y".to_owned()][..])
        );
    }

    #[test]
    fn indexed_values_in_order() {
        let pairs = parse_pairs("snapshotIds.2=b&snapshotIds.1=a&other=1&snapshotIds.10=c");
        assert_eq!(indexed_values(&pairs, "snapshotIds"), ["a", "b", "c"]);
    }
}

/// A base path for the console and the API (`--base-path`, the `basePath` setting): `portal/disks/` →
/// `/portal/disks`, `/` → `` (the root). Plain URL path characters only, so it is safe in HTML and headers.
pub fn normalize_base_path(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim().trim_matches('/');
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    let ok = trimmed.split('/').all(|seg| {
        !seg.is_empty()
            && seg != "."
            && seg != ".."
            && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    });
    if ok {
        Ok(format!("/{trimmed}"))
    } else {
        Err(format!("“{raw}” is not a path like /portal/disks"))
    }
}

#[cfg(test)]
mod base_path_tests {
    #[test]
    fn base_paths() {
        use super::normalize_base_path as n;
        assert_eq!(n("portal/disks/").unwrap(), "/portal/disks");
        assert_eq!(n("/").unwrap(), "");
        assert_eq!(n("").unwrap(), "");
        assert!(n("/a/../b").is_err());
        assert!(n("/a b").is_err());
        assert!(n("/a\"><script>").is_err());
    }
}
