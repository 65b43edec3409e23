//! Runtime configuration: one model, read once per mounted console, from (highest first) the host's options
//! (the `mount()` argument or the `<disk-console>` attributes), the page's JSON config element
//! (`<script type="application/json" id="disk-console-config">`), `console-config.json` next to the console's
//! files, and the defaults. Nothing here needs a rebuild.

use disk_api::region::DEFAULT_REGION;

/// How requests carry cookies: the browser's `credentials` mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Credentials {
    #[default]
    SameOrigin,
    Include,
}

/// The colour scheme; `Auto` follows the system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// Where the console keeps its route: the page's URL (standalone, iframe, sub-path) or its own memory (mounted
/// into a host page, where the URL belongs to the host).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Routing {
    #[default]
    History,
    Memory,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Prefix of every API path, e.g. `https://disk-api.example.com`; empty for the console's own origin (below
    /// its base path).
    pub api_base: String,
    /// The region shown when the URL names none.
    pub default_region: String,
    /// The regions offered in the header; empty for every region the console knows.
    pub regions: Vec<String>,
    /// The path the console lives under, e.g. `/portal/disks` (no trailing slash); empty at the root.
    pub base_path: String,
    pub credentials: Credentials,
    /// Sent with every API request (a bearer token becomes `authorization: Bearer …`).
    pub headers: Vec<(String, String)>,
    /// `en` or `zh-CN`; `None` for the remembered choice, else the browser's language.
    pub locale: Option<String>,
    pub theme: Theme,
    pub routing: Routing,
    /// The route to open when routing in memory, e.g. `/snapshots`.
    pub start_path: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            api_base: String::new(),
            default_region: DEFAULT_REGION.to_owned(),
            regions: Vec::new(),
            base_path: String::new(),
            credentials: Credentials::SameOrigin,
            headers: Vec::new(),
            locale: None,
            theme: Theme::Auto,
            routing: Routing::History,
            start_path: "/".to_owned(),
        }
    }
}

/// One source's settings, every key optional. JSON keys: `apiBase`, `defaultRegion` (or `region`), `regions`
/// (array or comma-separated), `basePath`, `credentials` (`same-origin`/`include`), `headers` (object),
/// `bearerToken`, `locale`, `theme` (`light`/`dark`/`auto`), `routing` (`history`/`memory`), `path`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub api_base: Option<String>,
    pub default_region: Option<String>,
    pub regions: Option<Vec<String>>,
    pub base_path: Option<String>,
    pub credentials: Option<String>,
    pub headers: Option<Vec<(String, String)>>,
    pub bearer_token: Option<String>,
    pub locale: Option<String>,
    pub theme: Option<String>,
    pub routing: Option<String>,
    pub path: Option<String>,
}

impl Settings {
    /// These settings, with what they leave unset taken from `lower`.
    pub fn over(self, lower: Settings) -> Settings {
        Settings {
            api_base: self.api_base.or(lower.api_base),
            default_region: self.default_region.or(lower.default_region),
            regions: self.regions.or(lower.regions),
            base_path: self.base_path.or(lower.base_path),
            credentials: self.credentials.or(lower.credentials),
            headers: self.headers.or(lower.headers),
            bearer_token: self.bearer_token.or(lower.bearer_token),
            locale: self.locale.or(lower.locale),
            theme: self.theme.or(lower.theme),
            routing: self.routing.or(lower.routing),
            path: self.path.or(lower.path),
        }
    }

