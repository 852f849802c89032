//! Everything the skill says, in each language it speaks, chosen by the request locale.
//!
//! Texts are plain text (the builder sends them as PlainText output speech), so nothing here needs
//! SSML escaping; values from Google (names, file names, event titles) are inserted as they are.

use jiff::{ZonedDateTime, civil::Date};

/// A language the skill speaks. Every English locale gets English; German locales get German;
/// anything else falls back to English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    German,
}

impl Language {
    pub fn from_locale(locale: Option<&str>) -> Language {
        let language = locale.unwrap_or("").split(['-', '_']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("de") {
            Language::German
        } else {
            Language::English
        }
    }
}

/// A Google permission the skill asks for, named the way a user would understand it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Profile,
    Drive,
    Calendar,
    Sheets,
}

impl Permission {
    /// The permission a Google OAuth scope grants, if the skill knows it.
    pub fn from_scope(scope: &str) -> Option<Permission> {
        let name = scope
            .strip_prefix("https://www.googleapis.com/auth/")
            .unwrap_or(scope);
        let permission = match name {
            "openid" | "email" | "profile" | "userinfo.email" | "userinfo.profile" => {
                Permission::Profile
            }
            name if name.starts_with("drive") => Permission::Drive,
            name if name.starts_with("calendar") => Permission::Calendar,
            name if name.starts_with("spreadsheets") => Permission::Sheets,
            _ => return None,
        };
        Some(permission)
    }
}

/// One thing the skill says.
#[derive(Debug, Clone)]
pub enum Message<'a> {
    /// LaunchRequest from a user who has not linked a Google account.
    WelcomeNotLinked,
    /// LaunchRequest from a linked user; the first name when Google told us one.
    Welcome {
        given_name: Option<&'a str>,
    },
    /// An intent that needs Google, from a user who has not linked.
    LinkNeeded,
    /// Google rejected the token: expired and not refreshed, or revoked.
    Relink,
    /// The link lacks a permission the intent needs.
    MissingPermission {
        permission: Permission,
    },
    /// Google could not be reached in time, or kept failing.
    GoogleUnavailable,
    Help,
    Goodbye,
    Fallback,
    /// What can I do for you next (reprompt while the session stays open).
    AnythingElse,
    WhoAmI {
        name: Option<&'a str>,
        email: Option<&'a str>,
    },
    RecentFiles {
        names: &'a [String],
    },
    NoFiles,
    NextEvent {
        title: Option<&'a str>,
        start: EventStart<'a>,
    },
    NoUpcomingEvents,
    AskForNote,
    NoteAdded {
        note: &'a str,
    },
}

/// When an event starts, as the speech needs it: relative to today in the event's own zone.
#[derive(Debug, Clone)]
pub enum EventStart<'a> {
    /// A timed event, in the time zone it was created in.
    At {
        start: &'a ZonedDateTime,
        today: Date,
    },
    /// An all-day event.
    AllDay { date: Date, today: Date },
}

