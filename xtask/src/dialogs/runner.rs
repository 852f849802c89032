//! Runs one dialog file through its own chain and checks every step's expectations.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use devstack::{
    alexa::conversation::{Conversation, Event, Turn, Understood},
    google::{self, Fault, FaultMatch, SeedEvent, SeedEventTime, SeedFile, SeedMessage, TestUser},
    voice::FALLBACK_INTENT,
};
use serde_json::Value;

use super::{
    device_state,
    format::{
        self, Action, Dialog, EventWhen, Expect, FaultKind, FaultSpec, GoogleChanges, LinkExpect,
        MessageSeed, PublishingStatus, RawRequest, SessionState, Start, Text,
    },
    model_check::{Envelope, EnvelopeKind},
    skill::{self, SkillUnderTest},
};
use crate::chain::{self, Chain, ChainOptions, Infra, SeenSecrets};

/// How many closest intents an unmatched utterance names.
const CLOSEST_INTENTS: usize = 3;

/// Where a dialog's transcript goes: straight to stdout (one dialog, as the demo), or kept until
/// the dialog ends so parallel dialogs do not interleave.
pub(crate) struct Transcript {
    streaming: bool,
    text: String,
}

impl Transcript {
    pub(crate) fn new(streaming: bool) -> Transcript {
        Transcript {
            streaming,
            text: String::new(),
        }
    }

    fn line(&mut self, line: impl AsRef<str>) {
        if self.streaming {
            println!("{}", line.as_ref());
        } else {
            self.text.push_str(line.as_ref());
            self.text.push('\n');
        }
    }

    /// What was kept (empty when streaming).
    pub(crate) fn into_text(self) -> String {
        self.text
    }
}

/// Everything a finished dialog leaves for the summary and the run-wide checks.
pub(crate) struct DialogOutcome {
    pub(crate) path: PathBuf,
    /// Why the dialog failed, naming the step; `None` when every step behaved.
    pub(crate) failure: Option<String>,
    pub(crate) transcript: String,
    /// Every request and response, for Amazon's model.
    pub(crate) envelopes: Vec<Envelope>,
    pub(crate) seen: SeenSecrets,
    /// The skill's own logs, for the secret scan.
    pub(crate) logs: String,
    pub(crate) elapsed: Duration,
}

/// Runs the dialog in `path` for `skill` through a chain of its own.
pub(crate) async fn run_dialog(
    infra: &Infra,
    skill: &SkillUnderTest,
    binary: &Path,
    path: &Path,
    mut transcript: Transcript,
) -> DialogOutcome {
    let started = Instant::now();
    let mut run = Run {
        envelopes: Vec::new(),
        seen: SeenSecrets::default(),
        logs: String::new(),
        step: 0,
    };
    let result = run
        .dialog(infra, skill, binary, path, &mut transcript)
        .await;
    let failure = match result {
        Ok(()) => None,
        Err(error) if run.step == 0 => Some(format!("{error:#}")),
        Err(error) => Some(format!("step {}: {error:#}", run.step)),
    };
    if let Some(failure) = &failure {
        transcript.line(format!("  ✗ {failure}"));
    }
    DialogOutcome {
        path: path.to_owned(),
        failure,
        transcript: transcript.into_text(),
        envelopes: run.envelopes,
        seen: run.seen,
        logs: run.logs,
        elapsed: started.elapsed(),
    }
}

struct Run {
    envelopes: Vec<Envelope>,
    seen: SeenSecrets,
    logs: String,
    /// The step being run (1-based); 0 while the chain starts.
    step: usize,
}

