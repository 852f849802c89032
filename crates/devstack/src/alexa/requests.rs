//! Alexa-shaped request envelopes, as Alexa sends them to a skill's Lambda function.
//!
//! The shapes follow `docs/alexa-requests.md` ("The envelope", "Skill events") and match the
//! skill's samples in `crates/skill/tests/data/requests/` (a unit test holds them equal).
//! Timestamps are "now" and request IDs are fresh, because the skill may check both.

use serde_json::{Map, Value, json};

/// The `context.System.device.deviceId` of every request: one Echo, whose settings (its time
/// zone) the settings twin answers for.
pub const DEVICE_ID: &str = "amzn1.ask.device.DEVSTACK";

/// The `apiEndpoint` of a request no twin of Alexa's APIs answers: a loopback port where nothing
/// listens, so a call fails at once and offline nothing reaches Amazon.
pub const UNANSWERED_API_ENDPOINT: &str = "http://127.0.0.1:9";

/// Who is speaking to which skill, and whether this request opens the session.
#[derive(Debug, Clone, Copy)]
pub struct RequestContext<'a> {
    /// `en-US`, `de-DE`, …
    pub locale: &'a str,
    /// `amzn1.ask.skill.…`, sent as `applicationId`.
    pub skill_id: &'a str,
    /// `amzn1.ask.account.…`
    pub user_id: &'a str,
    /// `amzn1.echo-api.session.…`; [`new_session_id`] makes one.
    pub session_id: &'a str,
    /// The linked account's access token; `None` when the account is not (or no longer) linked,
    /// which is exactly how Alexa tells a skill so.
    pub access_token: Option<&'a str>,
    /// `session.new`: true for the first request of a session.
    pub new_session: bool,
}

/// `LaunchRequest`: "Alexa, open …".
pub fn launch(context: &RequestContext<'_>) -> Value {
    envelope(context, request_body(context, "LaunchRequest", Map::new()))
}

/// `IntentRequest` for `intent_name` with `slots` as `(name, value)` pairs.
pub fn intent(context: &RequestContext<'_>, intent_name: &str, slots: &[(&str, &str)]) -> Value {
    let mut intent = Map::new();
    intent.insert("name".into(), intent_name.into());
    intent.insert("confirmationStatus".into(), "NONE".into());
    if !slots.is_empty() {
        let slots: Map<String, Value> = slots
            .iter()
            .map(|(name, value)| {
                let slot = json!({"name": name, "value": value, "confirmationStatus": "NONE"});
                (name.to_string(), slot)
            })
            .collect();
        intent.insert("slots".into(), Value::Object(slots));
    }
    let mut fields = Map::new();
    fields.insert("intent".into(), Value::Object(intent));
    envelope(context, request_body(context, "IntentRequest", fields))
}

/// `SessionEndedRequest` with `reason` (`USER_INITIATED`, `EXCEEDED_MAX_REPROMPTS`, `ERROR`).
pub fn session_ended(context: &RequestContext<'_>, reason: &str) -> Value {
    let mut fields = Map::new();
    fields.insert("reason".into(), reason.into());
    envelope(
        context,
        request_body(context, "SessionEndedRequest", fields),
    )
}

/// `AlexaSkillEvent.SkillAccountLinked`: a skill event, so there is no `session`
/// (docs/alexa-requests.md, "Skill events"). The new access token is in `request.body` and in
/// `context.System.user`.
pub fn skill_account_linked(context: &RequestContext<'_>) -> Value {
    let timestamp = now_timestamp();
    let mut fields = Map::new();
    let mut body = Map::new();
    if let Some(access_token) = context.access_token {
        body.insert("accessToken".into(), access_token.into());
    }
    fields.insert("body".into(), Value::Object(body));
    fields.insert("eventCreationTime".into(), timestamp.clone().into());
    fields.insert("eventPublishingTime".into(), timestamp.into());
    let mut envelope = envelope(
        context,
        request_body(context, "AlexaSkillEvent.SkillAccountLinked", fields),
    );
    if let Some(object) = envelope.as_object_mut() {
        object.remove("session");
    }
    envelope
}

/// Points `envelope` at Alexa's skill-facing APIs at `api_endpoint` (`context.System.apiEndpoint`)
/// with the request's own `api_access_token` (`context.System.apiAccessToken`).
pub fn set_skill_api(envelope: &mut Value, api_endpoint: &str, api_access_token: &str) {
    let system = &mut envelope["context"]["System"];
    system["apiEndpoint"] = api_endpoint.into();
    system["apiAccessToken"] = api_access_token.into();
}

/// A fresh `amzn1.echo-api.session.<uuid>`.
pub fn new_session_id() -> String {
    format!("amzn1.echo-api.session.{}", random_uuid())
}

fn envelope(context: &RequestContext<'_>, request: Value) -> Value {
    let mut user = Map::new();
    user.insert("userId".into(), context.user_id.into());
    if let Some(access_token) = context.access_token {
        user.insert("accessToken".into(), access_token.into());
    }
    let application = json!({"applicationId": context.skill_id});
    json!({
        "version": "1.0",
        "session": {
            "new": context.new_session,
            "sessionId": context.session_id,
            "application": application,
            "attributes": {},
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {
                    "deviceId": DEVICE_ID,
                    "supportedInterfaces": {},
                },
                // Offline nothing may reach Amazon: the skill calls Alexa's APIs back here
                // (progressive responses while Google is slow). `set_skill_api` points a
                // request at `skill_api::SkillApiTwin` with a token of its own.
                "apiEndpoint": UNANSWERED_API_ENDPOINT,
                // Alexa's own service token, unrelated to account linking.
                "apiAccessToken": "devstack-api-access-token",
            },
        },
        "request": request,
    })
}

