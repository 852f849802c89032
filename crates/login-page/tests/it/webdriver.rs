//! A small W3C WebDriver client for Debian's ChromeDriver: just the commands these tests use.
//!
//! ChromeDriver is started on a free loopback port (`--port=0`, which it reports on stdout) and
//! shared by the tests that run at the same time; the last session to finish drops it, which kills
//! the process. Every session gets a fresh Chromium profile directory.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// A generous bound for a loaded two-core machine; only reached when something is broken.
pub const PATIENCE: Duration = Duration::from_secs(60);
/// The W3C key under which an element reference is returned.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How the browser of one session is set up.
#[derive(Clone, Copy, Debug)]
pub struct BrowserOptions {
    pub javascript_enabled: bool,
    /// Emulates a phone of this CSS size (so the viewport meta tag takes effect), for screenshots.
    pub phone_viewport: Option<(u32, u32)>,
}

impl Default for BrowserOptions {
    fn default() -> Self {
        Self {
            javascript_enabled: true,
            phone_viewport: None,
        }
    }
}

/// A running ChromeDriver process; dropping it kills the process.
#[derive(Debug)]
struct ChromeDriver {
    process: Child,
    base_url: String,
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The process may already be gone; nothing useful can be done about a failure here.
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl ChromeDriver {
    /// The ChromeDriver other tests are using right now, or a new one.
    fn shared() -> Arc<Self> {
        static SHARED: Mutex<Weak<ChromeDriver>> = Mutex::new(Weak::new());
        let mut shared = SHARED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(driver) = shared.upgrade() {
            return driver;
        }
        let driver = Arc::new(Self::start());
        *shared = Arc::downgrade(&driver);
        driver
    }

    fn start() -> Self {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(program).exists(),
                "{program} is missing: run `cargo xtask setup` to install Chromium"
            );
        }
        let mut process = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("could not start {CHROMEDRIVER} ({error}): run `cargo xtask setup` to install Chromium")
            });
        let stdout = process.stdout.take().expect("stdout is piped");
        let (port_sender, port_receiver) = mpsc::channel();
        // ChromeDriver prints "ChromeDriver was started successfully on port 12345." once it
        // listens; the thread then keeps draining stdout so the pipe never fills up.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("successfully on port ").nth(1) {
                    let port = rest.trim_end_matches('.').trim().parse::<u16>().ok();
                    let _ = port_sender.send(port);
                }
            }
        });
        let port = port_receiver.recv_timeout(PATIENCE).ok().flatten();
        let Some(port) = port else {
            let _ = process.kill();
            let _ = process.wait();
            panic!("{CHROMEDRIVER} did not report its port within {PATIENCE:?}");
        };
        Self {
            process,
            base_url: format!("http://127.0.0.1:{port}"),
        }
    }
}

/// One browser (a WebDriver session); dropping it closes Chromium and removes its profile.
#[derive(Debug)]
pub struct Browser {
    /// Held only so ChromeDriver keeps running while this session is open.
    _chromedriver: Arc<ChromeDriver>,
    http: reqwest::Client,
    session_url: String,
    user_data_dir: PathBuf,
}

/// An element reference returned by "find element".
#[derive(Debug)]
pub struct Element(String);

impl Browser {
    pub async fn start(options: BrowserOptions) -> Self {
        static SESSION_COUNTER: AtomicUsize = AtomicUsize::new(0);
        let driver = ChromeDriver::shared();
        let user_data_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "login-page-chromium-{}-{}",
            std::process::id(),
            SESSION_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&user_data_dir);
        std::fs::create_dir_all(&user_data_dir).expect("create the Chromium profile directory");

