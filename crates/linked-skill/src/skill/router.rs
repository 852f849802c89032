//! Which answer each request gets: launch, intents (registered or built in), CanFulfill, skill
//! events and session ends, with the automatic progressive response, and a handler's failure
//! turned into its answer.

use alexa_model::{
    CanFulfill, CanFulfillIntent, CanFulfillSlot, Intent, Request, RequestEnvelope,
    ResponseBuilder, ResponseEnvelope,
};
use google_api::scopes::Scope;
use tracing::{info, warn};

use super::Skill;
use super::erased::ErasedHook;
use crate::alexa_api::AlexaApi;
use crate::handler::{IntentInput, LaunchInput, SkillEvent};
use crate::state::{self, UserState};
use crate::{HandlerError, Language, Locale, Text};

/// The built-in intents the toolkit answers unless a handler is registered for them. Every
/// interaction model must declare them.
pub const BUILT_IN_INTENTS: [&str; 5] = [
    HELP_INTENT,
    STOP_INTENT,
    CANCEL_INTENT,
    NAVIGATE_HOME_INTENT,
    FALLBACK_INTENT,
];
const HELP_INTENT: &str = "AMAZON.HelpIntent";
const STOP_INTENT: &str = "AMAZON.StopIntent";
const CANCEL_INTENT: &str = "AMAZON.CancelIntent";
const NAVIGATE_HOME_INTENT: &str = "AMAZON.NavigateHomeIntent";
const FALLBACK_INTENT: &str = "AMAZON.FallbackIntent";

impl Skill {
    pub(super) async fn route(
        &self,
        request: &RequestEnvelope,
        locale: Locale,
        google: google_api::UserClient<'_>,
        state: &UserState<'_>,
    ) -> ResponseEnvelope {
        let request_type = request.request_type_name();
        match &request.request {
            Request::LaunchRequest(_) => self.launch(request, locale, google, state).await,
            Request::IntentRequest(intent_request) => {
                let intent = &intent_request.intent;
                info!(intent = intent.name.as_str(), "intent request");
                self.intent(request, intent, locale, google, state).await
            }
            Request::SessionEndedRequest(ended) => {
                info!(reason = ?ended.reason, error = ?ended.error, "session ended");
                ResponseEnvelope::empty()
            }
            Request::SystemExceptionEncountered(exception) => {
                warn!(error = ?exception.error, "Alexa reported an error with our last response");
                ResponseEnvelope::empty()
            }
            Request::SkillAccountLinked(_) => {
                // The token in the event is not logged: only that the link now exists.
                info!(has_token = google.is_linked(), "account linked");
                state.forget_other_account().await;
                self.run_hook(self.on_account_linked.as_deref(), request, google, state)
                    .await;
                ResponseEnvelope::empty()
            }
            Request::SkillDisabled(disabled) => {
                info!("skill disabled");
                self.run_hook(self.on_skill_disabled.as_deref(), request, google, state)
                    .await;
                if !state::user_information_persisted(disabled.body.as_ref()) {
                    state.delete().await;
                }
                ResponseEnvelope::empty()
            }
            Request::CanFulfillIntentRequest(can_fulfill) => {
                self.can_fulfill_intent(&can_fulfill.intent, google.is_linked())
            }
            Request::SessionResumedRequest(_)
            | Request::SkillEnabled(_)
            | Request::SkillPermissionAccepted(_)
            | Request::SkillPermissionChanged(_)
            | Request::Unknown { .. } => {
                info!(request_type, "acknowledged");
                ResponseEnvelope::empty()
            }
        }
    }

    async fn run_hook(
        &self,
        hook: Option<&dyn ErasedHook>,
        request: &RequestEnvelope,
        google: google_api::UserClient<'_>,
        state: &UserState<'_>,
    ) {
        if let Some(hook) = hook {
            let user_id = request.user().and_then(|user| user.user_id.as_deref());
            hook.handle(SkillEvent {
                request,
                user_id,
                google,
                state,
            })
            .await;
        }
    }

