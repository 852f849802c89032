//! The one table of Google OAuth scopes: which APIs each needs enabled, how Google classifies it,
//! what the checklist tells the developer, and how the permission is named to the user.
//!
//! `provision` validates `google.scopes` and prints the Cloud checklist from it; the skill toolkit
//! names the permission a user's link lacks from it; tests take their scope lists from
//! `skill.example.toml` and look them up here. Adding a scope is one entry in [`ALL`].
//! Sensitivity classes are from Google's scope documentation (docs/google-oauth.md, Scope
//! sensitivity); the Cloud Console shows the authoritative value when the scope is added.

/// One scope a skill may request.
#[derive(Debug, PartialEq, Eq)]
pub struct Scope {
    /// Exactly as sent to Google and SMAPI.
    pub name: &'static str,
    /// The APIs to enable in the Cloud project, as (console name, service name); none for the
    /// sign-in scopes.
    pub apis: &'static [(&'static str, &'static str)],
    /// What the user grants, in the words a checklist reader (the developer) needs.
    pub description: &'static str,
    pub sensitivity: Sensitivity,
    /// What the user is told the skill needs permission to do, per language code (`en`, `de`),
    /// worded to follow "I need permission to …" (German: "die Erlaubnis, … zu …").
    pub permission: &'static [(&'static str, &'static str)],
}

impl Scope {
    /// The permission's spoken name in `language` (`en`, `de`), English when there is none.
    pub fn permission_in(&self, language: &str) -> &'static str {
        let find = |wanted: &str| {
            self.permission
                .iter()
                .find(|(code, _)| *code == wanted)
                .map(|(_, text)| *text)
        };
        find(language)
            .or_else(|| find("en"))
            .unwrap_or(self.description)
    }
}

/// Google's classification of a scope.
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
const GMAIL: &[(&str, &str)] = &[("Gmail API", "gmail.googleapis.com")];
/// `drive.file` also authorizes the Sheets API on the files the app created (the sample skill
/// keeps its notes spreadsheet that way), so both APIs must be enabled.
const DRIVE_AND_SHEETS: &[(&str, &str)] = &[DRIVE_API, SHEETS_API];

const PROFILE_PERMISSION: &[(&str, &str)] = &[
    ("en", "see your name and email address"),
    ("de", "deinen Namen und deine E-Mail-Adresse zu sehen"),
    ("fr", "de voir votre nom et votre adresse e-mail"),
    ("es", "ver tu nombre y tu dirección de correo electrónico"),
    ("it", "vedere il tuo nome e il tuo indirizzo email"),
    ("ja", "名前とメールアドレスを見る"),
    ("nl", "je naam en e-mailadres te zien"),
    ("pt", "ver seu nome e seu e-mail"),
    ("hi", "आपका नाम और ईमेल पता देखने"),
    ("ar", "بالاطلاع على اسمك وعنوان بريدك الإلكتروني"),
];
const DRIVE_READ_PERMISSION: &[(&str, &str)] = &[
    ("en", "see your Google Drive files"),
    ("de", "deine Google-Drive-Dateien zu sehen"),
    ("fr", "de voir vos fichiers Google Drive"),
    ("es", "ver tus archivos de Google Drive"),
    ("it", "vedere i tuoi file di Google Drive"),
    ("ja", "Googleドライブのファイルを見る"),
    ("nl", "je bestanden in Google Drive te zien"),
    ("pt", "ver seus arquivos do Google Drive"),
    ("hi", "आपकी Google Drive फ़ाइलें देखने"),
    ("ar", "بالاطلاع على ملفاتك في Google Drive"),
];
const CALENDAR_READ_PERMISSION: &[(&str, &str)] = &[
    ("en", "see your Google Calendar"),
    ("de", "deinen Google-Kalender zu sehen"),
    ("fr", "de consulter votre Google Agenda"),
    ("es", "ver tu Google Calendar"),
    ("it", "vedere il tuo Google Calendar"),
    ("ja", "Googleカレンダーを見る"),
    ("nl", "je Google Agenda te zien"),
    ("pt", "ver sua Google Agenda"),
    ("hi", "आपका Google Calendar देखने"),
    ("ar", "بالاطلاع على تقويم Google الخاص بك"),
];

