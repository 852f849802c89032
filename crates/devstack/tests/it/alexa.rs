//! Alexa's account-linking simulator against the Google twin: plain HTTP, then real Chromium on
//! the real login page.

use std::time::{Duration, SystemTime};

use axum::{Router, http::header, routing::get};
use devstack::{
    alexa::{
        AccessTokenScheme, AccountLinking, Browser, BrowserError, ChromiumBrowser, ClientSecret,
        Error, HttpBrowser, Link, LinkState, Simulator, UnlinkReason, requests,
    },
    google::{self, Emulator, OAuthClient},
    lambda::LambdaFunction,
};
use url::Url;

const VENDOR_ID: &str = "M2AAAAAAAAAAAA";
const CLIENT_ID: &str = "alexa-simulator-client.apps.googleusercontent.com";
const CLIENT_SECRET: &str = "alexa-simulator-secret";
const USER: &str = "ada@example.com";
/// Past the twin's 3599-second access-token lifetime.
const PAST_EXPIRY: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn offline_link_refreshes_after_expiry_and_unlinks_after_revocation() {
    let (simulator, emulator) = start().await;
    // What the login page does: Google's endpoint with access_type=offline&prompt=consent.
    let account_linking = account_linking(
        &emulator,
        "/o/oauth2/v2/auth?access_type=offline&prompt=consent",
        AccessTokenScheme::HttpBasic,
    );

    let mut link = simulator
        .link(&account_linking, &HttpBrowser::new())
        .await
        .expect("linking succeeds");
    assert_eq!(link.state(), &LinkState::Linked);
    assert!(link.has_refresh_token());
    let first_token = token_of(&link);
    let refresh_token = link.refresh_token().unwrap().secret().to_string();
    assert_eq!(
        userinfo_email(&emulator, &first_token).await,
        Some(USER.into())
    );

    // Before expiry nothing happens.
    link.refresh_if_expired(SystemTime::now()).await.unwrap();
    assert_eq!(token_of(&link), first_token);

    let later = SystemTime::now() + PAST_EXPIRY;
    emulator.advance_clock(PAST_EXPIRY);
    assert_eq!(userinfo_email(&emulator, &first_token).await, None);
    let state = link.refresh_if_expired(later).await.expect("refresh works");
    assert_eq!(state, &LinkState::Linked);
    let second_token = token_of(&link);
    assert_ne!(second_token, first_token);
    assert_eq!(
        link.refresh_token().map(|token| token.secret()),
        Some(refresh_token.as_str()),
        "Google sends no new refresh token, so Alexa keeps the old one"
    );
    assert_eq!(
        userinfo_email(&emulator, &second_token).await,
        Some(USER.into())
    );

    emulator.revoke_all(USER);
    let even_later = later + PAST_EXPIRY;
    emulator.advance_clock(PAST_EXPIRY);
    let state = link.refresh_if_expired(even_later).await.unwrap().clone();
    let LinkState::Unlinked {
        reason: UnlinkReason::RefreshRejected { error, .. },
    } = state
    else {
        panic!("expected an unlink after a refused refresh, got {state:?}");
    };
    assert_eq!(error, "invalid_grant");
    assert!(
        link.access_token().is_none(),
        "requests now arrive without a token"
    );
}

#[tokio::test]
async fn link_without_offline_access_dies_at_expiry() {
    let (simulator, emulator) = start().await;
    let account_linking = account_linking(
        &emulator,
        "/o/oauth2/v2/auth",
        AccessTokenScheme::RequestBodyCredentials,
    );

    let mut link = simulator
        .link(&account_linking, &HttpBrowser::new())
        .await
        .expect("linking succeeds");
    assert!(!link.has_refresh_token());
    let token = token_of(&link);
    assert_eq!(userinfo_email(&emulator, &token).await, Some(USER.into()));
    assert!(matches!(
        link.refresh(SystemTime::now()).await,
        Err(Error::NoRefreshToken)
    ));

    let later = SystemTime::now() + PAST_EXPIRY;
    emulator.advance_clock(PAST_EXPIRY);
    let state = link.refresh_if_expired(later).await.unwrap();
    assert_eq!(
        state,
        &LinkState::Unlinked {
            reason: UnlinkReason::ExpiredWithoutRefreshToken
        }
    );
    assert!(link.access_token().is_none());
}

