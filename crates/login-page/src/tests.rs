//! Unit tests of the configuration checks and of what `render` writes into the template.

use expect_test::expect;
use proptest::prelude::*;
use url::Url;

use super::*;

fn url(text: &str) -> Url {
    Url::parse(text).expect("test URLs are valid")
}

fn vendor_id() -> VendorId {
    VendorId::new("MFERJAF7R6NLZ").expect("a 13-character vendor id is valid")
}

fn client() -> OAuthClient {
    OAuthClient::new(
        "123-abc.apps.googleusercontent.com",
        [
            "openid",
            "email",
            "https://www.googleapis.com/auth/drive.file",
        ],
    )
    .expect("a valid client")
}

/// The text between `after` and the next `</script>` or `"` in the rendered page.
fn slice_after<'page>(page: &'page str, after: &str, until: &str) -> &'page str {
    let start = page.find(after).expect("marker is present") + after.len();
    let length = page[start..].find(until).expect("end marker is present");
    &page[start..start + length]
}

#[test]
fn vendor_ids_of_13_or_14_uppercase_letters_and_digits_are_accepted() {
    for valid in ["MFERJAF7R6NLZ", "M3BVP74N95SP1F"] {
        let vendor_id = VendorId::new(valid).expect("valid vendor id");
        assert_eq!(vendor_id.as_str(), valid);
        assert_eq!(
            valid.parse::<VendorId>().expect("parses").to_string(),
            valid
        );
    }
}

