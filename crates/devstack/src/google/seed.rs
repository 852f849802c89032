//! Seed data for test users: Drive files, calendar events and Gmail messages placed relative to
//! "now".
//!
//! Times are relative so that "what's on my calendar today" and "my latest file" keep meaning the
//! same thing whenever the tests run; the emulator resolves them once, when it starts.

use jiff::SignedDuration;

/// A Google account that can sign in to the emulator, with the data its APIs return.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub email: String,
    pub name: String,
    pub given_name: String,
    pub family_name: String,
    /// Google's stable numeric account ID, returned as `sub`.
    pub sub: String,
    /// IANA time zone of the user's primary calendar, e.g. `Europe/London`.
    pub time_zone: String,
    /// Drive files, placed relative to the emulator clock when it starts.
    pub drive_files: Vec<SeedFile>,
    /// Primary-calendar events, placed relative to the emulator clock when it starts.
    pub calendar_events: Vec<SeedEvent>,
    /// Gmail messages, placed relative to the emulator clock when it starts.
    pub gmail_messages: Vec<SeedMessage>,
}

/// A Drive file of a test user.
#[derive(Debug, Clone)]
pub struct SeedFile {
    /// Drive file ID, fixed so tests can name it.
    pub id: String,
    pub name: String,
    pub mime_type: String,
    /// How long before the emulator starts the file was last modified.
    pub modified_ago: SignedDuration,
    pub trashed: bool,
    /// Size in bytes; Google-native documents have none.
    pub size: Option<u64>,
    /// For `application/vnd.google-apps.spreadsheet` files: the rows of its only sheet, `Sheet1`.
    pub sheet_rows: Vec<Vec<String>>,
}

/// An event on a test user's primary calendar.
#[derive(Debug, Clone)]
pub struct SeedEvent {
    /// Calendar event ID (lowercase base32hex, as Google requires for client-chosen IDs).
    pub id: String,
    pub summary: String,
    pub time: SeedEventTime,
    /// Above 1 the event recurs weekly (`RRULE:FREQ=WEEKLY;COUNT=n`), and `singleEvents=true`
    /// expands it into this many instances.
    pub weekly_occurrences: u32,
}

/// A message in a test user's Gmail mailbox.
#[derive(Debug, Clone)]
pub struct SeedMessage {
    /// Gmail message ID: up to 16 hexadecimal digits, below 2^63, as Gmail's are.
    pub id: String,
    /// The thread it belongs to; `None` starts a thread of its own (thread ID = message ID).
    pub thread_id: Option<String>,
    /// The `From` header, e.g. `Charles Babbage <charles@example.com>`.
    pub from: String,
    /// The `To` header.
    pub to: String,
    pub subject: String,
    /// The `text/plain` body.
    pub body: String,
    /// How long before the emulator starts (or before it is seeded) the message arrived; sets
    /// `internalDate` and the `Date` header.
    pub received_ago: SignedDuration,
    /// Label IDs, e.g. `INBOX`, `UNREAD`, `CATEGORY_PERSONAL`, `SPAM`, `TRASH`.
    pub labels: Vec<String>,
}

/// When a seeded event happens, relative to the emulator's start.
#[derive(Debug, Clone, Copy)]
pub enum SeedEventTime {
    /// Starts `starts_in` after the start of the current hour (negative: in the past).
    Timed {
        starts_in: SignedDuration,
        duration: SignedDuration,
    },
    /// An all-day event `days_from_today` days after today in the user's time zone.
    AllDay { days_from_today: i32 },
}

const DOCUMENT: &str = "application/vnd.google-apps.document";
const SPREADSHEET: &str = "application/vnd.google-apps.spreadsheet";
const FOLDER: &str = "application/vnd.google-apps.folder";