    async fn launch(
        &self,
        request: &RequestEnvelope,
        locale: Locale,
        google: google_api::UserClient<'_>,
        state: &UserState<'_>,
    ) -> ResponseEnvelope {
        let Some(launch) = &self.launch else {
            return if google.is_linked() {
                self.ask(Text::Help, Text::Help, locale)
            } else {
                self.link_account(Text::WelcomeNotLinked, locale)
            };
        };
        if !launch.scopes().is_empty() && !google.is_linked() {
            return self.link_account(Text::WelcomeNotLinked, locale);
        }
        let alexa = AlexaApi::for_request(
            &self.alexa_http,
            &self.time_zones,
            request,
            google.deadline(),
        );
        let input = LaunchInput {
            request,
            locale,
            language: locale.language(),
            session_attributes: request.session_attributes(),
            google,
            texts: self.texts.for_locale(locale),
            user_id: request.user().and_then(|user| user.user_id.as_deref()),
            state,
            alexa: &alexa,
        };
        let answered = self
            .with_automatic_progress(launch.answer(input), &alexa, locale)
            .await;
        match answered {
            Ok(answer) => self.render(answer, request, None, locale),
            Err(error) => self.handler_failure(&error, launch.scopes(), request, None, locale),
        }
    }

    async fn intent(
        &self,
        request: &RequestEnvelope,
        intent: &Intent,
        locale: Locale,
        google: google_api::UserClient<'_>,
        state: &UserState<'_>,
    ) -> ResponseEnvelope {
        let Some(handler) = self.intents.get(intent.name.as_str()) else {
            return self.built_in_intent(intent, locale);
        };
        if !handler.scopes().is_empty() && !google.is_linked() {
            return self.link_account(Text::LinkNeeded, locale);
        }
        let alexa = AlexaApi::for_request(
            &self.alexa_http,
            &self.time_zones,
            request,
            google.deadline(),
        );
        let input = IntentInput {
            request,
            intent,
            locale,
            language: locale.language(),
            session_attributes: request.session_attributes(),
            google,
            one_shot: request.session.as_ref().is_none_or(|session| session.new),
            texts: self.texts.for_locale(locale),
            user_id: request.user().and_then(|user| user.user_id.as_deref()),
            state,
            alexa: &alexa,
        };
        let answered = self
            .with_automatic_progress(handler.answer(input), &alexa, locale)
            .await;
        match answered {
            Ok(answer) => self.render(answer, request, Some(intent), locale),
            Err(error) => {
                self.handler_failure(&error, handler.scopes(), request, Some(intent), locale)
            }
        }
    }

    fn built_in_intent(&self, intent: &Intent, locale: Locale) -> ResponseEnvelope {
        match intent.name.as_str() {
            HELP_INTENT => self.ask(Text::Help, Text::Help, locale),
            STOP_INTENT | CANCEL_INTENT | NAVIGATE_HOME_INTENT => {
                self.tell(self.texts.get(locale, Text::Goodbye))
            }
            FALLBACK_INTENT => self.ask(Text::Fallback, Text::Help, locale),
            name => {
                warn!(intent = name, "no handler for this intent");
                self.ask(Text::Fallback, Text::Help, locale)
            }
        }
    }

    /// Whether the skill can handle `intent` before the user names it: a registered intent yes
    /// when it needs no link or the user is linked, maybe when not (it will ask to link);
    /// anything else no. Slots: yes for the ones the handler reads.
    fn can_fulfill_intent(&self, intent: &Intent, linked: bool) -> ResponseEnvelope {
        let handler = self.intents.get(intent.name.as_str());
        let can_fulfill = match handler {
            Some(handler) if handler.scopes().is_empty() || linked => CanFulfill::Yes,
            Some(_) => CanFulfill::Maybe,
            None => CanFulfill::No,
        };
        let slots = intent
            .slots
            .keys()
            .map(|name| {
                let known = handler.is_some_and(|handler| handler.slots().contains(&name.as_str()));
                let answer = if known {
                    CanFulfill::Yes
                } else {
                    CanFulfill::No
                };
                let slot = CanFulfillSlot {
                    can_understand: answer.clone(),
                    can_fulfill: Some(answer),
                };
                (name.clone(), slot)
            })
            .collect();
        ResponseBuilder::new()
            .can_fulfill_intent(CanFulfillIntent { can_fulfill, slots })
            .build()
    }

