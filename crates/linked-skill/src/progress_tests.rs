//! Progressive responses against the twin of Alexa's skill APIs over loopback HTTP: the
//! automatic one while a handler is slow, none when it is fast, a handler's own, the
//! per-request cap, and failures that never touch the answer.

use std::time::Duration;

use devstack::alexa::skill_api::SkillApiTwin;
use google_api::scopes;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::{
    Answer, HandlerError, IntentHandler, IntentInput, PROGRESSIVE_RESPONSES_PER_REQUEST, Skill,
};

const REQUEST_ID: &str = "amzn1.echo-api.request.PROGRESS";

/// Keeps working until the twin has played a progressive response: a slow Google, without
/// a clock in the test.
struct SlowUntilHeard(&'static SkillApiTwin);

impl IntentHandler for SlowUntilHeard {
    const NAME: &'static str = "SlowIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, _: IntentInput<'_>) -> Result<Answer, HandlerError> {
        while self.0.progressive_responses().is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Ok(Answer::tell("Here it is."))
    }
}

struct Fast;

impl IntentHandler for Fast {
    const NAME: &'static str = "FastIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, _: IntentInput<'_>) -> Result<Answer, HandlerError> {
        Ok(Answer::tell("Done."))
    }
}

/// Says "looking" as often as it is told to, and reports how many Alexa accepted.
struct Chatty;

impl IntentHandler for Chatty {
    const NAME: &'static str = "ChattyIntent";
    const SCOPES: &'static [&'static scopes::Scope] = &[];

    async fn answer(&self, input: IntentInput<'_>) -> Result<Answer, HandlerError> {
        let mut accepted = 0;
        for _ in 0..PROGRESSIVE_RESPONSES_PER_REQUEST + 2 {
            if input.progress("Looking <now> & then").await {
                accepted += 1;
            }
        }
        Ok(Answer::tell(format!("{accepted} accepted.")))
    }
}

fn request(twin: &SkillApiTwin, intent: &str, token: &str) -> Value {
    json!({
        "version": "1.0",
        "session": {"new": true, "sessionId": "s", "user": {"userId": "amzn1.ask.account.TEST"}},
        "context": {"System": {"user": {"userId": "amzn1.ask.account.TEST"},
            "device": {"deviceId": "amzn1.ask.device.1"},
            "apiEndpoint": twin.api_endpoint(), "apiAccessToken": token}},
        "request": {"type": "IntentRequest", "requestId": REQUEST_ID, "locale": "en-US",
            "intent": {"name": intent}}
    })
}

fn speech(response: &Value) -> &str {
    response["response"]["outputSpeech"]["text"]
        .as_str()
        .unwrap_or_default()
}

async fn answer(skill: &Skill, request: Value) -> Value {
    skill
        .handle_json(request, Instant::now())
        .await
        .expect("an answer")
}

#[tokio::test]
async fn a_slow_handler_gets_exactly_one_automatic_progressive_response_a_fast_one_none() {
    let twin: &'static SkillApiTwin = Box::leak(Box::new(SkillApiTwin::start().await.unwrap()));
    let skill = Skill::builder()
        .intent(SlowUntilHeard(twin))
        .intent(Fast)
        .automatic_progress(Some(Duration::from_millis(20)))
        .build();

    let token = twin.open_request(REQUEST_ID, "amzn1.ask.device.1");
    let fast = answer(&skill, request(twin, "FastIntent", &token)).await;
    assert_eq!(speech(&fast), "Done.");
    assert!(twin.progressive_responses().is_empty());

    let slow = answer(&skill, request(twin, "SlowIntent", &token)).await;
    twin.close_request(REQUEST_ID);
    assert_eq!(speech(&slow), "Here it is.");
    let heard = twin.progressive_responses();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_eq!(heard[0].request_id, REQUEST_ID);
    assert_eq!(heard[0].speech, "<speak>One moment…</speak>");
}

#[tokio::test]
async fn a_handler_speaks_its_own_within_the_cap_and_the_switch_turns_the_automatic_one_off() {
    let twin = SkillApiTwin::start().await.unwrap();
    let skill = Skill::builder()
        .intent(Chatty)
        .automatic_progress(None)
        .build();
    let token = twin.open_request(REQUEST_ID, "amzn1.ask.device.1");
    let response = answer(&skill, request(&twin, "ChattyIntent", &token)).await;
    assert_eq!(
        speech(&response),
        format!("{PROGRESSIVE_RESPONSES_PER_REQUEST} accepted.")
    );
    let heard = twin.progressive_responses();
    assert_eq!(heard.len(), PROGRESSIVE_RESPONSES_PER_REQUEST);
    assert_eq!(
        heard[0].speech,
        "<speak>Looking &lt;now&gt; &amp; then</speak>"
    );
}

#[tokio::test]
async fn a_refused_or_impossible_progressive_response_leaves_the_answer_alone() {
    let twin = SkillApiTwin::start().await.unwrap();
    let skill = Skill::builder().intent(Chatty).build();

    // A token the twin never issued: 401 every time, the answer is still the handler's.
    let refused = answer(&skill, request(&twin, "ChattyIntent", "not-the-token")).await;
    assert_eq!(speech(&refused), "0 accepted.");

    // No apiEndpoint (test tools, the simulator's older requests): nothing is attempted.
    let mut without_endpoint = request(&twin, "ChattyIntent", "t");
    without_endpoint["context"]["System"]
        .as_object_mut()
        .unwrap()
        .remove("apiEndpoint");
    assert_eq!(
        speech(&answer(&skill, without_endpoint).await),
        "0 accepted."
    );

    // Plain http to a host that is not loopback would send the token in the clear.
    let mut remote = request(&twin, "ChattyIntent", "t");
    remote["context"]["System"]["apiEndpoint"] = json!("http://api.amazonalexa.com");
    assert_eq!(speech(&answer(&skill, remote).await), "0 accepted.");
    assert!(twin.progressive_responses().is_empty());
}
