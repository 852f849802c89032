//! The emulator's OAuth rules, each exercised over HTTP the way Alexa and Google's clients do.

use std::time::Duration;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use devstack::google::{
    ClientSecret, Config, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, OAuthClient,
};
use expect_test::expect;
use reqwest::{StatusCode, header};
use sha2::{Digest, Sha256};

use super::google_support::*;

#[tokio::test]
async fn refresh_token_only_with_offline_access_and_consent_shown() {
    let emulator = start_auto_consent("ada@example.com").await;
    let scope = format!("email {DRIVE_READONLY}");

    let online = code_flow(&emulator, &scope, &[]).await;
    assert!(
        online.get("refresh_token").is_none(),
        "online access: {online}"
    );

    // The first grant was above, so this offline request shows no consent: no refresh token.
    let offline_again = code_flow(&emulator, &scope, &[("access_type", "offline")]).await;
    assert!(
        offline_again.get("refresh_token").is_none(),
        "{offline_again}"
    );

    let legacy_force = code_flow(
        &emulator,
        &scope,
        &[("access_type", "offline"), ("approval_prompt", "force")],
    )
    .await;
    assert!(
        legacy_force.get("refresh_token").is_some(),
        "{legacy_force}"
    );

    let forced = code_flow(
        &emulator,
        &scope,
        &[("access_type", "offline"), ("prompt", "consent")],
    )
    .await;
    assert!(string_field(&forced, "refresh_token").starts_with("1//"));
    assert!(string_field(&forced, "access_token").starts_with("ya29."));
    assert_eq!(forced["expires_in"], 3599);
    assert_eq!(forced["token_type"], "Bearer");
    assert_eq!(
        forced["scope"],
        "https://www.googleapis.com/auth/drive.readonly https://www.googleapis.com/auth/userinfo.email"
    );
}

#[tokio::test]
async fn first_offline_grant_gets_a_refresh_token_and_refreshing_does_not_rotate_it() {
    let emulator = start_auto_consent("ada@example.com").await;
    let tokens = code_flow(&emulator, DRIVE_READONLY, &[("access_type", "offline")]).await;
    let refresh_token = string_field(&tokens, "refresh_token");

    let response = refresh(&emulator, &refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/json; charset=utf-8"
    );
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let refreshed: serde_json::Value = response.json().await.unwrap();
    assert!(refreshed.get("refresh_token").is_none(), "{refreshed}");
    let new_access_token = string_field(&refreshed, "access_token");
    assert_ne!(new_access_token, string_field(&tokens, "access_token"));
    let files = api_get(&emulator, &new_access_token, "/drive/v3/files").await;
    assert_eq!(files.status(), StatusCode::OK);
}

#[tokio::test]
async fn reusing_a_code_fails_and_revokes_what_it_minted() {
    let emulator = start_auto_consent("ada@example.com").await;
    let code = authorization_code(&emulator, DRIVE_READONLY, &[("access_type", "offline")]).await;
    assert!(code.starts_with("4/0A"), "{code}");
    let first: serde_json::Value = exchange_code(&emulator, &code).await.json().await.unwrap();

    let second = exchange_code(&emulator, &code).await;
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "invalid_grant",
          "error_description": "Bad Request"
        }"#]]
    .assert_eq(&describe(second).await);

    let access_token = string_field(&first, "access_token");
    let files = api_get(&emulator, &access_token, "/drive/v3/files").await;
    assert_eq!(files.status(), StatusCode::UNAUTHORIZED);
    let refreshed = refresh(&emulator, &string_field(&first, "refresh_token")).await;
    assert_eq!(refreshed.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn codes_expire_after_ten_minutes_of_emulator_clock() {
    let emulator = start_auto_consent("ada@example.com").await;
    let fresh = authorization_code(&emulator, DRIVE_READONLY, &[]).await;
    emulator.advance_clock(Duration::from_secs(9 * 60));
    assert_eq!(
        exchange_code(&emulator, &fresh).await.status(),
        StatusCode::OK
    );

    let stale = authorization_code(&emulator, DRIVE_READONLY, &[]).await;
    emulator.advance_clock(Duration::from_secs(10 * 60 + 1));
    let response = exchange_code(&emulator, &stale).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("invalid_grant"));
}

