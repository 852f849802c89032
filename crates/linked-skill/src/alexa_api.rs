//! Alexa's APIs a skill calls back during a request, at `context.System.apiEndpoint` with the
//! request's `apiAccessToken`: progressive responses and the device's time zone
//! (docs/alexa-skill-apis.md).
//!
//! A call here never fails or delays the answer: it has its own short timeout inside the answer
//! deadline, its failures are logged (never the token) and swallowed, and once the answer is
//! decided no further progressive response leaves.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use alexa_model::{ApiAccessToken, Request, RequestEnvelope};
use google_api::Deadline;
use tokio::time::Instant;
use tracing::{debug, warn};
use url::Url;

/// At most this many progressive responses per request. Amazon documents no number; 5 is the
/// commonly cited cap, so the toolkit never sends more.
pub const PROGRESSIVE_RESPONSES_PER_REQUEST: usize = 5;

/// How long one call to Alexa's APIs may take. Amazon's APIs answer in well under this; a call
/// that takes longer is abandoned so the answer keeps its time.
pub const ALEXA_API_TIMEOUT: Duration = Duration::from_millis(1_000);

/// The longest progressive speech Alexa is reported to accept (characters of SSML).
const PROGRESSIVE_SPEECH_LIMIT: usize = 600;

/// How long a device's time zone is reused in a warm process. A device's zone rarely changes
/// (a move, a trip with the Echo), and one settings call per device per hour keeps its latency
/// off nearly every request.
pub const TIME_ZONE_CACHE_FOR: Duration = Duration::from_secs(60 * 60);

/// Devices' time zones as the settings API last reported them (`None`: the user set none), by
/// device ID, shared by every request of the process.
#[derive(Default)]
pub(crate) struct TimeZoneCache {
    zones: Mutex<HashMap<String, (Option<String>, Instant)>>,
}

impl TimeZoneCache {
    fn get(&self, device_id: &str) -> Option<Option<String>> {
        let zones = self.zones.lock().expect("time zone cache");
        let (zone, fetched) = zones.get(device_id)?;
        (fetched.elapsed() < TIME_ZONE_CACHE_FOR).then(|| zone.clone())
    }

    fn put(&self, device_id: &str, zone: Option<String>) {
        self.zones
            .lock()
            .expect("time zone cache")
            .insert(device_id.to_owned(), (zone, Instant::now()));
    }
}

/// The Alexa APIs of one request.
pub(crate) struct AlexaApi<'a> {
    http: &'a google_api::LazyHttpClient,
    time_zones: &'a TimeZoneCache,
    device_id: Option<&'a str>,
    /// `None` when the request cannot call back: no endpoint, no token, an endpoint that is not
    /// https (plain http only on loopback), or a request type Amazon allows no call from.
    target: Option<Target<'a>>,
    deadline: Deadline,
    progress: Mutex<ProgressState>,
}

struct Target<'a> {
    endpoint: Url,
    token: &'a ApiAccessToken,
    request_id: &'a str,
}

#[derive(Default)]
struct ProgressState {
    sent: usize,
    closed: bool,
}

