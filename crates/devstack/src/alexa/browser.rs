//! What plays the Alexa app's in-app browser during account linking: real headless Chromium, or
//! plain HTTP redirect following where no JavaScript is involved.

use std::{
    fs, io,
    os::unix::process::CommandExt as _,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use url::Url;

/// Opens a URL and follows whatever it leads to.
///
/// The simulator stops waiting (and drops the returned future) as soon as its redirect host has
/// received the callback, so an implementation may run until dropped. If it stops by itself it
/// returns the last URL it reached, which the simulator names in its error.
pub trait Browser {
    fn visit(&self, url: &Url) -> impl Future<Output = Result<Url, BrowserError>> + Send;
}

/// Why a browser could not follow the flow.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error("could not start the browser {program}: {source}")]
    Start { program: PathBuf, source: io::Error },
    #[error("the browser exited ({status}) before reaching the Alexa redirect URL: {output_tail}")]
    Exited { status: String, output_tail: String },
    #[error("HTTP request to {url} failed: {source}")]
    Http { url: String, source: reqwest::Error },
    #[error("more than {MAX_REDIRECTS} redirects, last at {last_url}")]
    TooManyRedirects { last_url: String },
    #[error("redirect from {url} without a usable Location header")]
    BadRedirect { url: String },
}

/// Follows HTTP redirects only: enough when the authorization URL is the OAuth server itself
/// (what the login page's script would forward to), and fast enough for most tests.
#[derive(Debug, Clone)]
pub struct HttpBrowser {
    http: reqwest::Client,
}

const MAX_REDIRECTS: usize = 20;

impl HttpBrowser {
    pub fn new() -> HttpBrowser {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a reqwest client without TLS roots to load builds");
        HttpBrowser { http }
    }
}

impl Default for HttpBrowser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser for HttpBrowser {
    async fn visit(&self, url: &Url) -> Result<Url, BrowserError> {
        let mut current = url.clone();
        for _ in 0..MAX_REDIRECTS {
            let response = self
                .http
                .get(current.clone())
                .send()
                .await
                .map_err(|source| {
                    BrowserError::Http {
                        url: describe_url(&current),
                        // reqwest puts the URL (with a possible `code`) in its message.
                        source: source.without_url(),
                    }
                })?;
            if !response.status().is_redirection() {
                return Ok(current);
            }
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|location| current.join(location).ok());
            match location {
                Some(next) => current = next,
                None => {
                    return Err(BrowserError::BadRedirect {
                        url: describe_url(&current),
                    });
                }
            }
        }
        Err(BrowserError::TooManyRedirects {
            last_url: describe_url(&current),
        })
    }
}

/// Debian's headless Chromium, started fresh (own profile directory) for each visit and killed,
/// with every helper process it spawned, when the visit is dropped.
#[derive(Debug, Clone)]
pub struct ChromiumBrowser {
    program: PathBuf,
}

impl ChromiumBrowser {
    /// `/usr/bin/chromium`, installed by `cargo xtask setup`.
    pub fn new() -> ChromiumBrowser {
        Self::with_program("/usr/bin/chromium")
    }

    pub fn with_program(program: impl Into<PathBuf>) -> ChromiumBrowser {
        ChromiumBrowser {
            program: program.into(),
        }
    }
}

impl Default for ChromiumBrowser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser for ChromiumBrowser {
    async fn visit(&self, url: &Url) -> Result<Url, BrowserError> {
        let mut running = RunningChromium::start(&self.program, url)?;
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if let Some(error) = running.exited() {
                return Err(error);
            }
        }
    }
}

/// A Chromium process group and its profile directory; dropping it kills and removes both.
struct RunningChromium {
    child: Child,
    profile_directory: PathBuf,
}

impl RunningChromium {
    fn start(program: &Path, url: &Url) -> Result<RunningChromium, BrowserError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let start_error = |source| BrowserError::Start {
            program: program.to_path_buf(),
            source,
        };
        let profile_directory = std::env::temp_dir().join(format!(
            "devstack-chromium-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&profile_directory).map_err(start_error)?;
        // Chromium's output goes to a file so a crash can be explained without a reader thread.
        let output =
            fs::File::create(profile_directory.join("chromium-output.log")).map_err(start_error)?;
        let output_copy = output.try_clone().map_err(start_error)?;
        let mut user_data_argument = std::ffi::OsString::from("--user-data-dir=");
        user_data_argument.push(&profile_directory);
        let child = Command::new(program)
            .args(crate::chromium::HEADLESS_FLAGS)
            .arg(user_data_argument)
            .arg(url.as_str())
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(output_copy)
            // Its own process group, so dropping the visit can kill the renderer and GPU helpers
            // too and not only the browser process.
            .process_group(0)
            .spawn()
            .map_err(start_error)?;
        Ok(RunningChromium {
            child,
            profile_directory,
        })
    }

    fn exited(&mut self) -> Option<BrowserError> {
        let status = match self.child.try_wait() {
            Ok(None) => return None,
            Ok(Some(status)) => status.to_string(),
            Err(error) => format!("unknown: {error}"),
        };
        let output = fs::read_to_string(self.profile_directory.join("chromium-output.log"))
            .unwrap_or_default();
        let tail_start = output
            .char_indices()
            .rev()
            .nth(2000)
            .map_or(0, |(index, _)| index);
        Some(BrowserError::Exited {
            status,
            output_tail: output[tail_start..].to_string(),
        })
    }
}

impl Drop for RunningChromium {
    fn drop(&mut self) {
        // The group ID is the browser's PID (process_group(0)); `kill -- -PGID` reaches its
        // helpers. Only processes this visit started are in that group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.profile_directory);
    }
}

/// A URL for an error message, with the values of `code` and token parameters hidden.
pub(crate) fn describe_url(url: &Url) -> String {
    let hidden = ["code", "access_token", "refresh_token", "id_token"];
    let mut described = url.clone();
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if hidden.contains(&name.as_ref()) {
                    "[redacted]".to_string()
                } else {
                    value.into_owned()
                };
                (name.into_owned(), value)
            })
            .collect();
        described.query_pairs_mut().clear().extend_pairs(pairs);
    }
    described.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_url_hides_the_code() {
        let url =
            Url::parse("http://127.0.0.1:1/api/skill/link/M2AAAAAAAAAAAA?code=4/secret&state=s")
                .unwrap();
        assert_eq!(
            describe_url(&url),
            "http://127.0.0.1:1/api/skill/link/M2AAAAAAAAAAAA?code=%5Bredacted%5D&state=s"
        );
    }
}