impl Run {
    async fn dialog(
        &mut self,
        infra: &Infra,
        skill: &SkillUnderTest,
        binary: &Path,
        path: &Path,
        transcript: &mut Transcript,
    ) -> anyhow::Result<()> {
        let dialog = format::load(path)?;
        skill::check_locale_is_published(&skill.skill_package, &dialog.locale, path, "`locale:`")?;
        let model = skill.model(&dialog.locale)?;
        let users = twin_users(&dialog)?;
        let speaker = users
            .iter()
            .find(|user| user.email == dialog.user)
            .map(|user| user.given_name.clone())
            .unwrap_or_else(|| "User".to_owned());
        if let Some(description) = &dialog.description {
            transcript.line(format!("  {description}"));
        }
        let chain = Chain::start(
            infra,
            ChainOptions {
                binary: binary.to_owned(),
                transport: skill.transport,
                scopes: dialog
                    .scopes
                    .clone()
                    .unwrap_or_else(|| skill.scopes.clone()),
                auto_consent: Some(dialog.user.clone()),
                users,
            },
        )
        .await?;
        if dialog.google.publishing_status == Some(PublishingStatus::Testing) {
            chain.google.set_testing_publishing_status(true);
        }
        declare_apis(&chain.google, skill, &dialog)?;
        for line in device_state::set_device(&chain, &dialog.device) {
            transcript.line(format!("  {line}"));
        }
        if let Some(seed) = &dialog.state {
            for line in device_state::seed_state(&chain, seed, &dialog.user).await? {
                transcript.line(format!("  {line}"));
            }
        }
        let chain = Arc::new(chain);
        self.seen.note(chain.client_secret.secret());
        let mut conversation = chain::conversation(&chain, model);
        if let Some(zone) = device_state::time_zone(&dialog.device) {
            conversation.set_time_zone(zone);
        }
        let steps = Steps {
            skill,
            dialog: &dialog,
            speaker: &speaker,
            account: std::sync::Mutex::new(dialog.user.clone()),
        };
        let outcome = steps.run(&chain, &mut conversation, self, transcript).await;
        drop(conversation);
        let chain = Arc::try_unwrap(chain).map_err(|_| {
            anyhow::anyhow!("the chain is still shared after the dialog: its logs cannot be read")
        })?;
        self.logs = chain.finish();
        outcome
    }
}

/// Serves the dialog's and the skill's declared Google APIs, then the dialog's resources.
fn declare_apis(
    google: &google::Emulator,
    skill: &SkillUnderTest,
    dialog: &Dialog,
) -> anyhow::Result<()> {
    for api in dialog.google.apis.iter().chain(&skill.apis) {
        google.declare_api(api).map_err(|problem| {
            anyhow::anyhow!("declaring {} in the Google twin: {problem}", api.host)
        })?;
    }
    for seed in &dialog.google.resources {
        google
            .seed_declared(seed)
            .map_err(|problem| anyhow::anyhow!("google.resources: {problem}"))?;
    }
    Ok(())
}

struct Steps<'a> {
    skill: &'a SkillUnderTest,
    dialog: &'a Dialog,
    speaker: &'a str,
    /// The Google account linked now: the dialog's `user` until a `relink_as` step.
    account: std::sync::Mutex<String>,
}

