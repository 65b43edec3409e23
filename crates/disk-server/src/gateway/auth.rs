//! Who is asking: a bearer token from the gateway's token file, a user named by a trusted SSO proxy, or
//! (on loopback with no authentication mode) the one local user.

use super::ops::Role;
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::path::Path;
use subtle::ConstantTimeEq;

/// The user a request is made for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub user: String,
    pub role: Role,
}

/// One line of the token file: `NAME ROLE SHA256_HEX_OF_TOKEN`. Only the token's hash is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenEntry {
    pub name: String,
    pub role: Role,
    pub sha256: [u8; 32],
}

/// Reads a token file; `#` starts a comment. Errors name the line, never a token.
pub fn parse_tokens(text: &str) -> Result<Vec<TokenEntry>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [name, role, hash] = fields.as_slice() else {
            return Err(format!("line {}: expected `NAME ROLE SHA256_HEX_OF_TOKEN`", i + 1));
        };
        let role = Role::parse(role)
            .ok_or_else(|| format!("line {}: role '{role}' is neither viewer nor operator", i + 1))?;
        let sha256 = parse_hex32(hash)
            .ok_or_else(|| format!("line {}: the third field is not 64 hex digits (a SHA-256)", i + 1))?;
        out.push(TokenEntry { name: (*name).to_owned(), role, sha256 });
    }
    if out.is_empty() {
        return Err("no users in the token file".into());
    }
    Ok(out)
}

fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

