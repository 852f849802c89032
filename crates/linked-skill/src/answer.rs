//! What a handler answers, before the toolkit turns it into Alexa's response JSON.

use alexa_model::ResponseEnvelope;
use serde_json::{Map, Value};

/// A handler's answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub(crate) kind: AnswerKind,
    pub(crate) session_attributes: Option<Map<String, Value>>,
}

#[derive(Debug, Clone)]
pub(crate) enum AnswerKind {
    Say(String),
    Tell(String),
    Ask { speech: String, reprompt: String },
    ElicitSlot { slot: String, question: String },
    LinkAccount(String),
    Response(Box<ResponseEnvelope>),
}

impl Answer {
    /// The usual answer: speaks `speech`; a one-shot request ("Alexa, ask … who am I") then
    /// ends, inside a conversation the skill keeps listening with [`Text::AnythingElse`](crate::Text::AnythingElse).
    pub fn say(speech: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::Say(speech.into()))
    }

    /// Speaks and ends the session.
    pub fn tell(speech: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::Tell(speech.into()))
    }

    /// Speaks and keeps listening; `reprompt` is said if the user stays silent.
    pub fn ask(speech: impl Into<String>, reprompt: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::Ask {
            speech: speech.into(),
            reprompt: reprompt.into(),
        })
    }

    /// Asks for slot `slot` of the current intent (Dialog.ElicitSlot); the model's dialog must
    /// declare the slot.
    pub fn elicit_slot(slot: impl Into<String>, question: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::ElicitSlot {
            slot: slot.into(),
            question: question.into(),
        })
    }

    /// Speaks, sends a LinkAccount card and ends the session.
    pub fn link_account(speech: impl Into<String>) -> Answer {
        Answer::of(AnswerKind::LinkAccount(speech.into()))
    }

    /// A response built by hand with `alexa_model::ResponseBuilder`, sent as it is.
    pub fn response(response: ResponseEnvelope) -> Answer {
        Answer::of(AnswerKind::Response(Box::new(response)))
    }

    /// Puts `attributes` into the session; the next request of the session carries them.
    pub fn with_session_attributes(mut self, attributes: Map<String, Value>) -> Answer {
        self.session_attributes = Some(attributes);
        self
    }

    fn of(kind: AnswerKind) -> Answer {
        Answer {
            kind,
            session_attributes: None,
        }
    }
}