impl Message<'_> {
    pub fn text(&self, language: Language) -> String {
        match language {
            Language::English => self.english(),
            Language::German => self.german(),
        }
    }

    fn english(&self) -> String {
        match self {
            Message::WelcomeNotLinked => "Welcome to Cloud Companion. To get started, link your \
                Google account in the Alexa app. I've sent a card there to help you."
                .to_owned(),
            Message::Welcome { given_name } => {
                let greeting = match given_name {
                    Some(name) => format!("Hi {name}!"),
                    None => "Hi!".to_owned(),
                };
                format!(
                    "{greeting} You can ask who you are, list your files, hear your next event, \
                     or add a note. What would you like?"
                )
            }
            Message::LinkNeeded => "To do that, I need access to your Google account. Please \
                link your account in the Alexa app; I've sent a card there to help you."
                .to_owned(),
            Message::Relink => "Your Google account link has expired or was removed. Please \
                link your account again in the Alexa app; I've sent a card there to help you."
                .to_owned(),
            Message::MissingPermission { permission } => {
                let what = match permission {
                    Permission::Profile => "see your name and email address",
                    Permission::Drive => "see your Google Drive files",
                    Permission::Calendar => "see your Google Calendar",
                    Permission::Sheets => "write to your Google Sheets",
                };
                format!(
                    "To do that, I need permission to {what}. Please link your Google account \
                     again in the Alexa app and allow it; I've sent a card there to help you."
                )
            }
            Message::GoogleUnavailable => {
                "Sorry, I couldn't reach Google just now. Please try again in a moment.".to_owned()
            }
            Message::Help => "You can ask me who you are, to list your recent files, what's next \
                on your calendar, or to add a note. What would you like?"
                .to_owned(),
            Message::Goodbye => "Goodbye!".to_owned(),
            Message::Fallback => "Sorry, I can't help with that. You can ask who you are, list \
                your files, hear your next event, or add a note."
                .to_owned(),
            Message::AnythingElse => "Anything else?".to_owned(),
            Message::WhoAmI { name, email } => match (name, email) {
                (Some(name), Some(email)) => {
                    format!("You are {name}, signed in as {email}.")
                }
                (Some(name), None) => format!("You are {name}."),
                (None, Some(email)) => format!("You are signed in as {email}."),
                (None, None) => {
                    "Your Google account didn't tell me your name or email address.".to_owned()
                }
            },
            Message::RecentFiles { names } => {
                let count = names.len();
                let noun = if count == 1 { "file" } else { "files" };
                format!(
                    "Your {count} most recent {noun}: {}.",
                    join_list(names, "and")
                )
            }
            Message::NoFiles => "Your Google Drive has no files yet.".to_owned(),
            Message::NextEvent { title, start } => {
                let title = title.unwrap_or("An event without a title");
                match start {
                    EventStart::At { start, today } => format!(
                        "{title}, {} at {}.",
                        english_day(start.date(), *today),
                        english_time(start)
                    ),
                    EventStart::AllDay { date, today } => {
                        format!("{title}, all day {}.", english_day(*date, *today))
                    }
                }
            }
            Message::NoUpcomingEvents => "Your calendar has nothing coming up.".to_owned(),
            Message::AskForNote => "What should the note say?".to_owned(),
            Message::NoteAdded { note } => format!("I've added your note: {note}."),
        }
    }

    fn german(&self) -> String {
        match self {
            Message::WelcomeNotLinked => "Willkommen bei Wolken Begleiter. Verknüpfe zuerst dein \
                Google-Konto in der Alexa-App. Dort findest du eine Karte, die dir hilft."
                .to_owned(),
            Message::Welcome { given_name } => {
                let greeting = match given_name {
                    Some(name) => format!("Hallo {name}!"),
                    None => "Hallo!".to_owned(),
                };
                format!(
                    "{greeting} Du kannst fragen, wer du bist, deine Dateien auflisten, deinen \
                     nächsten Termin hören oder eine Notiz hinzufügen. Was möchtest du?"
                )
            }
            Message::LinkNeeded => "Dafür brauche ich Zugriff auf dein Google-Konto. Bitte \
                verknüpfe dein Konto in der Alexa-App. Dort findest du eine Karte, die dir hilft."
                .to_owned(),
            Message::Relink => "Die Verknüpfung mit deinem Google-Konto ist abgelaufen oder \
                wurde entfernt. Bitte verknüpfe dein Konto in der Alexa-App erneut. Dort findest \
                du eine Karte, die dir hilft."
                .to_owned(),
            Message::MissingPermission { permission } => {
                let what = match permission {
                    Permission::Profile => "deinen Namen und deine E-Mail-Adresse zu sehen",
                    Permission::Drive => "deine Google-Drive-Dateien zu sehen",
                    Permission::Calendar => "deinen Google-Kalender zu sehen",
                    Permission::Sheets => "in deine Google-Tabellen zu schreiben",
                };
                format!(
                    "Dafür brauche ich die Erlaubnis, {what}. Bitte verknüpfe dein Google-Konto \
                     in der Alexa-App erneut und erlaube es. Dort findest du eine Karte, die dir \
                     hilft."
                )
            }
            Message::GoogleUnavailable => "Entschuldigung, ich konnte Google gerade nicht \
                erreichen. Bitte versuche es gleich noch einmal."
                .to_owned(),
            Message::Help => "Du kannst mich fragen, wer du bist, deine letzten Dateien \
                auflisten lassen, was als Nächstes in deinem Kalender steht, oder eine Notiz \
                hinzufügen. Was möchtest du?"
                .to_owned(),
            Message::Goodbye => "Tschüss!".to_owned(),
            Message::Fallback => "Entschuldigung, dabei kann ich nicht helfen. Du kannst fragen, \
                wer du bist, deine Dateien auflisten, deinen nächsten Termin hören oder eine \
                Notiz hinzufügen."
                .to_owned(),
            Message::AnythingElse => "Noch etwas?".to_owned(),
            Message::WhoAmI { name, email } => match (name, email) {
                (Some(name), Some(email)) => {
                    format!("Du bist {name}, angemeldet als {email}.")
                }
                (Some(name), None) => format!("Du bist {name}."),
                (None, Some(email)) => format!("Du bist als {email} angemeldet."),
                (None, None) => "Dein Google-Konto hat mir weder Namen noch E-Mail-Adresse \
                    verraten."
                    .to_owned(),
            },
            Message::RecentFiles { names } => {
                let count = names.len();
                let noun = if count == 1 { "Datei" } else { "Dateien" };
                let latest = if count == 1 { "letzte" } else { "letzten" };
                format!(
                    "Deine {count} {latest} {noun}: {}.",
                    join_list(names, "und")
                )
            }
            Message::NoFiles => "Dein Google Drive hat noch keine Dateien.".to_owned(),
            Message::NextEvent { title, start } => {
                let title = title.unwrap_or("Ein Termin ohne Titel");
                match start {
                    EventStart::At { start, today } => format!(
                        "{title}, {} um {} Uhr.",
                        german_day(start.date(), *today),
                        german_time(start)
                    ),
                    EventStart::AllDay { date, today } => {
                        format!("{title}, ganztägig {}.", german_day(*date, *today))
                    }
                }
            }
            Message::NoUpcomingEvents => "In deinem Kalender steht nichts an.".to_owned(),
            Message::AskForNote => "Was soll in der Notiz stehen?".to_owned(),
            Message::NoteAdded { note } => format!("Ich habe deine Notiz hinzugefügt: {note}."),
        }
    }
}