#[tokio::test]
async fn forged_state_is_refused() {
    let (simulator, emulator) = start().await;
    let account_linking =
        account_linking(&emulator, "/o/oauth2/v2/auth", AccessTokenScheme::HttpBasic);

    let error = simulator
        .link(&account_linking, &StateRewritingBrowser)
        .await
        .expect_err("a callback with another state must not link");

    assert!(matches!(error, Error::StateMismatch), "{error}");
}

#[tokio::test]
async fn access_denied_is_reported() {
    let (simulator, emulator) = start().await;
    let account_linking =
        account_linking(&emulator, "/o/oauth2/v2/auth", AccessTokenScheme::HttpBasic);

    let error = simulator
        .link(&account_linking, &DenyingBrowser)
        .await
        .expect_err("a denied consent must not link");

    let Error::AuthorizationDenied { error, .. } = &error else {
        panic!("expected AuthorizationDenied, got {error}");
    };
    assert_eq!(error, "access_denied");
}

#[tokio::test]
async fn wrong_client_secret_fails_the_code_exchange() {
    let (simulator, emulator) = start().await;
    let mut account_linking = account_linking(
        &emulator,
        "/o/oauth2/v2/auth?access_type=offline&prompt=consent",
        AccessTokenScheme::HttpBasic,
    );
    account_linking.client_secret = ClientSecret::new("not-the-secret".to_owned());

    let error = simulator
        .link(&account_linking, &HttpBrowser::new())
        .await
        .expect_err("Google refuses the exchange");

    let Error::TokenRejected { status, error, .. } = &error else {
        panic!("expected TokenRejected, got {error}");
    };
    assert_eq!((*status, error.as_str()), (401, "invalid_client"));
    assert!(!format!("{error:?}").contains("not-the-secret"));
}

/// Alexa waits 4.5 s for the token URL; a slower answer fails the link (docs/account-linking.md).
/// The twin answers after 5 s, so this test takes that long.
#[tokio::test]
async fn a_token_url_slower_than_alexa_waits_fails_the_link() {
    let (simulator, emulator) = start().await;
    let account_linking = account_linking(
        &emulator,
        "/o/oauth2/v2/auth?access_type=offline&prompt=consent",
        AccessTokenScheme::HttpBasic,
    );
    emulator.inject_fault(
        "/token",
        google::Fault::Delay(Duration::from_secs(5)),
        Some(1),
    );

    let error = simulator
        .link(&account_linking, &HttpBrowser::new())
        .await
        .expect_err("Alexa gives up on the token URL");

    let Error::TokenUrlTooSlow { waited } = &error else {
        panic!("expected TokenUrlTooSlow, got {error}");
    };
    assert_eq!(*waited, devstack::alexa::TOKEN_URL_DEADLINE);
    assert_eq!(
        devstack::alexa::TOKEN_URL_DEADLINE,
        Duration::from_millis(4500)
    );
    assert!(error.to_string().contains("4.5 s"), "{error}");
}

/// An error status from the token URL fails the link, with Google's reason kept for the
/// developer.
#[tokio::test]
async fn a_token_url_error_fails_the_link_with_its_reason() {
    let (simulator, emulator) = start().await;
    let account_linking = account_linking(
        &emulator,
        "/o/oauth2/v2/auth?access_type=offline&prompt=consent",
        AccessTokenScheme::HttpBasic,
    );
    emulator.inject_fault("/token", google::Fault::Unavailable503, Some(1));

    let error = simulator
        .link(&account_linking, &HttpBrowser::new())
        .await
        .expect_err("Alexa cannot link without tokens");

    assert!(
        matches!(
            error,
            Error::TokenRejected { status: 503, .. } | Error::TokenEndpoint { status: 503, .. }
        ),
        "{error}"
    );
}

#[tokio::test]
async fn browser_that_stops_early_is_named_in_the_error() {
    let (simulator, emulator) = start().await;
    // Not a page that redirects anywhere: the plain-HTTP browser stops on it.
    let account_linking = account_linking(
        &emulator,
        "/.well-known/openid-configuration",
        AccessTokenScheme::HttpBasic,
    );

    let error = simulator
        .link(&account_linking, &HttpBrowser::new())
        .await
        .expect_err("nothing calls back");

    let Error::BrowserStopped { last_url } = &error else {
        panic!("expected BrowserStopped, got {error}");
    };
    assert!(
        last_url.contains("/.well-known/openid-configuration"),
        "{last_url}"
    );
}