    /// Runs a handler; if it is still working after the automatic-progress wait, the user hears
    /// [`Text::OneMoment`] meanwhile. The answer never waits for the progressive response: when
    /// it is ready first, the call in flight is dropped, and none starts after it.
    async fn with_automatic_progress<T>(
        &self,
        work: impl Future<Output = T>,
        alexa: &AlexaApi<'_>,
        locale: Locale,
    ) -> T {
        let mut work = std::pin::pin!(work);
        if let Some(after) = self.automatic_progress {
            tokio::select! {
                biased;
                done = &mut work => {
                    alexa.close();
                    return done;
                }
                () = tokio::time::sleep(after) => {}
            }
            let speak = alexa.progress(self.texts.get(locale, Text::OneMoment));
            tokio::select! {
                biased;
                done = &mut work => {
                    alexa.close();
                    return done;
                }
                _accepted = speak => {}
            }
        }
        let done = work.await;
        alexa.close();
        done
    }

    /// A handler's error: Google's get the link-state answers, the skill's own the hook's.
    fn handler_failure(
        &self,
        error: &HandlerError,
        needs: &[&'static Scope],
        request: &RequestEnvelope,
        intent: Option<&Intent>,
        locale: Locale,
    ) -> ResponseEnvelope {
        if let Some(google) = error.google() {
            return self.google_failure(google, needs, locale);
        }
        // Only the type: the message may quote the user or carry a token.
        warn!(error_type = error.type_name(), "the handler failed");
        match &self.on_handler_error {
            Some(hook) => {
                let answer = hook(error, self.texts.for_locale(locale));
                self.render(answer, request, intent, locale)
            }
            None => self.ask(Text::SomethingWentWrong, Text::AnythingElse, locale),
        }
    }

    fn google_failure(
        &self,
        error: &google_api::Error,
        needs: &[&'static Scope],
        locale: Locale,
    ) -> ResponseEnvelope {
        use google_api::Error as E;
        match error {
            E::NotLinked => {
                info!("google needed but the user has not linked");
                self.link_account(Text::LinkNeeded, locale)
            }
            E::Relink => {
                info!("google rejected the token; asking the user to link again");
                self.link_account(Text::Relink, locale)
            }
            E::MissingScope { scopes } => {
                let permission = missing_permission(scopes, needs, locale.language())
                    .unwrap_or_else(|| self.texts.get(locale, Text::UnnamedPermission).to_owned());
                // The scope URLs are for the developer; the user hears what they mean.
                info!(?scopes, "the link lacks a permission");
                let speech = self
                    .texts
                    .get(locale, Text::MissingPermission)
                    .replace("{permission}", &permission);
                ResponseBuilder::new()
                    .speak(speech)
                    .link_account_card()
                    .end_session(true)
                    .build()
            }
            E::RateLimited
            | E::Unavailable { .. }
            | E::DeadlineExceeded
            | E::QuotaExhausted { .. }
            | E::ResponseTooLarge { .. } => {
                warn!(%error, "google unavailable");
                self.google_unavailable(locale)
            }
            E::Api { .. }
            | E::BadResponse { .. }
            | E::InvalidRequest { .. }
            | E::InvalidEnvironment { .. } => {
                tracing::error!(%error, "unexpected answer from google");
                self.google_unavailable(locale)
            }
        }
    }
}

/// The name of the permission a link lacks: a scope the handler declared that Google reported
/// would work, else any reported scope the table knows, else the handler's first declared scope;
/// `None` when that scope has no name in `language` (the unnamed permission is then said, in the
/// user's language rather than another's).
fn missing_permission(
    reported: &[String],
    declared: &[&'static Scope],
    language: Language,
) -> Option<String> {
    declared
        .iter()
        .copied()
        .find(|scope| reported.iter().any(|name| name == scope.name))
        .or_else(|| {
            reported
                .iter()
                .find_map(|name| google_api::scopes::lookup(name))
        })
        .or_else(|| declared.first().copied())
        .and_then(|scope| {
            scope
                .permission
                .iter()
                .find(|(code, _)| *code == language.code())
                .map(|(_, name)| (*name).to_owned())
        })
}