impl Steps<'_> {
    async fn run(
        &self,
        chain: &Chain,
        conversation: &mut Conversation,
        run: &mut Run,
        transcript: &mut Transcript,
    ) -> anyhow::Result<()> {
        if self.dialog.start == Start::Linked {
            self.link(chain, conversation, run, transcript).await?;
        }
        for fault in &self.dialog.google.faults {
            inject(chain, fault);
        }
        let mut sections = 0;
        for (index, step) in self.dialog.steps.iter().enumerate() {
            run.step = index + 1;
            if let Some(title) = &step.title {
                sections += 1;
                transcript.line(format!("\n{sections}. {title}"));
            }
            let before = match &step.expect.google {
                Some(_) => Some(spreadsheets(chain, &self.account()).await?),
                None => None,
            };
            for line in device_state::before_step(chain, &step.setup, &self.dialog.user).await? {
                transcript.line(format!("  {line}"));
            }
            if let Some(zone) = step.setup.device.as_ref().and_then(device_state::time_zone) {
                conversation.set_time_zone(zone);
            }
            let turn = self
                .act(
                    &step.action,
                    &step.expect,
                    chain,
                    conversation,
                    run,
                    transcript,
                )
                .await
                .with_context(|| format!("{}", step.action));
            for line in device_state::after_step(chain, &step.setup) {
                transcript.line(format!("  {line}"));
            }
            let turn = turn?;
            let mut mismatches = Vec::new();
            if let Some(turn) = &turn {
                check_answer(&step.expect, turn, &mut mismatches);
                check_dialog(&step.expect, turn, &mut mismatches);
            }
            let (lines, found) =
                device_state::check(chain, &step.expect, turn.as_ref().and_then(Turn::last))
                    .await?;
            for line in lines {
                transcript.line(line);
            }
            mismatches.extend(
                found
                    .into_iter()
                    .map(|(what, expected, actual)| Mismatch::new(what, expected, actual)),
            );
            if let Some(expected) = step.expect.link {
                let actual = if conversation.is_linked() {
                    LinkExpect::Linked
                } else {
                    LinkExpect::Unlinked
                };
                if actual != expected {
                    mismatches.push(Mismatch::new(
                        "Alexa's link",
                        format!("{expected:?}"),
                        format!("{actual:?}"),
                    ));
                }
            }
            if let (Some(expected), Some(before)) = (&step.expect.google, before) {
                let after = spreadsheets(chain, &self.account()).await?;
                let changes = changes(&before, &after);
                for title in &changes.0 {
                    transcript.line(format!("  · Google: spreadsheet \"{title}\" created"));
                }
                for (title, rows) in &changes.1 {
                    transcript.line(format!("  · Google: \"{title}\" got {rows:?}"));
                }
                check_google(expected, &changes, &mut mismatches);
            }
            if !mismatches.is_empty() {
                let mut message = format!("{} did not behave as expected:", step.action);
                for mismatch in &mismatches {
                    let _ = write!(
                        message,
                        "\n      {}\n        expected  {}\n        actual    {}",
                        mismatch.what, mismatch.expected, mismatch.actual
                    );
                }
                anyhow::bail!(message);
            }
        }
        Ok(())
    }

    async fn act(
        &self,
        action: &Action,
        expect: &Expect,
        chain: &Chain,
        conversation: &mut Conversation,
        run: &mut Run,
        transcript: &mut Transcript,
    ) -> anyhow::Result<Option<Turn>> {
        let speaker = self.speaker;
        let user = &self.account();
        match action {
            Action::Say(utterance) => {
                let shown = utterance.trim();
                if shown.to_lowercase().starts_with("alexa") || conversation.in_session() {
                    transcript.line(format!("  {speaker:<6} \"{shown}\""));
                } else {
                    transcript.line(format!("  {speaker:<6} \"Alexa, {shown}\""));
                }
                let understood = conversation.understand(utterance);
                check_understood(utterance, &understood, expect, conversation)?;
                let turn = conversation.send_understood(&understood, utterance).await?;
                self.show(chain, &turn, conversation, run, transcript);
                Ok(Some(turn))
            }
            Action::Request(raw) => {
                let turn = conversation.send_event(event(*raw)).await?;
                let sent = turn.last_request().map_or("a request", |request| {
                    request["request"]["type"].as_str().unwrap_or("a request")
                });
                transcript.line(format!("  (Alexa sends {sent})"));
                self.show(chain, &turn, conversation, run, transcript);
                Ok(Some(turn))
            }
            Action::Time(elapsed) => {
                chain.google.advance_clock(*elapsed);
                conversation.advance_clock(*elapsed);
                transcript.line(format!(
                    "  · {} pass on Google's clock and Alexa's",
                    format::describe_duration(*elapsed)
                ));
                Ok(None)
            }
            Action::Revoke => {
                chain.google.revoke_all(user);
                transcript.line(format!(
                    "  · {speaker} removes the skill's access at myaccount.google.com: Google \
                     revokes every token"
                ));
                Ok(None)
            }
            Action::Unlink => {
                conversation.unlink();
                transcript.line(format!(
                    "  · {speaker} unlinks the account in the Alexa app: Alexa deletes the tokens"
                ));
                Ok(None)
            }
            Action::RelinkAs(account) => {
                chain
                    .google
                    .set_auto_consent(account)
                    .map_err(|problem| anyhow::anyhow!("relink_as: {problem}"))?;
                account.clone_into(
                    &mut self
                        .account
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner),
                );
                transcript.line(format!(
                    "  · {speaker} is signed in to Google as {account} in the browser"
                ));
                self.link(chain, conversation, run, transcript).await?;
                Ok(None)
            }
            Action::Link => match &expect.link_failure {
                None => {
                    self.link(chain, conversation, run, transcript).await?;
                    Ok(None)
                }
                Some(expected) => {
                    self.link_failing(expected, chain, conversation, run, transcript)
                        .await?;
                    Ok(None)
                }
            },
            Action::Fault(fault) => {
                inject(chain, fault);
                transcript.line(format!(
                    "  · Google starts failing: {}",
                    describe_fault(fault)
                ));
                Ok(None)
            }
            Action::ClearFaults => {
                chain.google.clear_faults();
                transcript.line("  · Google works again");
                Ok(None)
            }
            Action::Email(message) => {
                let name = google::Config::default()
                    .users
                    .into_iter()
                    .find(|test_user| test_user.email == *user)
                    .map_or_else(String::new, |test_user| test_user.name);
                // Arrivals get IDs above the seeded mailbox's, in step order.
                let id = format!("1d1a2000{:08x}", run.step);
                let seed = seed_message(message, id, &format!("{name} <{user}>"), 0);
                chain.google.seed_messages(user, &[seed]);
                transcript.line(format!(
                    "  · an email arrives from {}: \"{}\"",
                    message.from, message.subject
                ));
                Ok(None)
            }
        }
    }

    /// Links through the page, and sends the account-linked event when the skill subscribes.
    /// The Google account linked now.
    fn account(&self) -> String {
        self.account
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    async fn link(
        &self,
        chain: &Chain,
        conversation: &mut Conversation,
        run: &mut Run,
        transcript: &mut Transcript,
    ) -> anyhow::Result<()> {
        transcript.line(format!(
            "  · {} links the Google account in the Alexa app ({})",
            self.speaker, chain.account_linking.authorization_url
        ));
        link_account(chain, conversation, run).await?;
        let granted = conversation
            .link()
            .and_then(|link| link.granted_scope())
            .unwrap_or("")
            .to_owned();
        transcript.line(
            "  ✓ linked: Google issued an access token and a refresh token; Alexa keeps both",
        );
        if !granted.is_empty() {
            transcript.line(format!("    granted  {granted}"));
        }
        if self.skill.subscribes_to("SKILL_ACCOUNT_LINKED") {
            let turn = conversation.send_event(Event::AccountLinked).await?;
            transcript.line("  (Alexa sends AlexaSkillEvent.SkillAccountLinked)");
            self.show(chain, &turn, conversation, run, transcript);
        }
        Ok(())
    }

    /// A link the dialog expects to fail as Alexa fails it (the token URL too slow, or an error
    /// answer): the transcript says why, which the Alexa app never tells the user.
    async fn link_failing(
        &self,
        expected: &Text,
        chain: &Chain,
        conversation: &mut Conversation,
        run: &mut Run,
        transcript: &mut Transcript,
    ) -> anyhow::Result<()> {
        transcript.line(format!(
            "  · {} links the Google account in the Alexa app ({})",
            self.speaker, chain.account_linking.authorization_url
        ));
        let error = match link_account(chain, conversation, run).await {
            Ok(()) => anyhow::bail!("the link succeeded, but the dialog expects it to fail"),
            Err(error) => error,
        };
        // Only Alexa's own refusals count; a browser or login-page failure is a broken chain.
        let Some(refusal) = error
            .chain()
            .find_map(|cause| cause.downcast_ref::<devstack::alexa::Error>())
            .filter(|refusal| alexa_fails_the_link(refusal))
        else {
            return Err(error);
        };
        let reason = refusal.to_string();
        transcript.line("  ✗ the Alexa app: linking failed (Amazon gives the user no reason)");
        transcript.line(format!("    why: {reason}"));
        anyhow::ensure!(
            expected.accepts(&reason),
            "the link failed for another reason than expected ({expected}): {reason}"
        );
        Ok(())
    }

    /// Prints Alexa's side and the answers, and keeps every envelope for Amazon's model.
    fn show(
        &self,
        chain: &Chain,
        turn: &Turn,
        conversation: &Conversation,
        run: &mut Run,
        transcript: &mut Transcript,
    ) {
        for note in &turn.notes {
            transcript.line(format!("  · {note}"));
        }
        if let Some(link) = conversation.link() {
            run.seen.note_link(link);
        }
        let label = format!("step {}", run.step);
        for exchange in &turn.exchanges {
            let response = &exchange.response;
            // What Alexa played while the skill worked, before its answer.
            for line in device_state::progressive_lines(chain, &exchange.request) {
                transcript.line(line);
            }
            if response["response"]
                .as_object()
                .is_some_and(|response| !response.is_empty())
            {
                transcript.line(chain::describe(response));
            }
            run.envelopes.push(Envelope {
                kind: EnvelopeKind::Request,
                json: exchange.request.clone(),
                label: label.clone(),
            });
            run.envelopes.push(Envelope {
                kind: EnvelopeKind::Response,
                json: response.clone(),
                label: label.clone(),
            });
        }
        if let Some(prompt) = &turn.alexa_prompt {
            transcript.line(format!(
                "  Alexa  \"{prompt}\"\n         (a prompt of the dialog model)\n         (listening)"
            ));
        }
    }
}