pub const OPENID: Scope = Scope {
    name: "openid",
    apis: NO_API,
    description: "sign in: the account's stable Google ID",
    sensitivity: Sensitivity::SignIn,
    permission: PROFILE_PERMISSION,
};
pub const EMAIL: Scope = Scope {
    name: "email",
    apis: NO_API,
    description: "the account's email address",
    sensitivity: Sensitivity::SignIn,
    permission: PROFILE_PERMISSION,
};
pub const PROFILE: Scope = Scope {
    name: "profile",
    apis: NO_API,
    description: "the account's name and picture",
    sensitivity: Sensitivity::SignIn,
    permission: PROFILE_PERMISSION,
};
pub const USERINFO_EMAIL: Scope = Scope {
    name: "https://www.googleapis.com/auth/userinfo.email",
    apis: NO_API,
    description: "the account's email address",
    sensitivity: Sensitivity::SignIn,
    permission: PROFILE_PERMISSION,
};
pub const USERINFO_PROFILE: Scope = Scope {
    name: "https://www.googleapis.com/auth/userinfo.profile",
    apis: NO_API,
    description: "the account's name and picture",
    sensitivity: Sensitivity::SignIn,
    permission: PROFILE_PERMISSION,
};
pub const DRIVE_FILE: Scope = Scope {
    name: "https://www.googleapis.com/auth/drive.file",
    apis: DRIVE_AND_SHEETS,
    description: "Drive files the skill creates or the user opens with it",
    sensitivity: Sensitivity::NonSensitive,
    permission: &[
        ("en", "keep its own files in your Google Drive"),
        ("de", "eigene Dateien in deinem Google Drive abzulegen"),
        (
            "fr",
            "d'enregistrer ses propres fichiers dans votre Google Drive",
        ),
        ("es", "guardar sus propios archivos en tu Google Drive"),
        ("it", "salvare i propri file nel tuo Google Drive"),
        ("ja", "Googleドライブにこのスキル専用のファイルを保存する"),
        ("nl", "eigen bestanden in je Google Drive op te slaan"),
        ("pt", "salvar os próprios arquivos no seu Google Drive"),
        ("hi", "आपकी Google Drive में अपनी फ़ाइलें रखने"),
        ("ar", "بحفظ ملفاته الخاصة في Google Drive لديك"),
    ],
};
pub const DRIVE_METADATA_READONLY: Scope = Scope {
    name: "https://www.googleapis.com/auth/drive.metadata.readonly",
    apis: DRIVE,
    description: "names and details (not contents) of all Drive files, read-only",
    sensitivity: Sensitivity::Restricted,
    permission: DRIVE_READ_PERMISSION,
};
pub const DRIVE_READONLY: Scope = Scope {
    name: "https://www.googleapis.com/auth/drive.readonly",
    apis: DRIVE,
    description: "all Drive files, read-only",
    sensitivity: Sensitivity::Restricted,
    permission: DRIVE_READ_PERMISSION,
};
pub const CALENDAR_EVENTS_READONLY: Scope = Scope {
    name: "https://www.googleapis.com/auth/calendar.events.readonly",
    apis: CALENDAR,
    description: "events on all calendars, read-only",
    sensitivity: Sensitivity::Sensitive,
    permission: CALENDAR_READ_PERMISSION,
};
pub const CALENDAR_READONLY: Scope = Scope {
    name: "https://www.googleapis.com/auth/calendar.readonly",
    apis: CALENDAR,
    description: "calendars and their events, read-only",
    sensitivity: Sensitivity::Sensitive,
    permission: CALENDAR_READ_PERMISSION,
};
pub const CALENDAR_EVENTS: Scope = Scope {
    name: "https://www.googleapis.com/auth/calendar.events",
    apis: CALENDAR,
    description: "events on all calendars, read and write",
    sensitivity: Sensitivity::Sensitive,
    permission: &[
        ("en", "see and change your Google Calendar"),
        ("de", "deinen Google-Kalender zu sehen und zu ändern"),
        ("fr", "de consulter et de modifier votre Google Agenda"),
        ("es", "ver y cambiar tu Google Calendar"),
        ("it", "vedere e modificare il tuo Google Calendar"),
        ("ja", "Googleカレンダーを見て変更する"),
        ("nl", "je Google Agenda te zien en te wijzigen"),
        ("pt", "ver e alterar sua Google Agenda"),
        ("hi", "आपका Google Calendar देखने और बदलने"),
        ("ar", "بالاطلاع على تقويم Google الخاص بك وتعديله"),
    ],
};
pub const SPREADSHEETS_READONLY: Scope = Scope {
    name: "https://www.googleapis.com/auth/spreadsheets.readonly",
    apis: SHEETS,
    description: "all Google Sheets spreadsheets, read-only",
    sensitivity: Sensitivity::Sensitive,
    permission: &[
        ("en", "see your Google Sheets"),
        ("de", "deine Google-Tabellen zu sehen"),
        ("fr", "de consulter vos feuilles de calcul Google Sheets"),
        ("es", "ver tus hojas de cálculo de Google"),
        ("it", "vedere i tuoi fogli Google"),
        ("ja", "Googleスプレッドシートを見る"),
        ("nl", "je Google Spreadsheets te zien"),
        ("pt", "ver suas Planilhas Google"),
        ("hi", "आपकी Google Sheets देखने"),
        ("ar", "بالاطلاع على جداول بيانات Google الخاصة بك"),
    ],
};
pub const SPREADSHEETS: Scope = Scope {
    name: "https://www.googleapis.com/auth/spreadsheets",
    apis: SHEETS,
    description: "all Google Sheets spreadsheets, read and write",
    sensitivity: Sensitivity::Sensitive,
    permission: &[
        ("en", "write to your Google Sheets"),
        ("de", "in deine Google-Tabellen zu schreiben"),
        ("fr", "de modifier vos feuilles de calcul Google Sheets"),
        ("es", "escribir en tus hojas de cálculo de Google"),
        ("it", "scrivere nei tuoi fogli Google"),
        ("ja", "Googleスプレッドシートに書き込む"),
        ("nl", "in je Google Spreadsheets te schrijven"),
        ("pt", "escrever nas suas Planilhas Google"),
        ("hi", "आपकी Google Sheets में लिखने"),
        ("ar", "بالكتابة في جداول بيانات Google الخاصة بك"),
    ],
};
pub const GMAIL_READONLY: Scope = Scope {
    name: "https://www.googleapis.com/auth/gmail.readonly",
    apis: GMAIL,
    description: "all Gmail messages and settings, read-only",
    sensitivity: Sensitivity::Restricted,
    permission: &[
        ("en", "read your Gmail"),
        ("de", "deine Gmail-Nachrichten zu lesen"),
        ("fr", "de lire vos e-mails Gmail"),
        ("es", "leer tu Gmail"),
        ("it", "leggere le tue email di Gmail"),
        ("ja", "Gmailを読む"),
        ("nl", "je Gmail te lezen"),
        ("pt", "ler seu Gmail"),
        ("hi", "आपका Gmail पढ़ने"),
        ("ar", "بقراءة بريدك في Gmail"),
    ],
};

