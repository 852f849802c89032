//! Alexa's side of a conversation: understanding what the user says with the skill's interaction
//! model, holding the session and the link (refreshing it when it expired, as Alexa does), and
//! building the request envelopes the skill receives.

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, SystemTime},
};

use anyhow::Context as _;
use devstack::{
    alexa::{self, Link, LinkState, UnlinkReason, requests::RequestContext},
    voice::{InteractionModel, Invocation, Match},
};
use serde_json::{Value, json};

use crate::chain::{Chain, SKILL_ID, SeenSecrets, USER_ID};

use super::format::RawRequest;

/// Words that wake the device, in the languages that write them differently; Alexa does not
/// pass them on.
const WAKE_WORDS: &[&str] = &["alexa", "アレクサ", "اليكسا", "एलेक्सा"];

/// What Alexa made of an utterance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Understood {
    /// "open cloud companion": a `LaunchRequest` opening a new session.
    Launch,
    /// An intent with its slots. `one_shot`: said with the invocation ("ask cloud companion
    /// who am I"), so it opens a new session; it holds the request's words ("who am i").
    Intent {
        found: Match,
        one_shot: Option<String>,
    },
}

/// A request sent and the answer received.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) request: Value,
    pub(crate) response: Value,
}

/// A slot the skill asked the user for, with the intent (and its slots so far) it belongs to.
#[derive(Debug, Clone)]
struct Elicitation {
    intent: String,
    slot: String,
    slots: Vec<(String, String)>,
}

/// One user talking to one skill through one chain.
pub(crate) struct Conversation {
    chain: Arc<Chain>,
    model: InteractionModel,
    locale: String,
    link: Option<Link>,
    session_id: String,
    session_new: bool,
    /// The slot the skill asked for with `Dialog.ElicitSlot`.
    eliciting: Option<Elicitation>,
    /// How far the world's clock has been moved forward.
    clock_offset: Duration,
    /// `clock_offset` when the link was made: the simulator dates a new link by the real clock,
    /// so the link's times run on the real clock shifted by what had passed before it.
    link_clock_base: Duration,
    /// Every token and secret of this conversation, for the log scan.
    pub(crate) seen: SeenSecrets,
    /// What happened at Alexa's end before the last request (a refresh, a dropped link).
    pub(crate) notes: Vec<String>,
}

impl Conversation {
    pub(crate) fn new(chain: Arc<Chain>, model: InteractionModel, locale: &str) -> Self {
        let mut seen = SeenSecrets::default();
        seen.note(chain.client_secret.secret());
        Conversation {
            chain,
            model,
            locale: locale.to_owned(),
            link: None,
            session_id: alexa::requests::new_session_id(),
            session_new: true,
            eliciting: None,
            clock_offset: Duration::ZERO,
            link_clock_base: Duration::ZERO,
            seen,
            notes: Vec::new(),
        }
    }

    /// Now, on the clock the current link's expiry is measured by (see `link_clock_base`).
    fn link_now(&self) -> SystemTime {
        SystemTime::now() + self.clock_offset.saturating_sub(self.link_clock_base)
    }

    /// Whether a session is open: the device is listening, so the user speaks without "Alexa".
    pub(crate) fn in_session(&self) -> bool {
        !self.session_new
    }

    pub(crate) fn model(&self) -> &InteractionModel {
        &self.model
    }

    pub(crate) fn is_linked(&self) -> bool {
        self.link.as_ref().is_some_and(Link::is_linked)
    }

    pub(crate) fn link(&self) -> Option<&Link> {
        self.link.as_ref()
    }

    /// Links through the login page in headless Chromium; fails when Google issued no refresh
    /// token (the link would die within the hour).
    pub(crate) async fn link_account(&mut self) -> anyhow::Result<()> {
        let link = self.chain.link_in_chromium().await?;
        self.seen.note_link(&link);
        anyhow::ensure!(
            link.has_refresh_token(),
            "Google issued no refresh token: the link would die in an hour"
        );
        self.link = Some(link);
        self.link_clock_base = self.clock_offset;
        Ok(())
    }

    /// Alexa deletes the tokens (the user unlinked in the Alexa app, or disabled the skill).
    pub(crate) fn unlink(&mut self) {
        self.link = None;
    }

    /// Takes over a link made elsewhere (by a person in their own browser, for `cargo xtask dev`).
    pub(crate) fn set_link(&mut self, link: Link) {
        self.seen.note_link(&link);
        self.link = Some(link);
        self.link_clock_base = self.clock_offset;
    }

    /// Time passes for Google and for Alexa.
    pub(crate) fn advance_clock(&mut self, by: Duration) {
        self.chain.google.advance_clock(by);
        self.clock_offset += by;
    }