/// The request Alexa sends for a dialog file's `request:`.
fn event(raw: RawRequest) -> Event {
    match raw {
        RawRequest::Launch => Event::Launch,
        RawRequest::SessionEnd => Event::SessionEnded,
        RawRequest::AccountLinked => Event::AccountLinked,
        RawRequest::SkillEnabled => Event::SkillEnabled,
        RawRequest::SkillDisabled => Event::SkillDisabled,
    }
}

/// Links through the login page in headless Chromium and hands the link to Alexa; fails when
/// Google issued no refresh token (the link would die within the hour).
async fn link_account(
    chain: &Chain,
    conversation: &mut Conversation,
    run: &mut Run,
) -> anyhow::Result<()> {
    let link = chain.link_in_chromium().await?;
    run.seen.note_link(&link);
    anyhow::ensure!(
        link.has_refresh_token(),
        "Google issued no refresh token: the link would die in an hour"
    );
    conversation.set_link(link);
    Ok(())
}

/// Fails a step whose utterance the model does not understand, naming the closest intents,
/// unless the step expects exactly that; and checks the matched intent and slots.
fn check_understood(
    utterance: &str,
    understood: &Understood,
    expect: &Expect,
    conversation: &Conversation,
) -> anyhow::Result<()> {
    let (intent, slots) = match understood {
        Understood::Intent { found, .. } => (found.intent.as_str(), found.slots.clone()),
        // "yes"/"no" belongs to the dialog's intent; `slots:` is about what the model matched.
        Understood::Confirmation { .. } => (conversation.dialog_intent().unwrap_or(""), Vec::new()),
        _ => ("LaunchRequest", Vec::new()),
    };
    let fallback_expected = expect.intent.as_deref() == Some(FALLBACK_INTENT);
    // During a confirmation the conversation itself says what "neither yes nor no" means.
    if intent == FALLBACK_INTENT && !fallback_expected && !conversation.awaits_confirmation() {
        // A one-shot's request is what the model saw, not the words that opened the skill.
        let heard = match understood {
            Understood::Intent {
                one_shot: Some(request),
                ..
            } => request.as_str(),
            _ => utterance,
        };
        let closest = conversation
            .model()
            .voice()
            .closest_intents(heard, CLOSEST_INTENTS);
        let named: Vec<String> = closest
            .iter()
            .map(|miss| {
                format!(
                    "{} (\"{}\", {:.0}% alike)",
                    miss.intent,
                    miss.sample,
                    miss.similarity * 100.0
                )
            })
            .collect();
        let closest = if named.is_empty() {
            "no intent shares a word with it".to_owned()
        } else {
            format!("closest: {}", named.join(", "))
        };
        // The model sources are one per language (`models/fr.json` for fr-FR and fr-CA).
        let locale = conversation.locale();
        let language = locale.split('-').next().unwrap_or(locale);
        anyhow::bail!(
            "the {locale} interaction model has no sample for \"{utterance}\", so Alexa would \
             send {FALLBACK_INTENT}; {closest}. Add the phrasing to the intent's samples in the \
             skill's models/{language}.json and run `cargo xtask models`, or write \
             `intent: {FALLBACK_INTENT}` under `expect:` if the step tests the fallback"
        );
    }
    let mut problems = Vec::new();
    if let Some(expected) = &expect.intent
        && expected != intent
    {
        problems.push(format!("intent: expected {expected}, got {intent}"));
    }
    if let Some(expected) = &expect.slots {
        let actual: BTreeMap<String, String> = slots.into_iter().collect();
        let same = expected.len() == actual.len()
            && expected
                .iter()
                .all(|(name, text)| actual.get(name).is_some_and(|value| text.accepts(value)));
        if !same {
            let expected = expected
                .iter()
                .map(|(name, text)| format!("{name}: {text}"))
                .collect::<Vec<_>>()
                .join(", ");
            problems.push(format!("slots: expected {{{expected}}}, got {actual:?}"));
        }
    }
    if !problems.is_empty() {
        anyhow::bail!(
            "the interaction model understood \"{utterance}\" differently: {}",
            problems.join("; ")
        );
    }
    Ok(())
}

