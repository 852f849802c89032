//! Bad requests are refused on the page, with the reason, and nothing reaches the endpoint.

use expect_test::{Expect, expect};

use crate::stand_in::{PageSetup, StandIn, shown_problems};
use crate::webdriver::{Browser, BrowserOptions};

const VALID_REDIRECT_URI: &str = "https://pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ";

/// An Alexa query whose `response_type`, `state` and `redirect_uri` values are given raw.
fn query(response_type: &str, state: &str, redirect_uri: &str) -> String {
    format!(
        "client_id=123-abc.apps.googleusercontent.com&response_type={response_type}\
         &scope=openid%20email&state={state}&redirect_uri={redirect_uri}"
    )
}

/// Opens the page with `incoming_query` and checks it lists `expected_problems`, stays on the
/// page, opened no dialog and sent nothing to the endpoint.
async fn check(
    browser: &Browser,
    stand_in: &StandIn,
    incoming_query: &str,
    expected_problems: Expect,
) {
    let page_url = stand_in.page_url(incoming_query);
    browser.navigate(&page_url).await;
    expected_problems.assert_eq(&shown_problems(browser).await);
    assert!(!browser.alert_is_open().await, "no dialog was opened");
    let current_url = browser.current_url().await;
    assert!(
        current_url.starts_with(&page_url[..page_url.find('?').expect("has a query")]),
        "still on the login page, not at {current_url}"
    );
    // The page has finished running (the error list is filled in after every check), so a
    // forward, had there been one, would already have been started.
    assert_eq!(
        stand_in.take_received(),
        Vec::<String>::new(),
        "nothing forwarded"
    );
    let forwarding = browser
        .find("#forwarding")
        .await
        .expect("the forwarding note exists");
    assert!(!browser.is_displayed(&forwarding).await);
}

