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
    Config, Fault, FaultMatch, OAuthClient, RedirectedRequest, SeedMessage, TestUser,
    calendar::CalendarEvent, connections::Connections, declared, drive::DriveFile,
    faults::FaultRule, gmail::MailMessage, oauth::PendingAuthorization, sheets::Spreadsheet,
    tokens,
};

/// State shared by every request handler and the [`super::Emulator`] controls.
pub(crate) struct Shared {
    pub(crate) clients: Vec<OAuthClient>,
    pub(crate) auto_consent: Option<String>,
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
    pub(crate) codes: HashMap<tokens::TokenValue, tokens::CodeRecord>,
    pub(crate) access_tokens: HashMap<tokens::TokenValue, tokens::AccessTokenRecord>,
    pub(crate) refresh_tokens: HashMap<tokens::TokenValue, tokens::RefreshTokenRecord>,
    /// Whether the OAuth app is in "Testing" publishing status (7-day refresh tokens).
    pub(crate) testing_publishing_status: bool,
    /// Scopes each (user email, client ID) pair has consented to so far.
    pub(crate) grants: HashMap<(String, String), BTreeSet<String>>,
    /// Authorization requests waiting on the consent page, by their unguessable request ID.
    pub(crate) pending_authorizations: HashMap<String, PendingAuthorization>,
    pub(crate) faults: Vec<FaultRule>,
    pub(crate) redirected: Vec<RedirectedRequest>,
    /// APIs declared by a skill or a test, with each user's resources in them.
    pub(crate) declared: declared::Declared,
    next_family: u64,
    next_sequence: u64,
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
            let (files, spreadsheets) = super::drive::seed_files(&profile.drive_files, now);
            let events = super::calendar::seed_events(&profile.calendar_events, now, &time_zone);
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
            auto_consent: config.auto_consent,
            access_token_ttl,
            base_url,
            redirect_target_url,
            connections: Arc::new(Connections::new()),
            redirect_connections: Arc::new(Connections::new()),
            state: Mutex::new(State {
                clock_offset: SignedDuration::ZERO,
                rng: StdRng::from_os_rng(),
                users,
                codes: HashMap::new(),
                access_tokens: HashMap::new(),
                refresh_tokens: HashMap::new(),
                grants: HashMap::new(),
                pending_authorizations: HashMap::new(),
                faults: Vec::new(),
                redirected: Vec::new(),
                declared: declared::Declared::default(),
                next_family: 1,
                next_sequence: 1,
                next_history_id,
                testing_publishing_status: false,
            }),
        })
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
        let family = state.new_family();
        let scopes = tokens::expand_scopes(scopes);
        let expires_at = state.now().plus(self.access_token_ttl);
        let token = state.issue_access_token(email, client_id, scopes, expires_at, family, false);
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
        self.lock().testing_publishing_status = testing;
    }

    pub(crate) fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    pub(crate) fn revoke_all(&self, email: &str) {
        let mut state = self.lock();
        state
            .access_tokens
            .retain(|_, record| record.email != email);
        state
            .refresh_tokens
            .retain(|_, record| record.email != email);
        state.codes.retain(|_, record| record.email != email);
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

    /// A new token family: the tokens descending from one grant, revoked together.
    pub(crate) fn new_family(&mut self) -> u64 {
        let family = self.next_family;
        self.next_family += 1;
        family
    }

    /// A fresh number from a counter that orders issued tokens.
    pub(crate) fn next_sequence(&mut self) -> u64 {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        sequence
    }

    /// Revokes every access token and refresh token of `family`.
    pub(crate) fn revoke_family(&mut self, family: u64) {
        self.access_tokens
            .retain(|_, record| record.family != family);
        self.refresh_tokens
            .retain(|_, record| record.family != family);
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
        .is_none_or(super::gmail::is_valid_message_id);
    if super::gmail::is_valid_message_id(&seed.id) && thread_ok {
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

/// Timestamp arithmetic that clamps instead of failing: the emulator clock never leaves jiff's
/// range in practice, and a clamped value is a better answer for a twin than a panic.
pub(crate) trait ClockArithmetic {
    fn plus(self, by: SignedDuration) -> Timestamp;
    fn minus(self, by: SignedDuration) -> Timestamp;
}

impl ClockArithmetic for Timestamp {
    fn plus(self, by: SignedDuration) -> Timestamp {
        self.checked_add(by).unwrap_or(if by.is_negative() {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
    }

    fn minus(self, by: SignedDuration) -> Timestamp {
        self.plus(-by)
    }
}
