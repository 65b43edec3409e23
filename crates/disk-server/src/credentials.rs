//! The account's JD Cloud credentials: read from the environment or from the JD Cloud CLI's profile file,
//! never from the command line; held in a type that never prints its secret; re-read on SIGHUP.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// A secret value: `Debug` and `Display` print `***`, so it cannot end up in a log line by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that needs it (the signer).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// An AccessKey ID, its secret, and the security token of temporary credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret: Secret,
    security_token: Option<Secret>,
    /// Where they came from, for the log (never their values).
    pub source: String,
}

impl Credentials {
    pub fn new(access_key_id: &str, secret: &str, security_token: Option<&str>) -> Self {
        Self {
            access_key_id: access_key_id.to_owned(),
            secret: Secret::new(secret),
            security_token: security_token.map(Secret::new),
            source: "given".into(),
        }
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_ref().map(Secret::expose)
    }
}

/// Where to look for credentials besides the environment.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// `--jdcloud-config FILE`; else `~/.jdc/config`.
    pub config_file: Option<PathBuf>,
    /// `--jdcloud-profile NAME`; else the name in `~/.jdc/current`, else `default`.
    pub profile: Option<String>,
    /// The home folder (`$HOME`).
    pub home: Option<PathBuf>,
}

/// Why no credentials could be had. Never carries a secret's value.
#[derive(Debug, PartialEq, Eq)]
pub struct CredentialError(pub String);

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CredentialError {}

pub const ENV_ACCESS_KEY_ID: &str = "JDCLOUD_ACCESS_KEY_ID";
pub const ENV_ACCESS_KEY_SECRET: &str = "JDCLOUD_ACCESS_KEY_SECRET";
pub const ENV_SECURITY_TOKEN: &str = "JDCLOUD_SECURITY_TOKEN";

/// Loads credentials, first found wins: `JDCLOUD_ACCESS_KEY_ID` + `JDCLOUD_ACCESS_KEY_SECRET` (+ optional
/// `JDCLOUD_SECURITY_TOKEN`) from `env`; else the CLI's profile file. Returns warnings to log (a profile
/// file readable by group or others).
pub fn load(
    env: impl Fn(&str) -> Option<String>,
    sources: &Sources,
) -> Result<(Credentials, Vec<String>), CredentialError> {
    let var = |k: &str| env(k).filter(|v| !v.trim().is_empty());
    match (var(ENV_ACCESS_KEY_ID), var(ENV_ACCESS_KEY_SECRET)) {
        (Some(id), Some(secret)) => {
            let token = var(ENV_SECURITY_TOKEN);
            let mut c = Credentials::new(id.trim(), secret.trim(), token.as_deref().map(str::trim));
            c.source = format!("the environment ({ENV_ACCESS_KEY_ID})");
            return Ok((c, Vec::new()));
        }
        (Some(_), None) => {
            return Err(CredentialError(format!(
                "{ENV_ACCESS_KEY_ID} is set but {ENV_ACCESS_KEY_SECRET} is not"
            )))
        }
        (None, Some(_)) => {
            return Err(CredentialError(format!(
                "{ENV_ACCESS_KEY_SECRET} is set but {ENV_ACCESS_KEY_ID} is not"
            )))
        }
        (None, None) => {}
    }
    let jdc = sources.home.as_ref().map(|h| h.join(".jdc"));
    let file = match (&sources.config_file, &jdc) {
        (Some(f), _) => f.clone(),
        (None, Some(dir)) => dir.join("config"),
        (None, None) => {
            return Err(CredentialError(format!(
                "no credentials: set {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET}, or give --jdcloud-config FILE"
            )))
        }
    };
    if !file.is_file() {
        return Err(CredentialError(format!(
            "no credentials: {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} are not set and there is no profile file at {}",
            file.display()
        )));
    }
    let profile = match &sources.profile {
        Some(p) => p.clone(),
        None => jdc
            .as_ref()
            .and_then(|d| std::fs::read_to_string(d.join("current")).ok())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "default".to_owned()),
    };
    let mut warnings = Vec::new();
    if let Some(w) = permission_warning(&file) {
        warnings.push(w);
    }
    let c = from_profile_file(&file, &profile)?;
    Ok((c, warnings))
}

