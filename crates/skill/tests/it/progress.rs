//! Progressive responses from the real binary on the Lambda Runtime API: with Google answering
//! after 3 s, exactly one valid progressive response for that request reaches Alexa's API (the
//! twin) before the answer; with Google fast, none.

use std::time::Duration;

use devstack::alexa::skill_api::SkillApiTwin;
use devstack::google::{Config, DEFAULT_CLIENT_ID, Emulator, Fault};
use linked_skill::testing::{TestRequest, TestResponse};
use serde_json::Value;

use crate::support::{lambda_function, request};

const ADA: &str = "ada@example.com";
const DEVICE: &str = "amzn1.ask.device.TESTDEVICE";

/// The list-files request with Ada's token, request ID `request_id`, and the twin as Alexa's API.
fn list_files(google: &Emulator, alexa: &SkillApiTwin, request_id: &str) -> Value {
    let token = google.mint_access_token(
        ADA,
        DEFAULT_CLIENT_ID,
        &["https://www.googleapis.com/auth/drive.metadata.readonly"],
    );
    TestRequest::from_json(request("list-files"))
        .linked(&token)
        .request_id(request_id)
        .api_endpoint(&alexa.api_endpoint())
        .api_access_token(&alexa.open_request(request_id, DEVICE))
        .into_json()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_google_gets_one_progressive_response_before_the_answer_a_fast_one_none() {
    let google = Emulator::start(Config::default())
        .await
        .expect("the Google twin starts");
    let alexa = SkillApiTwin::start()
        .await
        .expect("the Alexa API twin starts");
    let function = lambda_function(&google.base_url(), &[]).await;

    let fast = function
        .invoke(list_files(&google, &alexa, "amzn1.echo-api.request.FAST"))
        .await
        .map(TestResponse::new)
        .expect("an answer");
    alexa.close_request("amzn1.echo-api.request.FAST");
    assert!(!fast.speech().is_empty(), "{fast:#}");
    assert!(alexa.progressive_responses().is_empty());

    google.inject_fault("/drive/", Fault::Delay(Duration::from_secs(3)), None);
    let slow = function
        .invoke(list_files(&google, &alexa, "amzn1.echo-api.request.SLOW"))
        .await
        .map(TestResponse::new)
        .expect("an answer");
    // Only now does the twin learn that the answer is out: a progressive response sent after
    // it would still be counted here, and one sent late is refused (403) by the twin.
    alexa.close_request("amzn1.echo-api.request.SLOW");
    assert_eq!(
        slow.speech(),
        fast.speech(),
        "the slow answer is the same answer"
    );
    let heard = alexa.progressive_responses();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_eq!(heard[0].request_id, "amzn1.echo-api.request.SLOW");
    assert_eq!(heard[0].speech, "<speak>One moment…</speak>");
}