        let mut arguments: Vec<String> = devstack::chromium::HEADLESS_FLAGS
            .iter()
            .map(|flag| flag.to_string())
            .collect();
        arguments.push(format!("--user-data-dir={}", user_data_dir.display()));
        let mut chrome_options = json!({
            "binary": CHROMIUM,
            "args": arguments,
        });
        if !options.javascript_enabled {
            chrome_options["prefs"] =
                json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        if let Some((width, height)) = options.phone_viewport {
            chrome_options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0, "touch": true },
            });
        }
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "pageLoadStrategy": "normal",
                // Leave any dialog open so `alert_is_open` can see it instead of ChromeDriver
                // dismissing it silently.
                "unhandledPromptBehavior": "ignore",
                "goog:chromeOptions": chrome_options,
            }},
        });
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(PATIENCE)
            .build()
            .expect("build the WebDriver HTTP client");
        let response = http
            .post(format!("{}/session", driver.base_url))
            .json(&capabilities)
            .send()
            .await
            .expect("ChromeDriver answers new session");
        let value = webdriver_value("new session", response).await;
        let session_id = value["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("new session returned no sessionId: {value}"));
        let session_url = format!("{}/session/{session_id}", driver.base_url);
        Self {
            _chromedriver: driver,
            http,
            session_url,
            user_data_dir,
        }
    }

    /// Loads a URL; returns once the page has loaded.
    pub async fn navigate(&self, url: &str) {
        self.post("navigate", "url", json!({ "url": url })).await;
    }

    pub async fn current_url(&self) -> String {
        let value = self.get("get current URL", "url").await;
        value
            .as_str()
            .expect("the current URL is a string")
            .to_owned()
    }

    /// The first element matching a CSS selector, if any.
    pub async fn find(&self, css_selector: &str) -> Option<Element> {
        let response = self
            .http
            .post(format!("{}/element", self.session_url))
            .json(&json!({ "using": "css selector", "value": css_selector }))
            .send()
            .await
            .expect("ChromeDriver answers find element");
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            let body: Value = response.json().await.expect("error bodies are JSON");
            if body["value"]["error"] == "no such element" {
                return None;
            }
            panic!("find element {css_selector:?} failed: {body}");
        }
        let value = webdriver_value("find element", response).await;
        let id = value[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("find element returned no reference: {value}"));
        Some(Element(id.to_owned()))
    }

    /// The rendered (visible) text of an element.
    pub async fn text(&self, element: &Element) -> String {
        let value = self
            .get("get element text", &format!("element/{}/text", element.0))
            .await;
        value.as_str().expect("element text is a string").to_owned()
    }

    pub async fn is_displayed(&self, element: &Element) -> bool {
        let value = self
            .get(
                "is element displayed",
                &format!("element/{}/displayed", element.0),
            )
            .await;
        value.as_bool().expect("displayed is a boolean")
    }

    /// Runs a script in the page and returns its result.
    pub async fn execute(&self, script: &str) -> Value {
        self.post(
            "execute script",
            "execute/sync",
            json!({ "script": script, "args": [] }),
        )
        .await
    }

    pub async fn page_source(&self) -> String {
        let value = self.get("get page source", "source").await;
        value
            .as_str()
            .expect("the page source is a string")
            .to_owned()
    }

    /// Whether an alert, confirm or prompt dialog is open.
    pub async fn alert_is_open(&self) -> bool {
        let response = self
            .http
            .get(format!("{}/alert/text", self.session_url))
            .send()
            .await
            .expect("ChromeDriver answers get alert text");
        if response.status().is_success() {
            return true;
        }
        let body: Value = response.json().await.expect("error bodies are JSON");
        assert_eq!(
            body["value"]["error"], "no such alert",
            "get alert text failed: {body}"
        );
        false
    }

    pub async fn screenshot_png(&self) -> Vec<u8> {
        let value = self.get("take screenshot", "screenshot").await;
        let encoded = value.as_str().expect("the screenshot is base64 text");
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .expect("the screenshot is valid base64")
    }

    async fn get(&self, command: &str, path: &str) -> Value {
        let response = self
            .http
            .get(format!("{}/{path}", self.session_url))
            .send()
            .await
            .unwrap_or_else(|error| panic!("ChromeDriver did not answer {command}: {error}"));
        webdriver_value(command, response).await
    }

    async fn post(&self, command: &str, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}/{path}", self.session_url))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|error| panic!("ChromeDriver did not answer {command}: {error}"));
        webdriver_value(command, response).await
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Drop cannot await, and it may run inside the test's runtime, so the session is deleted
        // from a plain thread with its own small runtime. This also runs when a test panics.
        let session_url = self.session_url.clone();
        let closed = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("build a runtime to close the session");
            runtime.block_on(async {
                let http = reqwest::Client::builder()
                    .no_proxy()
                    .timeout(PATIENCE)
                    .build()?;
                http.delete(session_url).send().await?.error_for_status()?;
                Ok::<(), reqwest::Error>(())
            })
        })
        .join();
        if !matches!(closed, Ok(Ok(()))) {
            eprintln!("could not close the WebDriver session {}", self.session_url);
        }
        let _ = std::fs::remove_dir_all(&self.user_data_dir);
        // `self._chromedriver` is dropped after this, which stops ChromeDriver if no other test uses it.
    }
}

async fn webdriver_value(command: &str, response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response
        .json()
        .await
        .unwrap_or_else(|error| panic!("{command}: ChromeDriver sent no JSON ({error})"));
    assert!(
        status.is_success(),
        "{command} failed with {status}: {body}"
    );
    body["value"].clone()
}