pub(crate) fn ada() -> TestUser {
    TestUser {
        email: "ada@example.com".to_string(),
        name: "Ada Lovelace".to_string(),
        given_name: "Ada".to_string(),
        family_name: "Lovelace".to_string(),
        sub: "118234567890123456781".to_string(),
        time_zone: "Europe/London".to_string(),
        drive_files: vec![
            file(
                "1AdaSketchOfTheAnalyticalEngine0001",
                "Sketch of the Analytical Engine",
                DOCUMENT,
                2,
                false,
                None,
            ),
            spreadsheet(
                "1AdaBernoulliNumbersSpreadsheet00002",
                "Bernoulli numbers",
                26,
                vec![
                    vec!["n".to_string(), "B(n)".to_string()],
                    vec!["0".to_string(), "1".to_string()],
                    vec!["1".to_string(), "-1/2".to_string()],
                    vec!["2".to_string(), "1/6".to_string()],
                ],
            ),
            file(
                "1AdaLetterToBabbagePdf000000000003",
                "Letter to Babbage.pdf",
                "application/pdf",
                50,
                false,
                Some(48_213),
            ),
            file(
                "1AdaEngineDiagramsFolder0000000004",
                "Engine diagrams",
                FOLDER,
                200,
                false,
                None,
            ),
            file(
                "1AdaOldDraftTrashed00000000000005",
                "Old draft",
                DOCUMENT,
                1,
                true,
                None,
            ),
            file(
                "1AdaPunchedCardsPhoto0000000000006",
                "Punched cards.jpg",
                "image/jpeg",
                400,
                true,
                Some(1_048_576),
            ),
        ],
        calendar_events: vec![
            timed("adastandup0001", "Team standup", 24 * 60 + 30, 30, 1),
            timed(
                "adababbagecall0002",
                "Call with Charles Babbage",
                2 * 60,
                60,
                1,
            ),
            timed("adaretro0003", "Retrospective", -(24 * 60) + 60, 60, 1),
            SeedEvent {
                id: "adabankhol0004".to_string(),
                summary: "Bank holiday".to_string(),
                time: SeedEventTime::AllDay { days_from_today: 2 },
                weekly_occurrences: 1,
            },
            timed("adaplanning0005", "Weekly review", 3 * 60, 45, 2),
        ],
        gmail_messages: vec![
            message(
                "19a3f0c2b4d6e801",
                "Charles Babbage <charles@example.com>",
                ADA,
                "Notes on the Analytical Engine",
                "Dear Ada, I have read your notes on Menabrea's paper with great care. \
                 The table of Bernoulli numbers is remarkable.",
                35,
                &["INBOX", "UNREAD", "IMPORTANT", "CATEGORY_PERSONAL"],
            ),
            message(
                "19a3e8a1f7c29d02",
                "Mary Somerville <mary@example.com>",
                ADA,
                "Lecture on Thursday",
                "Shall we attend Mr Faraday's lecture together on Thursday evening?",
                3 * 60,
                &["INBOX", "UNREAD", "CATEGORY_PERSONAL"],
            ),
            message(
                "19a3d1c07e5b4a03",
                "Royal Society <events@royalsociety.example.org>",
                ADA,
                "Your invitation to the soirée",
                "You are invited to the President's soirée on the 15th. Dress: formal.",
                26 * 60,
                &["INBOX", "CATEGORY_UPDATES"],
            ),
            SeedMessage {
                thread_id: Some("19a3e8a1f7c29d02".to_string()),
                ..message(
                    "19a3b7d2c1e08f04",
                    "Mary Somerville <mary@example.com>",
                    ADA,
                    "Re: Lecture on Thursday",
                    "I have two tickets. Meet at half past six.",
                    2 * 24 * 60,
                    &["INBOX", "CATEGORY_PERSONAL"],
                )
            },
            message(
                "19a2f6e5d4c3b205",
                "Charles Babbage <charles@example.com>",
                ADA,
                "Difference Engine drawings",
                "The drawings are in the folder I sent last week.",
                9 * 24 * 60,
                &["CATEGORY_PERSONAL"],
            ),
            message(
                "19a2e1f0a9b8c706",
                "Prize Office <winner@lottery.example.net>",
                ADA,
                "You have won!!!",
                "Claim your prize of 10,000 guineas now.",
                60,
                &["SPAM", "UNREAD"],
            ),
            message(
                "19a2d0b1c2d3e407",
                "Tailor <orders@tailor.example.com>",
                ADA,
                "Your order has shipped",
                "Your new gloves are on their way.",
                4 * 24 * 60,
                &["TRASH"],
            ),
        ],
    }
}