/// One profile of a JD Cloud CLI configuration file (INI: `[name]` with `access_key` and `secret_key`).
pub fn from_profile_file(file: &Path, profile: &str) -> Result<Credentials, CredentialError> {
    let ini = ini::Ini::load_from_file(file).map_err(|e| {
        // The parser's message names a line and column, never a value.
        CredentialError(format!("cannot read the profile file {}: {}", file.display(), parse_error_kind(&e)))
    })?;
    let section = ini.section(Some(profile)).ok_or_else(|| {
        let names: Vec<&str> = ini.sections().flatten().collect();
        CredentialError(format!(
            "the profile file {} has no profile [{profile}] (it has: {})",
            file.display(),
            if names.is_empty() { "none".to_owned() } else { names.join(", ") }
        ))
    })?;
    let field = |k: &str| section.get(k).map(str::trim).filter(|v| !v.is_empty());
    let missing: Vec<&str> =
        ["access_key", "secret_key"].into_iter().filter(|k| field(k).is_none()).collect();
    if !missing.is_empty() {
        return Err(CredentialError(format!(
            "profile [{profile}] in {} has no {}",
            file.display(),
            missing.join(" and no ")
        )));
    }
    let mut c = Credentials::new(
        field("access_key").unwrap_or_default(),
        field("secret_key").unwrap_or_default(),
        field("security_token"),
    );
    c.source = format!("profile [{profile}] of {}", file.display());
    Ok(c)
}

fn parse_error_kind(e: &ini::Error) -> String {
    match e {
        ini::Error::Io(io) => io.to_string(),
        ini::Error::Parse(p) => format!("not an INI file (line {}, column {})", p.line, p.col),
    }
}

/// A warning when the file can be read by its group or by others.
#[cfg(unix)]
fn permission_warning(file: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "the profile file {} can be read by other users (mode {:o}): `chmod 600 {}`",
            file.display(),
            mode & 0o777,
            file.display()
        )
    })
}

#[cfg(not(unix))]
fn permission_warning(_: &Path) -> Option<String> {
    None
}

/// The credentials in force, swapped whole when they are re-read: a request signs with the set it took at
/// its start, so requests in flight finish with the old keys.
pub struct Keyring {
    current: RwLock<Arc<Credentials>>,
    sources: Sources,
}

impl Keyring {
    pub fn new(credentials: Credentials, sources: Sources) -> Self {
        Self { current: RwLock::new(Arc::new(credentials)), sources }
    }

    pub fn current(&self) -> Arc<Credentials> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Re-reads the credentials from the process environment and the profile file; on failure the old
    /// ones stay in force.
    pub fn reload(&self) -> Result<(Arc<Credentials>, Vec<String>), CredentialError> {
        let (c, warnings) = load(|k| std::env::var(k).ok(), &self.sources)?;
        let c = Arc::new(c);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = c.clone();
        Ok((c, warnings))
    }

