//! The certificate-URL vectors U1–U30.

use alexa_signature::{CertificateChainUrl, CertificateUrlError, MAX_CERTIFICATE_URL_BYTES};

/// `Ok(normalized)` or the rule that must reject it.
fn check(vector: &str, url: &str, expected: Result<&str, CertificateUrlError>) {
    let found = CertificateChainUrl::parse(url);
    let found = found
        .as_ref()
        .map(CertificateChainUrl::as_str)
        .map_err(|e| *e);
    assert_eq!(found, expected, "{vector}: {url:?}");
}

const CERT: &str = "https://s3.amazonaws.com/echo.api/cert";

#[test]
fn accepted_urls_and_their_normalized_form() {
    for (vector, url, normalized) in [
        (
            "U1",
            "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
            "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
        ),
        ("U2", "https://s3.amazonaws.com:443/echo.api/cert", CERT),
        (
            "U3",
            "https://s3.amazonaws.com/echo.api/../echo.api/cert",
            CERT,
        ),
        ("U4", "HTTPS://s3.amazonaws.com/echo.api/cert", CERT),
        ("U5", "https://S3.AMAZONAWS.COM/echo.api/cert", CERT),
        ("U6", "https://s3.amazonaws.com:/echo.api/cert", CERT),
        ("U7", "https://s3.amazonaws.com:0443/echo.api/cert", CERT),
        ("U8", "https://s3.amazonaws.com/echo.api/./cert", CERT),
        (
            "U9",
            "https://s3.amazonaws.com/echo.api//cert",
            "https://s3.amazonaws.com/echo.api//cert",
        ),
        (
            "U29",
            "https://s3.amazonaws.com/echo.api/../../echo.api/cert",
            CERT,
        ),
    ] {
        check(vector, url, Ok(normalized));
    }
}

#[test]
fn rejected_urls_name_the_rule_they_break() {
    use CertificateUrlError::*;
    for (vector, url, rule) in [
        ("U10", "http://s3.amazonaws.com/echo.api/cert", Scheme),
        ("U11", "https://very.bad/echo.api/cert", Host),
        ("U12", "https://s3.amazonaws.com:563/echo.api/cert", Port),
        ("U13", "https://s3.amazonaws.com/cert", Path),
        ("U14", "https://s3.amazonaws.com/echo.api/../cert", Path),
        ("U15", "https://s3.amazonaws.com/ECHO.API/cert", Path),
        ("U16", "https://s3.amazonaws.com/echo.api", Path),
        ("U17", "https://s3.amazonaws.com//echo.api/cert", Path),
        (
            "U18",
            "https://s3.amazonaws.com/echo.api/%2e%2e/cert",
            ForbiddenCharacter,
        ),
        (
            "U19",
            "https://s3.amazonaws.com/%65cho.api/cert",
            ForbiddenCharacter,
        ),
        (
            "U20",
            "https://evil.example@s3.amazonaws.com/echo.api/cert",
            Userinfo,
        ),
        (
            "U21",
            "https://s3.amazonaws.com@evil.example/echo.api/cert",
            Userinfo,
        ),
        ("U22", "https://s3.amazonaws.com./echo.api/cert", Host),
        (
            "U23",
            "https://s3.amazonaws.com/echo.api/cert?x=1",
            QueryOrFragment,
        ),
        (
            "U24",
            "https://s3.amazonaws.com/echo.api/cert#frag",
            QueryOrFragment,
        ),
        (
            "U23 (empty query)",
            "https://s3.amazonaws.com/echo.api/cert?",
            QueryOrFragment,
        ),
        (
            "U25",
            "https://s3.amazonaws.com\\echo.api\\cert",
            ForbiddenCharacter,
        ),
        (
            "U26",
            "https://s3.amazonaws.com/echo.api\\..\\cert",
            ForbiddenCharacter,
        ),
        ("U27", "https://s3.amazonaws.com:0/echo.api/cert", Port),
        (
            "U28",
            "https://s3.amazonaws.com:99999/echo.api/cert",
            Unparseable,
        ),
        ("U30 badUrl", "badUrl", Unparseable),
        ("U30 empty", "", Unparseable),
        (
            "U30 leading space",
            " https://s3.amazonaws.com/echo.api/cert",
            ForbiddenCharacter,
        ),
        (
            "U30 tab",
            "https://s3.amazonaws.com/echo.api/\tcert",
            ForbiddenCharacter,
        ),
        (
            "non-ASCII",
            "https://s3.amazonaws.com/echo.api/cért",
            ForbiddenCharacter,
        ),
        (
            "a character the parser would percent-encode (found by fuzzing)",
            "https://s3.amazonaws.com:443/echo.api/...heco/a`i/cert",
            ForbiddenCharacter,
        ),
        (
            "braces",
            "https://s3.amazonaws.com/echo.api/{cert}",
            ForbiddenCharacter,
        ),
        (
            "IPv6 literal",
            "https://[::1]/echo.api/cert",
            ForbiddenCharacter,
        ),
        ("IP literal", "https://52.216.0.1/echo.api/cert", Host),
        (
            "password",
            "https://:pw@s3.amazonaws.com/echo.api/cert",
            Userinfo,
        ),
    ] {
        check(vector, url, Err(rule));
    }
}

#[test]
fn a_url_over_the_length_cap_is_refused_before_it_is_parsed() {
    let at_cap = format!(
        "{CERT}{}",
        "a".repeat(MAX_CERTIFICATE_URL_BYTES - CERT.len())
    );
    assert_eq!(at_cap.len(), MAX_CERTIFICATE_URL_BYTES);
    check("at the cap", &at_cap, Ok(&at_cap));
    check(
        "one byte over",
        &format!("{at_cap}a"),
        Err(CertificateUrlError::TooLong),
    );
    // What fuzzing found: long Punycode labels in the host, costly for the parser's IDNA step.
    let punycode = format!(
        "https://s3..{}.com/echo.api/cert",
        ["XN--HTTPAMaaaaaacaaaaaa1aaaaaaaaaaaaaONA"; 40].join(".")
    );
    check(
        "Punycode labels (found by fuzzing)",
        &punycode,
        Err(CertificateUrlError::TooLong),
    );
}

#[test]
fn equivalent_urls_share_one_cache_key_and_errors_do_not_repeat_the_url() {
    let keys: Vec<String> = [
        "https://s3.amazonaws.com:443/echo.api/cert",
        "https://s3.amazonaws.com/echo.api/../echo.api/cert",
        "https://s3.amazonaws.com/echo.api/../../echo.api/cert",
    ]
    .iter()
    .map(|url| CertificateChainUrl::parse(url).unwrap().to_string())
    .collect();
    assert_eq!(keys, [CERT, CERT, CERT]);
    let error = CertificateChainUrl::parse("https://evil.example@s3.amazonaws.com/echo.api/cert")
        .unwrap_err();
    assert!(!error.to_string().contains("evil"), "{error}");
    assert_eq!(error.reason_code(), "certificate_url_userinfo");
}