pub fn load_tokens(path: &Path) -> Result<Vec<TokenEntry>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_tokens(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The gateway's users, re-read on SIGHUP (a revoked token stops working without a restart; if the file
/// cannot be read, the users in force stay).
#[derive(Debug)]
pub struct TokenFile {
    path: Option<std::path::PathBuf>,
    entries: std::sync::RwLock<std::sync::Arc<Vec<TokenEntry>>>,
}

impl TokenFile {
    pub fn load(path: &Path) -> Result<Self, String> {
        let entries = load_tokens(path)?;
        Ok(Self {
            path: Some(path.to_owned()),
            entries: std::sync::RwLock::new(std::sync::Arc::new(entries)),
        })
    }

    /// Users that are never re-read (tests).
    pub fn fixed(entries: Vec<TokenEntry>) -> Self {
        Self { path: None, entries: std::sync::RwLock::new(std::sync::Arc::new(entries)) }
    }

    pub fn entries(&self) -> std::sync::Arc<Vec<TokenEntry>> {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Reads the file again; returns how many users it has.
    pub fn reload(&self) -> Result<usize, String> {
        let Some(path) = &self.path else { return Ok(self.entries().len()) };
        let entries = load_tokens(path)?;
        let n = entries.len();
        *self.entries.write().unwrap_or_else(|e| e.into_inner()) = std::sync::Arc::new(entries);
        Ok(n)
    }
}

/// Users from a trusted SSO proxy (oauth2-proxy style).
#[derive(Clone, Debug)]
pub struct TrustedProxy {
    pub user_header: String,
    pub role_header: Option<String>,
    pub proxies: Vec<IpAddr>,
    pub default_role: Role,
}

/// How the gateway decides who is asking.
#[derive(Clone, Debug, Default)]
pub struct Authenticator {
    pub tokens: Option<std::sync::Arc<TokenFile>>,
    pub trusted: Option<TrustedProxy>,
    /// Loopback with no authentication mode: one local user.
    pub local_user: bool,
    /// Everyone is a viewer.
    pub read_only: bool,
}

/// Why a request has no identity.
#[derive(Debug, PartialEq, Eq)]
pub enum Unauthenticated {
    NoCredentials,
    UnknownToken,
}

impl Authenticator {
    /// Whether any authentication mode is configured.
    pub fn has_mode(&self) -> bool {
        self.tokens.is_some() || self.trusted.is_some()
    }

    /// The identity of a request from `peer` with these headers.
    pub fn identify(&self, headers: &HeaderMap, peer: Option<IpAddr>) -> Result<Identity, Unauthenticated> {
        let mut id = self.identify_any(headers, peer)?;
        if self.read_only {
            id.role = Role::Viewer;
        }
        Ok(id)
    }

    fn identify_any(&self, headers: &HeaderMap, peer: Option<IpAddr>) -> Result<Identity, Unauthenticated> {
        if let Some(t) = &self.trusted {
            // The header counts only from a listed proxy; from anyone else it is ignored.
            let from_proxy = peer.is_some_and(|p| t.proxies.iter().any(|x| same_ip(*x, p)));
            let user = headers.get(t.user_header.as_str()).and_then(|v| v.to_str().ok()).map(str::trim);
            if let (true, Some(user)) = (from_proxy, user.filter(|u| !u.is_empty())) {
                let role = t
                    .role_header
                    .as_ref()
                    .and_then(|h| headers.get(h.as_str()))
                    .and_then(|v| v.to_str().ok())
                    .and_then(Role::parse)
                    .unwrap_or(t.default_role);
                return Ok(Identity { user: user.to_owned(), role });
            }
        }
        if let Some(tokens) = &self.tokens {
            let bearer = headers
                .get(axum::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
                .map(str::trim);
            let Some(token) = bearer.filter(|t| !t.is_empty()) else {
                return Err(Unauthenticated::NoCredentials);
            };
            let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
            // Every entry is compared, in constant time, whichever matches.
            let entries = tokens.entries();
            let mut found: Option<&TokenEntry> = None;
            for e in entries.iter() {
                if bool::from(e.sha256.ct_eq(&digest)) {
                    found = Some(e);
                }
            }
            return found
                .map(|e| Identity { user: e.name.clone(), role: e.role })
                .ok_or(Unauthenticated::UnknownToken);
        }
        if self.local_user {
            return Ok(Identity { user: "local".into(), role: Role::Operator });
        }
        Err(Unauthenticated::NoCredentials)
    }
}

/// IPv4 peers may arrive as IPv4-mapped IPv6 addresses.
fn same_ip(a: IpAddr, b: IpAddr) -> bool {
    let canon = |ip: IpAddr| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    };
    canon(a) == canon(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn sha_hex(s: &str) -> String {
        Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn token_file() {
        let text = format!(
            "# users\nalice operator {}\nbob viewer {}  # read only\n\n",
            sha_hex("alice-token"),
            sha_hex("bob-token")
        );
        let tokens = parse_tokens(&text).unwrap();
        assert_eq!(tokens.len(), 2);
        let a = Authenticator {
            tokens: Some(std::sync::Arc::new(TokenFile::fixed(tokens))),
            ..Default::default()
        };
        let id = |h: &[(&'static str, &str)]| a.identify(&headers(h), None);
        assert_eq!(
            id(&[("authorization", "Bearer alice-token")]).unwrap(),
            Identity { user: "alice".into(), role: Role::Operator }
        );
        assert_eq!(id(&[("authorization", "Bearer bob-token")]).unwrap().role, Role::Viewer);
        assert_eq!(id(&[("authorization", "Bearer nobody")]).unwrap_err(), Unauthenticated::UnknownToken);
        assert_eq!(id(&[]).unwrap_err(), Unauthenticated::NoCredentials);
        let ro = Authenticator { read_only: true, ..a.clone() };
        assert_eq!(
            ro.identify(&headers(&[("authorization", "Bearer alice-token")]), None).unwrap().role,
            Role::Viewer
        );
        for bad in
            ["alice operator", "alice admin 00", &format!("alice root {}", sha_hex("x")), "a viewer xyz", ""]
        {
            assert!(parse_tokens(bad).is_err(), "{bad}");
        }
        // An error names the line, never the value.
        let e = parse_tokens("alice operator s3cr3t-hash-value").unwrap_err();
        assert!(e.starts_with("line 1") && !e.contains("s3cr3t"), "{e}");
    }

    #[test]
    fn trusted_header_only_from_a_trusted_peer() {
        let a = Authenticator {
            trusted: Some(TrustedProxy {
                user_header: "x-forwarded-user".into(),
                role_header: Some("x-forwarded-role".into()),
                proxies: vec!["127.0.0.2".parse().unwrap()],
                default_role: Role::Viewer,
            }),
            ..Default::default()
        };
        let h = headers(&[("x-forwarded-user", "carol@example.com"), ("x-forwarded-role", "operator")]);
        let proxy: IpAddr = "127.0.0.2".parse().unwrap();
        assert_eq!(
            a.identify(&h, Some(proxy)).unwrap(),
            Identity { user: "carol@example.com".into(), role: Role::Operator }
        );
        let mapped: IpAddr = "::ffff:127.0.0.2".parse().unwrap();
        assert!(a.identify(&h, Some(mapped)).is_ok());
        assert_eq!(
            a.identify(&h, Some("127.0.0.1".parse().unwrap())).unwrap_err(),
            Unauthenticated::NoCredentials
        );
        assert_eq!(a.identify(&h, None).unwrap_err(), Unauthenticated::NoCredentials);
        let no_role = headers(&[("x-forwarded-user", "dave")]);
        assert_eq!(a.identify(&no_role, Some(proxy)).unwrap().role, Role::Viewer);
    }

    #[test]
    fn local_user_only_without_a_mode() {
        let local = Authenticator { local_user: true, ..Default::default() };
        assert_eq!(local.identify(&HeaderMap::new(), None).unwrap().role, Role::Operator);
        let ro = Authenticator { local_user: true, read_only: true, ..Default::default() };
        assert_eq!(ro.identify(&HeaderMap::new(), None).unwrap().role, Role::Viewer);
        assert!(Authenticator::default().identify(&HeaderMap::new(), None).is_err());
    }
}