/// Every scope the workspace knows, in checklist order.
pub const ALL: &[&Scope] = &[
    &OPENID,
    &EMAIL,
    &PROFILE,
    &USERINFO_EMAIL,
    &USERINFO_PROFILE,
    &DRIVE_FILE,
    &DRIVE_METADATA_READONLY,
    &DRIVE_READONLY,
    &CALENDAR_EVENTS_READONLY,
    &CALENDAR_READONLY,
    &CALENDAR_EVENTS,
    &SPREADSHEETS_READONLY,
    &SPREADSHEETS,
    &GMAIL_READONLY,
];

/// The known scope with exactly this name.
pub fn lookup(name: &str) -> Option<&'static Scope> {
    ALL.iter().copied().find(|scope| scope.name == name)
}

/// The APIs to enable for `scopes`, each once, in first-use order.
pub fn apis_to_enable(scopes: &[&'static Scope]) -> Vec<(&'static str, &'static str)> {
    let mut apis = Vec::new();
    for &api in scopes.iter().flat_map(|scope| scope.apis) {
        if !apis.contains(&api) {
            apis.push(api);
        }
    }
    apis
}

/// Whether a Testing-status app's refresh tokens expire after 7 days for these scopes: they do
/// unless every scope is a sign-in scope (docs/google-oauth.md, Refresh tokens).
pub fn testing_tokens_expire(scopes: &[&'static Scope]) -> bool {
    scopes
        .iter()
        .any(|scope| scope.sensitivity != Sensitivity::SignIn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_scope_is_named_in_english_and_german() {
        for (index, scope) in ALL.iter().enumerate() {
            assert!(
                ALL[..index]
                    .iter()
                    .all(|earlier| earlier.name != scope.name),
                "{} is listed twice",
                scope.name
            );
            for language in ["en", "de"] {
                assert!(
                    scope.permission.iter().any(|(code, _)| *code == language),
                    "{} has no {language} permission name",
                    scope.name
                );
            }
            let restricted_or_sign_in_without_api =
                scope.apis.is_empty() == (scope.sensitivity == Sensitivity::SignIn);
            assert!(
                restricted_or_sign_in_without_api,
                "{}: APIs and class disagree",
                scope.name
            );
        }
    }

    #[test]
    fn a_permission_falls_back_to_english() {
        assert_eq!(
            GMAIL_READONLY.permission_in("de"),
            "deine Gmail-Nachrichten zu lesen"
        );
        assert_eq!(GMAIL_READONLY.permission_in("sv"), "read your Gmail");
        assert_eq!(lookup(GMAIL_READONLY.name), Some(&GMAIL_READONLY));
        assert_eq!(lookup("https://www.googleapis.com/auth/gmail.send"), None);
    }

    #[test]
    fn apis_are_listed_once_and_sign_in_alone_keeps_tokens() {
        let apis = apis_to_enable(&[&DRIVE_FILE, &DRIVE_METADATA_READONLY, &SPREADSHEETS]);
        assert_eq!(
            apis,
            [
                ("Google Drive API", "drive.googleapis.com"),
                ("Google Sheets API", "sheets.googleapis.com")
            ]
        );
        assert!(!testing_tokens_expire(&[&OPENID, &EMAIL, &PROFILE]));
        assert!(testing_tokens_expire(&[&OPENID, &GMAIL_READONLY]));
    }
}