#[tokio::test]
async fn chromium_follows_the_real_login_page_to_the_redirect_host() {
    let (simulator, emulator) = start().await;
    let authorization_endpoint =
        Url::parse(&format!("{}/o/oauth2/v2/auth", emulator.base_url())).unwrap();
    let page_config = login_page::LoginPageConfig::new(
        authorization_endpoint,
        vec![simulator.origin().clone()],
        Some(login_page::VendorId::new(VENDOR_ID).unwrap()),
        login_page_client(),
    )
    .expect("loopback URLs are allowed for the twin");
    let page_url = serve_login_page(login_page::render(&page_config)).await;
    // The page itself adds access_type=offline&prompt=consent when forwarding.
    let account_linking = AccountLinking {
        authorization_url: page_url,
        ..account_linking(&emulator, "/unused", AccessTokenScheme::HttpBasic)
    };

    let link = simulator
        .link(&account_linking, &ChromiumBrowser::new())
        .await
        .expect("Chromium runs the page's script and reaches the redirect host");

    assert!(
        link.has_refresh_token(),
        "the page asked for offline access"
    );
    assert_eq!(
        userinfo_email(&emulator, &token_of(&link)).await,
        Some(USER.into())
    );
}

#[tokio::test]
async fn chromium_on_a_page_that_refuses_the_redirect_times_out_naming_the_url() {
    let (simulator, emulator) = start().await;
    let simulator = simulator.with_link_timeout(Duration::from_secs(5));
    let authorization_endpoint =
        Url::parse(&format!("{}/o/oauth2/v2/auth", emulator.base_url())).unwrap();
    // The page only accepts the real Alexa hosts, so it shows its inline error and stays put.
    let page_config = login_page::LoginPageConfig::new(
        authorization_endpoint,
        login_page::alexa_redirect_origins(),
        None,
        login_page_client(),
    )
    .unwrap();
    let page_url = serve_login_page(login_page::render(&page_config)).await;
    let account_linking = AccountLinking {
        authorization_url: page_url,
        ..account_linking(&emulator, "/unused", AccessTokenScheme::HttpBasic)
    };

    let error = simulator
        .link(&account_linking, &ChromiumBrowser::new())
        .await
        .expect_err("no callback can arrive");

    let Error::Timeout {
        authorization_url, ..
    } = &error
    else {
        panic!("expected a timeout, got {error}");
    };
    assert!(
        authorization_url.contains("/link/index.html?"),
        "{authorization_url}"
    );
}

#[tokio::test]
async fn linked_token_reaches_the_skill_through_the_lambda_path() {
    let (simulator, emulator) = start().await;
    let account_linking = account_linking(
        &emulator,
        "/o/oauth2/v2/auth?access_type=offline&prompt=consent",
        AccessTokenScheme::HttpBasic,
    );
    let link = simulator
        .link(&account_linking, &HttpBrowser::new())
        .await
        .unwrap();
    let skill_id = "amzn1.ask.skill.12345678-90ab-cdef-1234-567890abcdef";
    let base_url = emulator.base_url();
    let function = LambdaFunction::start(
        crate::lambda::skill_binary(),
        &[("SKILL_ID", skill_id), ("GOOGLE_API_ROOT", &base_url)],
    )
    .unwrap();
    let session_id = requests::new_session_id();
    let token = token_of(&link);
    let context = requests::RequestContext {
        locale: "en-US",
        skill_id,
        user_id: "amzn1.ask.account.DEVSTACK",
        session_id: &session_id,
        access_token: Some(&token),
        new_session: true,
    };

    let linked = function
        .invoke(requests::intent(&context, "WhoAmIIntent", &[]))
        .await
        .unwrap_or_else(|error| panic!("{error}\nlogs:\n{}", function.logs()));
    let unlinked = function
        .invoke(requests::launch(&requests::RequestContext {
            access_token: None,
            ..context
        }))
        .await
        .unwrap();

    let speech = linked["response"]["outputSpeech"].to_string();
    assert!(speech.contains("Ada"), "{linked}");
    assert_eq!(
        unlinked["response"]["card"],
        serde_json::json!({"type": "LinkAccount"}),
        "{unlinked}"
    );
    let logs = function.finish();
    assert!(logs.contains("WhoAmIIntent"), "{logs}");
    assert!(
        !logs.contains(&token),
        "the access token leaked into the logs: {logs}"
    );
}