/// One expectation that failed.
struct Mismatch {
    what: &'static str,
    expected: String,
    actual: String,
}

impl Mismatch {
    fn new(what: &'static str, expected: String, actual: String) -> Mismatch {
        Mismatch {
            what,
            expected,
            actual,
        }
    }
}

fn check_answer(expect: &Expect, turn: &Turn, mismatches: &mut Vec<Mismatch>) {
    let mut text = |what, expected: &Option<Text>, actual: &str| {
        if let Some(expected) = expected
            && !expected.accepts(actual)
        {
            mismatches.push(Mismatch::new(
                what,
                expected.to_string(),
                format!("{actual:?}"),
            ));
        }
    };
    text("speech", &expect.speech, turn.speech());
    text("reprompt", &expect.reprompt, turn.reprompt());
    let empty = Value::Null;
    let answer = turn
        .last()
        .map_or(&empty, |exchange| &exchange.response["response"]);
    if let Some(expected) = &expect.card {
        let actual = answer["card"]["type"].as_str().unwrap_or("none");
        if expected != actual {
            mismatches.push(Mismatch::new("card", expected.clone(), actual.to_owned()));
        }
    }
    if let Some(expected) = expect.session {
        // Alexa listens after its own prompt, and after a Dialog directive.
        let dialog_directive =
            answer["directives"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|directive| {
                    directive["type"]
                        .as_str()
                        .is_some_and(|kind| kind.starts_with("Dialog."))
                });
        let actual = if turn.alexa_prompt.is_some()
            || dialog_directive
            || answer["shouldEndSession"] == Value::Bool(false)
        {
            SessionState::Open
        } else {
            SessionState::Ended
        };
        if actual != expected {
            mismatches.push(Mismatch::new(
                "session",
                format!("{expected:?}").to_lowercase(),
                format!("{actual:?}").to_lowercase(),
            ));
        }
    }
    if let Some(expected) = &expect.directives {
        let actual: Vec<String> = answer["directives"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|directive| directive["type"].as_str().unwrap_or("?").to_owned())
            .collect();
        if *expected != actual {
            mismatches.push(Mismatch::new(
                "directives",
                format!("{expected:?}"),
                format!("{actual:?}"),
            ));
        }
    }
}

