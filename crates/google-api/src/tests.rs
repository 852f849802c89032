//! Unit tests: error classification from real Google bodies, backoff arithmetic, escaping, time parsing.

use std::time::Duration;

use expect_test::{Expect, expect};
use tokio::time::Instant;

use crate::calendar::{EventDateTimeWire, event_time};
use crate::encoding::{drive_query_string, encode_path_segment};
use crate::error::{auth_parameter, classify};
use crate::sheets::{spreadsheet_query, values_path};
use crate::{AccessToken, Deadline, Endpoints, Error, EventTime, RetryPolicy, SpreadsheetId};

const BEARER_INVALID_TOKEN: &str =
    r#"Bearer realm="https://accounts.google.com/", error="invalid_token""#;

fn check_classification(status: u16, www_authenticate: Option<&str>, body: &str, expected: Expect) {
    let error = classify(status, www_authenticate, body.as_bytes());
    expected.assert_eq(&format!("{error:?}\nretryable: {}", error.is_retryable()));
}

#[test]
fn unauthorized_auth_error_means_relink() {
    check_classification(
        401,
        Some(BEARER_INVALID_TOKEN),
        r#"{"error":{"code":401,"message":"Invalid Credentials","errors":[{"message":"Invalid Credentials","domain":"global","reason":"authError","location":"Authorization","locationType":"header"}],"status":"UNAUTHENTICATED"}}"#,
        expect![[r#"
            Relink
            retryable: false"#]],
    );
}

#[test]
fn unauthorized_without_a_json_body_means_relink() {
    check_classification(
        401,
        Some(r#"Bearer realm="https://accounts.google.com/""#),
        "Unauthorized",
        expect![[r#"
            Relink
            retryable: false"#]],
    );
}

#[test]
fn userinfo_oauth_style_error_means_relink() {
    check_classification(
        401,
        None,
        r#"{"error":"invalid_request","error_description":"Invalid Credentials"}"#,
        expect![[r#"
            Relink
            retryable: false"#]],
    );
}

#[test]
fn insufficient_permissions_names_the_scopes_from_www_authenticate() {
    check_classification(
        403,
        Some(
            r#"Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="https://www.googleapis.com/auth/calendar https://www.googleapis.com/auth/calendar.events""#,
        ),
        r#"{"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT","domain":"googleapis.com","metadata":{"service":"calendar-json.googleapis.com","method":"calendar.v3.Events.Insert"}}]}}"#,
        expect![[r#"
            MissingScope { scopes: ["https://www.googleapis.com/auth/calendar", "https://www.googleapis.com/auth/calendar.events"] }
            retryable: false"#]],
    );
}

#[test]
fn error_info_reason_alone_means_missing_scope() {
    check_classification(
        403,
        None,
        r#"{"error":{"code":403,"message":"Request had insufficient authentication scopes.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT","domain":"googleapis.com"}]}}"#,
        expect![[r#"
            MissingScope { scopes: [] }
            retryable: false"#]],
    );
}

#[test]
fn forbidden_user_rate_limit_is_a_rate_limit_not_a_permission_problem() {
    check_classification(
        403,
        None,
        r#"{"error":{"errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded","message":"User Rate Limit Exceeded"}],"code":403,"message":"User Rate Limit Exceeded"}}"#,
        expect![[r#"
            RateLimited
            retryable: true"#]],
    );
}

#[test]
fn too_many_requests_rate_limit_exceeded_is_a_rate_limit() {
    check_classification(
        429,
        None,
        r#"{"error":{"errors":[{"domain":"usageLimits","reason":"rateLimitExceeded","message":"Rate Limit Exceeded"}],"code":429,"message":"Rate Limit Exceeded","status":"RESOURCE_EXHAUSTED"}}"#,
        expect![[r#"
            RateLimited
            retryable: true"#]],
    );
}

#[test]
fn sheets_style_resource_exhausted_is_a_rate_limit() {
    check_classification(
        429,
        None,
        r#"{"error":{"code":429,"message":"Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user'","status":"RESOURCE_EXHAUSTED"}}"#,
        expect![[r#"
            RateLimited
            retryable: true"#]],
    );
}

#[test]
fn sheets_style_invalid_argument_is_an_api_error_with_the_body() {
    check_classification(
        400,
        None,
        r#"{"error":{"code":400,"message":"Unable to parse range: Nope!A1","status":"INVALID_ARGUMENT"}}"#,
        expect![[r#"
            Api { status: 400, reason: Some("INVALID_ARGUMENT"), body: "{\"error\":{\"code\":400,\"message\":\"Unable to parse range: Nope!A1\",\"status\":\"INVALID_ARGUMENT\"}}" }
            retryable: false"#]],
    );
}

#[test]
fn sheets_style_permission_denied_without_scope_hint_is_an_api_error() {
    check_classification(
        403,
        None,
        r#"{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}"#,
        expect![[r#"
            Api { status: 403, reason: Some("PERMISSION_DENIED"), body: "{\"error\":{\"code\":403,\"message\":\"The caller does not have permission\",\"status\":\"PERMISSION_DENIED\"}}" }
            retryable: false"#]],
    );
}

#[test]
fn file_permission_denied_is_not_a_missing_scope() {
    check_classification(
        403,
        None,
        r#"{"error":{"errors":[{"domain":"global","reason":"insufficientFilePermissions","message":"The user does not have sufficient permissions for this file."}],"code":403,"message":"The user does not have sufficient permissions for this file."}}"#,
        expect![[r#"
            Api { status: 403, reason: Some("insufficientFilePermissions"), body: "{\"error\":{\"errors\":[{\"domain\":\"global\",\"reason\":\"insufficientFilePermissions\",\"message\":\"The user does not have sufficient permissions for this file.\"}],\"code\":403,\"message\":\"The user does not have sufficient permissions for this file.\"}}" }
            retryable: false"#]],
    );
}

#[test]
fn internal_server_error_is_unavailable() {
    check_classification(
        500,
        None,
        r#"{"error":{"errors":[{"domain":"global","reason":"backendError","message":"Backend Error"}],"code":500,"message":"Backend Error"}}"#,
        expect![[r#"
            Unavailable { detail: "HTTP 500 (backendError)" }
            retryable: true"#]],
    );
}

#[test]
fn service_unavailable_with_html_body_is_unavailable() {
    check_classification(
        503,
        None,
        "<html><body>Service Unavailable</body></html>",
        expect![[r#"
            Unavailable { detail: "HTTP 503" }
            retryable: true"#]],
    );
}

#[test]
fn not_found_is_an_api_error_with_the_reason() {
    check_classification(
        404,
        None,
        r#"{"error":{"errors":[{"domain":"global","reason":"notFound","message":"File not found: x."}],"code":404,"message":"File not found: x."}}"#,
        expect![[r#"
            Api { status: 404, reason: Some("notFound"), body: "{\"error\":{\"errors\":[{\"domain\":\"global\",\"reason\":\"notFound\",\"message\":\"File not found: x.\"}],\"code\":404,\"message\":\"File not found: x.\"}}" }
            retryable: false"#]],
    );
}

#[test]
fn error_messages_say_what_to_do() {
    let messages = [
        Error::Relink,
        Error::MissingScope {
            scopes: vec!["https://www.googleapis.com/auth/drive.file".to_owned()],
        },
        Error::MissingScope { scopes: Vec::new() },
        Error::RateLimited,
        Error::DeadlineExceeded,
        Error::Api {
            status: 400,
            reason: Some("badRequest".to_owned()),
            body: String::new(),
        },
    ]
    .iter()
    .map(ToString::to_string)
    .collect::<Vec<_>>()
    .join("\n");
    expect![[r#"
        google rejected the access token; the user must link the account again
        the access token lacks a needed scope (would work: https://www.googleapis.com/auth/drive.file)
        the access token lacks a needed scope (would work: not stated)
        google rate-limited the request; try again later
        the deadline passed before google answered
        google answered HTTP 400 (badRequest)"#]]
    .assert_eq(&messages);
}

#[test]
fn www_authenticate_parameters_are_parsed_with_quotes_and_escapes() {
    let header = r#"Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="a b\"c", bare=token"#;
    assert_eq!(
        auth_parameter(header, "error").as_deref(),
        Some("insufficient_scope")
    );
    assert_eq!(auth_parameter(header, "scope").as_deref(), Some("a b\"c"));
    assert_eq!(
        auth_parameter(header, "realm").as_deref(),
        Some("https://accounts.google.com/")
    );
    assert_eq!(auth_parameter(header, "bare").as_deref(), Some("token"));
    assert_eq!(auth_parameter(header, "missing"), None);
    assert_eq!(auth_parameter(r#"Bearer realm="x""#, "error"), None);
}

#[test]
fn access_token_debug_is_redacted() {
    let access_token = AccessToken::new("ya29.very-secret".to_owned());
    assert_eq!(format!("{access_token:?}"), "AccessToken([redacted])");
    assert_eq!(
        format!("{:?}", Some(&access_token)),
        "Some(AccessToken([redacted]))"
    );
    assert_eq!(access_token.secret(), "ya29.very-secret");
}

#[test]
fn backoff_ceiling_doubles_up_to_the_cap() {
    let policy = RetryPolicy::default();
    let ceilings: Vec<u128> = (0..7)
        .map(|retry| policy.backoff_ceiling(retry).as_millis())
        .collect();
    assert_eq!(ceilings, [100, 200, 400, 800, 1600, 2000, 2000]);
    assert_eq!(policy.backoff_ceiling(u32::MAX), policy.max_delay);
}

#[test]
fn backoff_never_lets_the_next_attempt_pass_the_deadline() {
    let policy = RetryPolicy {
        max_attempts: 50,
        ..RetryPolicy::default()
    };
    let now = Instant::now();
    let samples = [0.0, 0.1, 0.5, 0.9, 0.999_999, 1.0];
    let mut retries_allowed = 0;
    let mut retries_refused = 0;
    for budget_ms in [0_u64, 50, 149, 150, 151, 300, 1_000, 2_500, 10_000] {
        let deadline = Deadline::at(now + Duration::from_millis(budget_ms));
        for previous_attempt_ms in [0_u64, 10, 400, 3_000] {
            let previous_attempt = Duration::from_millis(previous_attempt_ms);
            for attempts_made in 1..50 {
                for unit_random in samples {
                    match policy.delay_before_next_attempt(
                        attempts_made,
                        unit_random,
                        now,
                        deadline,
                        previous_attempt,
                    ) {
                        Some(delay) => {
                            retries_allowed += 1;
                            let expected_attempt =
                                previous_attempt.max(policy.minimum_attempt_time);
                            assert!(now + delay + expected_attempt <= deadline.instant());
                            assert!(delay <= policy.max_delay);
                            assert!(delay <= policy.backoff_ceiling(attempts_made - 1));
                        }
                        None => retries_refused += 1,
                    }
                }
            }
        }
    }
    // Both branches were exercised, so the assertions above ran.
    assert!(retries_allowed > 0);
    assert!(retries_refused > 0);
}

#[test]
fn backoff_stops_after_max_attempts_even_with_time_left() {
    let policy = RetryPolicy::default();
    let now = Instant::now();
    let deadline = Deadline::at(now + Duration::from_secs(60));
    let next = |attempts_made| {
        policy.delay_before_next_attempt(attempts_made, 0.5, now, deadline, Duration::ZERO)
    };
    assert_eq!(next(1), Some(Duration::from_millis(50)));
    assert_eq!(next(3), Some(Duration::from_millis(200)));
    assert_eq!(next(policy.max_attempts), None);
}

#[test]
fn backoff_refuses_a_retry_whose_attempt_could_not_finish() {
    let policy = RetryPolicy::default();
    let now = Instant::now();
    // 100 ms left but an attempt is assumed to need 150 ms.
    let deadline = Deadline::at(now + Duration::from_millis(100));
    assert_eq!(
        policy.delay_before_next_attempt(1, 0.0, now, deadline, Duration::ZERO),
        None
    );
    // The previous attempt took 1 s, so the next is assumed to as well.
    let deadline = Deadline::at(now + Duration::from_millis(900));
    assert_eq!(
        policy.delay_before_next_attempt(1, 0.0, now, deadline, Duration::from_secs(1)),
        None
    );
}

#[test]
fn attempt_timeout_is_cut_to_the_deadline() {
    let policy = RetryPolicy::default();
    let now = Instant::now();
    let near = Deadline::at(now + Duration::from_millis(300));
    assert_eq!(policy.attempt_deadline(now, near), near.instant());
    let far = Deadline::at(now + Duration::from_secs(60));
    assert_eq!(
        policy.attempt_deadline(now, far),
        now + policy.attempt_timeout
    );
}

#[test]
fn sheets_range_is_one_fully_encoded_path_segment() {
    let spreadsheet = SpreadsheetId::new("1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms".to_owned());
    assert_eq!(
        values_path(&spreadsheet, "Notes!A:B"),
        "v4/spreadsheets/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/values/Notes%21A%3AB"
    );
    assert_eq!(
        encode_path_segment("'My Notes'!A1:B2"),
        "%27My%20Notes%27%21A1%3AB2"
    );
    assert_eq!(encode_path_segment("a/b?c#d%e"), "a%2Fb%3Fc%23d%25e");
    assert_eq!(encode_path_segment("Notizen-ä"), "Notizen-%C3%A4");
}

#[test]
fn append_url_keeps_the_encoded_range_and_the_colon_suffix() {
    let endpoints = Endpoints::all_at("http://127.0.0.1:8080/google".parse().expect("valid url"));
    let spreadsheet = SpreadsheetId::new("abc".to_owned());
    let url = crate::endpoints::endpoint_url(
        &endpoints.base(crate::hosts::SHEETS).expect("a host"),
        &format!("{}:append", values_path(&spreadsheet, "Notes!A:B")),
    );
    assert_eq!(
        url.as_str(),
        "http://127.0.0.1:8080/google/v4/spreadsheets/abc/values/Notes%21A%3AB:append"
    );
}

#[test]
fn drive_query_escapes_quotes_and_backslashes() {
    assert_eq!(drive_query_string("Notes"), "'Notes'");
    assert_eq!(drive_query_string("Ada's notes"), r"'Ada\'s notes'");
    assert_eq!(drive_query_string(r"back\slash"), r"'back\\slash'");
    assert_eq!(drive_query_string(r"\'"), r"'\\\''");
    assert_eq!(
        spreadsheet_query("Alexa's notes"),
        r"name = 'Alexa\'s notes' and mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false"
    );
}

fn date_time_wire(date_time: &str, time_zone: Option<&str>) -> EventDateTimeWire {
    EventDateTimeWire {
        date: None,
        date_time: Some(date_time.to_owned()),
        time_zone: time_zone.map(str::to_owned),
    }
}

fn describe(event_time: Result<EventTime, String>) -> String {
    match event_time {
        Ok(EventTime::DateTime { date_time }) => format!("date_time {date_time}"),
        Ok(EventTime::Date(date)) => format!("date {date}"),
        Err(error) => format!("error {error}"),
    }
}

#[test]
fn event_times_are_read_in_the_right_zone() {
    let cases = [
        // The event's own zone wins over the calendar's.
        describe(event_time(
            date_time_wire("2026-11-25T10:00:00+01:00", Some("America/New_York")),
            Some("Europe/Zurich"),
        )),
        // Without one, the calendar's zone.
        describe(event_time(
            date_time_wire("2026-11-25T10:00:00+01:00", None),
            Some("Europe/Zurich"),
        )),
        // Summer time comes from the tz database, not the written offset.
        describe(event_time(
            date_time_wire("2026-07-01T09:30:00Z", None),
            Some("Europe/Zurich"),
        )),
        // No zone at all: the offset Google wrote.
        describe(event_time(
            date_time_wire("2026-11-25T10:00:00-05:00", None),
            None,
        )),
        // An unknown zone name falls back to the written offset too.
        describe(event_time(
            date_time_wire("2026-11-25T10:00:00+05:30", Some("Mars/Olympus_Mons")),
            None,
        )),
        // All-day events are plain dates.
        describe(event_time(
            EventDateTimeWire {
                date: Some("2026-12-24".to_owned()),
                ..EventDateTimeWire::default()
            },
            Some("Europe/Zurich"),
        )),
        describe(event_time(EventDateTimeWire::default(), None)),
        describe(event_time(date_time_wire("tomorrow at ten", None), None)),
    ]
    .join("\n");
    expect![[r#"
        date_time 2026-11-25T04:00:00-05:00[America/New_York]
        date_time 2026-11-25T10:00:00+01:00[Europe/Zurich]
        date_time 2026-07-01T11:30:00+02:00[Europe/Zurich]
        date_time 2026-11-25T10:00:00-05:00[-05:00]
        date_time 2026-11-25T10:00:00+05:30[+05:30]
        date 2026-12-24
        error event time has neither dateTime nor date
        error dateTime "tomorrow at ten" is not RFC 3339: failed to parse four digit integer as year: invalid digit, expected 0-9 but got t"#]]
    .assert_eq(&cases);
}

#[test]
fn endpoints_for_google_use_each_hosts_own_name() {
    let endpoints = Endpoints::google();
    let bases = [
        crate::hosts::OPENID_CONNECT,
        crate::hosts::GOOGLEAPIS,
        crate::hosts::SHEETS,
        "gmail.googleapis.com",
        "Tasks.GoogleAPIs.com",
    ]
    .map(|host| endpoints.base(host).expect("a host name").to_string())
    .join("\n");
    expect![[r#"
        https://openidconnect.googleapis.com/
        https://www.googleapis.com/
        https://sheets.googleapis.com/
        https://gmail.googleapis.com/
        https://tasks.googleapis.com/"#]]
    .assert_eq(&bases);
    assert_eq!(
        Endpoints::from_api_root_value(None).expect("no value"),
        endpoints
    );
    assert_eq!(
        Endpoints::from_api_root_value(Some("  ")).expect("blank value"),
        endpoints
    );
}

#[test]
fn a_host_that_is_not_a_bare_name_is_refused() {
    let endpoints = Endpoints::google();
    for host in [
        "evil.example/steal?",
        "user@gmail.googleapis.com",
        "gmail.googleapis.com:8443",
        "",
    ] {
        let error = endpoints.base(host).expect_err(host);
        assert!(
            matches!(error, Error::InvalidRequest { .. }),
            "{host}: {error:?}"
        );
    }
}

#[test]
fn endpoints_from_an_api_root_put_every_host_under_it_and_one_host_can_go_elsewhere() {
    let endpoints =
        Endpoints::from_api_root_value(Some("http://127.0.0.1:4000")).expect("valid root");
    for host in [
        crate::hosts::OPENID_CONNECT,
        crate::hosts::GOOGLEAPIS,
        crate::hosts::SHEETS,
        "gmail.googleapis.com",
    ] {
        assert_eq!(
            endpoints.base(host).expect("a host").as_str(),
            "http://127.0.0.1:4000/"
        );
    }
    let split = endpoints.with_host(
        "gmail.googleapis.com",
        "http://127.0.0.1:5000/gmail-twin"
            .parse()
            .expect("valid url"),
    );
    assert_eq!(
        split.base("gmail.googleapis.com").expect("a host").as_str(),
        "http://127.0.0.1:5000/gmail-twin/"
    );
    assert_eq!(
        split.base(crate::hosts::SHEETS).expect("a host").as_str(),
        "http://127.0.0.1:4000/"
    );
}

#[test]
fn an_invalid_api_root_is_an_error_naming_the_variable() {
    let messages = ["127.0.0.1:4000", "not a url", "ftp://127.0.0.1/"]
        .map(|value| match Endpoints::from_api_root_value(Some(value)) {
            Ok(endpoints) => format!("unexpectedly accepted: {endpoints:?}"),
            Err(error) => error.to_string(),
        })
        .join("\n");
    expect![[r#"
        GOOGLE_API_ROOT is not a usable Google API root URL ("127.0.0.1:4000"): relative URL without a base
        GOOGLE_API_ROOT is not a usable Google API root URL ("not a url"): relative URL without a base
        GOOGLE_API_ROOT is not a usable Google API root URL ("ftp://127.0.0.1/"): scheme must be http or https, not ftp"#]]
    .assert_eq(&messages);
}

#[test]
fn a_spent_daily_or_project_quota_is_not_retried() {
    for reason in ["dailyLimitExceeded", "quotaExceeded"] {
        let body = format!(
            r#"{{"error":{{"errors":[{{"domain":"usageLimits","reason":"{reason}","message":"Quota exceeded."}}],"code":403,"message":"Quota exceeded."}}}}"#
        );
        let error = classify(403, None, body.as_bytes());
        assert!(
            matches!(&error, Error::QuotaExhausted { reason: named } if named == reason),
            "{error:?}"
        );
        assert!(!error.is_retryable(), "{reason}");
    }
}

#[test]
fn every_retryable_server_status_is_retried_and_other_statuses_are_not() {
    for status in [408, 500, 502, 503, 504] {
        let error = classify(status, None, b"<html>Server Error</html>");
        assert!(error.is_retryable(), "{status}: {error:?}");
    }
    for status in [400, 404, 409, 501, 505] {
        let error = classify(status, None, b"<html>Error</html>");
        assert!(!error.is_retryable(), "{status}: {error:?}");
    }
}

#[test]
fn a_parse_error_names_the_field_path_but_never_the_value() {
    #[derive(Debug, serde::Deserialize)]
    struct Listing {
        #[allow(dead_code)]
        files: Vec<Sized>,
    }
    #[derive(Debug, serde::Deserialize)]
    struct Sized {
        #[allow(dead_code)]
        size: u64,
    }
    let body = br#"{"files":[{"size":1},{"size":"Secret merger plan.docx"}]}"#;
    let detail = crate::client::parse_body::<Listing>(body).expect_err("size is not a number");
    assert!(detail.contains("files[1].size"), "{detail}");
    assert!(!detail.contains("Secret merger plan"), "{detail}");
    let detail =
        crate::client::parse_body::<Listing>(br#"{"files":[{"size":"#).expect_err("truncated");
    assert!(detail.contains("ends too early"), "{detail}");
}

mod properties {
    use proptest::prelude::*;

    use crate::Error;
    use crate::error::classify;

    /// A body that is sometimes Google's error envelope with arbitrary reasons, sometimes noise.
    fn body() -> impl Strategy<Value = Vec<u8>> {
        let reason = prop_oneof![
            Just("authError".to_owned()),
            Just("insufficientPermissions".to_owned()),
            Just("rateLimitExceeded".to_owned()),
            Just("dailyLimitExceeded".to_owned()),
            Just("backendError".to_owned()),
            "[a-zA-Z_]{0,20}",
        ];
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300),
            (reason.clone(), reason).prop_map(|(first, second)| {
                format!(
                    r#"{{"error":{{"errors":[{{"reason":"{first}"}}],"status":"{second}","details":[{{"reason":"{second}"}}]}}}}"#
                )
                .into_bytes()
            }),
        ]
    }

    fn header() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![
            any::<String>(),
            r#"Bearer( [a-z_]{1,10}="[^"]{0,30}"?,?){0,4}"#,
        ])
    }

    proptest! {
        #[test]
        fn every_401_means_relink(header in header(), body in body()) {
            let error = classify(401, header.as_deref(), &body);
            prop_assert!(matches!(error, Error::Relink), "{:?}", error);
        }

        #[test]
        fn any_status_header_and_body_is_classified_without_panicking(
            status in any::<u16>(),
            header in header(),
            body in body(),
        ) {
            let error = classify(status, header.as_deref(), &body);
            // Whatever it is, it renders, and only a rate limit or unavailability is retried.
            let _ = error.to_string();
            prop_assert_eq!(
                error.is_retryable(),
                matches!(error, Error::RateLimited | Error::Unavailable { .. })
            );
        }
    }
}

#[test]
fn retry_after_is_read_as_seconds_or_an_http_date() {
    use crate::retry::parse_retry_after;
    let now: jiff::Timestamp = "2026-01-01T12:00:00Z".parse().unwrap();
    assert_eq!(
        parse_retry_after("120", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
    assert_eq!(
        parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now),
        Some(Duration::from_secs(30))
    );
    // A date already past means "now".
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
        Some(Duration::ZERO)
    );
    for unusable in ["", "-5", "1.5", "soon", "99999999999999999999999"] {
        assert_eq!(parse_retry_after(unusable, now), None, "{unusable:?}");
    }
}

#[test]
fn a_retry_after_is_waited_when_it_fits_the_deadline_and_refused_when_not() {
    let policy = RetryPolicy::default();
    let now = Instant::now();
    let deadline = Deadline::at(now + Duration::from_secs(5));
    let next = |retry_after, attempts_made| {
        policy.delay_for_retry_after(attempts_made, retry_after, now, deadline, Duration::ZERO)
    };
    // Longer than the backoff cap, but it fits: Google's wait is the one to honour.
    assert_eq!(
        next(Duration::from_secs(3), 1),
        Some(Duration::from_secs(3))
    );
    // The attempt after the wait would end past the deadline: no retry, the apology instead.
    assert_eq!(next(Duration::from_millis(4_900), 1), None);
    assert_eq!(next(Duration::from_secs(120), 1), None);
    assert_eq!(next(Duration::ZERO, policy.max_attempts), None);
}

#[test]
fn a_plain_http_api_root_is_only_accepted_for_a_loopback_host() {
    for loopback in [
        "http://127.0.0.1:4000",
        "http://127.8.9.10/google/",
        "http://localhost:8080",
        "http://[::1]:9000",
        "https://google-twin.example.com",
    ] {
        assert!(
            Endpoints::from_api_root_value(Some(loopback)).is_ok(),
            "{loopback}"
        );
    }
    let messages = [
        "http://google-twin.example.com",
        "http://10.0.0.5:8080",
        "http://localhost.example.com",
    ]
    .map(|value| match Endpoints::from_api_root_value(Some(value)) {
        Ok(endpoints) => format!("unexpectedly accepted: {endpoints:?}"),
        Err(error) => error.to_string(),
    })
    .join("\n");
    expect![[r#"
        GOOGLE_API_ROOT is not a usable Google API root URL ("http://google-twin.example.com"): plain http would send users' tokens unencrypted to google-twin.example.com: use https://, or http:// only to 127.0.0.0/8, localhost or [::1]
        GOOGLE_API_ROOT is not a usable Google API root URL ("http://10.0.0.5:8080"): plain http would send users' tokens unencrypted to 10.0.0.5: use https://, or http:// only to 127.0.0.0/8, localhost or [::1]
        GOOGLE_API_ROOT is not a usable Google API root URL ("http://localhost.example.com"): plain http would send users' tokens unencrypted to localhost.example.com: use https://, or http:// only to 127.0.0.0/8, localhost or [::1]"#]]
    .assert_eq(&messages);
}

#[test]
fn debug_of_a_bad_response_shows_no_body() {
    let error = Error::BadResponse {
        status: 200,
        detail: "the body does not have the expected type or shape at `files[0].name`".to_owned(),
        body: r#"{"files":[{"name":"Ada's tax return 2026"}]}"#.to_owned(),
    };
    expect![[r#"BadResponse { status: 200, detail: "the body does not have the expected type or shape at `files[0].name`", body: <44 bytes> }"#]]
        .assert_eq(&format!("{error:?}"));
    // The body itself stays available for diagnosis.
    let Error::BadResponse { body, .. } = &error else {
        unreachable!()
    };
    assert!(body.contains("tax return"));
}