pub(crate) fn grace() -> TestUser {
    TestUser {
        email: "grace@example.com".to_string(),
        name: "Grace Hopper".to_string(),
        given_name: "Grace".to_string(),
        family_name: "Hopper".to_string(),
        sub: "118234567890123456782".to_string(),
        time_zone: "America/New_York".to_string(),
        drive_files: vec![
            file(
                "1GraceCobolSpecification000000001",
                "COBOL specification",
                DOCUMENT,
                5,
                false,
                None,
            ),
            spreadsheet(
                "1GraceBugLogSpreadsheet00000000002",
                "Bug log",
                30,
                vec![
                    vec!["Date".to_string(), "Bug".to_string()],
                    vec![
                        "1947-09-09".to_string(),
                        "Moth in relay 70, panel F".to_string(),
                    ],
                ],
            ),
            file(
                "1GraceNanosecondWire00000000000003",
                "Nanosecond wire.jpg",
                "image/jpeg",
                90,
                false,
                Some(734_003),
            ),
            file(
                "1GraceCompilerDraftTrashed0000004",
                "A-0 compiler draft",
                DOCUMENT,
                3,
                true,
                None,
            ),
        ],
        calendar_events: vec![
            timed("gracenavbrief0001", "Navy reserve briefing", 60, 90, 1),
            timed(
                "gracelecture0002",
                "Lecture: future of programming",
                26 * 60,
                60,
                1,
            ),
            timed(
                "gracelunch0003",
                "Lunch with the UNIVAC team",
                -(3 * 60),
                60,
                1,
            ),
            SeedEvent {
                id: "graceconference0004".to_string(),
                summary: "Programming conference".to_string(),
                time: SeedEventTime::AllDay { days_from_today: 1 },
                weekly_occurrences: 1,
            },
        ],
        gmail_messages: vec![
            message(
                "19a3f1d4e2c0b711",
                "Howard Aiken <aiken@example.edu>",
                GRACE,
                "Mark I schedule",
                "The Mark I is yours from midnight to six. Please log every run.",
                20,
                &["INBOX", "UNREAD", "CATEGORY_PERSONAL"],
            ),
            message(
                "19a3c2b1a0f9e812",
                "UNIVAC team <team@univac.example.com>",
                GRACE,
                "Compiler review",
                "The A-0 review is moved to Friday morning.",
                5 * 60,
                &["INBOX", "CATEGORY_UPDATES"],
            ),
            message(
                "19a2b3c4d5e6f713",
                "Navy Reserve <reserve@navy.example.mil>",
                GRACE,
                "Briefing materials",
                "Attached are the materials for the next briefing.",
                3 * 24 * 60,
                &["INBOX", "IMPORTANT", "CATEGORY_PERSONAL"],
            ),
        ],
    }
}

const ADA: &str = "Ada Lovelace <ada@example.com>";
const GRACE: &str = "Grace Hopper <grace@example.com>";

fn message(
    id: &str,
    from: &str,
    to: &str,
    subject: &str,
    body: &str,
    received_minutes_ago: i64,
    labels: &[&str],
) -> SeedMessage {
    SeedMessage {
        id: id.to_string(),
        thread_id: None,
        from: from.to_string(),
        to: to.to_string(),
        subject: subject.to_string(),
        body: body.to_string(),
        received_ago: SignedDuration::from_mins(received_minutes_ago),
        labels: labels.iter().map(|label| label.to_string()).collect(),
    }
}

fn file(
    id: &str,
    name: &str,
    mime_type: &str,
    hours_ago: i64,
    trashed: bool,
    size: Option<u64>,
) -> SeedFile {
    SeedFile {
        id: id.to_string(),
        name: name.to_string(),
        mime_type: mime_type.to_string(),
        modified_ago: SignedDuration::from_hours(hours_ago),
        trashed,
        size,
        sheet_rows: Vec::new(),
    }
}

fn spreadsheet(id: &str, name: &str, hours_ago: i64, rows: Vec<Vec<String>>) -> SeedFile {
    SeedFile {
        sheet_rows: rows,
        ..file(id, name, SPREADSHEET, hours_ago, false, None)
    }
}

fn timed(
    id: &str,
    summary: &str,
    starts_in_minutes: i64,
    duration_minutes: i64,
    weekly_occurrences: u32,
) -> SeedEvent {
    SeedEvent {
        id: id.to_string(),
        summary: summary.to_string(),
        time: SeedEventTime::Timed {
            starts_in: SignedDuration::from_mins(starts_in_minutes),
            duration: SignedDuration::from_mins(duration_minutes),
        },
        weekly_occurrences,
    }
}