/// The dialog-manager keys: what the last request Alexa sent in the step carried.
fn check_dialog(expect: &Expect, turn: &Turn, mismatches: &mut Vec<Mismatch>) {
    let empty = Value::Null;
    let request = turn
        .last_request()
        .map_or(&empty, |request| &request["request"]);
    if let Some(expected) = expect.dialog_state {
        let actual = request["dialogState"].as_str();
        if expected.as_wire() != actual {
            mismatches.push(Mismatch::new(
                "dialogState of the last request",
                expected.as_wire().unwrap_or("none").to_owned(),
                actual.unwrap_or("none").to_owned(),
            ));
        }
    }
    if let Some(expected) = expect.confirmation {
        let actual = request["intent"]["confirmationStatus"]
            .as_str()
            .unwrap_or("none");
        if expected.as_wire() != actual {
            mismatches.push(Mismatch::new(
                "the intent's confirmationStatus",
                expected.as_wire().to_owned(),
                actual.to_owned(),
            ));
        }
    }
    for (slot, expected) in expect.slot_confirmations.iter().flatten() {
        let actual = request["intent"]["slots"][slot]["confirmationStatus"]
            .as_str()
            .unwrap_or("none");
        if expected.as_wire() != actual {
            mismatches.push(Mismatch::new(
                "a slot's confirmationStatus",
                format!("{slot}: {}", expected.as_wire()),
                format!("{slot}: {actual}"),
            ));
        }
    }
}