    /// What Alexa makes of `utterance`: a launch, a one-shot request, the answer to a slot the
    /// skill asked for, or an intent matched by the interaction model (Fallback if none).
    pub(crate) fn understand(&self, utterance: &str) -> Understood {
        let utterance = strip_wake_word(utterance);
        // The launch and one-shot phrasings are the model's language's (devstack's
        // `voice/languages.toml`).
        match self.model.match_invocation(utterance) {
            Some(Invocation::Launch) => return Understood::Launch,
            Some(Invocation::OneShot { found, request }) => {
                return Understood::Intent {
                    found,
                    one_shot: Some(request),
                };
            }
            Some(_) | None => {}
        }
        if let Some(elicitation) = &self.eliciting
            && let Some(value) =
                self.model
                    .match_slot_answer(&elicitation.intent, &elicitation.slot, utterance)
        {
            let mut slots = elicitation.slots.clone();
            slots.retain(|(name, _)| *name != elicitation.slot);
            slots.push((elicitation.slot.clone(), value));
            return Understood::Intent {
                found: Match {
                    intent: elicitation.intent.clone(),
                    slots,
                },
                one_shot: None,
            };
        }
        Understood::Intent {
            found: self.model.match_utterance(utterance),
            one_shot: None,
        }
    }

    /// Sends what the user said, as Alexa understood it.
    pub(crate) async fn send(&mut self, understood: &Understood) -> anyhow::Result<Exchange> {
        let opens_session = matches!(
            understood,
            Understood::Launch
                | Understood::Intent {
                    one_shot: Some(_),
                    ..
                }
        );
        if opens_session {
            self.new_session();
        }
        let access_token = self.prepare_access_token().await?;
        let context = self.context(access_token.as_deref());
        let request = match understood {
            Understood::Launch => alexa::requests::launch(&context),
            Understood::Intent { found, .. } => {
                let slots: Vec<(&str, &str)> = found
                    .slots
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str()))
                    .collect();
                alexa::requests::intent(&context, &found.intent, &slots)
            }
        };
        self.exchange(request, true).await
    }

    /// Sends a request that is not speech: a launch, the end of a session, a skill event.
    pub(crate) async fn send_raw(&mut self, raw: RawRequest) -> anyhow::Result<Exchange> {
        if raw == RawRequest::Launch {
            return self.send(&Understood::Launch).await;
        }
        let access_token = self.prepare_access_token().await?;
        let context = self.context(access_token.as_deref());
        let request = match raw {
            RawRequest::Launch => unreachable!("sent above"),
            RawRequest::SessionEnd => alexa::requests::session_ended(&context, "USER_INITIATED"),
            RawRequest::AccountLinked => alexa::requests::skill_account_linked(&context),
            RawRequest::SkillEnabled => skill_event(&context, "AlexaSkillEvent.SkillEnabled"),
            RawRequest::SkillDisabled => skill_event(&context, "AlexaSkillEvent.SkillDisabled"),
        };
        let in_session = raw == RawRequest::SessionEnd;
        let exchange = self.exchange(request, in_session).await?;
        match raw {
            RawRequest::SessionEnd => self.new_session(),
            // Disabling a skill removes its account link.
            RawRequest::SkillDisabled => self.unlink(),
            _ => {}
        }
        Ok(exchange)
    }

    async fn exchange(&mut self, request: Value, in_session: bool) -> anyhow::Result<Exchange> {
        if in_session {
            self.session_new = false;
        }
        let response = self
            .chain
            .endpoint
            .invoke(request.clone())
            .await
            .context("the skill failed to answer")?;
        if in_session {
            self.after_answer(&response);
        }
        Ok(Exchange { request, response })
    }

    /// Keeps the session and any slot elicitation as the answer says.
    fn after_answer(&mut self, response: &Value) {
        self.eliciting = None;
        if response["response"]["shouldEndSession"] != Value::Bool(false) {
            self.new_session();
            return;
        }
        let directives = response["response"]["directives"].as_array();
        for directive in directives.into_iter().flatten() {
            if directive["type"] == "Dialog.ElicitSlot"
                && let (Some(slot), Some(intent)) = (
                    directive["slotToElicit"].as_str(),
                    directive["updatedIntent"]["name"].as_str(),
                )
            {
                let slots = directive["updatedIntent"]["slots"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(name, slot)| {
                        Some((name.clone(), slot["value"].as_str()?.to_owned()))
                    })
                    .collect();
                self.eliciting = Some(Elicitation {
                    intent: intent.to_owned(),
                    slot: slot.to_owned(),
                    slots,
                });
            }
        }
    }

    fn new_session(&mut self) {
        self.session_id = alexa::requests::new_session_id();
        self.session_new = true;
        self.eliciting = None;
    }

    /// The token Alexa puts in the next request: refreshed first when it expired, nothing once
    /// the link is gone. What happened is kept in `notes` for the transcript.
    async fn prepare_access_token(&mut self) -> anyhow::Result<Option<String>> {
        self.notes.clear();
        let now = self.link_now();
        let Some(link) = self.link.as_mut() else {
            return Ok(None);
        };
        if link.is_linked() && link.is_expired(now) {
            let before = link.access_token().map(|token| token.secret().to_owned());
            let state = link
                .refresh_if_expired(now)
                .await
                .context("Alexa could not refresh the link")?
                .clone();
            match state {
                LinkState::Linked => {
                    let after = link.access_token().map(|token| token.secret().to_owned());
                    anyhow::ensure!(
                        before != after,
                        "the access token did not change on refresh"
                    );
                    self.notes.push(
                        "the access token expired: Alexa used the refresh token and Google sent a \
                         new access token"
                            .to_owned(),
                    );
                }
                LinkState::Unlinked { reason } => {
                    let why = match reason {
                        UnlinkReason::RefreshRejected { error, description } => {
                            format!("Google refused the refresh token ({error}: {description})")
                        }
                        UnlinkReason::ExpiredWithoutRefreshToken => {
                            "there is no refresh token".to_owned()
                        }
                    };
                    self.notes.push(format!(
                        "the access token expired and {why}: Alexa dropped the link"
                    ));
                }
            }
            self.seen.note_link(link);
        }
        Ok(link.access_token().map(|token| token.secret().to_owned()))
    }

    fn context<'a>(&'a self, access_token: Option<&'a str>) -> RequestContext<'a> {
        RequestContext {
            locale: &self.locale,
            skill_id: SKILL_ID,
            user_id: USER_ID,
            session_id: &self.session_id,
            access_token,
            new_session: self.session_new,
        }
    }
}