/// "a", "a and b", "a, b and c".
fn join_list(items: &[String], and: &str) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

const ENGLISH_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const GERMAN_WEEKDAYS: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];
const GERMAN_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

fn weekday_index(date: Date) -> usize {
    usize::from(date.weekday().to_monday_zero_offset().unsigned_abs())
}

fn month_index(date: Date) -> usize {
    usize::from(date.month().unsigned_abs()) - 1
}

fn english_day(date: Date, today: Date) -> String {
    if date == today {
        "today".to_owned()
    } else if Some(date) == today.tomorrow().ok() {
        "tomorrow".to_owned()
    } else {
        format!(
            "on {}, {} {}",
            ENGLISH_WEEKDAYS[weekday_index(date)],
            ENGLISH_MONTHS[month_index(date)],
            date.day()
        )
    }
}

fn german_day(date: Date, today: Date) -> String {
    if date == today {
        "heute".to_owned()
    } else if Some(date) == today.tomorrow().ok() {
        "morgen".to_owned()
    } else {
        format!(
            "am {}, {}. {}",
            GERMAN_WEEKDAYS[weekday_index(date)],
            date.day(),
            GERMAN_MONTHS[month_index(date)]
        )
    }
}

/// "3 PM", "3:30 PM", "noon" is left to Alexa's voice: "12 PM" is read naturally.
fn english_time(time: &ZonedDateTime) -> String {
    let hour = time.hour();
    let minute = time.minute();
    let (hour12, suffix) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    if minute == 0 {
        format!("{hour12} {suffix}")
    } else {
        format!("{hour12}:{minute:02} {suffix}")
    }
}

