//! Where each Google API lives: the real hosts, or one emulator root for all of them.

use url::Url;

use crate::Error;

/// The environment variable [`Endpoints::from_env`] reads.
pub const API_ROOT_VARIABLE: &str = "GOOGLE_API_ROOT";

/// Base URLs of the three Google hosts this crate calls.
///
/// Every base ends with `/` and has no query, so API paths are appended to it
/// as relative paths. That also lets an emulator live under a path prefix
/// (`http://127.0.0.1:PORT/google/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    openid_connect: Url,
    googleapis: Url,
    sheets: Url,
}

impl Endpoints {
    /// Google's production hosts.
    pub fn google() -> Self {
        Self {
            openid_connect: fixed_url("https://openidconnect.googleapis.com/"),
            googleapis: fixed_url("https://www.googleapis.com/"),
            sheets: fixed_url("https://sheets.googleapis.com/"),
        }
    }

    /// One root for every host, as the offline emulator serves
    /// `/v1/userinfo`, `/drive/v3/…`, `/calendar/v3/…` and `/v4/spreadsheets…`
    /// under a single base URL.
    ///
    /// `root` should be an http(s) URL such as the emulator's base URL; its
    /// query and fragment are dropped and a trailing `/` is added. It is not
    /// rejected here (this is the emulator's path, which hands over a URL it
    /// built itself); [`Endpoints::from_env`] validates user input.
    pub fn all_at(mut root: Url) -> Self {
        root.set_query(None);
        root.set_fragment(None);
        if !root.path().ends_with('/') {
            let path = format!("{}/", root.path());
            root.set_path(&path);
        }
        Self {
            openid_connect: root.clone(),
            googleapis: root.clone(),
            sheets: root,
        }
    }

    /// [`Endpoints::all_at`] the URL in `GOOGLE_API_ROOT` when it is set and
    /// not empty, Google's hosts otherwise. A value that is not an absolute
    /// http(s) URL is an error naming the variable, not a silent fallback to
    /// production.
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

    /// The logic of [`Endpoints::from_env`] on an explicit value, so it can be
    /// tested without mutating the process environment.
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

    /// Base of `v1/userinfo`.
    pub fn openid_connect(&self) -> &Url {
        &self.openid_connect
    }

    /// Base of `drive/v3/…` and `calendar/v3/…` (`www.googleapis.com`).
    pub fn googleapis(&self) -> &Url {
        &self.googleapis
    }

    /// Base of `v4/spreadsheets…`.
    pub fn sheets(&self) -> &Url {
        &self.sheets
    }
}

/// `relative_path` (already percent-encoded, no leading `/`) under `base`.
///
/// `set_path` keeps existing `%XX` escapes, unlike `path_segments_mut`, which
/// would encode the `%` again and turn `Notes%21A%3AB` into `Notes%2521…`.
pub(crate) fn endpoint_url(base: &Url, relative_path: &str) -> Url {
    let mut url = base.clone();
    url.set_path(&format!("{}{relative_path}", base.path()));
    url
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
    Ok(())
}

fn fixed_url(literal: &'static str) -> Url {
    // These literals are constants checked by the unit tests; a failure here
    // is a typo in this file, not a runtime condition.
    #[allow(clippy::expect_used)]
    Url::parse(literal).expect("hard-coded Google URL parses")
}
