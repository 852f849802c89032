//! The Google OAuth scopes this tool knows: which API each needs enabled, what the consent screen
//! tells the user, and how Google classifies it (which decides verification and the Testing
//! 7-day refresh-token limit).

/// One scope a skill may request.
#[derive(Debug, PartialEq, Eq)]
pub struct KnownScope {
    /// Exactly as sent to Google and SMAPI.
    pub name: &'static str,
    /// The APIs to enable in the Cloud project, as (console name, service name); none for the
    /// sign-in scopes.
    pub apis: &'static [(&'static str, &'static str)],
    /// What the user grants, in the words a checklist reader needs.
    pub description: &'static str,
    pub sensitivity: Sensitivity,
}

/// Google's classification of a scope. Taken from Google's scope documentation; the Cloud
/// Console shows the authoritative value when the scope is added to the consent screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    /// `openid`, `email`, `profile`: no verification, and exempt from the Testing 7-day limit.
    SignIn,
    /// Needs no verification.
    NonSensitive,
    /// Needs Google's app verification before more than 100 users.
    Sensitive,
    /// Needs verification and a security assessment.
    Restricted,
}

impl Sensitivity {
    pub fn label(self) -> &'static str {
        match self {
            Sensitivity::SignIn => "sign-in, no verification",
            Sensitivity::NonSensitive => "non-sensitive",
            Sensitivity::Sensitive => "sensitive, needs app verification",
            Sensitivity::Restricted => "restricted, needs verification and a security assessment",
        }
    }
}

const DRIVE_API: (&str, &str) = ("Google Drive API", "drive.googleapis.com");
const SHEETS_API: (&str, &str) = ("Google Sheets API", "sheets.googleapis.com");
const NO_API: &[(&str, &str)] = &[];
const DRIVE: &[(&str, &str)] = &[DRIVE_API];
const CALENDAR: &[(&str, &str)] = &[("Google Calendar API", "calendar-json.googleapis.com")];
const SHEETS: &[(&str, &str)] = &[SHEETS_API];
/// `drive.file` also authorizes the Sheets API on the files the app created: the skill keeps its
/// notes spreadsheet that way, so both APIs must be enabled.
const DRIVE_AND_SHEETS: &[(&str, &str)] = &[DRIVE_API, SHEETS_API];

/// Every scope the tool accepts in `google.scopes`.
pub const KNOWN_SCOPES: &[KnownScope] = &[
    KnownScope {
        name: "openid",
        apis: NO_API,
        description: "sign in: the account's stable Google ID",
        sensitivity: Sensitivity::SignIn,
    },
    KnownScope {
        name: "email",
        apis: NO_API,
        description: "the account's email address",
        sensitivity: Sensitivity::SignIn,
    },
    KnownScope {
        name: "profile",
        apis: NO_API,
        description: "the account's name and picture",
        sensitivity: Sensitivity::SignIn,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/userinfo.email",
        apis: NO_API,
        description: "the account's email address",
        sensitivity: Sensitivity::SignIn,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/userinfo.profile",
        apis: NO_API,
        description: "the account's name and picture",
        sensitivity: Sensitivity::SignIn,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/drive.file",
        apis: DRIVE_AND_SHEETS,
        description: "Drive files the skill creates or the user opens with it",
        sensitivity: Sensitivity::NonSensitive,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/drive.metadata.readonly",
        apis: DRIVE,
        description: "names and details (not contents) of all Drive files, read-only",
        sensitivity: Sensitivity::Restricted,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/drive.readonly",
        apis: DRIVE,
        description: "all Drive files, read-only",
        sensitivity: Sensitivity::Restricted,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/calendar.events.readonly",
        apis: CALENDAR,
        description: "events on all calendars, read-only",
        sensitivity: Sensitivity::Sensitive,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/calendar.readonly",
        apis: CALENDAR,
        description: "calendars and their events, read-only",
        sensitivity: Sensitivity::Sensitive,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/calendar.events",
        apis: CALENDAR,
        description: "events on all calendars, read and write",
        sensitivity: Sensitivity::Sensitive,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/spreadsheets.readonly",
        apis: SHEETS,
        description: "all Google Sheets spreadsheets, read-only",
        sensitivity: Sensitivity::Sensitive,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/spreadsheets",
        apis: SHEETS,
        description: "all Google Sheets spreadsheets, read and write",
        sensitivity: Sensitivity::Sensitive,
    },
];

/// The known scope with exactly this name.
pub fn lookup(name: &str) -> Option<&'static KnownScope> {
    KNOWN_SCOPES.iter().find(|scope| scope.name == name)
}

/// The APIs to enable for `scopes`, each once, in first-use order.
pub fn apis_to_enable(scopes: &[&'static KnownScope]) -> Vec<(&'static str, &'static str)> {
    let mut apis = Vec::new();
    for &api in scopes.iter().flat_map(|scope| scope.apis) {
        if !apis.contains(&api) {
            apis.push(api);
        }
    }
    apis
}

/// Whether a Testing-status app's refresh tokens expire after 7 days for these scopes: they do
/// unless every scope is a sign-in scope (google.md §4).
pub fn testing_tokens_expire(scopes: &[&'static KnownScope]) -> bool {
    scopes
        .iter()
        .any(|scope| scope.sensitivity != Sensitivity::SignIn)
}
