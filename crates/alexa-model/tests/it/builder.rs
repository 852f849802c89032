//! Builder output: snapshotted, re-parsed, and accepted by Amazon's Python model.

use alexa_model::response::{CardImage, Directive};
use alexa_model::{
    Card, ConfirmationStatus, OutputSpeech, PlayBehavior, ResponseBuilder, ResponseEnvelope, ssml,
};
use expect_test::{Expect, expect};
use serde_json::{Map, json};

use crate::ask_model_check::{EnvelopeKind, ask_model_check};
use crate::samples::sample;

/// Snapshots the pretty JSON, checks it parses back to the same value, and runs ask_model_check.
fn check(envelope: ResponseEnvelope, expected: Expect) {
    let pretty = serde_json::to_string_pretty(&envelope).unwrap();
    expected.assert_eq(&pretty);
    let reparsed: ResponseEnvelope = serde_json::from_str(&pretty).unwrap();
    assert_eq!(reparsed, envelope);
    ask_model_check(EnvelopeKind::Response, &pretty).unwrap_or_else(|error| panic!("{error}"));
}

#[test]
fn link_account_response_is_exactly_what_amazon_documents() {
    let envelope = ResponseBuilder::new()
        .speak("Please use the Alexa app to link your Google account.")
        .link_account_card()
        .end_session(true)
        .build();
    assert_eq!(
        serde_json::to_string(&envelope).unwrap(),
        r#"{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Please use the Alexa app to link your Google account."},"card":{"type":"LinkAccount"},"shouldEndSession":true}}"#
    );
    check(
        envelope,
        expect![[r#"
        {
          "version": "1.0",
          "response": {
            "outputSpeech": {
              "type": "PlainText",
              "text": "Please use the Alexa app to link your Google account."
            },
            "card": {
              "type": "LinkAccount"
            },
            "shouldEndSession": true
          }
        }"#]],
    );
}

#[test]
fn empty_response() {
    assert_eq!(
        serde_json::to_string(&ResponseEnvelope::empty()).unwrap(),
        r#"{"version":"1.0","response":{}}"#
    );
    check(
        ResponseEnvelope::empty(),
        expect![[r#"
        {
          "version": "1.0",
          "response": {}
        }"#]],
    );
    check(
        ResponseBuilder::new().build(),
        expect![[r#"
        {
          "version": "1.0",
          "response": {}
        }"#]],
    );
}

#[test]
fn ssml_speech_with_reprompt_card_and_session_attributes() {
    let mut attributes = Map::new();
    attributes.insert("lastIntent".to_owned(), json!("ListFilesIntent"));
    attributes.insert("turns".to_owned(), json!(3));
    let envelope = ResponseBuilder::new()
        .speak_ssml(ssml::speak(&format!(
            "Your newest file is {}.<break time=\"300ms\"/>Anything else?",
            ssml::escape("Q3 <draft> & \"notes\"")
        )))
        .reprompt("Anything else?")
        .simple_card("Google Drive", "Q3 <draft> & \"notes\"")
        .session_attributes(attributes)
        .build();
    check(
        envelope,
        expect![[r#"
        {
          "version": "1.0",
          "sessionAttributes": {
            "lastIntent": "ListFilesIntent",
            "turns": 3
          },
          "response": {
            "outputSpeech": {
              "type": "SSML",
              "ssml": "<speak>Your newest file is Q3 &lt;draft&gt; &amp; &quot;notes&quot;.<break time=\"300ms\"/>Anything else?</speak>"
            },
            "card": {
              "type": "Simple",
              "title": "Google Drive",
              "content": "Q3 <draft> & \"notes\""
            },
            "reprompt": {
              "outputSpeech": {
                "type": "PlainText",
                "text": "Anything else?"
              }
            },
            "shouldEndSession": false
          }
        }"#]],
    );
}

#[test]
fn elicit_slot_echoes_the_updated_intent() {
    let request = sample("intent_add_note_without_value");
    let intent = request.intent().expect("an IntentRequest").clone();
    let envelope = ResponseBuilder::new()
        .speak("What should the note say?")
        .reprompt("Tell me the note, for example: buy milk.")
        .elicit_slot("note", intent)
        .build();
    check(
        envelope,
        expect![[r#"
        {
          "version": "1.0",
          "response": {
            "outputSpeech": {
              "type": "PlainText",
              "text": "What should the note say?"
            },
            "reprompt": {
              "outputSpeech": {
                "type": "PlainText",
                "text": "Tell me the note, for example: buy milk."
              }
            },
            "directives": [
              {
                "type": "Dialog.ElicitSlot",
                "slotToElicit": "note",
                "updatedIntent": {
                  "name": "AddNoteIntent",
                  "confirmationStatus": "NONE",
                  "slots": {
                    "note": {
                      "name": "note",
                      "confirmationStatus": "NONE"
                    }
                  }
                }
              }
            ],
            "shouldEndSession": false
          }
        }"#]],
    );
}

#[test]
fn ask_for_permissions_consent_card() {
    let envelope = ResponseBuilder::new()
        .speak("Please grant the permission in the Alexa app.")
        .ask_for_permissions_consent_card(["alexa::profile:email:read"])
        .end_session(true)
        .build();
    check(
        envelope,
        expect![[r#"
        {
          "version": "1.0",
          "response": {
            "outputSpeech": {
              "type": "PlainText",
              "text": "Please grant the permission in the Alexa app."
            },
            "card": {
              "type": "AskForPermissionsConsent",
              "permissions": [
                "alexa::profile:email:read"
              ]
            },
            "shouldEndSession": true
          }
        }"#]],
    );
}

#[test]
fn other_dialog_directives_standard_card_and_raw_directive() {
    let mut intent = sample("intent_add_note_filled")
        .intent()
        .expect("an IntentRequest")
        .clone();
    intent.confirmation_status = Some(ConfirmationStatus::Confirmed);
    let mut response = ResponseBuilder::new()
        .add_directive(Directive::DialogDelegate {
            updated_intent: None,
        })
        .add_directive(Directive::DialogConfirmSlot {
            slot_to_confirm: "note".to_owned(),
            updated_intent: Some(intent.clone()),
        })
        .add_directive(Directive::DialogConfirmIntent {
            updated_intent: Some(intent),
        })
        .add_directive(Directive::Other(json!({
            "type": "Alexa.Presentation.APL.RenderDocument",
            "token": "test-apl-token",
            "document": {"type": "Link", "src": "doc://alexa/apl/documents/test"}
        })))
        .build();
    response.response.output_speech = Some(OutputSpeech::PlainText {
        text: "Okay.".to_owned(),
        play_behavior: Some(PlayBehavior::ReplaceEnqueued),
    });
    response.response.card = Some(Card::Standard {
        title: "Note".to_owned(),
        text: "buy milk & eggs".to_owned(),
        image: Some(CardImage {
            small_image_url: Some("https://example.com/small.png".to_owned()),
            large_image_url: None,
        }),
    });
    check(
        response,
        expect![[r#"
        {
          "version": "1.0",
          "response": {
            "outputSpeech": {
              "type": "PlainText",
              "text": "Okay.",
              "playBehavior": "REPLACE_ENQUEUED"
            },
            "card": {
              "type": "Standard",
              "title": "Note",
              "text": "buy milk & eggs",
              "image": {
                "smallImageUrl": "https://example.com/small.png"
              }
            },
            "directives": [
              {
                "type": "Dialog.Delegate"
              },
              {
                "type": "Dialog.ConfirmSlot",
                "slotToConfirm": "note",
                "updatedIntent": {
                  "name": "AddNoteIntent",
                  "confirmationStatus": "CONFIRMED",
                  "slots": {
                    "note": {
                      "name": "note",
                      "value": "buy milk & eggs",
                      "confirmationStatus": "NONE"
                    }
                  }
                }
              },
              {
                "type": "Dialog.ConfirmIntent",
                "updatedIntent": {
                  "name": "AddNoteIntent",
                  "confirmationStatus": "CONFIRMED",
                  "slots": {
                    "note": {
                      "name": "note",
                      "value": "buy milk & eggs",
                      "confirmationStatus": "NONE"
                    }
                  }
                }
              },
              {
                "document": {
                  "src": "doc://alexa/apl/documents/test",
                  "type": "Link"
                },
                "token": "test-apl-token",
                "type": "Alexa.Presentation.APL.RenderDocument"
              }
            ]
          }
        }"#]],
    );
}

#[test]
fn unknown_directive_types_parse_as_other() {
    let directive: Directive = serde_json::from_value(json!({"type": "AudioPlayer.Stop"})).unwrap();
    assert_eq!(
        directive,
        Directive::Other(json!({"type": "AudioPlayer.Stop"}))
    );
    let delegate: Directive = serde_json::from_value(json!({"type": "Dialog.Delegate"})).unwrap();
    assert_eq!(
        delegate,
        Directive::DialogDelegate {
            updated_intent: None
        }
    );
}