/// Spreadsheet title → rows of its first sheet, as the twin holds them for `email`.
type Spreadsheets = BTreeMap<String, Vec<Vec<String>>>;

async fn spreadsheets(chain: &Chain, email: &str) -> anyhow::Result<Spreadsheets> {
    let url = format!("{}/__twin/sheets", chain.google.base_url());
    reqwest::Client::new()
        .get(url)
        .query(&[("email", email)])
        .send()
        .await
        .context("asking the Google twin for the user's spreadsheets")?
        .error_for_status()?
        .json()
        .await
        .context("the Google twin's /__twin/sheets answer is not a map of spreadsheets")
}

/// What changed between two snapshots: new titles, and rows added at the end of each.
fn changes(before: &Spreadsheets, after: &Spreadsheets) -> (Vec<String>, Spreadsheets) {
    let created = after
        .keys()
        .filter(|title| !before.contains_key(*title))
        .cloned()
        .collect();
    let appended = after
        .iter()
        .filter_map(|(title, rows)| {
            let old = before.get(title).map_or(0, Vec::len);
            (rows.len() > old).then(|| (title.clone(), rows[old..].to_vec()))
        })
        .collect();
    (created, appended)
}

fn check_google(
    expected: &GoogleChanges,
    (created, appended): &(Vec<String>, Spreadsheets),
    mismatches: &mut Vec<Mismatch>,
) {
    let mut expected_created = expected.created.clone();
    expected_created.sort();
    if expected_created != *created {
        mismatches.push(Mismatch::new(
            "spreadsheets created at Google",
            format!("{expected_created:?}"),
            format!("{created:?}"),
        ));
    }
    let rows_match = expected.appended.len() == appended.len()
        && expected.appended.iter().all(|(title, rows)| {
            appended.get(title).is_some_and(|actual| {
                actual.len() == rows.len()
                    && rows.iter().zip(actual).all(|(expected_row, actual_row)| {
                        expected_row.len() == actual_row.len()
                            && expected_row
                                .iter()
                                .zip(actual_row)
                                .all(|(cell, actual)| cell.accepts(actual))
                    })
            })
        });
    if !rows_match {
        let expected_rows: BTreeMap<&String, Vec<Vec<String>>> = expected
            .appended
            .iter()
            .map(|(title, rows)| {
                let rows = rows
                    .iter()
                    .map(|row| row.iter().map(ToString::to_string).collect())
                    .collect();
                (title, rows)
            })
            .collect();
        mismatches.push(Mismatch::new(
            "rows appended at Google",
            format!("{expected_rows:?}"),
            format!("{appended:?}"),
        ));
    }
}

/// A message of the file as the twin seeds it; `received` defaults to `default_ago` seconds ago.
fn seed_message(message: &MessageSeed, id: String, to: &str, default_ago: i64) -> SeedMessage {
    // `unread` alone decides the UNREAD label.
    let mut labels: Vec<String> = message
        .labels
        .clone()
        .unwrap_or_else(|| vec!["INBOX".to_owned()])
        .into_iter()
        .filter(|label| label != "UNREAD")
        .collect();
    if message.unread {
        labels.push("UNREAD".to_owned());
    }
    SeedMessage {
        id,
        thread_id: None,
        from: message.from.clone(),
        to: to.to_owned(),
        subject: message.subject.clone(),
        body: message.body.clone(),
        received_ago: jiff::SignedDuration::from_secs(
            message
                .received
                .map_or(default_ago, |received| received.0.as_secs() as i64),
        ),
        labels,
    }
}