#[tokio::test]
async fn access_tokens_expire_on_the_emulator_clock() {
    let emulator = start_auto_consent("ada@example.com").await;
    let tokens = code_flow(&emulator, DRIVE_READONLY, &[("access_type", "offline")]).await;
    let access_token = string_field(&tokens, "access_token");
    emulator.advance_clock(Duration::from_secs(3598));
    assert_eq!(
        api_get(&emulator, &access_token, "/drive/v3/files")
            .await
            .status(),
        StatusCode::OK
    );
    emulator.advance_clock(Duration::from_secs(2));
    let expired = api_get(&emulator, &access_token, "/drive/v3/files").await;
    expect![[r#"
        401 Unauthorized
        content-type: application/json; charset=UTF-8
        www-authenticate: Bearer realm="https://accounts.google.com/", error="invalid_token"

        {
          "error": {
            "code": 401,
            "errors": [
              {
                "domain": "global",
                "location": "Authorization",
                "locationType": "header",
                "message": "Invalid Credentials",
                "reason": "authError"
              }
            ],
            "message": "Invalid Credentials",
            "status": "UNAUTHENTICATED"
          }
        }
    "#]]
    .assert_eq(&describe(expired).await);
    // The refresh token outlives it.
    let refreshed = refresh(&emulator, &string_field(&tokens, "refresh_token")).await;
    assert_eq!(refreshed.status(), StatusCode::OK);
}

#[tokio::test]
async fn authorization_errors_are_pages_not_redirects() {
    let emulator = start_auto_consent("ada@example.com").await;
    let base = emulator.base_url();
    let mismatch = http()
        .get(format!(
            "{base}/o/oauth2/v2/auth?client_id={DEFAULT_CLIENT_ID}&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2AAAAAAAAAAAA%2F&response_type=code&scope=email"
        ))
        .send()
        .await
        .unwrap();
    expect![[r#"
        400 Bad Request
        content-type: text/html; charset=utf-8
        cache-control: no-store

        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><style>body{font-family:sans-serif;margin:1.5rem;overflow-wrap:anywhere}button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}</style><title>Error 400 (OAuth2 Error)</title></head>
        <body>
        <h1>Sign in with Google</h1>
        <p id="error-code"><b>400.</b> That’s an error.</p>
        <p id="error-name"><b>Error 400: redirect_uri_mismatch</b></p>
        <p id="error-message">The redirect URI in the request, https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA/, does not match the ones authorized for the OAuth client.</p>
        <p>If you’re the app developer, register the redirect URI in the Google Cloud Console.</p>
        </body>
        </html>
    "#]]
    .assert_eq(&describe(mismatch).await);

    let unknown_client = http()
        .get(format!(
            "{base}/o/oauth2/auth?client_id=nobody&redirect_uri=x&response_type=code&scope=email"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown_client.status(), StatusCode::UNAUTHORIZED);
    assert!(unknown_client.headers().get(header::LOCATION).is_none());
    let page = unknown_client.text().await.unwrap();
    assert!(page.contains("Error 401: invalid_client"), "{page}");
    assert!(page.contains("The OAuth client was not found."), "{page}");

    let missing_scope = http()
        .get(authorization_url(&emulator, "", &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(missing_scope.status(), StatusCode::BAD_REQUEST);
    assert!(missing_scope.headers().get(header::LOCATION).is_none());
    let page = missing_scope.text().await.unwrap();
    assert!(page.contains("Error 400: invalid_request"), "{page}");
    assert!(page.contains("Missing required parameter: scope"), "{page}");
}

#[tokio::test]
async fn state_is_echoed_byte_for_byte_onto_a_redirect_uri_with_a_query() {
    let redirect_uri = "https://skill.example.com/callback?tenant=a%20b&x=1";
    let emulator = start(Config {
        clients: vec![OAuthClient {
            client_id: "web-client".to_string(),
            client_secret: ClientSecret::new("web-secret".to_string()),
            redirect_uris: vec![redirect_uri.to_string()],
        }],
        auto_consent: Some("grace@example.com".to_string()),
        ..Config::default()
    })
    .await;
    let state = "eyJ 0+/=&?#%zz 🦀";
    let mut url = url::Url::parse(&format!("{}/o/oauth2/v2/auth", emulator.base_url())).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", "web-client")
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("response_type", "code")
        .append_pair("scope", "openid email")
        .append_pair("state", state);
    let response = http().get(url).send().await.unwrap();
    let location = response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        location.starts_with("https://skill.example.com/callback?tenant=a%20b&x=1&code=4%2F0A"),
        "{location}"
    );
    let parameters = redirect_parameters(&response);
    assert_eq!(parameters["state"], state);
    assert_eq!(parameters["tenant"], "a b");
    assert_eq!(
        parameters["scope"],
        "https://www.googleapis.com/auth/userinfo.email openid"
    );
}

#[tokio::test]
async fn consent_page_allow_and_deny() {
    let emulator = start(Config::default()).await;
    let base = emulator.base_url();
    let page = http()
        .get(authorization_url(
            &emulator,
            &format!("email {DRIVE_READONLY} {CALENDAR_READONLY}"),
            &[
                ("state", "s1"),
                ("access_type", "offline"),
                ("login_hint", "grace@example.com"),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"id="submit_approve_access""#), "{html}");
    assert!(
        html.contains(r#"value="grace@example.com" checked"#),
        "login_hint preselects: {html}"
    );
    let request_id = html
        .split(r#"name="request_id" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();

    // Granular consent: calendar left unticked.
    let approved = http()
        .post(format!("{base}/o/oauth2/consent"))
        .form(&[
            ("request_id", request_id.as_str()),
            ("email", "grace@example.com"),
            ("scopes_presented", "1"),
            ("scope", DRIVE_READONLY),
            ("decision", "allow"),
        ])
        .send()
        .await
        .unwrap();
    let parameters = redirect_parameters(&approved);
    assert_eq!(parameters["state"], "s1");
    assert_eq!(
        parameters["scope"],
        "https://www.googleapis.com/auth/drive.readonly https://www.googleapis.com/auth/userinfo.email"
    );
    let tokens: serde_json::Value = exchange_code(&emulator, &parameters["code"])
        .await
        .json()
        .await
        .unwrap();
    assert!(tokens.get("refresh_token").is_some(), "{tokens}");
    let userinfo = api_get(
        &emulator,
        &string_field(&tokens, "access_token"),
        "/v1/userinfo",
    )
    .await;
    let userinfo: serde_json::Value = userinfo.json().await.unwrap();
    assert_eq!(userinfo["email"], "grace@example.com");

    // The request ID is single-use.
    let replayed = http()
        .post(format!("{base}/o/oauth2/consent"))
        .form(&[
            ("request_id", request_id.as_str()),
            ("email", "grace@example.com"),
            ("decision", "allow"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.status(), StatusCode::BAD_REQUEST);

    let page = http()
        .get(authorization_url(&emulator, "email", &[("state", "a&b=c")]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let request_id = page
        .split(r#"name="request_id" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let denied = http()
        .post(format!("{base}/o/oauth2/consent"))
        .form(&[
            ("request_id", request_id.as_str()),
            ("email", "ada@example.com"),
            ("decision", "deny"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        denied.headers()[header::LOCATION],
        "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA?error=access_denied&state=a%26b%3Dc"
    );
}

#[tokio::test]
async fn pkce_binds_the_code_to_its_verifier() {
    let emulator = start_auto_consent("ada@example.com").await;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let s256 = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let exchange = |code: String, verifier: Option<&'static str>| {
        let base = emulator.base_url();
        async move {
            let mut form = vec![
                ("grant_type", "authorization_code".to_string()),
                ("code", code),
                ("client_id", DEFAULT_CLIENT_ID.to_string()),
                ("client_secret", DEFAULT_CLIENT_SECRET.to_string()),
                ("redirect_uri", REDIRECT_URI.to_string()),
            ];
            if let Some(verifier) = verifier {
                form.push(("code_verifier", verifier.to_string()));
            }
            http()
                .post(format!("{base}/token"))
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };

    let missing = exchange(authorization_code(&emulator, "email", &s256).await, None).await;
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "invalid_grant",
          "error_description": "Missing code verifier."
        }"#]]
    .assert_eq(&describe(missing).await);
    let wrong = exchange(
        authorization_code(&emulator, "email", &s256).await,
        Some("wrong"),
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let right = exchange(
        authorization_code(&emulator, "email", &s256).await,
        Some(verifier),
    )
    .await;
    assert_eq!(right.status(), StatusCode::OK);

    let plain = [(
        "code_challenge",
        "plain-verifier-0123456789-0123456789-0123456789",
    )];
    let plain_ok = exchange(
        authorization_code(&emulator, "email", &plain).await,
        Some("plain-verifier-0123456789-0123456789-0123456789"),
    )
    .await;
    assert_eq!(plain_ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn token_endpoint_errors_match_google() {
    let emulator = start_auto_consent("ada@example.com").await;
    let token_url = format!("{}/token", emulator.base_url());
    let post = |form: Vec<(&'static str, String)>| {
        let token_url = token_url.clone();
        async move { describe(http().post(token_url).form(&form).send().await.unwrap()).await }
    };
    let code = authorization_code(&emulator, "email", &[]).await;
    let with_client = |mut form: Vec<(&'static str, String)>, secret: Option<&str>| {
        form.push(("client_id", DEFAULT_CLIENT_ID.to_string()));
        if let Some(secret) = secret {
            form.push(("client_secret", secret.to_string()));
        }
        form
    };

    expect![[r#"
        401 Unauthorized
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "invalid_client",
          "error_description": "The OAuth client was not found."
        }"#]]
    .assert_eq(
        &post(vec![
            ("grant_type", "authorization_code".into()),
            ("code", code.clone()),
            ("client_id", "unknown.apps.googleusercontent.com".into()),
            ("client_secret", "x".into()),
        ])
        .await,
    );
    expect![[r#"
        401 Unauthorized
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "invalid_client",
          "error_description": "Unauthorized"
        }"#]]
    .assert_eq(
        &post(with_client(
            vec![("grant_type", "authorization_code".into())],
            Some("wrong"),
        ))
        .await,
    );
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "invalid_request",
          "error_description": "client_secret is missing."
        }"#]]
    .assert_eq(
        &post(with_client(
            vec![
                ("grant_type", "authorization_code".into()),
                ("code", code.clone()),
            ],
            None,
        ))
        .await,
    );
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "unsupported_grant_type",
          "error_description": "Invalid grant_type: password"
        }"#]]
    .assert_eq(
        &post(with_client(
            vec![("grant_type", "password".into())],
            Some(DEFAULT_CLIENT_SECRET),
        ))
        .await,
    );
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "invalid_request",
          "error_description": "Missing required parameter: code"
        }"#]]
    .assert_eq(
        &post(with_client(
            vec![("grant_type", "authorization_code".into())],
            Some(DEFAULT_CLIENT_SECRET),
        ))
        .await,
    );
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "redirect_uri_mismatch",
          "error_description": "Bad Request"
        }"#]]
    .assert_eq(
        &post(with_client(
            vec![
                ("grant_type", "authorization_code".into()),
                ("code", code.clone()),
                (
                    "redirect_uri",
                    "https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA".into(),
                ),
            ],
            Some(DEFAULT_CLIENT_SECRET),
        ))
        .await,
    );
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "invalid_grant",
          "error_description": "Token has been expired or revoked."
        }"#]]
    .assert_eq(
        &post(with_client(
            vec![
                ("grant_type", "refresh_token".into()),
                ("refresh_token", "1//0unknown".into()),
            ],
            Some(DEFAULT_CLIENT_SECRET),
        ))
        .await,
    );

    // client_secret_basic works for the same code the failures above left unused.
    let basic = http()
        .post(&token_url)
        .basic_auth(DEFAULT_CLIENT_ID, Some(DEFAULT_CLIENT_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT_URI),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::OK);
}

#[tokio::test]
async fn refresh_honors_scope_subsets_and_client_binding() {
    let mut config = Config {
        auto_consent: Some("ada@example.com".to_string()),
        ..Config::default()
    };
    config.clients.push(OAuthClient {
        client_id: "other-client".to_string(),
        client_secret: ClientSecret::new("other-secret".to_string()),
        redirect_uris: vec![REDIRECT_URI.to_string()],
    });
    let emulator = start(config).await;
    let tokens = code_flow(
        &emulator,
        &format!("email {DRIVE_READONLY} {CALENDAR_READONLY}"),
        &[("access_type", "offline")],
    )
    .await;
    let refresh_token = string_field(&tokens, "refresh_token");
    let token_url = format!("{}/token", emulator.base_url());

    let narrowed: serde_json::Value = http()
        .post(&token_url)
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.as_str()),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("scope", DRIVE_READONLY),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(narrowed["scope"], DRIVE_READONLY);
    let narrowed_token = string_field(&narrowed, "access_token");
    let calendar = api_get(
        &emulator,
        &narrowed_token,
        "/calendar/v3/calendars/primary/events",
    )
    .await;
    assert_eq!(calendar.status(), StatusCode::FORBIDDEN);

    let widened = http()
        .post(&token_url)
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.as_str()),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("scope", "https://www.googleapis.com/auth/drive"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(widened.status(), StatusCode::BAD_REQUEST);
    assert!(widened.text().await.unwrap().contains("invalid_scope"));

    let other_client = http()
        .post(&token_url)
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.as_str()),
            ("client_id", "other-client"),
            ("client_secret", "other-secret"),
        ])
        .send()
        .await
        .unwrap();
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "unauthorized_client",
          "error_description": "Unauthorized"
        }"#]]
    .assert_eq(&describe(other_client).await);
}

#[tokio::test]
async fn revoking_either_token_kills_the_grant() {
    let emulator = start_auto_consent("ada@example.com").await;
    let revoke_url = format!("{}/revoke", emulator.base_url());
    for revoke_refresh_token in [false, true] {
        let tokens = code_flow(
            &emulator,
            DRIVE_READONLY,
            &[("access_type", "offline"), ("prompt", "consent")],
        )
        .await;
        let access_token = string_field(&tokens, "access_token");
        let refresh_token = string_field(&tokens, "refresh_token");
        let revoked = if revoke_refresh_token {
            &refresh_token
        } else {
            &access_token
        };
        let response = http()
            .post(&revoke_url)
            .form(&[("token", revoked.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.text().await.unwrap(), "");
        assert_eq!(
            api_get(&emulator, &access_token, "/drive/v3/files")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            refresh(&emulator, &refresh_token).await.status(),
            StatusCode::BAD_REQUEST
        );
    }
    let again = http()
        .post(&revoke_url)
        .form(&[("token", "ya29.a0never-issued")])
        .send()
        .await
        .unwrap();
    expect![[r#"
        400 Bad Request
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "error": "invalid_token",
          "error_description": "Token expired or revoked"
        }"#]]
    .assert_eq(&describe(again).await);

    // Revocation removed the grant, so the next offline authorization counts as first consent.
    let relinked = code_flow(&emulator, DRIVE_READONLY, &[("access_type", "offline")]).await;
    assert!(relinked.get("refresh_token").is_some(), "{relinked}");
}

#[tokio::test]
async fn revoke_all_is_removing_the_app_in_the_google_account() {
    let emulator = start_auto_consent("ada@example.com").await;
    let tokens = code_flow(&emulator, DRIVE_READONLY, &[("access_type", "offline")]).await;
    let minted =
        emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, &[DRIVE_READONLY]);
    emulator.revoke_all("ada@example.com");
    for access_token in [string_field(&tokens, "access_token"), minted] {
        assert_eq!(
            api_get(&emulator, &access_token, "/drive/v3/files")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        refresh(&emulator, &string_field(&tokens, "refresh_token"))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn tokeninfo_userinfo_and_discovery() {
    let emulator = start_auto_consent("ada@example.com").await;
    let tokens = code_flow(
        &emulator,
        &format!("openid email profile {DRIVE_READONLY}"),
        &[("access_type", "offline")],
    )
    .await;
    let access_token = string_field(&tokens, "access_token");
    let info: serde_json::Value = http()
        .get(format!("{}/tokeninfo", emulator.base_url()))
        .query(&[("access_token", access_token.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["aud"], DEFAULT_CLIENT_ID);
    assert_eq!(info["email"], "ada@example.com");
    assert_eq!(info["email_verified"], "true");
    assert_eq!(info["access_type"], "offline");
    let expires_in: u64 = info["expires_in"].as_str().unwrap().parse().unwrap();
    assert!(expires_in <= 3599, "{info}");
    assert!(info["exp"].is_string(), "{info}");

    let bad = http()
        .post(format!("{}/tokeninfo", emulator.base_url()))
        .form(&[("access_token", "ya29.bogus")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let userinfo = api_get(&emulator, &access_token, "/oauth2/v3/userinfo").await;
    expect![[r#"
        200 OK
        content-type: application/json; charset=utf-8
        cache-control: no-store

        {
          "email": "ada@example.com",
          "email_verified": true,
          "family_name": "Lovelace",
          "given_name": "Ada",
          "name": "Ada Lovelace",
          "picture": "https://lh3.googleusercontent.com/a/118234567890123456781=s96-c",
          "sub": "118234567890123456781"
        }"#]]
    .assert_eq(&describe(userinfo).await);
    let drive_only =
        emulator.mint_access_token("ada@example.com", DEFAULT_CLIENT_ID, &[DRIVE_READONLY]);
    let sub_only: serde_json::Value = api_get(&emulator, &drive_only, "/v1/userinfo")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        sub_only,
        serde_json::json!({"sub": "118234567890123456781"})
    );
    let unauthenticated = api_get(&emulator, "ya29.bogus", "/v1/userinfo").await;
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        unauthenticated.headers()[header::WWW_AUTHENTICATE],
        r#"Bearer realm="https://accounts.google.com/", error="invalid_token""#
    );
    let without_credentials = http()
        .get(format!("{}/v1/userinfo", emulator.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(without_credentials.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        without_credentials.headers()[header::WWW_AUTHENTICATE],
        r#"Bearer realm="https://accounts.google.com/""#
    );

    let discovery: serde_json::Value = http()
        .get(format!(
            "{}/.well-known/openid-configuration",
            emulator.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        discovery["token_endpoint"],
        format!("{}/token", emulator.base_url())
    );
    assert_eq!(
        discovery["authorization_endpoint"],
        format!("{}/o/oauth2/v2/auth", emulator.base_url())
    );
}

#[tokio::test]
async fn incremental_authorization_and_prompt_none() {
    let emulator = start_auto_consent("ada@example.com").await;
    let first = code_flow(&emulator, "email", &[("access_type", "offline")]).await;
    assert!(first.get("refresh_token").is_some(), "{first}");

    // New scopes without prompt=consent: granted, but no second refresh token (docs/google-oauth.md, refresh tokens).
    let added = code_flow(
        &emulator,
        DRIVE_READONLY,
        &[
            ("access_type", "offline"),
            ("include_granted_scopes", "true"),
        ],
    )
    .await;
    assert!(added.get("refresh_token").is_none(), "{added}");
    assert_eq!(
        added["scope"],
        "https://www.googleapis.com/auth/drive.readonly https://www.googleapis.com/auth/userinfo.email"
    );
    let without_union = code_flow(&emulator, DRIVE_READONLY, &[]).await;
    assert_eq!(without_union["scope"], DRIVE_READONLY);

    // prompt=none succeeds silently for scopes already granted and fails for new ones.
    let silent = http()
        .get(authorization_url(
            &emulator,
            "email",
            &[("prompt", "none"), ("state", "q")],
        ))
        .send()
        .await
        .unwrap();
    assert!(redirect_parameters(&silent).contains_key("code"));
    let needs_consent = http()
        .get(authorization_url(
            &emulator,
            CALENDAR_READONLY,
            &[("prompt", "none"), ("state", "q")],
        ))
        .send()
        .await
        .unwrap();
    let parameters = redirect_parameters(&needs_consent);
    assert_eq!(parameters["error"], "consent_required");
    assert_eq!(parameters["state"], "q");
}

#[tokio::test]
async fn dropping_the_emulator_stops_the_server() {
    let emulator = start(Config::default()).await;
    let url = format!("{}/.well-known/openid-configuration", emulator.base_url());
    assert_eq!(
        http().get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    drop(emulator);
    assert!(http().get(&url).send().await.is_err());
}

#[tokio::test]
async fn testing_publishing_status_limits_refresh_tokens_to_seven_days() {
    let emulator = start_auto_consent("ada@example.com").await;
    emulator.set_testing_publishing_status(true);
    let drive = code_flow(&emulator, DRIVE_READONLY, &[("access_type", "offline")]).await;
    let sign_in_only = code_flow(
        &emulator,
        "openid email profile",
        &[("access_type", "offline"), ("prompt", "consent")],
    )
    .await;
    emulator.advance_clock(Duration::from_secs(6 * 24 * 3600));
    assert_eq!(
        refresh(&emulator, &string_field(&drive, "refresh_token"))
            .await
            .status(),
        StatusCode::OK
    );
    emulator.advance_clock(Duration::from_secs(24 * 3600));
    let expired = refresh(&emulator, &string_field(&drive, "refresh_token")).await;
    assert_eq!(expired.status(), StatusCode::BAD_REQUEST);
    assert!(
        expired
            .text()
            .await
            .unwrap()
            .contains("Token has been expired or revoked.")
    );
    assert_eq!(
        refresh(&emulator, &string_field(&sign_in_only, "refresh_token"))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_hundred_and_first_refresh_token_evicts_the_oldest() {
    let emulator = start_auto_consent("ada@example.com").await;
    let consent = [("access_type", "offline"), ("prompt", "consent")];
    let oldest = code_flow(&emulator, DRIVE_READONLY, &consent).await;
    let second = code_flow(&emulator, DRIVE_READONLY, &consent).await;
    for _ in 0..98 {
        code_flow(&emulator, DRIVE_READONLY, &consent).await;
    }
    let oldest = string_field(&oldest, "refresh_token");
    assert_eq!(
        refresh(&emulator, &oldest).await.status(),
        StatusCode::OK,
        "100 fit"
    );
    code_flow(&emulator, DRIVE_READONLY, &consent).await;
    assert_eq!(
        refresh(&emulator, &oldest).await.status(),
        StatusCode::BAD_REQUEST
    );
    let second = string_field(&second, "refresh_token");
    assert_eq!(refresh(&emulator, &second).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn auto_consent_can_change_to_another_test_user_mid_run() {
    let emulator = start_auto_consent("ada@example.com").await;
    let signed_in_as = |tokens: serde_json::Value| {
        let emulator = &emulator;
        async move {
            let access_token = string_field(&tokens, "access_token");
            let userinfo = api_get(emulator, &access_token, "/oauth2/v3/userinfo").await;
            let body: serde_json::Value = userinfo.json().await.unwrap();
            string_field(&body, "email")
        }
    };
    let ada = code_flow(&emulator, "openid email", &[]).await;
    assert_eq!(signed_in_as(ada).await, "ada@example.com");

    emulator.set_auto_consent("grace@example.com").unwrap();
    let grace = code_flow(&emulator, "openid email", &[]).await;
    assert_eq!(signed_in_as(grace).await, "grace@example.com");

    let error = emulator.set_auto_consent("nobody@example.com").unwrap_err();
    assert!(
        error.contains("nobody@example.com is not a configured test user"),
        "{error}"
    );
    let still_grace = code_flow(&emulator, "openid email", &[]).await;
    assert_eq!(signed_in_as(still_grace).await, "grace@example.com");
}