    /// The secret of an access key, if it is the account's.
    pub fn secret_of(&self, access_key_id: &str) -> Option<String> {
        let c = self.current();
        (c.access_key_id() == access_key_id).then(|| c.secret().expose().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| m.get(k).cloned()
    }

    fn temp_home() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("disk-server-creds-{}", fastrand::u64(..)));
        std::fs::create_dir_all(dir.join(".jdc")).unwrap();
        dir
    }

    #[test]
    fn the_environment_comes_first() {
        let home = temp_home();
        std::fs::write(home.join(".jdc/config"), "[default]\naccess_key = FILE\nsecret_key = FILESECRET\n")
            .unwrap();
        let sources = Sources { home: Some(home.clone()), ..Default::default() };
        let (c, _) = load(
            env(&[(ENV_ACCESS_KEY_ID, "AK1"), (ENV_ACCESS_KEY_SECRET, "SK1"), (ENV_SECURITY_TOKEN, "TOK")]),
            &sources,
        )
        .unwrap();
        assert_eq!((c.access_key_id(), c.secret().expose(), c.security_token()), ("AK1", "SK1", Some("TOK")));
        let (c, _) = load(env(&[]), &sources).unwrap();
        assert_eq!((c.access_key_id(), c.secret().expose()), ("FILE", "FILESECRET"));
        let e = load(env(&[(ENV_ACCESS_KEY_ID, "AK1")]), &sources).unwrap_err();
        assert!(e.0.contains(ENV_ACCESS_KEY_SECRET), "{e}");
    }

    #[test]
    fn profiles_by_flag_then_current_then_default() {
        let home = temp_home();
        let file = home.join(".jdc/config");
        std::fs::write(
            &file,
            "[default]\naccess_key = D\nsecret_key = DS\n\n[prod]\naccess_key = P\nsecret_key = PS\nregion_id = cn-north-1\n",
        )
        .unwrap();
        let sources = |profile: Option<&str>| Sources {
            home: Some(home.clone()),
            profile: profile.map(str::to_owned),
            config_file: None,
        };
        assert_eq!(load(env(&[]), &sources(None)).unwrap().0.access_key_id(), "D");
        std::fs::write(home.join(".jdc/current"), "prod\n").unwrap();
        assert_eq!(load(env(&[]), &sources(None)).unwrap().0.access_key_id(), "P");
        assert_eq!(load(env(&[]), &sources(Some("default"))).unwrap().0.access_key_id(), "D");
        let e = load(env(&[]), &sources(Some("staging"))).unwrap_err();
        assert!(e.0.contains("no profile [staging]") && e.0.contains("default, prod"), "{e}");
    }

    #[test]
    fn errors_name_what_is_missing_never_a_value() {
        let home = temp_home();
        let file = home.join("other.ini");
        std::fs::write(&file, "[default]\naccess_key = AKVISIBLE\nsecret_key = \n").unwrap();
        let sources = Sources { home: Some(home.clone()), config_file: Some(file.clone()), profile: None };
        let e = load(env(&[]), &sources).unwrap_err();
        assert!(e.0.contains("has no secret_key"), "{e}");
        std::fs::write(&file, "[default]\nsecret_key = TOPSECRET\n").unwrap();
        let e = load(env(&[]), &sources).unwrap_err();
        assert!(e.0.contains("has no access_key") && !e.0.contains("TOPSECRET"), "{e}");
        std::fs::write(&file, "[default\nsecret_key = TOPSECRET\n").unwrap();
        let e = load(env(&[]), &sources).unwrap_err();
        assert!(e.0.contains("not an INI file") && !e.0.contains("TOPSECRET"), "{e}");
        let none = Sources { home: Some(temp_home()), ..Default::default() };
        assert!(load(env(&[]), &none).unwrap_err().0.contains("no credentials"));
    }

    #[cfg(unix)]
    #[test]
    fn a_readable_profile_file_is_warned_about() {
        use std::os::unix::fs::PermissionsExt;
        let home = temp_home();
        let file = home.join(".jdc/config");
        std::fs::write(&file, "[default]\naccess_key = A\nsecret_key = S\n").unwrap();
        let sources = Sources { home: Some(home), ..Default::default() };
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let (_, warnings) = load(env(&[]), &sources).unwrap();
        assert!(warnings.iter().any(|w| w.contains("chmod 600")), "{warnings:?}");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(load(env(&[]), &sources).unwrap().1.is_empty());
    }

    #[test]
    fn secrets_never_print() {
        let c = Credentials::new("AK", "VERYSECRET", Some("TOKENVALUE"));
        let shown = format!("{c:?} {}", c.secret());
        assert!(!shown.contains("VERYSECRET") && !shown.contains("TOKENVALUE"), "{shown}");
        assert!(shown.contains("***"));
    }
}