fn inject(chain: &Chain, fault: &FaultSpec) {
    let twin_fault = match fault.fault {
        FaultKind::RateLimited => Fault::RateLimit403,
        FaultKind::TooManyRequests => Fault::RateLimit429,
        FaultKind::ServerError => Fault::ServerError500,
        FaultKind::Unavailable => Fault::Unavailable503,
        FaultKind::Slow => Fault::Delay(fault.delay.unwrap_or(Duration::from_secs(10))),
        FaultKind::TokenRejected => Fault::Unauthorized,
        FaultKind::MissingScope => Fault::InsufficientScope,
        FaultKind::Malformed => Fault::GarbageJson,
        FaultKind::AnswerLost => Fault::ResetMidBody,
    };
    let mut matching = FaultMatch::prefix(&fault.path_prefix);
    matching.http_method.clone_from(&fault.method);
    chain
        .google
        .inject_fault_matching(matching, twin_fault, fault.times);
}

fn describe_fault(fault: &FaultSpec) -> String {
    let kind = format!("{:?}", fault.fault);
    let times = match fault.times {
        Some(1) => " (once)".to_owned(),
        Some(times) => format!(" ({times} times)"),
        None => String::new(),
    };
    let method = fault
        .method
        .as_ref()
        .map_or_else(String::new, |method| format!("{method} "));
    format!("{kind} on {method}{}{times}", fault.path_prefix)
}

/// The twin's test users, with the dialog's user's Drive, calendar and mailbox replaced when it
/// seeds them.
fn twin_users(dialog: &Dialog) -> anyhow::Result<Vec<TestUser>> {
    let mut users = google::Config::default().users;
    let known: Vec<String> = users.iter().map(|user| user.email.clone()).collect();
    let user = users
        .iter_mut()
        .find(|user| user.email == dialog.user)
        .with_context(|| {
            format!(
                "`user: {}` is not a test user of the Google twin: use one of {}",
                dialog.user,
                known.join(", ")
            )
        })?;
    if let Some(files) = &dialog.google.files {
        user.drive_files = files
            .iter()
            .enumerate()
            .map(|(index, file)| SeedFile {
                id: format!("1DialogSeededFile{index:018}"),
                name: file.name.clone(),
                mime_type: file.kind.mime_type().to_owned(),
                modified_ago: jiff::SignedDuration::from_secs(
                    file.modified
                        .map_or(3600, |modified| modified.0.as_secs() as i64),
                ),
                trashed: file.trashed,
                size: None,
                sheet_rows: Vec::new(),
            })
            .collect();
    }
    if let Some(messages) = &dialog.google.messages {
        let to = format!("{} <{}>", user.name, user.email);
        user.gmail_messages = messages
            .iter()
            .enumerate()
            .map(|(index, message)| {
                // Gmail message IDs are hexadecimal, below 2^63.
                seed_message(message, format!("1d1a1000{index:08x}"), &to, 3600)
            })
            .collect();
    }
    if let Some(events) = &dialog.google.events {
        user.calendar_events = events
            .iter()
            .enumerate()
            .map(|(index, event)| SeedEvent {
                // Calendar IDs are lowercase base32hex: digits and a–v only.
                id: format!("dialogevent{index:04}"),
                summary: event.summary.clone(),
                time: match event.when {
                    EventWhen::Timed {
                        starts_in_seconds,
                        duration,
                    } => SeedEventTime::Timed {
                        starts_in: jiff::SignedDuration::from_secs(starts_in_seconds),
                        duration: jiff::SignedDuration::from_secs(duration.as_secs() as i64),
                    },
                    EventWhen::AllDay { days_from_today } => {
                        SeedEventTime::AllDay { days_from_today }
                    }
                },
                weekly_occurrences: 1,
            })
            .collect();
    }
    Ok(users)
}

/// The token-URL failures after which Alexa tells the user only that linking failed.
fn alexa_fails_the_link(error: &devstack::alexa::Error) -> bool {
    use devstack::alexa::Error;
    matches!(
        error,
        Error::TokenUrlTooSlow { .. }
            | Error::TokenRejected { .. }
            | Error::TokenEndpoint { .. }
            | Error::BadTokenResponse(_)
            | Error::AuthorizationDenied { .. }
    )
}
