//! How every headless Chromium of the workspace is started: the simulator's
//! [`ChromiumBrowser`](crate::alexa::ChromiumBrowser) and the login page's WebDriver tests use
//! these flags, so a fix for one container quirk reaches both.

/// Command-line flags for Debian's Chromium running headless in a container with no network.
///
/// Each caller adds its own `--user-data-dir=…` (a fresh profile per run) and what it opens.
pub const HEADLESS_FLAGS: &[&str] = &[
    "--headless=new",
    // Root in a container has no user namespaces for the sandbox.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    // No update checks, sync or field trials: nothing may try to reach the internet.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    // Containers often give /dev/shm only 64 MB, too little for Chromium's shared memory; it
    // then crashes tabs. Temporary files under /tmp work everywhere.
    "--disable-dev-shm-usage",
];
