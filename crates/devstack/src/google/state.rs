//! The emulator's mutable world: clock, users' data, tokens, grants and injected faults.
//!
//! One mutex guards it all. Handlers hold it only for in-memory work (never across an await), so
//! a coarse lock is simpler than finer ones and cannot deadlock.

use std::{
    collections::{BTreeSet, HashMap},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use rand::{SeedableRng, rngs::StdRng};

use super::{
    clock::ClockArithmetic,
    config::{Config, Fault, FaultMatch, OAuthClient, RedirectedRequest},
    connections::Connections,
    declared,
    seed::{SeedMessage, TestUser},
    tokens::{self, TokenStore},
    world::{
        calendar::{self, CalendarEvent},
        drive::{self, DriveFile},
        gmail::{self, MailMessage},
        sheets::Spreadsheet,
    },
};

/// An injected fault and how many more requests it answers.
pub(crate) struct FaultRule {
    pub(crate) matching: FaultMatch,
    pub(crate) fault: Fault,
    /// `None`: forever; `Some(n)`: n more requests.
    pub(crate) remaining: Option<u32>,
}

/// State shared by every request handler and the [`super::Emulator`] controls.
pub(crate) struct Shared {
    pub(crate) clients: Vec<OAuthClient>,
    /// Who approves the next authorization request without a consent page; changed mid-run by
    /// [`super::Emulator::set_auto_consent`] (a relink as another account).
    auto_consent: Mutex<Option<String>>,
    pub(crate) access_token_ttl: SignedDuration,
    pub(crate) base_url: String,
    /// Where [`Fault::RedirectToOtherHost`] sends clients.
    pub(crate) redirect_target_url: String,
    pub(crate) connections: Arc<Connections>,
    pub(crate) redirect_connections: Arc<Connections>,
    state: Mutex<State>,
}

pub(crate) struct State {
    /// How far the emulator clock runs ahead of the real one.
    clock_offset: SignedDuration,
    pub(crate) rng: StdRng,
    pub(crate) users: Vec<UserData>,
    /// Codes, tokens and authorization requests waiting for consent.
    pub(crate) tokens: TokenStore,
    /// Scopes each (user email, client ID) pair has consented to so far.
    pub(crate) grants: HashMap<(String, String), BTreeSet<String>>,
    pub(crate) faults: Vec<FaultRule>,
    pub(crate) redirected: Vec<RedirectedRequest>,
    /// APIs declared by a skill or a test, with each user's resources in them.
    pub(crate) declared: declared::Declared,
    next_history_id: u64,
}

/// One test user's account: profile plus the data the APIs serve.
pub(crate) struct UserData {
    pub(crate) profile: TestUser,
    pub(crate) time_zone: TimeZone,
    pub(crate) files: Vec<DriveFile>,
    pub(crate) spreadsheets: Vec<Spreadsheet>,
    pub(crate) events: Vec<CalendarEvent>,
    /// The Gmail mailbox, in seeding order (lists sort it newest first).
    pub(crate) messages: Vec<MailMessage>,
}

impl Shared {
    pub(crate) fn new(
        config: Config,
        base_url: String,
        redirect_target_url: String,
    ) -> std::io::Result<Self> {
        let now = Timestamp::now();
        let mut users = Vec::with_capacity(config.users.len());
        let mut next_history_id = 1000;
        for profile in config.users {
            let time_zone = TimeZone::get(&profile.time_zone).map_err(|error| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("test user {}: unknown time zone: {error}", profile.email),
                )
            })?;
            let (files, spreadsheets) = drive::seed_files(&profile.drive_files, now);
            let events = calendar::seed_events(&profile.calendar_events, now, &time_zone);
            let mut messages = Vec::with_capacity(profile.gmail_messages.len());
            for seed in &profile.gmail_messages {
                check_message_id(&profile.email, seed)?;
                next_history_id += 1;
                messages.push(MailMessage::from_seed(seed, now, next_history_id));
            }
            users.push(UserData {
                profile,
                time_zone,
                files,
                spreadsheets,
                events,
                messages,
            });
        }
        let access_token_ttl = SignedDuration::try_from(config.access_token_ttl)
            .unwrap_or(SignedDuration::from_secs(3599));
        Ok(Shared {
            clients: config.clients,
            auto_consent: Mutex::new(config.auto_consent),
            access_token_ttl,
            base_url,
            redirect_target_url,
            connections: Arc::new(Connections::new()),
            redirect_connections: Arc::new(Connections::new()),
            state: Mutex::new(State {
                clock_offset: SignedDuration::ZERO,
                rng: StdRng::from_os_rng(),
                users,
                tokens: TokenStore::new(),
                grants: HashMap::new(),
                faults: Vec::new(),
                redirected: Vec::new(),
                declared: declared::Declared::default(),
                next_history_id,
            }),
        })
    }

    /// The account that consents without a page, if any.
    pub(crate) fn auto_consent(&self) -> Option<String> {
        self.auto_consent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Makes `email`, a configured test user, the account that consents from now on.
    pub(crate) fn set_auto_consent(&self, email: &str) -> Result<(), String> {
        if self.lock().user(email).is_none() {
            return Err(format!(
                "{email} is not a configured test user: auto-consent needs one of the twin's users"
            ));
        }
        *self
            .auto_consent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(email.to_owned());
        Ok(())
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked mid-update leaves nothing half-written that matters to a twin,
        // so a poisoned lock is still usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn client(&self, client_id: &str) -> Option<&OAuthClient> {
        self.clients
            .iter()
            .find(|client| client.client_id == client_id)
    }

    pub(crate) fn mint_access_token(
        &self,
        email: &str,
        client_id: &str,
        scopes: &[String],
    ) -> Option<String> {
        let mut state = self.lock();
        state.user(email)?;
        let family = state.tokens.new_family();
        let scopes = tokens::expand_scopes(scopes);
        let expires_at = state.now().plus(self.access_token_ttl);
        let token = state
            .tokens
            .issue_access_token(email, client_id, scopes, expires_at, family, false);
        Some(token.secret().to_string())
    }

    pub(crate) fn advance_clock(&self, by: Duration) {
        let by = SignedDuration::try_from(by).unwrap_or(SignedDuration::MAX);
        let mut state = self.lock();
        state.clock_offset = state.clock_offset.saturating_add(by);
    }

    pub(crate) fn inject_fault(&self, matching: FaultMatch, fault: Fault, times: Option<u32>) {
        self.lock().faults.push(FaultRule {
            matching,
            fault,
            remaining: times,
        });
    }

    pub(crate) fn redirected_requests(&self) -> Vec<RedirectedRequest> {
        self.lock().redirected.clone()
    }

    pub(crate) fn set_testing_publishing_status(&self, testing: bool) {
        self.lock().tokens.testing_publishing_status = testing;
    }

    pub(crate) fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    pub(crate) fn revoke_all(&self, email: &str) {
        let mut state = self.lock();
        state.tokens.revoke_user(email);
        state
            .grants
            .retain(|(grant_email, _), _| grant_email != email);
    }

    pub(crate) fn seed_messages(
        &self,
        email: &str,
        messages: &[SeedMessage],
    ) -> Result<(), std::io::Error> {
        for seed in messages {
            check_message_id(email, seed)?;
        }
        let mut state = self.lock();
        let now = state.now();
        let mut history_id = state.next_history_id;
        let user = state
            .user_mut(email)
            .ok_or_else(|| not_a_test_user(email))?;
        for seed in messages {
            history_id += 1;
            let message = MailMessage::from_seed(seed, now, history_id);
            user.messages.retain(|existing| existing.id != message.id);
            user.messages.push(message);
        }
        state.next_history_id = history_id;
        Ok(())
    }

    /// Serves `declaration` from now on (after checking it), its seeded resources included.
    pub(crate) fn declare_api(&self, declaration: &declared::ApiDeclaration) -> Result<(), String> {
        let mut state = self.lock();
        let emails: Vec<String> = state
            .users
            .iter()
            .map(|user| user.profile.email.clone())
            .collect();
        state.declared.declare(declaration, |email| {
            emails.iter().any(|known| known == email)
        })
    }

    /// Replaces a user's resources at one collection of a declared API.
    pub(crate) fn seed_declared(&self, seed: &declared::SeedResources) -> Result<(), String> {
        let mut state = self.lock();
        let emails: Vec<String> = state
            .users
            .iter()
            .map(|user| user.profile.email.clone())
            .collect();
        state
            .declared
            .seed(seed, |email| emails.iter().any(|known| known == email))
    }

    /// The resources `email` holds at `path` of a declared API, oldest first.
    pub(crate) fn declared_resources(&self, email: &str, path: &str) -> Vec<serde_json::Value> {
        self.lock().declared.resources(email, path)
    }

    pub(crate) fn clear_mailbox(&self, email: &str) -> Result<(), std::io::Error> {
        let mut state = self.lock();
        let user = state
            .user_mut(email)
            .ok_or_else(|| not_a_test_user(email))?;
        user.messages.clear();
        Ok(())
    }

    /// Titles of `email`'s spreadsheets, in creation order.
    pub(crate) fn spreadsheet_titles(&self, email: &str) -> Vec<String> {
        let state = self.lock();
        state
            .user(email)
            .map(|user| {
                user.spreadsheets
                    .iter()
                    .map(|sheet| sheet.title.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn sheet_rows(
        &self,
        email: &str,
        spreadsheet_name: &str,
    ) -> Option<Vec<Vec<String>>> {
        let state = self.lock();
        let user = state.user(email)?;
        let spreadsheet = user
            .spreadsheets
            .iter()
            .find(|sheet| sheet.title == spreadsheet_name)?;
        Some(spreadsheet.first_sheet_rows())
    }
}

impl State {
    /// The emulator clock: real time plus whatever tests advanced it by.
    pub(crate) fn now(&self) -> Timestamp {
        Timestamp::now().plus(self.clock_offset)
    }

    pub(crate) fn user(&self, email: &str) -> Option<&UserData> {
        self.users.iter().find(|user| user.profile.email == email)
    }

    pub(crate) fn user_mut(&mut self, email: &str) -> Option<&mut UserData> {
        self.users
            .iter_mut()
            .find(|user| user.profile.email == email)
    }
}

fn not_a_test_user(email: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::NotFound,
        format!("{email} is not a test user: use ada@example.com or grace@example.com"),
    )
}

fn check_message_id(email: &str, seed: &SeedMessage) -> Result<(), std::io::Error> {
    let thread_ok = seed
        .thread_id
        .as_deref()
        .is_none_or(gmail::is_valid_message_id);
    if gmail::is_valid_message_id(&seed.id) && thread_ok {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "message `{}` of {email}: Gmail IDs are up to 16 hexadecimal digits below 2^63, \
                 e.g. 19a3f0c2b4d6e801",
                seed.id
            ),
        ))
    }
}