#[tokio::test]
async fn bad_requests_are_refused_on_the_page() {
    let browser = Browser::start(BrowserOptions::default()).await;
    let stand_in = StandIn::start(PageSetup::default()).await;

    check(
        &browser,
        &stand_in,
        "",
        expect![[r#"
        The client_id parameter is missing.
        The response_type parameter is missing.
        The scope parameter is missing.
        The state parameter is missing.
        The redirect_uri parameter is missing."#]],
    )
    .await;
    check(
        &browser,
        &stand_in,
        "client_id=123-abc.apps.googleusercontent.com&response_type=code&scope=email&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
        expect!["The state parameter is missing."],
    )
    .await;
    check(
        &browser,
        &stand_in,
        &query("code", "", VALID_REDIRECT_URI),
        expect!["The state parameter is missing."],
    )
    .await;
    check(
        &browser,
        &stand_in,
        &query("token", "s", VALID_REDIRECT_URI),
        expect!["response_type must be “code” (Auth Code Grant), not “token”."],
    )
    .await;
    check(
        &browser,
        &stand_in,
        &format!("{}&state=other", query("code", "s", VALID_REDIRECT_URI)),
        expect!["The parameter “state” appears more than once."],
    )
    .await;
    check(
        &browser,
        &stand_in,
        &query("code", "%E0%A4%A", VALID_REDIRECT_URI),
        expect![[r#"
        The parameter “state” is not valid URL encoding.
        The state parameter is missing."#]],
    )
    .await;
}

#[tokio::test]
async fn requests_for_another_client_or_other_scopes_are_refused() {
    let browser = Browser::start(BrowserOptions::default()).await;
    let stand_in = StandIn::start(PageSetup::default()).await;
    let check_client = async |client_id: &str, scope: &str, expected: Expect| {
        let incoming = format!(
            "client_id={client_id}&response_type=code&scope={scope}&state=s\
             &redirect_uri={VALID_REDIRECT_URI}"
        );
        check(&browser, &stand_in, &incoming, expected).await;
    };
    let configured_client = "123-abc.apps.googleusercontent.com";

    check_client(
        "999-evil.apps.googleusercontent.com",
        "openid%20email",
        expect!["client_id “999-evil.apps.googleusercontent.com” is not the Google client this page was published for (“123-abc.apps.googleusercontent.com”)."],
    )
    .await;
    // Equal only after trimming or case folding is not equal.
    check_client(
        "123-abc.apps.googleusercontent.com%20",
        "openid",
        expect!["client_id “123-abc.apps.googleusercontent.com ” is not the Google client this page was published for (“123-abc.apps.googleusercontent.com”)."],
    )
    .await;
    check_client(
        "123-ABC.apps.googleusercontent.com",
        "openid",
        expect!["client_id “123-ABC.apps.googleusercontent.com” is not the Google client this page was published for (“123-abc.apps.googleusercontent.com”)."],
    )
    .await;
    check_client(
        configured_client,
        "openid%20email%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly",
        expect!["scope asks for “https://www.googleapis.com/auth/gmail.readonly”, which this skill is not configured with."],
    )
    .await;
    // A scope that merely starts with a configured one, or hides behind a comma or a "+".
    check_client(
        configured_client,
        "emails,openid+https://mail.google.com/",
        expect!["scope asks for “emails”, “https://mail.google.com/”, which this skill is not configured with."],
    )
    .await;
    check_client(
        configured_client,
        "a%20b%20c%20a%20d%20e%20openid",
        expect![
            "scope asks for “a”, “b”, “c” and 2 more, which this skill is not configured with."
        ],
    )
    .await;
    check_client(
        "999-evil.apps.googleusercontent.com",
        "https://www.googleapis.com/auth/drive",
        expect![[r#"
            client_id “999-evil.apps.googleusercontent.com” is not the Google client this page was published for (“123-abc.apps.googleusercontent.com”).
            scope asks for “https://www.googleapis.com/auth/drive”, which this skill is not configured with."#]],
    )
    .await;
}

/// The longest line the page shows: its limit of 400 characters plus the ellipsis.
const MAX_SHOWN_LINE: usize = 401;
/// The page lists at most eight problems and a line saying how many more there are.
const MAX_SHOWN_LINES: usize = 9;

#[tokio::test]
async fn every_message_is_bounded_however_long_the_query() {
    let browser = Browser::start(BrowserOptions::default()).await;
    let stand_in = StandIn::start(PageSetup::default()).await;
    let valid = format!(
        "client_id=123-abc.apps.googleusercontent.com&response_type=code&scope=openid\
         &state=s&redirect_uri={VALID_REDIRECT_URI}"
    );
    let assert_bounded = |shown: &str| {
        let lines: Vec<&str> = shown.lines().collect();
        assert!(
            lines.len() <= MAX_SHOWN_LINES,
            "{} lines shown",
            lines.len()
        );
        for line in lines {
            let length = line.chars().count();
            assert!(
                length <= MAX_SHOWN_LINE,
                "a line of {length} characters is shown"
            );
        }
    };

    // A parameter name is quoted and cut like any other value.
    let long_name = "n".repeat(3000);
    let incoming = format!("{valid}&{long_name}=1&{long_name}=2");
    browser.navigate(&stand_in.page_url(&incoming)).await;
    let shown = shown_problems(&browser).await;
    assert_bounded(&shown);
    assert_eq!(
        shown,
        format!(
            "The parameter “{}…” appears more than once.",
            "n".repeat(120)
        ),
        "the name is quoted, cut to 120 characters"
    );
    assert_eq!(
        stand_in.take_received(),
        Vec::<String>::new(),
        "nothing forwarded"
    );

    // Every kind of message at once, each with long values, and more of them than are listed.
    let long = "v".repeat(500);
    let mut incoming = format!(
        "client_id={long}&response_type={long}&state=s&redirect_uri=https://{long}.example/\
         &scope={}",
        (0..6)
            .map(|index| format!("{index}{long}"))
            .collect::<Vec<_>>()
            .join("%20")
    );
    for index in 0..20 {
        incoming.push_str(&format!(
            "&{index}{long}%ZZ=1&dup{index}{long}=1&dup{index}{long}=2"
        ));
    }
    browser.navigate(&stand_in.page_url(&incoming)).await;
    let shown = shown_problems(&browser).await;
    assert_bounded(&shown);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), MAX_SHOWN_LINES, "{shown}");
    // 20 encoding problems, 20 duplicates, and the response_type, client_id, scope and
    // redirect_uri problems.
    assert_eq!(lines[MAX_SHOWN_LINES - 1], "… and 36 more problems.");
    assert_eq!(
        stand_in.take_received(),
        Vec::<String>::new(),
        "nothing forwarded"
    );
}

#[tokio::test]
async fn redirect_uris_other_than_alexas_are_refused() {
    let browser = Browser::start(BrowserOptions::default()).await;
    let stand_in = StandIn::start(PageSetup::default()).await;
    let check_redirect = async |redirect_uri: &str, expected: Expect| {
        check(
            &browser,
            &stand_in,
            &query("code", "s", redirect_uri),
            expected,
        )
        .await;
    };

    check_redirect(
        "https%3A%2F%2Fevil.example%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
        expect!["redirect_uri “https://evil.example/api/skill/link/MFERJAF7R6NLZ” is not an Alexa redirect URL; its origin must be one of https://pitangui.amazon.com, https://layla.amazon.com, https://alexa.amazon.co.jp."],
    )
    .await;
    check_redirect(
        "http%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
        expect![
            "redirect_uri “http://pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ” must use https."
        ],
    )
    .await;
    check_redirect(
        "https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM3BVP74N95SP1F",
        expect!["redirect_uri “https://pitangui.amazon.com/api/skill/link/M3BVP74N95SP1F” must have the path /api/skill/link/MFERJAF7R6NLZ, like https://pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ."],
    )
    .await;
    check_redirect(
        "https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ%2Fmore",
        expect!["redirect_uri “https://pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ/more” must have the path /api/skill/link/MFERJAF7R6NLZ, like https://pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ."],
    )
    .await;
    check_redirect(
        "https%3A%2F%2Fpitangui.amazon.com.evil.example%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
        expect!["redirect_uri “https://pitangui.amazon.com.evil.example/api/skill/link/MFERJAF7R6NLZ” is not an Alexa redirect URL; its origin must be one of https://pitangui.amazon.com, https://layla.amazon.com, https://alexa.amazon.co.jp."],
    )
    .await;
    check_redirect(
        "https%3A%2F%2Fuser%40pitangui.amazon.com%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
        expect!["redirect_uri “https://user@pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ” must not contain user information (“@”)."],
    )
    .await;
    check_redirect(
        "https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ%23fragment",
        expect!["redirect_uri “https://pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ#fragment” must not contain a fragment (“#”)."],
    )
    .await;
    check_redirect(
        "https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ%3Fnext%3Dhttps%3A%2F%2Fevil.example",
        expect!["redirect_uri “https://pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ?next=https://evil.example” must not contain a query (“?”)."],
    )
    .await;
    // Forms the URL parser would quietly repair are refused, since Google compares exactly.
    check_redirect(
        "https%3A%2F%2FPITANGUI.amazon.com%3A443%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
        expect!["redirect_uri “https://PITANGUI.amazon.com:443/api/skill/link/MFERJAF7R6NLZ” must be written in plain form, like https://pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ."],
    )
    .await;
    check_redirect(
        "https%3A%5C%5Cpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
        expect![[r#"redirect_uri “https:\\pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ” must be written in plain form, like https://pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ."#]],
    )
    .await;
    check_redirect(
        "javascript%3Aalert(1)",
        expect!["redirect_uri “javascript:alert(1)” must use https."],
    )
    .await;
    check_redirect(
        "%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
        expect!["redirect_uri “/api/skill/link/MFERJAF7R6NLZ” is not an absolute URL."],
    )
    .await;
}

#[tokio::test]
async fn values_shown_in_errors_are_text_not_markup() {
    let browser = Browser::start(BrowserOptions::default()).await;
    let stand_in = StandIn::start(PageSetup::default()).await;
    let image = "<img src=x onerror=window.__xss=1>";
    let script = "\"><script>window.__xss=1</script>";
    // The browser percent-encodes `<`, `>`, `"` and spaces when it loads the URL; the page decodes
    // them and must show them as text.
    let incoming = format!(
        "{}&{script}%ZZ=1",
        query(
            image,
            image,
            &format!("https://pitangui.amazon.com/{script}")
        )
    );
    check(&browser, &stand_in, &incoming, expect![[r#"
        The parameter “%22%3E%3Cscript%3Ewindow.__xss” is not valid URL encoding.
        response_type must be “code” (Auth Code Grant), not “<img src=x onerror=window.__xss=1>”.
        redirect_uri “https://pitangui.amazon.com/"><script>window.__xss=1</script>” must be written in plain form, like https://pitangui.amazon.com/api/skill/link/MFERJAF7R6NLZ."#]])
    .await;
    let created = browser
        .execute(
            "return { xss: typeof window.__xss, images: document.querySelectorAll('img').length, \
             scripts: document.scripts.length, items: document.querySelectorAll('#error-list li').length };",
        )
        .await;
    assert_eq!(
        created,
        serde_json::json!({ "xss": "undefined", "images": 0, "scripts": 2, "items": 3 })
    );
}

#[tokio::test]
async fn the_page_source_calls_no_dialog() {
    let browser = Browser::start(BrowserOptions::default()).await;
    let stand_in = StandIn::start(PageSetup::default()).await;
    browser.navigate(&stand_in.page_url("")).await;
    shown_problems(&browser).await;
    let source = browser.page_source().await;
    assert!(
        source.contains("location.replace("),
        "the forwarding script is in the source"
    );
    for dialog in [
        "alert(",
        "confirm(",
        "prompt(",
        "window.open",
        "showModalDialog",
        "<dialog",
    ] {
        assert!(
            !source.contains(dialog),
            "the page source contains {dialog}"
        );
    }
    assert!(!browser.alert_is_open().await);
}

/// A phone-sized screenshot of the error state for a human to look at, and a check that the page
/// needs no sideways scrolling on a phone.
#[tokio::test]
async fn the_error_state_fits_a_phone_screen() {
    let browser = Browser::start(BrowserOptions {
        phone_viewport: Some((390, 844)),
        ..BrowserOptions::default()
    })
    .await;
    let stand_in = StandIn::start(PageSetup::default()).await;
    let incoming = query(
        "code",
        "s",
        "https%3A%2F%2Fpitangui.amazon.com.evil.example%2Fapi%2Fskill%2Flink%2FMFERJAF7R6NLZ",
    );
    browser.navigate(&stand_in.page_url(&incoming)).await;
    shown_problems(&browser).await;
    let layout = browser
        .execute(
            "return { viewport: window.innerWidth, content: document.documentElement.scrollWidth };",
        )
        .await;
    assert_eq!(
        layout["viewport"], 390,
        "the phone viewport is emulated: {layout}"
    );
    assert!(
        layout["content"].as_u64() <= layout["viewport"].as_u64(),
        "the page scrolls sideways on a phone: {layout}"
    );
    let screenshot = browser.screenshot_png().await;
    assert!(
        screenshot.starts_with(b"\x89PNG"),
        "the screenshot is a PNG"
    );
    let path =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("login-page-error-390x844.png");
    std::fs::write(&path, screenshot).expect("write the screenshot");
    eprintln!("screenshot of the error state: {}", path.display());
}
