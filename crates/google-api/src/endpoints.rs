//! Where each Google host lives: Google itself, or one emulator root for every host at once.

use std::collections::BTreeMap;

use url::Url;

use crate::Error;

/// The environment variable [`Endpoints::from_env`] reads.
pub const API_ROOT_VARIABLE: &str = "GOOGLE_API_ROOT";

/// Host names of the Google APIs this crate has typed calls for. Any other Google host works the
/// same way: name it in an [`ApiRequest`](crate::ApiRequest).
pub mod hosts {
    /// OpenID Connect userinfo (`v1/userinfo`).
    pub const OPENID_CONNECT: &str = "openidconnect.googleapis.com";
    /// Drive v3 and Calendar v3 (`drive/v3/…`, `calendar/v3/…`).
    pub const GOOGLEAPIS: &str = "www.googleapis.com";
    /// Sheets v4 (`v4/spreadsheets…`).
    pub const SHEETS: &str = "sheets.googleapis.com";
    /// Gmail v1 (`gmail/v1/users/…`).
    pub const GMAIL: &str = "gmail.googleapis.com";
}

/// A map from Google host name (`gmail.googleapis.com`) to the base URL requests for it go to.
///
/// Unless told otherwise a host is reached at `https://{host}/`, so a host this crate has never
/// heard of needs no entry. [`Endpoints::all_at`] (and `GOOGLE_API_ROOT`) sends every host, known
/// or not, to one root, as the offline twin serves all of Google's paths under one base URL:
/// Google's paths do not collide across hosts (`v1/userinfo`, `drive/v3`, `calendar/v3`,
/// `v4/spreadsheets`, `gmail/v1`).
///
/// Every base ends with `/` and has no query, so API paths are appended to it as relative paths;
/// that also lets an emulator live under a path prefix (`http://127.0.0.1:PORT/google/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Where every host not in `hosts` goes; `None` means Google's own `https://{host}/`.
    root: Option<Url>,
    /// Hosts pointed somewhere of their own.
    hosts: BTreeMap<String, Url>,
}

impl Endpoints {
    /// Google's production hosts.
    pub fn google() -> Self {
        Self {
            root: None,
            hosts: BTreeMap::new(),
        }
    }

    /// One root for every host (the offline emulator's base URL).
    ///
    /// `root` should be an http(s) URL; its query and fragment are dropped and a trailing `/` is
    /// added. It is not rejected here (this is the emulator's path, which hands over a URL it
    /// built itself); [`Endpoints::from_env`] validates user input.
    pub fn all_at(root: Url) -> Self {
        Self {
            root: Some(as_base(root)),
            hosts: BTreeMap::new(),
        }
    }

    /// The same endpoints with `host` sent to `base` instead.
    pub fn with_host(mut self, host: &str, base: Url) -> Self {
        self.hosts.insert(host.to_ascii_lowercase(), as_base(base));
        self
    }

    /// [`Endpoints::all_at`] the URL in `GOOGLE_API_ROOT` when it is set and not empty, Google's
    /// hosts otherwise. A value that is not an absolute http(s) URL, or a plain `http://` URL to
    /// a host other than loopback (the tokens would travel unencrypted), is an error naming the
    /// variable, not a silent fallback to production.
    pub fn from_env() -> Result<Self, Error> {
        match std::env::var(API_ROOT_VARIABLE) {
            Ok(value) => Self::from_api_root_value(Some(&value)),
            Err(std::env::VarError::NotPresent) => Self::from_api_root_value(None),
            Err(std::env::VarError::NotUnicode(value)) => Err(Error::InvalidEnvironment {
                variable: API_ROOT_VARIABLE,
                value: value.to_string_lossy().into_owned(),
                detail: "not valid UTF-8".to_owned(),
            }),
        }
    }

    /// The logic of [`Endpoints::from_env`] on an explicit value, so it can be tested without
    /// mutating the process environment.
    pub fn from_api_root_value(value: Option<&str>) -> Result<Self, Error> {
        let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
            return Ok(Self::google());
        };
        let invalid = |detail: String| Error::InvalidEnvironment {
            variable: API_ROOT_VARIABLE,
            value: value.to_owned(),
            detail,
        };
        let root = Url::parse(value).map_err(|error| invalid(error.to_string()))?;
        check_base(&root).map_err(invalid)?;
        Ok(Self::all_at(root))
    }

    /// The one root every host goes to, when [`Endpoints::all_at`] (or `GOOGLE_API_ROOT`) set
    /// one; `None` for Google's own hosts.
    pub fn api_root(&self) -> Option<&Url> {
        self.root.as_ref()
    }

    /// The base URL requests for `host` go to.
    pub fn base(&self, host: &str) -> Result<Url, Error> {
        let host = host.to_ascii_lowercase();
        if let Some(base) = self.hosts.get(&host) {
            return Ok(base.clone());
        }
        if let Some(root) = &self.root {
            return Ok(root.clone());
        }
        let invalid = |detail: String| Error::InvalidRequest {
            detail: format!("{host:?} is not a host name: {detail}"),
        };
        let base = Url::parse(&format!("https://{host}/")).map_err(|e| invalid(e.to_string()))?;
        // A "host" with a path, port or user part would send the token somewhere unexpected.
        if base.host_str() != Some(host.as_str()) || base.path() != "/" {
            return Err(invalid(
                "expected a bare name such as gmail.googleapis.com".into(),
            ));
        }
        Ok(base)
    }
}

/// `relative_path` (already percent-encoded, no leading `/`) under `base`.
///
/// `set_path` keeps existing `%XX` escapes, unlike `path_segments_mut`, which would encode the
/// `%` again and turn `Notes%21A%3AB` into `Notes%2521…`.
pub(crate) fn endpoint_url(base: &Url, relative_path: &str) -> Url {
    let mut url = base.clone();
    let relative_path = relative_path.trim_start_matches('/');
    url.set_path(&format!("{}{relative_path}", base.path()));
    url
}

fn as_base(mut root: Url) -> Url {
    root.set_query(None);
    root.set_fragment(None);
    if !root.path().ends_with('/') {
        let path = format!("{}/", root.path());
        root.set_path(&path);
    }
    root
}

fn check_base(root: &Url) -> Result<(), String> {
    if !matches!(root.scheme(), "http" | "https") {
        return Err(format!(
            "scheme must be http or https, not {}",
            root.scheme()
        ));
    }
    if root.cannot_be_a_base() || root.host().is_none() {
        return Err("must be an absolute URL with a host".to_owned());
    }
    // Every call carries a user's access token: in the clear only where it never leaves the
    // machine (the offline twin on loopback).
    if root.scheme() == "http" && !is_loopback_host(root) {
        return Err(format!(
            "plain http would send users' tokens unencrypted to {}: use https://, or http:// only \
             to 127.0.0.0/8, localhost or [::1]",
            root.host_str().unwrap_or_default()
        ));
    }
    Ok(())
}

/// True for `127.0.0.0/8`, `[::1]` and `localhost`: hosts whose traffic never leaves the machine.
fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}