#[test]
fn malformed_vendor_ids_are_refused_with_the_fix() {
    for invalid in [
        "",
        "MFERJAF7R6NL",
        "M3BVP74N95SP1FX",
        "mferjaf7r6nlz",
        "MFERJAF7R6NL-",
        "MFERJAF7R6NLÄ",
        " MFERJAF7R6NLZ",
    ] {
        let error = VendorId::new(invalid).expect_err(invalid);
        assert!(
            matches!(&error, Error::InvalidVendorId { given } if given == invalid),
            "{error:?}"
        );
    }
    expect![[r#"vendor id "mferjaf7r6nlz" is not valid: it must be 13 or 14 uppercase ASCII letters and digits, like MFERJAF7R6NLZ; copy it from the Alexa developer console (Settings, My IDs) or `vendor_id` in ~/.ask/cli_config"#]]
        .assert_eq(&VendorId::new("mferjaf7r6nlz").unwrap_err().to_string());
}

#[test]
fn google_config_uses_googles_endpoint_and_the_three_alexa_origins() {
    let config = LoginPageConfig::google(Some(vendor_id()), client());
    assert_eq!(
        config.authorization_endpoint().as_str(),
        "https://accounts.google.com/o/oauth2/v2/auth"
    );
    let origins: Vec<String> = config
        .allowed_redirect_origins()
        .iter()
        .map(|origin| origin.origin().ascii_serialization())
        .collect();
    assert_eq!(origins, ALEXA_REDIRECT_ORIGINS);
    assert_eq!(config.vendor_id(), Some(&vendor_id()));
}

#[test]
fn loopback_http_is_allowed_for_the_offline_twin() {
    for endpoint in [
        "http://127.0.0.1:8080/o/oauth2/v2/auth",
        "http://localhost:8080/o/oauth2/v2/auth?hd=example.com",
    ] {
        LoginPageConfig::new(
            url(endpoint),
            vec![
                url("http://127.0.0.1:9000"),
                url("https://pitangui.amazon.com"),
            ],
            None,
            client(),
        )
        .expect(endpoint);
    }
}

#[test]
fn bad_authorization_endpoints_are_refused_with_the_fix() {
    let check = |endpoint: &str| {
        LoginPageConfig::new(url(endpoint), alexa_redirect_origins(), None, client())
            .expect_err(endpoint)
            .to_string()
    };
    expect!["authorization endpoint http://accounts.google.com/o/oauth2/v2/auth must use https; plain http is allowed only for 127.0.0.1 or localhost (the offline twin)"]
        .assert_eq(&check("http://accounts.google.com/o/oauth2/v2/auth"));
    expect!["authorization endpoint http://10.0.0.1/auth must use https; plain http is allowed only for 127.0.0.1 or localhost (the offline twin)"]
        .assert_eq(&check("http://10.0.0.1/auth"));
    expect!["authorization endpoint https://user@accounts.google.com/o/oauth2/v2/auth must not contain user information or a fragment; use a plain URL like https://accounts.google.com/o/oauth2/v2/auth"]
        .assert_eq(&check("https://user@accounts.google.com/o/oauth2/v2/auth"));
    expect!["authorization endpoint https://accounts.google.com/o/oauth2/v2/auth#x must not contain user information or a fragment; use a plain URL like https://accounts.google.com/o/oauth2/v2/auth"]
        .assert_eq(&check("https://accounts.google.com/o/oauth2/v2/auth#x"));
    expect!["authorization endpoint https://accounts.google.com/o/oauth2/auth?access_type=offline must not carry the `access_type` parameter: the page forwards Alexa's parameters and adds access_type=offline&prompt=consent itself; remove it from the endpoint's query"]
        .assert_eq(&check("https://accounts.google.com/o/oauth2/auth?access_type=offline"));
    expect!["authorization endpoint https://accounts.google.com/o/oauth2/auth?hd=x&state=y must not carry the `state` parameter: the page forwards Alexa's parameters and adds access_type=offline&prompt=consent itself; remove it from the endpoint's query"]
        .assert_eq(&check("https://accounts.google.com/o/oauth2/auth?hd=x&state=y"));
    expect!["authorization endpoint ftp://accounts.google.com/auth must use https; plain http is allowed only for 127.0.0.1 or localhost (the offline twin)"]
        .assert_eq(&check("ftp://accounts.google.com/auth"));
}

#[test]
fn bad_redirect_origins_are_refused_with_the_fix() {
    let check = |origins: Vec<Url>| {
        LoginPageConfig::new(url(GOOGLE_AUTHORIZATION_ENDPOINT), origins, None, client())
            .expect_err("origins are refused")
            .to_string()
    };
    expect![[r#"the list of allowed redirect origins is empty; use the Alexa origins ["https://pitangui.amazon.com", "https://layla.amazon.com", "https://alexa.amazon.co.jp"]"#]]
        .assert_eq(&check(vec![]));
    expect!["allowed redirect origin http://pitangui.amazon.com/ must use https; plain http is allowed only for 127.0.0.1 or localhost (the offline twin)"]
        .assert_eq(&check(vec![url("http://pitangui.amazon.com")]));
    expect!["allowed redirect origin https://pitangui.amazon.com/api/skill/link/ must be an origin only (scheme, host and port, no user information, path, query or fragment), like https://pitangui.amazon.com"]
        .assert_eq(&check(vec![url("https://pitangui.amazon.com/api/skill/link/")]));
    expect!["allowed redirect origin https://user@pitangui.amazon.com/ must be an origin only (scheme, host and port, no user information, path, query or fragment), like https://pitangui.amazon.com"]
        .assert_eq(&check(vec![url("https://user@pitangui.amazon.com")]));
    expect!["allowed redirect origin https://pitangui.amazon.com/?x=1 must be an origin only (scheme, host and port, no user information, path, query or fragment), like https://pitangui.amazon.com"]
        .assert_eq(&check(vec![url("https://pitangui.amazon.com/?x=1")]));
}

#[test]
fn bad_clients_are_refused_with_the_fix() {
    let check = |client_id: &str, scopes: &[&str]| {
        OAuthClient::new(client_id, scopes.iter().copied())
            .expect_err("the client is refused")
            .to_string()
    };
    expect![[r#"client id "" is not valid: it must be non-empty, without spaces or control characters; copy the Google OAuth client ID (like 123-abc.apps.googleusercontent.com) from the Google Cloud console, APIs & Services, Credentials"#]]
        .assert_eq(&check("", &["openid"]));
    expect![[r#"client id "123-abc.apps.googleusercontent.com " is not valid: it must be non-empty, without spaces or control characters; copy the Google OAuth client ID (like 123-abc.apps.googleusercontent.com) from the Google Cloud console, APIs & Services, Credentials"#]]
        .assert_eq(&check("123-abc.apps.googleusercontent.com ", &["openid"]));
    expect![[r#"the list of configured scopes is empty; list the scopes the skill's account linking requests, like ["openid", "email"]"#]]
        .assert_eq(&check("c", &[]));
    expect![[r#"scope "openid email" is not valid: each scope must be non-empty, without spaces, commas or control characters; list each scope separately, like ["openid", "email"]"#]]
        .assert_eq(&check("c", &["openid email"]));
    expect![[r#"scope "openid,email" is not valid: each scope must be non-empty, without spaces, commas or control characters; list each scope separately, like ["openid", "email"]"#]]
        .assert_eq(&check("c", &["openid", "openid,email"]));
    expect![[r#"scope "" is not valid: each scope must be non-empty, without spaces, commas or control characters; list each scope separately, like ["openid", "email"]"#]]
        .assert_eq(&check("c", &["openid", ""]));
    let client = client();
    assert_eq!(client.client_id(), "123-abc.apps.googleusercontent.com");
    assert_eq!(client.scopes().len(), 3);
}

#[test]
fn rendered_configuration_is_json_the_script_reads() {
    let page = render(&LoginPageConfig::google(Some(vendor_id()), client()));
    let config_json = slice_after(
        &page,
        r#"<script type="application/json" id="login-config">"#,
        "</script>",
    );
    expect![[r#"{"allowedRedirectOrigins":["https://pitangui.amazon.com","https://layla.amazon.com","https://alexa.amazon.co.jp"],"authorizationEndpoint":"https://accounts.google.com/o/oauth2/v2/auth","clientId":"123-abc.apps.googleusercontent.com","scopes":["openid","email","https://www.googleapis.com/auth/drive.file"],"vendorId":"MFERJAF7R6NLZ"}"#]]
        .assert_eq(config_json);

    let without_vendor = render(&LoginPageConfig::google(None, client()));
    assert!(without_vendor.contains(r#""vendorId":null"#));
    assert!(!page.contains("{{"), "every placeholder is filled");
}

#[test]
fn script_breaking_characters_in_json_are_escaped_and_still_mean_the_same() {
    let hostile = "</script><script>window.__xss=1</script><!-- & \u{2028}\u{2029}";
    let json = serde_json::Value::String(hostile.to_owned()).to_string();
    let escaped = escape_json_for_script_element(&json);
    expect![[r#""\u003c/script\u003e\u003cscript\u003ewindow.__xss=1\u003c/script\u003e\u003c!-- \u0026 \u2028\u2029""#]]
        .assert_eq(&escaped);
    for forbidden in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
        assert!(
            !escaped.contains(forbidden),
            "{forbidden:?} left in {escaped}"
        );
    }
    let read_back: String = serde_json::from_str(&escaped).expect("escaped JSON parses");
    assert_eq!(read_back, hostile);
}

#[test]
fn a_hostile_endpoint_stays_inside_the_config_block() {
    // The url crate percent-encodes `<`, `>` and `"` in queries; `&` and `'` stay raw, so the
    // escaping in `render` is what keeps them inert.
    let endpoint = url("http://127.0.0.1:1/auth?x=</script><script>window.__xss=1</script>&y='");
    let config = LoginPageConfig::new(endpoint.clone(), alexa_redirect_origins(), None, client())
        .expect("a loopback endpoint is allowed");
    let page = render(&config);
    assert_eq!(
        page.matches("</script>").count(),
        2,
        "only the two real scripts close"
    );
    assert_eq!(
        page.matches("<script").count(),
        2,
        "no script element is added"
    );
    let config_json = slice_after(
        &page,
        r#"<script type="application/json" id="login-config">"#,
        "</script>",
    );
    assert!(!config_json.contains('&'), "{config_json}");
    let read_back: serde_json::Value = serde_json::from_str(config_json).expect("config parses");
    assert_eq!(read_back["authorizationEndpoint"], endpoint.as_str());
}

#[test]
fn content_security_policy_allows_exactly_the_inline_script_and_style() {
    let page = render(&LoginPageConfig::google(None, client()));
    let policy = slice_after(
        &page,
        r#"<meta http-equiv="Content-Security-Policy" content=""#,
        "\"",
    );
    // Hash what the browser hashes: the rendered page's inline script and style text.
    let script = slice_after(&page, "<script>", "</script>");
    let style = slice_after(&page, "<style>", "</style>");
    let script_source = format!("'sha256-{}'", BASE64.encode(Sha256::digest(script)));
    let style_source = format!("'sha256-{}'", BASE64.encode(Sha256::digest(style)));
    assert!(
        script.contains("location.replace"),
        "the hashed script is the forwarding one"
    );
    assert_eq!(
        policy,
        format!(
            "default-src 'none'; script-src {script_source}; style-src {style_source}; \
             base-uri 'none'; form-action 'none'; require-trusted-types-for 'script'; \
             trusted-types 'none'"
        )
    );
}

#[test]
fn the_page_never_writes_html_or_opens_dialogs() {
    let page = render(&LoginPageConfig::google(None, client()));
    for forbidden in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "alert(",
        "confirm(",
        "prompt(",
        "window.open",
        "eval(",
    ] {
        assert!(!page.contains(forbidden), "the page contains {forbidden}");
    }
    assert!(page.contains(r#"<meta name="referrer" content="no-referrer">"#));
    assert!(
        page.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#)
    );
}

/// Strings that lean on the characters the escaping handles, mixed with any other character.
fn script_hostile_text() -> impl Strategy<Value = String> {
    let character = prop_oneof![
        3 => prop::sample::select(vec![
            '<', '>', '&', '/', '!', '-', '"', '\\', '\u{2028}', '\u{2029}', '\u{0}', 's', 'S',
        ]),
        1 => any::<char>(),
    ];
    prop::collection::vec(character, 0..40).prop_map(|characters| characters.into_iter().collect())
}

/// Any JSON value, with hostile strings as keys and values.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        script_hostile_text().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(script_hostile_text(), inner, 0..4)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever the configuration holds, the escaped JSON cannot end or open anything inside the
    /// script element and parses back to the same value.
    #[test]
    fn escaped_json_round_trips_and_never_emits_markup_characters(value in json_value()) {
        let escaped = escape_json_for_script_element(&value.to_string());
        for forbidden in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            prop_assert!(!escaped.contains(forbidden), "{:?} left in {}", forbidden, escaped);
        }
        let read_back: serde_json::Value =
            serde_json::from_str(&escaped).expect("escaped JSON parses");
        prop_assert_eq!(read_back, value);
    }
}
