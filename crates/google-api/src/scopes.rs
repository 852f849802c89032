//! The one table of Google OAuth scopes: which APIs each needs enabled, how Google classifies it,
//! what the checklist tells the developer, and how the permission is named to the user.
//!
//! `provision` validates `google.scopes` and prints the Cloud checklist from it; the skill toolkit
//! names the permission a user's link lacks from it; tests take their scope lists from
//! `skill.example.toml` and look them up here.
//!
//! The table is the default, not a closed list: a skill declares any other scope itself, in its
//! code as a `const` [`Scope`] (built with [`Scope::new`]) listed in its handlers' `SCOPES`, and
//! in its `skill.toml` as a [`ScopeDeclaration`] for the tools that do not link the skill's code
//! (`provision`, `cargo xtask`). [`resolve`] turns names plus declarations into scopes.
//! Sensitivity classes are from Google's scope documentation (docs/google-oauth.md, Scope
//! sensitivity); the Cloud Console shows the authoritative value when the scope is added.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One scope a skill may request. A skill declares one the table lacks with [`Scope::new`]:
///
/// ```
/// use google_api::scopes::{Scope, Sensitivity};
///
/// const TASKS: Scope = Scope::new(
///     "https://www.googleapis.com/auth/tasks",
///     "create, edit, organize and delete all tasks",
///     Sensitivity::Sensitive,
/// )
/// .with_apis(&[("Google Tasks API", "tasks.googleapis.com")])
/// .with_permission(&[("en", "see and change your Google Tasks")]);
///
/// assert_eq!(TASKS.permission_in("en"), "see and change your Google Tasks");
/// ```
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
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
    /// A scope named `name` (exactly as sent to Google) with no API to enable and no spoken
    /// permission name yet; `description` is what the user grants, for the developer's checklist.
    pub const fn new(
        name: &'static str,
        description: &'static str,
        sensitivity: Sensitivity,
    ) -> Scope {
        Scope {
            name,
            apis: NO_API,
            description,
            sensitivity,
            permission: &[],
        }
    }

    /// The same scope with the APIs to enable, as (console name, service name).
    pub const fn with_apis(self, apis: &'static [(&'static str, &'static str)]) -> Scope {
        Scope { apis, ..self }
    }

    /// The same scope with its spoken permission name per language code, worded to follow
    /// "I need permission to …".
    pub const fn with_permission(
        self,
        permission: &'static [(&'static str, &'static str)],
    ) -> Scope {
        Scope { permission, ..self }
    }

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

/// Google's classification of a scope. In a [`ScopeDeclaration`]: `sign_in`, `non_sensitive`,
/// `sensitive` or `restricted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
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

/// A scope the table does not know, as a skill's `skill.toml` declares it under
/// `[[google.declared_scopes]]`: the same facts a [`Scope`] holds, for tools that read the
/// configuration instead of linking the skill's code.
///
/// ```toml
/// [[google.declared_scopes]]
/// name = "https://www.googleapis.com/auth/tasks"
/// description = "create, edit, organize and delete all tasks"
/// sensitivity = "sensitive"
/// apis = [{ name = "Google Tasks API", service = "tasks.googleapis.com" }]
/// permission = { en = "see and change your Google Tasks" }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ScopeDeclaration {
    /// Exactly as sent to Google and SMAPI.
    pub name: String,
    /// What the user grants, for the developer's checklist.
    pub description: String,
    pub sensitivity: Sensitivity,
    /// The APIs to enable in the Cloud project; none only for a sign-in scope.
    #[serde(default)]
    pub apis: Vec<ApiToEnable>,
    /// The spoken permission name per language code; `en` is required (the fallback).
    pub permission: BTreeMap<String, String>,
}

/// One API of a [`ScopeDeclaration`], as the Cloud Console's API Library names it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ApiToEnable {
    /// The console name, e.g. `Google Tasks API`.
    pub name: String,
    /// The service name, e.g. `tasks.googleapis.com`.
    pub service: String,
}

/// How a skill declares a scope the table lacks, for error messages that name the fix.
pub const HOW_TO_DECLARE: &str = "declare it in skill.toml under [[google.declared_scopes]] \
    (name, description, sensitivity, apis, permission; README, \"Adding a scope and its API\") \
    and in the skill's code as a `const` google_api::scopes::Scope";