impl<'a> AlexaApi<'a> {
    pub(crate) fn for_request(
        http: &'a google_api::LazyHttpClient,
        time_zones: &'a TimeZoneCache,
        request: &'a RequestEnvelope,
        deadline: Deadline,
    ) -> AlexaApi<'a> {
        AlexaApi {
            http,
            time_zones,
            device_id: request
                .system()
                .and_then(|system| system.device.as_ref())
                .and_then(|device| device.device_id.as_deref()),
            target: target(request),
            deadline,
            progress: Mutex::new(ProgressState::default()),
        }
    }

    /// Speaks `text` now, while the answer is still being worked on (Progressive Response API).
    /// Returns whether Alexa accepted it.
    pub(crate) async fn progress(&self, text: &str) -> bool {
        let Some(target) = &self.target else {
            debug!("no progressive response: the request cannot call Alexa back");
            return false;
        };
        {
            let mut state = self.progress.lock().expect("progress state");
            if state.closed {
                warn!("no progressive response after the answer");
                return false;
            }
            if state.sent >= PROGRESSIVE_RESPONSES_PER_REQUEST {
                warn!(
                    limit = PROGRESSIVE_RESPONSES_PER_REQUEST,
                    "no more progressive responses for this request"
                );
                return false;
            }
            state.sent += 1;
        }
        let speech = alexa_model::ssml::speak_text(text);
        if speech.chars().count() > PROGRESSIVE_SPEECH_LIMIT {
            warn!(
                limit = PROGRESSIVE_SPEECH_LIMIT,
                "progressive speech too long; not sent"
            );
            return false;
        }
        let body = serde_json::json!({
            "header": {"requestId": target.request_id},
            "directive": {"type": "VoicePlayer.Speak", "speech": speech},
        });
        let url = target
            .endpoint
            .join("v1/directives")
            .expect("a path joins an http(s) URL");
        let call = self
            .http
            .get()
            .post(url)
            .bearer_auth(target.token.secret())
            .json(&body)
            .send();
        let until = (Instant::now() + ALEXA_API_TIMEOUT).min(self.deadline.instant());
        match tokio::time::timeout_at(until, call).await {
            Ok(Ok(response)) if response.status() == reqwest::StatusCode::NO_CONTENT => true,
            Ok(Ok(response)) => {
                // The body is Amazon's `{"code", "message"}`: no token, fine to log.
                let status = response.status().as_u16();
                let body = response.text().await.unwrap_or_default();
                warn!(status, body = %body.chars().take(300).collect::<String>(), "Alexa refused a progressive response");
                false
            }
            Ok(Err(error)) => {
                // reqwest's error names the URL (no token: that is in a header).
                warn!(error = %error.without_url(), "could not send a progressive response");
                false
            }
            Err(_elapsed) => {
                warn!("a progressive response took too long; abandoned");
                false
            }
        }
    }

    /// The device's IANA time zone from the settings API (cached per device for
    /// [`TIME_ZONE_CACHE_FOR`]); `None` when the user set none, or the API cannot be asked or
    /// fails (logged).
    pub(crate) async fn time_zone(&self) -> Option<String> {
        let device_id = self.device_id?;
        if let Some(cached) = self.time_zones.get(device_id) {
            return cached;
        }
        let target = self.target.as_ref()?;
        let mut url = target.endpoint.clone();
        url.path_segments_mut()
            .expect("an http(s) URL has a path")
            .pop_if_empty()
            .extend(["v2", "devices", device_id, "settings", "System.timeZone"]);
        let call = async {
            let response = self
                .http
                .get()
                .get(url)
                .bearer_auth(target.token.secret())
                .header(reqwest::header::ACCEPT, "application/json")
                .send()
                .await?;
            let status = response.status();
            let body = response.text().await?;
            Ok::<_, reqwest::Error>((status, body))
        };
        let until = (Instant::now() + ALEXA_API_TIMEOUT).min(self.deadline.instant());
        let zone = match tokio::time::timeout_at(until, call).await {
            Ok(Ok((reqwest::StatusCode::OK, body))) => {
                match serde_json::from_str::<String>(&body) {
                    Ok(zone) => Some(zone),
                    Err(_) => {
                        warn!(body = %body.chars().take(100).collect::<String>(), "the settings API's time zone is not a JSON string");
                        return None;
                    }
                }
            }
            // 204: the user has set no time zone; remembered like a zone.
            Ok(Ok((reqwest::StatusCode::NO_CONTENT, _))) => None,
            Ok(Ok((status, body))) => {
                warn!(status = status.as_u16(), body = %body.chars().take(300).collect::<String>(), "the settings API refused the time zone");
                return None;
            }
            Ok(Err(error)) => {
                warn!(error = %error.without_url(), "could not ask the settings API for the time zone");
                return None;
            }
            Err(_elapsed) => {
                warn!("the settings API took too long; the time zone is unknown");
                return None;
            }
        };
        self.time_zones.put(device_id, zone.clone());
        zone
    }

    /// The answer is decided: no progressive response may follow it.
    pub(crate) fn close(&self) {
        self.progress.lock().expect("progress state").closed = true;
    }
}

fn target(request: &RequestEnvelope) -> Option<Target<'_>> {
    // Amazon allows progressive responses only from a LaunchRequest or an IntentRequest.
    let request_id = match &request.request {
        Request::LaunchRequest(_) | Request::IntentRequest(_) => request.request.request_id()?,
        _ => return None,
    };
    let system = request.system()?;
    let token = system.api_access_token.as_ref()?;
    let endpoint = system.api_endpoint.as_deref()?;
    let endpoint = match callable_endpoint(endpoint) {
        Ok(endpoint) => endpoint,
        Err(reason) => {
            warn!(reason, "apiEndpoint unusable; Alexa's APIs are not called");
            return None;
        }
    };
    Some(Target {
        endpoint,
        token,
        request_id,
    })
}

/// `apiEndpoint` as a base URL to join paths to: https, or plain http on loopback only (the
/// twin), so the token never crosses a network in the clear.
fn callable_endpoint(endpoint: &str) -> Result<Url, &'static str> {
    let mut url = Url::parse(endpoint).map_err(|_| "not a URL")?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err("plain http is allowed only on loopback"),
        _ => return Err("not an https URL"),
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::callable_endpoint;

    #[test]
    fn plain_http_is_called_only_on_loopback() {
        for good in [
            "https://api.amazonalexa.com",
            "https://api.eu.amazonalexa.com/",
            "http://127.0.0.1:4000",
            "http://[::1]:4000",
            "http://localhost:4000",
        ] {
            let url = callable_endpoint(good).unwrap_or_else(|error| panic!("{good}: {error}"));
            assert!(url.as_str().ends_with('/'), "{url}");
        }
        for bad in [
            "http://api.amazonalexa.com",
            "http://10.0.0.1:4000",
            "ftp://127.0.0.1",
            "not a url",
        ] {
            assert!(callable_endpoint(bad).is_err(), "{bad}");
        }
    }
}