/// "Alexa, open …" → "open …"; "アレクサ、…を開いて" → "…を開いて".
fn strip_wake_word(utterance: &str) -> &str {
    let trimmed = utterance.trim();
    for wake_word in WAKE_WORDS {
        let Some(prefix) = trimmed.get(..wake_word.len()) else {
            continue;
        };
        let rest = &trimmed[wake_word.len()..];
        if prefix.to_lowercase() == *wake_word
            && let Some(rest) = rest.strip_prefix([',', '、', '،', '，'])
        {
            return rest.trim_start();
        }
    }
    trimmed
}

/// A skill event other than account linking: the same envelope, another type and no body.
fn skill_event(context: &RequestContext<'_>, request_type: &str) -> Value {
    let mut envelope = alexa::requests::skill_account_linked(context);
    envelope["request"]["type"] = json!(request_type);
    if let Some(request) = envelope["request"].as_object_mut() {
        request.remove("body");
    }
    envelope
}

/// A dialog speaks a language its skill publishes: one it does not would test a model no user
/// ever reaches, so it is an error naming where the locale came from (`origin`, the dialog file),
/// the `setting` that chose it (`locale:`) and both ways out.
pub(crate) fn check_locale_is_published(
    skill_package: &Path,
    locale: &str,
    origin: &Path,
    setting: &str,
) -> anyhow::Result<()> {
    let manifest_path = skill_package.join("skill.json");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("cannot read {}", manifest_path.display()))?,
    )
    .with_context(|| format!("{} is not JSON", manifest_path.display()))?;
    let published: Vec<&str> = manifest
        .pointer("/manifest/publishingInformation/locales")
        .and_then(Value::as_object)
        .map(|locales| locales.keys().map(String::as_str).collect())
        .unwrap_or_default();
    anyhow::ensure!(
        published.contains(&locale),
        "{}: {locale} is not a locale the skill publishes ({} lists {}): set {setting} to one of \
         those, or publish {locale} (add it to manifest.publishingInformation.locales and run \
         `cargo xtask models`)",
        origin.display(),
        manifest_path.display(),
        published.join(", ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wake_word_is_not_part_of_the_utterance() {
        assert_eq!(
            strip_wake_word("Alexa, open cloud companion"),
            "open cloud companion"
        );
        assert_eq!(strip_wake_word("alexa,who am i"), "who am i");
        assert_eq!(strip_wake_word("who am i"), "who am i");
        assert_eq!(strip_wake_word("Alex"), "Alex");
        assert_eq!(strip_wake_word("Alexander, hi"), "Alexander, hi");
        assert_eq!(
            strip_wake_word("アレクサ、クラウドコンパニオンを開いて"),
            "クラウドコンパニオンを開いて"
        );
        assert_eq!(strip_wake_word("اليكسا، افتحي"), "افتحي");
    }

    #[test]
    fn a_dialog_in_a_locale_the_skill_does_not_publish_names_the_file_and_the_fix() {
        let package = crate::workspace_root().join("infra/skill-package");
        let dialog = Path::new("crates/skill/tests/dialogs/belgian.yaml");
        check_locale_is_published(&package, "en-US", dialog, "`locale:`").unwrap();
        let message = format!(
            "{:#}",
            check_locale_is_published(&package, "fr-BE", dialog, "`locale:`").unwrap_err()
        );
        assert!(
            message.starts_with("crates/skill/tests/dialogs/belgian.yaml: fr-BE is not a locale"),
            "{message}"
        );
        assert!(
            message.contains("set `locale:` to one of those"),
            "{message}"
        );
        assert!(message.contains("en-US"), "{message}");
        assert!(message.contains("cargo xtask models"), "{message}");
    }
}