impl ScopeDeclaration {
    /// Whether the declaration is complete and consistent; the error says what to change.
    pub fn check(&self) -> Result<(), String> {
        let name = &self.name;
        let looks_like_a_scope = (name.starts_with("https://")
            && !name.contains(char::is_whitespace))
            || matches!(name.as_str(), "openid" | "email" | "profile");
        if !looks_like_a_scope {
            return Err(format!(
                "declared scope {name:?} is not a Google scope: write its full URL as Google's \
                 documentation gives it, e.g. https://www.googleapis.com/auth/tasks"
            ));
        }
        if self.description.trim().is_empty() {
            return Err(format!(
                "declared scope {name:?} has an empty description: say what the user grants"
            ));
        }
        if !self.permission.contains_key("en") {
            return Err(format!(
                "declared scope {name:?} has no English permission name: add `en = \"…\"` to \
                 its permission (the text after \"I need permission to\")"
            ));
        }
        if let Some((code, _)) = self
            .permission
            .iter()
            .find(|(_, text)| text.trim().is_empty())
        {
            return Err(format!(
                "declared scope {name:?} has an empty {code} permission name"
            ));
        }
        if self.apis.is_empty() != (self.sensitivity == Sensitivity::SignIn) {
            return Err(format!(
                "declared scope {name:?}: only a sign_in scope needs no API; list the APIs to \
                 enable under apis, or set the sensitivity Google's documentation gives"
            ));
        }
        Ok(())
    }

    /// Whether `scope` says exactly what this declaration says.
    pub fn agrees_with(&self, scope: &Scope) -> bool {
        let mut permission: Vec<(&str, &str)> = scope.permission.to_vec();
        permission.sort_unstable();
        let declared_permission: Vec<(&str, &str)> = self
            .permission
            .iter()
            .map(|(code, text)| (code.as_str(), text.as_str()))
            .collect();
        self.name == scope.name
            && self.description == scope.description
            && self.sensitivity == scope.sensitivity
            && self
                .apis
                .iter()
                .map(|api| (api.name.as_str(), api.service.as_str()))
                .eq(scope.apis.iter().copied())
            && declared_permission == permission
    }

    /// The declaration as a [`Scope`] that lives for the rest of the process. A tool declares a
    /// handful of scopes once per configuration it loads, so the memory is kept on purpose:
    /// every other part of the workspace takes `&'static Scope`.
    fn into_static(self) -> &'static Scope {
        fn leak(text: String) -> &'static str {
            Box::leak(text.into_boxed_str())
        }
        let apis: Vec<(&'static str, &'static str)> = self
            .apis
            .into_iter()
            .map(|api| (leak(api.name), leak(api.service)))
            .collect();
        let permission: Vec<(&'static str, &'static str)> = self
            .permission
            .into_iter()
            .map(|(code, text)| (leak(code), leak(text)))
            .collect();
        Box::leak(Box::new(Scope {
            name: leak(self.name),
            apis: Box::leak(apis.into_boxed_slice()),
            description: leak(self.description),
            sensitivity: self.sensitivity,
            permission: Box::leak(permission.into_boxed_slice()),
        }))
    }
}

