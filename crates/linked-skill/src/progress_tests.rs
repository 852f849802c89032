//! Progressive responses against the twin of Alexa's skill APIs over loopback HTTP: the
//! automatic one while a handler is slow, none when it is fast, a handler's own, the
//! per-request cap, and failures that never touch the answer.

use std::time::Duration;

use devstack::alexa::skill_api::SkillApiTwin;
use google_api::scopes;

use crate::testing::{TestRequest, answer};
use crate::{
    Answer, HandlerError, IntentHandler, IntentInput, Skill,
    limits::PROGRESSIVE_RESPONSES_PER_REQUEST,
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

/// `intent` from the device the twin expects, whose Alexa APIs the twin plays with `token`.
fn request(twin: &SkillApiTwin, intent: &str, token: &str) -> TestRequest {
    TestRequest::intent(intent)
        .new_session(true)
        .request_id(REQUEST_ID)
        .device_id("amzn1.ask.device.1")
        .api_endpoint(&twin.api_endpoint())
        .api_access_token(token)
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
    assert_eq!(fast.speech(), "Done.");
    assert!(twin.progressive_responses().is_empty());

    let slow = answer(&skill, request(twin, "SlowIntent", &token)).await;
    twin.close_request(REQUEST_ID);
    assert_eq!(slow.speech(), "Here it is.");
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
        response.speech(),
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
    assert_eq!(refused.speech(), "0 accepted.");

    // No apiEndpoint (test tools, the simulator's older requests): nothing is attempted.
    let mut without_endpoint = request(&twin, "ChattyIntent", "t").into_json();
    without_endpoint["context"]["System"]
        .as_object_mut()
        .unwrap()
        .remove("apiEndpoint");
    assert_eq!(
        answer(&skill, without_endpoint).await.speech(),
        "0 accepted."
    );

    // Plain http to a host that is not loopback would send the token in the clear.
    let remote = request(&twin, "ChattyIntent", "t").api_endpoint("http://api.amazonalexa.com");
    assert_eq!(answer(&skill, remote).await.speech(), "0 accepted.");
    assert!(twin.progressive_responses().is_empty());
}
