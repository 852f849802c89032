//! The twin of Alexa's skill-facing APIs over HTTP: Amazon's status codes and error bodies for
//! progressive responses and the device's time zone.

use devstack::alexa::skill_api::{PROGRESSIVE_RESPONSES_PER_REQUEST, SkillApiTwin};
use serde_json::{Value, json};

fn speak(request_id: &str, speech: &str) -> Value {
    json!({"header": {"requestId": request_id},
        "directive": {"type": "VoicePlayer.Speak", "speech": speech}})
}

async fn post(twin: &SkillApiTwin, token: &str, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/v1/directives", twin.api_endpoint()))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn progressive_responses_are_accepted_only_as_amazon_accepts_them() {
    let twin = SkillApiTwin::start().await.unwrap();
    let token = twin.open_request("amzn1.echo-api.request.1", "amzn1.ask.device.1");

    let (status, body) = post(
        &twin,
        &token,
        &speak("amzn1.echo-api.request.1", "<speak>One moment.</speak>"),
    )
    .await;
    assert_eq!((status, body), (204, Value::Null));

    let (status, body) = post(
        &twin,
        "wrong-token",
        &speak("amzn1.echo-api.request.1", "<speak>Hi</speak>"),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body, json!({"code": 401, "message": "Not Authorized."}));

    let mut bad_type = speak("amzn1.echo-api.request.1", "<speak>Hi</speak>");
    bad_type["directive"]["type"] = json!("Dialog.Delegate");
    for bad in [
        bad_type,
        speak("amzn1.echo-api.request.other", "<speak>Hi</speak>"),
        speak("amzn1.echo-api.request.1", "not ssml"),
        json!({"directive": {"type": "VoicePlayer.Speak", "speech": "<speak>Hi</speak>"}}),
    ] {
        let (status, body) = post(&twin, &token, &bad).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(body["code"], 400);
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("Directive not valid")
        );
    }

    for _ in 1..PROGRESSIVE_RESPONSES_PER_REQUEST {
        let (status, _) = post(
            &twin,
            &token,
            &speak("amzn1.echo-api.request.1", "<speak>Still here.</speak>"),
        )
        .await;
        assert_eq!(status, 204);
    }
    let (status, _) = post(
        &twin,
        &token,
        &speak("amzn1.echo-api.request.1", "<speak>Too many.</speak>"),
    )
    .await;
    assert_eq!(status, 403, "more than the per-request cap");

    let second = twin.open_request("amzn1.echo-api.request.2", "amzn1.ask.device.1");
    twin.close_request("amzn1.echo-api.request.2");
    let (status, body) = post(
        &twin,
        &second,
        &speak("amzn1.echo-api.request.2", "<speak>Late.</speak>"),
    )
    .await;
    assert_eq!(status, 403, "after the final answer");
    assert_eq!(
        body["message"],
        "The skill is not allowed to send directives at the moment."
    );

    let accepted = twin.progressive_responses();
    assert_eq!(accepted.len(), PROGRESSIVE_RESPONSES_PER_REQUEST);
    assert_eq!(accepted[0].speech, "<speak>One moment.</speak>");
    assert!(!format!("{twin:?}").contains(&token));
}

#[tokio::test]
async fn the_time_zone_is_a_json_string_and_unset_is_204() {
    let twin = SkillApiTwin::start().await.unwrap();
    let token = twin.open_request("amzn1.echo-api.request.1", "amzn1.ask.device.TOKYO");
    let get = |device: &str, token: &str| {
        reqwest::Client::new()
            .get(format!(
                "{}/v2/devices/{device}/settings/System.timeZone",
                twin.api_endpoint()
            ))
            .bearer_auth(token)
            .send()
    };

    let unset = get("amzn1.ask.device.TOKYO", &token).await.unwrap();
    assert_eq!(unset.status().as_u16(), 204);

    twin.set_time_zone("amzn1.ask.device.TOKYO", "Asia/Tokyo");
    let set = get("amzn1.ask.device.TOKYO", &token).await.unwrap();
    assert_eq!(set.status().as_u16(), 200);
    assert_eq!(set.text().await.unwrap(), r#""Asia/Tokyo""#);

    let wrong = get("amzn1.ask.device.TOKYO", "wrong-token").await.unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["code"], "INVALID_TOKEN");

    let other = get("amzn1.ask.device.OTHER", &token).await.unwrap();
    assert_eq!(other.status().as_u16(), 403);
}