/// The scopes `names`, each from the table or from `declarations` (a skill's own). Errors: a
/// declaration that is incomplete, declared twice with different contents, or contradicts the
/// table; a name neither knows. Each message names the fix.
pub fn resolve(
    names: &[String],
    declarations: &[ScopeDeclaration],
) -> Result<Vec<&'static Scope>, String> {
    let mut declared: Vec<&ScopeDeclaration> = Vec::new();
    for declaration in declarations {
        declaration.check()?;
        if let Some(known) = lookup(&declaration.name)
            && !declaration.agrees_with(known)
        {
            return Err(format!(
                "declared scope {:?} is already in google_api::scopes with other contents: \
                 remove the declaration (the table describes it)",
                declaration.name
            ));
        }
        match declared
            .iter()
            .find(|earlier| earlier.name == declaration.name)
        {
            Some(earlier) if *earlier != declaration => {
                let what = if earlier.description != declaration.description {
                    format!(
                        "descriptions {:?} and {:?}",
                        earlier.description, declaration.description
                    )
                } else {
                    "different sensitivity, APIs or permission names".to_owned()
                };
                return Err(format!(
                    "scope {:?} is declared twice with {what}: keep one declaration",
                    declaration.name
                ));
            }
            Some(_) => {}
            None => declared.push(declaration),
        }
    }
    let mut scopes = Vec::new();
    for name in names {
        let scope = match lookup(name) {
            Some(known) => known,
            None => match declared
                .iter()
                .find(|declaration| declaration.name == *name)
            {
                Some(declaration) => (*declaration).clone().into_static(),
                None => {
                    return Err(format!(
                        "unknown scope {name:?}: {HOW_TO_DECLARE}; the table knows {}",
                        ALL.iter()
                            .map(|scope| scope.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            },
        };
        if scopes.contains(&scope) {
            return Err(format!("{name:?} is listed twice"));
        }
        scopes.push(scope);
    }
    Ok(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tasks_declaration() -> ScopeDeclaration {
        ScopeDeclaration {
            name: "https://www.googleapis.com/auth/tasks".to_owned(),
            description: "create, edit, organize and delete all tasks".to_owned(),
            sensitivity: Sensitivity::Sensitive,
            apis: vec![ApiToEnable {
                name: "Google Tasks API".to_owned(),
                service: "tasks.googleapis.com".to_owned(),
            }],
            permission: BTreeMap::from([(
                "en".to_owned(),
                "see and change your Google Tasks".to_owned(),
            )]),
        }
    }

    const TASKS: Scope = Scope::new(
        "https://www.googleapis.com/auth/tasks",
        "create, edit, organize and delete all tasks",
        Sensitivity::Sensitive,
    )
    .with_apis(&[("Google Tasks API", "tasks.googleapis.com")])
    .with_permission(&[("en", "see and change your Google Tasks")]);

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn a_declared_scope_resolves_next_to_the_table_and_agrees_with_its_const() {
        let declaration = tasks_declaration();
        assert!(declaration.agrees_with(&TASKS));
        let scopes = resolve(
            &names(&["openid", "https://www.googleapis.com/auth/tasks"]),
            &[declaration.clone(), declaration],
        )
        .unwrap();
        assert_eq!(scopes, [&OPENID, &TASKS]);
        assert_eq!(
            apis_to_enable(&scopes),
            [("Google Tasks API", "tasks.googleapis.com")]
        );
    }

    #[test]
    fn an_unknown_scope_names_how_to_declare_it() {
        let error = resolve(&names(&["https://www.googleapis.com/auth/tasks"]), &[]).unwrap_err();
        assert!(
            error.starts_with(
                "unknown scope \"https://www.googleapis.com/auth/tasks\": declare it in \
                 skill.toml under [[google.declared_scopes]]"
            ),
            "{error}"
        );
    }

    #[test]
    fn conflicting_or_incomplete_declarations_are_refused() {
        let tasks = names(&["https://www.googleapis.com/auth/tasks"]);
        let mut other = tasks_declaration();
        other.description = "all tasks".to_owned();
        let error = resolve(&tasks, &[tasks_declaration(), other]).unwrap_err();
        assert_eq!(
            error,
            "scope \"https://www.googleapis.com/auth/tasks\" is declared twice with descriptions \
             \"create, edit, organize and delete all tasks\" and \"all tasks\": keep one \
             declaration"
        );
        let mut no_english = tasks_declaration();
        no_english.permission = BTreeMap::from([("de".to_owned(), "x".to_owned())]);
        assert!(
            resolve(&tasks, &[no_english])
                .unwrap_err()
                .contains("no English permission")
        );
        let mut no_api = tasks_declaration();
        no_api.apis.clear();
        assert!(
            resolve(&tasks, &[no_api])
                .unwrap_err()
                .contains("only a sign_in scope")
        );
        let mut not_a_url = tasks_declaration();
        not_a_url.name = "tasks".to_owned();
        assert!(
            resolve(&tasks, &[not_a_url])
                .unwrap_err()
                .contains("is not a Google scope")
        );
        let mut gmail = tasks_declaration();
        gmail.name = GMAIL_READONLY.name.to_owned();
        assert!(
            resolve(&tasks, &[gmail])
                .unwrap_err()
                .contains("already in google_api::scopes")
        );
    }

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
