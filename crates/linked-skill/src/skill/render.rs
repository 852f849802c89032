//! An [`Answer`] rendered as Alexa's response: the session rule, the dialog directives and what
//! every kind carries; and the toolkit's own answers (link account, apology, ask, tell).

use alexa_model::{Card, Directive, Intent, RequestEnvelope, ResponseBuilder, ResponseEnvelope};
use tracing::warn;

use super::Skill;
use crate::answer::AnswerKind;
use crate::{Answer, Locale, Text};

impl Skill {
    pub(super) fn render(
        &self,
        answer: Answer,
        request: &RequestEnvelope,
        intent: Option<&Intent>,
        locale: Locale,
    ) -> ResponseEnvelope {
        let one_shot = request.session.as_ref().is_none_or(|session| session.new);
        let Answer {
            kind,
            session_attributes,
            card,
            directives,
            updated_intent,
        } = answer;
        // Dialog directives carry the intent Alexa should continue with: the handler's update,
        // else the request's own intent (none for a launch, which can only chain with one).
        let dialog_intent = updated_intent.or_else(|| intent.cloned());
        let mut response = match kind {
            AnswerKind::Say(speech) if one_shot => ResponseBuilder::new()
                .speak(speech)
                .end_session(true)
                .build(),
            AnswerKind::Say(speech) => ResponseBuilder::new()
                .speak(speech)
                .reprompt(self.texts.get(locale, Text::AnythingElse))
                .end_session(false)
                .build(),
            AnswerKind::Tell(speech) => ResponseBuilder::new()
                .speak(speech)
                .end_session(true)
                .build(),
            AnswerKind::Ask { speech, reprompt } => ResponseBuilder::new()
                .speak(speech)
                .reprompt(reprompt)
                .end_session(false)
                .build(),
            AnswerKind::Delegate => {
                if intent.is_none() && dialog_intent.is_none() {
                    warn!("a launch handler can only delegate to an intent it names");
                    return self.google_unavailable(locale);
                }
                // Alexa forbids speech and reprompt next to Dialog.Delegate; the session stays
                // open because Alexa speaks the model's prompt and waits for the user.
                ResponseBuilder::new()
                    .add_directive(Directive::DialogDelegate {
                        updated_intent: dialog_intent,
                    })
                    .end_session(false)
                    .build()
            }
            AnswerKind::ElicitSlot { slot, question } => {
                let Some(dialog_intent) = dialog_intent else {
                    warn!(
                        slot,
                        "a launch handler cannot elicit a slot without an intent"
                    );
                    return self.google_unavailable(locale);
                };
                ResponseBuilder::new()
                    .speak(question.clone())
                    .reprompt(question)
                    .elicit_slot(slot, dialog_intent)
                    .end_session(false)
                    .build()
            }
            AnswerKind::ConfirmSlot { slot, question } => {
                let Some(dialog_intent) = dialog_intent else {
                    warn!(
                        slot,
                        "a launch handler cannot confirm a slot without an intent"
                    );
                    return self.google_unavailable(locale);
                };
                ResponseBuilder::new()
                    .speak(question.clone())
                    .reprompt(question)
                    .add_directive(Directive::DialogConfirmSlot {
                        slot_to_confirm: slot,
                        updated_intent: Some(dialog_intent),
                    })
                    .end_session(false)
                    .build()
            }
            AnswerKind::ConfirmIntent { question } => {
                let Some(dialog_intent) = dialog_intent else {
                    warn!("a launch handler cannot confirm an intent without naming it");
                    return self.google_unavailable(locale);
                };
                ResponseBuilder::new()
                    .speak(question.clone())
                    .reprompt(question)
                    .add_directive(Directive::DialogConfirmIntent {
                        updated_intent: Some(dialog_intent),
                    })
                    .end_session(false)
                    .build()
            }
            AnswerKind::LinkAccount(speech) => ResponseBuilder::new()
                .speak(speech)
                .link_account_card()
                .end_session(true)
                .build(),
            AnswerKind::Response(response) => *response,
        };
        // What every kind may carry is added here, once, so no kind can drop it.
        if let Some(attributes) = session_attributes {
            response.session_attributes = Some(attributes);
        }
        if let Some(card) = card {
            if matches!(response.response.card, Some(Card::LinkAccount)) {
                warn!("a LinkAccount answer keeps its own card; the handler's card is not shown");
            } else {
                response.response.card = Some(card);
            }
        }
        response.response.directives.extend(directives);
        response
    }

    /// Speech plus a LinkAccount card; the session ends so the user can go to the Alexa app.
    pub(super) fn link_account(&self, text: Text, locale: Locale) -> ResponseEnvelope {
        ResponseBuilder::new()
            .speak(self.texts.get(locale, text))
            .link_account_card()
            .end_session(true)
            .build()
    }

    pub(super) fn google_unavailable(&self, locale: Locale) -> ResponseEnvelope {
        self.ask(Text::GoogleUnavailable, Text::AnythingElse, locale)
    }

    pub(super) fn tell(&self, speech: &str) -> ResponseEnvelope {
        ResponseBuilder::new()
            .speak(speech)
            .end_session(true)
            .build()
    }

    pub(super) fn ask(&self, speech: Text, reprompt: Text, locale: Locale) -> ResponseEnvelope {
        ResponseBuilder::new()
            .speak(self.texts.get(locale, speech))
            .reprompt(self.texts.get(locale, reprompt))
            .end_session(false)
            .build()
    }
}
