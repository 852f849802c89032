//! Seed data for test users: Drive files and calendar events placed relative to "now".
//!
//! Times are relative so that "what's on my calendar today" and "my latest file" keep meaning the
//! same thing whenever the tests run; the emulator resolves them once, when it starts.

use jiff::SignedDuration;

use super::TestUser;

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