fn request_body(
    context: &RequestContext<'_>,
    request_type: &str,
    fields: Map<String, Value>,
) -> Value {
    let mut request = Map::new();
    request.insert("type".into(), request_type.into());
    request.extend(fields);
    request.insert(
        "requestId".into(),
        format!("amzn1.echo-api.request.{}", random_uuid()).into(),
    );
    request.insert("timestamp".into(), now_timestamp().into());
    request.insert("locale".into(), context.locale.into());
    Value::Object(request)
}

/// ISO 8601 in UTC without fractional seconds, as Alexa sends it (`2026-11-24T18:00:00Z`).
fn now_timestamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn random_uuid() -> String {
    // A fresh OS-seeded generator per call: a few calls per link, no shared state.
    let bits: u128 =
        rand::Rng::random(&mut <rand::rngs::StdRng as rand::SeedableRng>::from_os_rng());
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE_SKILL_ID: &str = "amzn1.ask.skill.7c9a5ab3-4c5f-4f2a-9c1e-0123456789ab";

    fn sample_context(new_session: bool) -> RequestContext<'static> {
        RequestContext {
            locale: "en-US",
            skill_id: SAMPLE_SKILL_ID,
            user_id: "amzn1.ask.account.TESTUSER",
            session_id: "amzn1.echo-api.session.00000000-0000-0000-0000-000000000001",
            access_token: Some("ya29.test-linked-access-token"),
            new_session,
        }
    }

    /// The skill's samples with the per-request values (IDs, times, device) made equal.
    fn check(built: Value, sample_name: &str) {
        let path = format!(
            "{}/../skill/tests/data/requests/{sample_name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let sample: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(normalize(built), normalize(sample), "{sample_name}");
    }

    fn normalize(mut envelope: Value) -> Value {
        let request = &mut envelope["request"];
        for time_field in ["timestamp", "eventCreationTime", "eventPublishingTime"] {
            if request.get(time_field).is_some() {
                request[time_field] = "TIME".into();
            }
        }
        request["requestId"] = "REQUEST".into();
        // Dialog management is the skill model's business, not the simulator's.
        if let Some(request) = request.as_object_mut() {
            request.remove("dialogState");
        }
        let system = &mut envelope["context"]["System"];
        system["device"]["deviceId"] = "DEVICE".into();
        system["apiAccessToken"] = "API".into();
        // Offline requests name a loopback endpoint instead of Amazon's (see `envelope`).
        system["apiEndpoint"] = "ENDPOINT".into();
        envelope
    }

    #[test]
    fn launch_matches_the_skill_sample() {
        check(launch(&sample_context(true)), "launch.json");
    }

    #[test]
    fn intent_without_slots_matches_the_skill_sample() {
        check(
            intent(&sample_context(false), "AMAZON.HelpIntent", &[]),
            "help.json",
        );
    }

    #[test]
    fn intent_with_slots_matches_the_skill_sample() {
        let built = intent(
            &sample_context(false),
            "AddNoteIntent",
            &[("note", "buy oat milk")],
        );
        check(built, "add-note.json");
    }

    #[test]
    fn skill_account_linked_matches_the_skill_sample() {
        check(
            skill_account_linked(&sample_context(false)),
            "account-linked.json",
        );
    }

    #[test]
    fn unlinked_user_has_no_access_token_anywhere() {
        let context = RequestContext {
            access_token: None,
            ..sample_context(true)
        };
        let envelope = launch(&context);
        assert_eq!(
            envelope["context"]["System"]["user"],
            json!({"userId": "amzn1.ask.account.TESTUSER"})
        );
        assert_eq!(
            envelope["session"]["user"],
            envelope["context"]["System"]["user"]
        );
    }

    #[test]
    fn set_skill_api_replaces_the_endpoint_and_the_token_only() {
        let mut envelope = launch(&sample_context(true));
        let before = envelope.clone();
        set_skill_api(&mut envelope, "http://127.0.0.1:4242", "token-1");
        assert_eq!(
            envelope["context"]["System"]["apiEndpoint"],
            "http://127.0.0.1:4242"
        );
        assert_eq!(envelope["context"]["System"]["apiAccessToken"], "token-1");
        assert_eq!(normalize(envelope), normalize(before));
    }

    #[test]
    fn session_ended_carries_the_reason_and_fresh_ids() {
        let first = session_ended(&sample_context(false), "USER_INITIATED");
        let second = session_ended(&sample_context(false), "USER_INITIATED");
        assert_eq!(first["request"]["type"], "SessionEndedRequest");
        assert_eq!(first["request"]["reason"], "USER_INITIATED");
        assert_ne!(
            first["request"]["requestId"],
            second["request"]["requestId"]
        );
        let timestamp = first["request"]["timestamp"].as_str().unwrap();
        assert!(timestamp.parse::<jiff::Timestamp>().is_ok(), "{timestamp}");
        assert!(
            timestamp.ends_with('Z') && !timestamp.contains('.'),
            "{timestamp}"
        );
    }
}
