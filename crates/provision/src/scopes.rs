//! The Google OAuth scopes this tool knows: which API each needs enabled, what the consent screen
//! tells the user, and how Google classifies it (which decides verification and the Testing
//! 7-day refresh-token limit).

/// One scope a skill may request.
#[derive(Debug, PartialEq, Eq)]
pub struct KnownScope {
    /// Exactly as sent to Google and SMAPI.
    pub name: &'static str,
    /// The API to enable in the Cloud project, as (console name, service name); `None` for the
    /// sign-in scopes, which need no API.
    pub api: Option<(&'static str, &'static str)>,
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

const DRIVE: Option<(&str, &str)> = Some(("Google Drive API", "drive.googleapis.com"));
const CALENDAR: Option<(&str, &str)> =
    Some(("Google Calendar API", "calendar-json.googleapis.com"));
const SHEETS: Option<(&str, &str)> = Some(("Google Sheets API", "sheets.googleapis.com"));

/// Every scope the tool accepts in `google.scopes`.
pub const KNOWN_SCOPES: &[KnownScope] = &[
    KnownScope {
        name: "openid",
        api: None,
        description: "sign in: the account's stable Google ID",
        sensitivity: Sensitivity::SignIn,
    },
    KnownScope {
        name: "email",
        api: None,
        description: "the account's email address",
        sensitivity: Sensitivity::SignIn,
    },
    KnownScope {
        name: "profile",
        api: None,
        description: "the account's name and picture",
        sensitivity: Sensitivity::SignIn,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/userinfo.email",
        api: None,
        description: "the account's email address",
        sensitivity: Sensitivity::SignIn,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/userinfo.profile",
        api: None,
        description: "the account's name and picture",
        sensitivity: Sensitivity::SignIn,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/drive.file",
        api: DRIVE,
        description: "Drive files the skill creates or the user opens with it",
        sensitivity: Sensitivity::NonSensitive,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/drive.metadata.readonly",
        api: DRIVE,
        description: "names and details (not contents) of all Drive files, read-only",
        sensitivity: Sensitivity::Restricted,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/drive.readonly",
        api: DRIVE,
        description: "all Drive files, read-only",
        sensitivity: Sensitivity::Restricted,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/calendar.events.readonly",
        api: CALENDAR,
        description: "events on all calendars, read-only",
        sensitivity: Sensitivity::Sensitive,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/calendar.readonly",
        api: CALENDAR,
        description: "calendars and their events, read-only",
        sensitivity: Sensitivity::Sensitive,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/calendar.events",
        api: CALENDAR,
        description: "events on all calendars, read and write",
        sensitivity: Sensitivity::Sensitive,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/spreadsheets.readonly",
        api: SHEETS,
        description: "all Google Sheets spreadsheets, read-only",
        sensitivity: Sensitivity::Sensitive,
    },
    KnownScope {
        name: "https://www.googleapis.com/auth/spreadsheets",
        api: SHEETS,
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
    for api in scopes.iter().filter_map(|scope| scope.api) {
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
