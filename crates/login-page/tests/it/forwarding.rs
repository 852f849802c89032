//! The page forwards every Alexa parameter byte for byte and adds access_type and prompt.

use crate::stand_in::{ENDPOINT_PATH, PageSetup, StandIn};
use crate::webdriver::{Browser, BrowserOptions};

const CLIENT_ID: &str = "client_id=123-abc.apps.googleusercontent.com";
const SCOPE: &str = "scope=openid%20email%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fdrive.file";
const NORTH_AMERICA: &str =
    "redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ";

/// The query the Alexa app sends, with the given `state` pair (raw).
fn alexa_query(state: &str) -> String {
    format!("{CLIENT_ID}&response_type=code&{SCOPE}&{state}&{NORTH_AMERICA}")
}

/// Opens the page with `incoming_query` and checks the stand-in endpoint receives exactly
/// `expected_query`, and that the browser ended up there without any dialog.
async fn check(browser: &Browser, stand_in: &StandIn, incoming_query: &str, expected_query: &str) {
    browser.navigate(&stand_in.page_url(incoming_query)).await;
    let received = stand_in.wait_for_requests().await;
    assert_eq!(received, [expected_query], "forwarding {incoming_query}");
    let current_url = browser.current_url().await;
    assert_eq!(
        current_url,
        format!("{}{expected_query}", stand_in.endpoint_url_prefix()),
        "the browser is at the authorization endpoint"
    );
    assert!(!browser.alert_is_open().await, "no dialog was opened");
}

#[tokio::test]
async fn every_alexa_parameter_reaches_the_endpoint_unchanged() {
    let browser = Browser::start(BrowserOptions::default()).await;
    let stand_in = StandIn::start(PageSetup::default()).await;

    // Plain Alexa request.
    let query = alexa_query("state=A2SAAEAEdOe7uN2kdJ1q6pVB0lVvxEh3s0E");
    check(
        &browser,
        &stand_in,
        &query,
        &format!("{query}&access_type=offline&prompt=consent"),
    )
    .await;

    // `state` is opaque: "+", "%2B", "%20", an encoded "&" and "=", a literal "/" and unicode must
    // all arrive exactly as sent, without being decoded or re-encoded.
    for state in [
        "state=a+b%2Bc%20d%26e%3Df/g~h",
        "state=%E2%9C%93%F0%9F%94%91%C3%A4",
        "state=eyJhbGciOiJIUzI1NiJ9.eyJzIjoxfQ%3D%3D",
        "state=%2F%3F%23%25",
    ] {
        let query = alexa_query(state);
        let expected = format!("{query}&access_type=offline&prompt=consent");
        check(&browser, &stand_in, &query, &expected).await;
    }

    // Raw characters the browser may percent-encode itself when it loads the page (quote, space,
    // unicode, `|`, `{`, `^`): whatever bytes the page was requested with are the bytes Google
    // gets.
    stand_in.take_page_queries();
    let query = alexa_query("state=a'b c|d{e}^f!*(g)\u{2713}");
    browser.navigate(&stand_in.page_url(&query)).await;
    let received = stand_in.wait_for_requests().await;
    let page_queries = stand_in.take_page_queries();
    assert_eq!(
        page_queries.len(),
        1,
        "the page was loaded once: {page_queries:?}"
    );
    assert!(
        page_queries[0].contains("%E2%9C%93"),
        "the browser encoded the raw unicode"
    );
    assert_eq!(
        received,
        [format!(
            "{}&access_type=offline&prompt=consent",
            page_queries[0]
        )]
    );

    // Fewer scopes than configured, joined with "+" or "," instead of "%20", or named twice, are
    // forwarded as they came.
    for scope in [
        "openid+email",
        "email",
        "openid,email",
        "email%20email%20openid",
    ] {
        let query = format!("{CLIENT_ID}&response_type=code&scope={scope}&state=s&{NORTH_AMERICA}");
        check(
            &browser,
            &stand_in,
            &query,
            &format!("{query}&access_type=offline&prompt=consent"),
        )
        .await;
    }

    // PKCE parameters and an unknown extra parameter are forwarded too, in order.
    let query = format!(
        "{}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256\
         &login_hint=user%40example.com",
        alexa_query("state=pkce")
    );
    check(
        &browser,
        &stand_in,
        &query,
        &format!("{query}&access_type=offline&prompt=consent"),
    )
    .await;

    // Europe and the Far East.
    for redirect_uri in [
        "redirect_uri=https%3A%2F%2Flayla.amazon.com%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
        "redirect_uri=https://alexa.amazon.co.jp/api/skill/link/MFERJAF7R6NLZ",
    ] {
        let query = format!("state=s&{CLIENT_ID}&response_type=code&{SCOPE}&{redirect_uri}");
        check(
            &browser,
            &stand_in,
            &query,
            &format!("{query}&access_type=offline&prompt=consent"),
        )
        .await;
    }

    // Whatever the caller says about access_type and prompt is replaced by ours.
    let query = format!(
        "access_type=online&{}&prompt=none&prompt=select_account",
        alexa_query("state=s")
    );
    check(
        &browser,
        &stand_in,
        &query,
        &format!(
            "{}&access_type=offline&prompt=consent",
            alexa_query("state=s")
        ),
    )
    .await;
}

#[tokio::test]
async fn endpoint_query_vendor_wildcard_and_local_origins() {
    let browser = Browser::start(BrowserOptions::default()).await;

    // An endpoint URL with its own query keeps it, ahead of Alexa's parameters.
    let stand_in = StandIn::start(PageSetup {
        endpoint_query: "?hd=example.com&include_granted_scopes=true",
        ..PageSetup::default()
    })
    .await;
    let query = alexa_query("state=s%20t");
    check(
        &browser,
        &stand_in,
        &query,
        &format!(
            "hd=example.com&include_granted_scopes=true&{query}&access_type=offline&prompt=consent"
        ),
    )
    .await;
    // On a name clash the configured value wins, so Google never sees the parameter twice.
    check(
        &browser,
        &stand_in,
        &format!("hd=attacker.example&{query}"),
        &format!(
            "hd=example.com&include_granted_scopes=true&{query}&access_type=offline&prompt=consent"
        ),
    )
    .await;
    assert!(stand_in.endpoint_url_prefix().contains(ENDPOINT_PATH));

    // Without a configured vendor ID any vendor's link path is accepted; a loopback origin is
    // accepted over http when the page was rendered with it.
    let stand_in = StandIn::start(PageSetup {
        vendor_id: None,
        extra_redirect_origins: &["http://127.0.0.1:9"],
        ..PageSetup::default()
    })
    .await;
    for redirect_uri in [
        "redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM3BVP74N95SP1F",
        "redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
    ] {
        let query = format!("{CLIENT_ID}&response_type=code&{SCOPE}&state=s&{redirect_uri}");
        check(
            &browser,
            &stand_in,
            &query,
            &format!("{query}&access_type=offline&prompt=consent"),
        )
        .await;
    }
}