/// "15", "15:30" (followed by "Uhr").
fn german_time(time: &ZonedDateTime) -> String {
    let (hour, minute) = (time.hour(), time.minute());
    if minute == 0 {
        format!("{hour}")
    } else {
        format!("{hour}:{minute:02}")
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn language_follows_the_locale_and_falls_back_to_english() {
        assert_eq!(Language::from_locale(Some("de-DE")), Language::German);
        assert_eq!(Language::from_locale(Some("de-AT")), Language::German);
        assert_eq!(Language::from_locale(Some("en-GB")), Language::English);
        assert_eq!(Language::from_locale(Some("fr-FR")), Language::English);
        assert_eq!(Language::from_locale(None), Language::English);
    }

    #[test]
    fn scopes_map_to_permissions_a_user_understands() {
        let drive = "https://www.googleapis.com/auth/drive.metadata.readonly";
        assert_eq!(Permission::from_scope(drive), Some(Permission::Drive));
        let calendar = "https://www.googleapis.com/auth/calendar.events.readonly";
        assert_eq!(Permission::from_scope(calendar), Some(Permission::Calendar));
        let sheets = "https://www.googleapis.com/auth/spreadsheets";
        assert_eq!(Permission::from_scope(sheets), Some(Permission::Sheets));
        assert_eq!(Permission::from_scope("email"), Some(Permission::Profile));
        assert_eq!(
            Permission::from_scope("https://www.googleapis.com/auth/gmail.send"),
            None
        );
    }

    #[test]
    fn lists_are_joined_like_speech() {
        let names = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_list(&names(&["a"]), "and"), "a");
        assert_eq!(join_list(&names(&["a", "b"]), "and"), "a and b");
        assert_eq!(join_list(&names(&["a", "b", "c"]), "und"), "a, b und c");
    }

    #[test]
    fn event_times_are_spoken_in_the_events_zone_and_language() {
        let start = date(2026, 11, 26)
            .at(15, 30, 0, 0)
            .in_tz("Europe/Berlin")
            .unwrap();
        let today = date(2026, 11, 24);
        let message = Message::NextEvent {
            title: Some("Standup"),
            start: EventStart::At {
                start: &start,
                today,
            },
        };
        assert_eq!(
            message.text(Language::English),
            "Standup, on Thursday, November 26 at 3:30 PM."
        );
        assert_eq!(
            message.text(Language::German),
            "Standup, am Donnerstag, 26. November um 15:30 Uhr."
        );

        let tomorrow = Message::NextEvent {
            title: None,
            start: EventStart::AllDay {
                date: date(2026, 11, 25),
                today,
            },
        };
        assert_eq!(
            tomorrow.text(Language::English),
            "An event without a title, all day tomorrow."
        );
        assert_eq!(
            tomorrow.text(Language::German),
            "Ein Termin ohne Titel, ganztägig morgen."
        );
    }

    #[test]
    fn midnight_and_noon_use_twelve() {
        let midnight = date(2026, 1, 1).at(0, 5, 0, 0).in_tz("UTC").unwrap();
        let noon = date(2026, 1, 1).at(12, 0, 0, 0).in_tz("UTC").unwrap();
        assert_eq!(english_time(&midnight), "12:05 AM");
        assert_eq!(english_time(&noon), "12 PM");
        assert_eq!(german_time(&noon), "12");
    }
}