    /// The configuration these settings describe, over the defaults; the first invalid value is an error that
    /// names the key.
    pub fn resolve(self, default_routing: Routing) -> Result<Config, String> {
        let d = Config::default();
        let base_path = disk_api::query::normalize_base_path(self.base_path.as_deref().unwrap_or(""))
            .map_err(|e| format!("basePath: {e}"))?;
        let regions: Vec<String> = self
            .regions
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect();
        if let Some(bad) = regions.iter().find(|r| !is_region_id(r)) {
            return Err(format!("regions: “{bad}” is not a region ID"));
        }
        let default_region = match self.default_region.filter(|r| !r.trim().is_empty()) {
            Some(r) if !is_region_id(r.trim()) => {
                return Err(format!("defaultRegion: “{r}” is not a region ID"))
            }
            Some(r) => r.trim().to_owned(),
            None => regions.first().cloned().unwrap_or(d.default_region),
        };
        if !regions.is_empty() && !regions.contains(&default_region) {
            return Err(format!("defaultRegion: “{default_region}” is not in regions"));
        }
        let credentials = match self.credentials.as_deref() {
            None | Some("same-origin") => Credentials::SameOrigin,
            Some("include") => Credentials::Include,
            Some(other) => return Err(format!("credentials: “{other}” is not same-origin or include")),
        };
        let theme = match self.theme.as_deref() {
            None | Some("auto") | Some("") => Theme::Auto,
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            Some(other) => return Err(format!("theme: “{other}” is not light, dark or auto")),
        };
        let routing = match self.routing.as_deref() {
            None | Some("") => default_routing,
            Some("history") => Routing::History,
            Some("memory") => Routing::Memory,
            Some(other) => return Err(format!("routing: “{other}” is not history or memory")),
        };
        let mut headers = self.headers.unwrap_or_default();
        if let Some(name) = headers.iter().map(|(k, _)| k).find(|k| !is_header_name(k)) {
            return Err(format!("headers: “{name}” is not a header name"));
        }
        if let Some(token) = self.bearer_token.filter(|t| !t.is_empty()) {
            headers.push(("authorization".into(), format!("Bearer {token}")));
        }
        let api_base = match self.api_base {
            Some(b) => b.trim().trim_end_matches('/').to_owned(),
            None => base_path.clone(),
        };
        let start_path = self.path.filter(|p| p.starts_with('/')).unwrap_or(d.start_path);
        Ok(Config {
            api_base,
            default_region,
            regions,
            base_path,
            credentials,
            headers,
            locale: self.locale.filter(|l| !l.is_empty()),
            theme,
            routing,
            start_path,
        })
    }
}

fn is_region_id(r: &str) -> bool {
    !r.is_empty()
        && r.len() <= 32
        && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_header_name(h: &str) -> bool {
    !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Settings)) -> Settings {
        let mut x = Settings::default();
        f(&mut x);
        x
    }

    #[test]
    fn higher_sources_win_key_by_key() {
        let host = s(|x| x.default_region = Some("cn-east-2".into()));
        let element = s(|x| {
            x.default_region = Some("cn-south-1".into());
            x.theme = Some("dark".into());
        });
        let file = s(|x| {
            x.theme = Some("light".into());
            x.api_base = Some("https://api.example.com/".into());
        });
        let c = host.over(element).over(file).resolve(Routing::History).unwrap();
        assert_eq!(c.default_region, "cn-east-2");
        assert_eq!(c.theme, Theme::Dark);
        assert_eq!(c.api_base, "https://api.example.com");
        assert_eq!(c.routing, Routing::History);
    }

    #[test]
    fn defaults_and_base_path() {
        let c = Settings::default().resolve(Routing::Memory).unwrap();
        assert_eq!(c, Config { routing: Routing::Memory, ..Config::default() });
        let c = s(|x| x.base_path = Some("portal/disks/".into())).resolve(Routing::History).unwrap();
        assert_eq!(c.base_path, "/portal/disks");
        assert_eq!(c.api_base, "/portal/disks", "the API is served below the base path unless configured");
        assert!(s(|x| x.base_path = Some("/a/../b".into()))
            .resolve(Routing::History)
            .unwrap_err()
            .starts_with("basePath:"));
    }

    #[test]
    fn regions_token_and_errors() {
        let c = s(|x| {
            x.regions = Some(vec!["cn-east-2".into(), " cn-south-1".into()]);
            x.bearer_token = Some("t0k".into());
            x.headers = Some(vec![("x-portal".into(), "1".into())]);
            x.credentials = Some("include".into());
        })
        .resolve(Routing::History)
        .unwrap();
        assert_eq!(c.default_region, "cn-east-2", "the first listed region is the default");
        assert_eq!(c.regions, ["cn-east-2", "cn-south-1"]);
        assert_eq!(c.credentials, Credentials::Include);
        assert_eq!(
            c.headers,
            [("x-portal".into(), "1".into()), ("authorization".into(), "Bearer t0k".into())]
        );

        let err = |f: fn(&mut Settings)| s(f).resolve(Routing::History).unwrap_err();
        assert!(err(|x| x.theme = Some("pink".into())).starts_with("theme:"));
        assert!(err(|x| x.credentials = Some("omit".into())).starts_with("credentials:"));
        assert!(err(|x| x.routing = Some("hash".into())).starts_with("routing:"));
        assert!(err(|x| x.default_region = Some("<b>".into())).starts_with("defaultRegion:"));
        assert!(err(|x| {
            x.regions = Some(vec!["cn-east-2".into()]);
            x.default_region = Some("cn-north-1".into());
        })
        .contains("not in regions"));
        assert!(err(|x| x.headers = Some(vec![("bad header".into(), "1".into())])).starts_with("headers:"));
    }
}