#[tokio::test]
async fn an_expired_token_is_refused_by_both_apis() {
    let twin = SkillApiTwin::start().await.unwrap();
    twin.set_token_lifetime(std::time::Duration::from_millis(50));
    let token = twin.open_request("amzn1.echo-api.request.1", "amzn1.ask.device.1");
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    let (status, body) = post(
        &twin,
        &token,
        &speak("amzn1.echo-api.request.1", "<speak>Late.</speak>"),
    )
    .await;
    assert_eq!((status, body["code"].clone()), (401, json!(401)));
    let settings = reqwest::Client::new()
        .get(format!(
            "{}/v2/devices/amzn1.ask.device.1/settings/System.timeZone",
            twin.api_endpoint()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(settings.status().as_u16(), 401);
    assert!(
        twin.received("amzn1.echo-api.request.1")
            .progressive
            .is_empty()
    );
}

#[tokio::test]
async fn unit_settings_are_unset_and_an_unknown_setting_is_404() {
    let twin = SkillApiTwin::start().await.unwrap();
    let token = twin.open_request("amzn1.echo-api.request.1", "amzn1.ask.device.1");
    let get = |setting: &str| {
        reqwest::Client::new()
            .get(format!(
                "{}/v2/devices/amzn1.ask.device.1/settings/{setting}",
                twin.api_endpoint()
            ))
            .bearer_auth(&token)
            .send()
    };
    for unit in ["System.distanceUnits", "System.temperatureUnit"] {
        assert_eq!(get(unit).await.unwrap().status().as_u16(), 204, "{unit}");
    }
    let unknown = get("System.favoriteColor").await.unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["code"], "INVALID_URI");
}

#[tokio::test]
async fn a_prepared_request_carries_the_twin_and_what_its_calls_met_is_kept_per_request() {
    let twin = SkillApiTwin::start().await.unwrap();
    twin.set_time_zone("amzn1.ask.device.1", "Asia/Tokyo");
    let mut envelope = json!({
        "context": {"System": {"device": {"deviceId": "amzn1.ask.device.1"},
            "apiEndpoint": "http://127.0.0.1:9", "apiAccessToken": "old"}},
        "request": {"type": "IntentRequest", "requestId": "amzn1.echo-api.request.7"},
    });
    let request_id = twin.prepare(&mut envelope);
    assert_eq!(request_id, "amzn1.echo-api.request.7");
    let system = &envelope["context"]["System"];
    assert_eq!(system["apiEndpoint"], twin.api_endpoint());
    let token = system["apiAccessToken"].as_str().unwrap().to_owned();
    assert_ne!(token, "old");

    let (status, _) = post(
        &twin,
        &token,
        &speak(&request_id, "<speak>One moment.</speak>"),
    )
    .await;
    assert_eq!(status, 204);
    let zone = reqwest::Client::new()
        .get(format!(
            "{}/v2/devices/amzn1.ask.device.1/settings/System.timeZone",
            twin.api_endpoint()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(zone.text().await.unwrap(), r#""Asia/Tokyo""#);
    twin.close_request(&request_id);
    let (status, _) = post(&twin, &token, &speak(&request_id, "<speak>After.</speak>")).await;
    assert_eq!(status, 403);

    let received = twin.received(&request_id);
    assert_eq!(received.progressive, ["<speak>One moment.</speak>"]);
    assert_eq!(received.time_zone_lookups, 1);
    assert_eq!(received.refused.len(), 1);
    assert_eq!(received.refused[0].0, 403);
    // Another request's record is its own.
    let other = twin.prepare(&mut json!({"request": {"requestId": "amzn1.echo-api.request.8"}}));
    assert!(twin.received(&other).progressive.is_empty());
}