async fn start() -> (Simulator, Emulator) {
    let simulator = Simulator::start(VENDOR_ID)
        .await
        .expect("the redirect host starts")
        .with_link_timeout(Duration::from_secs(60));
    let mut config = google::Config {
        auto_consent: Some(USER.into()),
        ..google::Config::default()
    };
    config.clients.push(OAuthClient {
        client_id: CLIENT_ID.into(),
        client_secret: google::ClientSecret::new(CLIENT_SECRET.to_string()),
        redirect_uris: vec![simulator.redirect_uri().to_string()],
    });
    let emulator = Emulator::start(config).await.expect("the twin starts");
    (simulator, emulator)
}

/// The client and scopes [`account_linking`] links with, as the login page is configured.
fn login_page_client() -> login_page::OAuthClient {
    login_page::OAuthClient::new(CLIENT_ID, ["openid", "email", "profile"]).unwrap()
}

fn account_linking(
    emulator: &Emulator,
    authorization_path_and_query: &str,
    scheme: AccessTokenScheme,
) -> AccountLinking {
    let base = emulator.base_url();
    AccountLinking {
        authorization_url: Url::parse(&format!("{base}{authorization_path_and_query}")).unwrap(),
        client_id: CLIENT_ID.into(),
        client_secret: ClientSecret::new(CLIENT_SECRET.to_owned()),
        scopes: vec!["openid".into(), "email".into(), "profile".into()],
        access_token_url: Url::parse(&format!("{base}/token")).unwrap(),
        scheme,
        default_token_expiration: Some(Duration::from_secs(3600)),
    }
}

fn token_of(link: &Link) -> String {
    link.access_token()
        .expect("the link is live")
        .secret()
        .to_string()
}

/// The email the twin's userinfo endpoint reports for `token`, or `None` when it refuses it.
async fn userinfo_email(emulator: &Emulator, token: &str) -> Option<String> {
    let response = reqwest::Client::new()
        .get(format!("{}/oauth2/v3/userinfo", emulator.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("the twin answers");
    if !response.status().is_success() {
        return None;
    }
    let body: serde_json::Value = response.json().await.expect("userinfo is JSON");
    body["email"].as_str().map(str::to_string)
}

/// Serves the rendered login page like S3 does and returns its URL.
async fn serve_login_page(page: String) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = Router::new().route(
        "/link/index.html",
        get(move || {
            let page = page.clone();
            async move { ([(header::CONTENT_TYPE, login_page::CONTENT_TYPE)], page) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    Url::parse(&format!("http://{address}/link/index.html")).unwrap()
}

/// A browser whose login page garbles `state`, as a broken or malicious page would.
struct StateRewritingBrowser;

impl Browser for StateRewritingBrowser {
    async fn visit(&self, url: &Url) -> Result<Url, BrowserError> {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if name == "state" {
                    "forged".to_string()
                } else {
                    value.into_owned()
                };
                (name.into_owned(), value)
            })
            .collect();
        let mut forged = url.clone();
        forged.query_pairs_mut().clear().extend_pairs(pairs);
        HttpBrowser::new().visit(&forged).await
    }
}

/// A user who presses "Cancel": the OAuth server redirects back with `error=access_denied`.
struct DenyingBrowser;

impl Browser for DenyingBrowser {
    async fn visit(&self, url: &Url) -> Result<Url, BrowserError> {
        let parameter = |wanted: &str| {
            url.query_pairs()
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| value.into_owned())
                .unwrap_or_default()
        };
        let mut callback = Url::parse(&parameter("redirect_uri")).unwrap();
        callback
            .query_pairs_mut()
            .append_pair("error", "access_denied")
            .append_pair("state", &parameter("state"));
        HttpBrowser::new().visit(&callback).await
    }
}
