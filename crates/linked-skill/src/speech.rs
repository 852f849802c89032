//! How lists, counts, dates and times are said in a language: per-language words and patterns
//! (data, in each language's file under `texts/`), and the few functions that apply them.
//!
//! No locale library: ICU4X's datetime formatting would add megabytes and data loading at cold
//! start for the ten languages' handful of patterns a voice answer needs (docs/languages.md,
//! Speech helpers).

use jiff::civil::{Date, DateTime, Time};

use crate::texts::render;

/// How one language says lists, dates and times. The toolkit ships one per language in
/// [`Language::SHIPPED`](crate::Language::SHIPPED); a skill adding a language gives its own with
/// [`SkillBuilder::speech_words`](crate::SkillBuilder::speech_words).
///
/// Patterns use the placeholders named on each field.
#[derive(Debug, Clone, Copy)]
pub struct SpeechWords {
    /// Between the two items of a two-item list: `" and "`.
    pub list_pair: &'static str,
    /// Between the items of a longer list but the last two: `", "`.
    pub list_separator: &'static str,
    /// Before the last item of a list of three or more: `" and "`.
    pub list_last: &'static str,
    /// The plural category of a count (CLDR's rules for integers).
    pub plural: fn(u64) -> Plural,
    /// "today", "tomorrow".
    pub today: &'static str,
    pub tomorrow: &'static str,
    /// Monday first.
    pub weekdays: [&'static str; 7],
    /// January first.
    pub months: [&'static str; 12],
    /// How the first day of a month is written ("1er" in French, where it is said "premier").
    pub first_day: &'static str,
    /// A date that is neither today nor tomorrow, as it follows "the event is …":
    /// `{weekday}`, `{day}`, `{month}` ("on {weekday}, {month} {day}").
    pub date: &'static str,
    /// A day and a time: `{date}`, `{time}` ("{date} at {time}").
    pub date_at_time: &'static str,
    /// The same when the hour said is 1 ("a la una" in Spanish, "à 1h" in Portuguese).
    pub date_at_one: &'static str,
    pub clock: Clock,
}

/// How a time of day is said.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// 12-hour clock (3 PM) rather than 24-hour (15 Uhr).
    pub twelve_hour: bool,
    /// A full hour: `{hour}`, `{period}` ("{hour} {period}" → "3 PM").
    pub on_the_hour: &'static str,
    /// Hours and minutes: `{hour}`, `{minute}`, `{period}` ("{hour}:{minute} {period}").
    pub with_minutes: &'static str,
    /// Minutes written with two digits ("15:05") rather than as a number ("3時5分").
    pub pad_minutes: bool,
    /// The word for the part of the day, by the 24-hour hour it starts at, in order
    /// (`[(0, "AM"), (12, "PM")]`); empty when the language says none.
    pub periods: &'static [(u8, &'static str)],
}

/// A CLDR plural category: which form of a counted word a number takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Plural {
    /// The suffix of a text key's variant for this category: `files.one`, `files.other`.
    pub fn suffix(self) -> &'static str {
        match self {
            Plural::Zero => "zero",
            Plural::One => "one",
            Plural::Two => "two",
            Plural::Few => "few",
            Plural::Many => "many",
            Plural::Other => "other",
        }
    }

    /// Every category, in CLDR's order.
    pub const ALL: [Plural; 6] = [
        Plural::Zero,
        Plural::One,
        Plural::Two,
        Plural::Few,
        Plural::Many,
        Plural::Other,
    ];
}

impl SpeechWords {
    /// `items` joined as said: "a", "a and b", "a, b and c".
    pub fn list<S: AsRef<str>>(&self, items: &[S]) -> String {
        match items {
            [] => String::new(),
            [only] => only.as_ref().to_owned(),
            [first, second] => format!("{}{}{}", first.as_ref(), self.list_pair, second.as_ref()),
            [init @ .., last] => {
                let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
                format!(
                    "{}{}{}",
                    init.join(self.list_separator),
                    self.list_last,
                    last.as_ref()
                )
            }
        }
    }

    /// `date` relative to `today`: "today", "tomorrow", or the date with its weekday.
    pub fn date(&self, date: Date, today: Date) -> String {
        if date == today {
            return self.today.to_owned();
        }
        if Some(date) == today.tomorrow().ok() {
            return self.tomorrow.to_owned();
        }
        let weekday = usize::from(date.weekday().to_monday_zero_offset().unsigned_abs());
        let month = usize::from(date.month().unsigned_abs()).saturating_sub(1);
        let day = if date.day() == 1 {
            self.first_day.to_owned()
        } else {
            date.day().to_string()
        };
        render(
            self.date,
            &[
                ("weekday", self.weekdays[weekday % 7]),
                ("day", &day),
                ("month", self.months[month % 12]),
            ],
        )
    }

    /// A time of day: "3 PM", "15 h 30", "午後3時".
    pub fn time(&self, time: Time) -> String {
        let clock = &self.clock;
        let hour = time.hour().unsigned_abs();
        let minute = time.minute().unsigned_abs();
        let period = clock
            .periods
            .iter()
            .rev()
            .find(|(starts, _)| hour >= *starts)
            .map_or("", |(_, word)| *word);
        let said_hour = spoken_hour(clock, hour).to_string();
        if minute == 0 {
            render(
                clock.on_the_hour,
                &[("hour", &said_hour), ("period", period), ("minute", "00")],
            )
        } else {
            let minute = if clock.pad_minutes {
                format!("{minute:02}")
            } else {
                minute.to_string()
            };
            render(
                clock.with_minutes,
                &[
                    ("hour", &said_hour),
                    ("minute", &minute),
                    ("period", period),
                ],
            )
        }
    }

    /// A day and time relative to `today`: "tomorrow at 3 PM", "demain à 15 h", "明日の午後3時".
    pub fn date_at_time(&self, at: DateTime, today: Date) -> String {
        let date = self.date(at.date(), today);
        let time = self.time(at.time());
        let pattern = if spoken_hour(&self.clock, at.hour().unsigned_abs()) == 1 {
            self.date_at_one
        } else {
            self.date_at_time
        };
        render(pattern, &[("date", &date), ("time", &time)])
    }
}

fn spoken_hour(clock: &Clock, hour: u8) -> u8 {
    match hour {
        0 if clock.twelve_hour => 12,
        13.. if clock.twelve_hour => hour - 12,
        _ => hour,
    }
}

/// CLDR integer plural rules (<https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html>),
/// one function per rule shape; each language's file names its rule.
pub(crate) mod rules {
    use super::Plural;

    /// de, en, nl: one for 1.
    pub(crate) fn one_for_one(count: u64) -> Plural {
        if count == 1 {
            Plural::One
        } else {
            Plural::Other
        }
    }

    /// es, it: one for 1, many for whole millions ("un millón de archivos").
    pub(crate) fn one_for_one_many_for_millions(count: u64) -> Plural {
        match count {
            1 => Plural::One,
            _ if count != 0 && count.is_multiple_of(1_000_000) => Plural::Many,
            _ => Plural::Other,
        }
    }

    /// fr, pt: one for 0 and 1, many for whole millions.
    pub(crate) fn one_for_zero_and_one_many_for_millions(count: u64) -> Plural {
        match count {
            0 | 1 => Plural::One,
            _ if count.is_multiple_of(1_000_000) => Plural::Many,
            _ => Plural::Other,
        }
    }

    /// hi: one for 0 and 1.
    pub(crate) fn one_for_zero_and_one(count: u64) -> Plural {
        if count <= 1 {
            Plural::One
        } else {
            Plural::Other
        }
    }

    /// ja: one form.
    pub(crate) fn other_only(_count: u64) -> Plural {
        Plural::Other
    }

    /// ar: zero, one, two, few (3–10 of each hundred), many (11–99), other.
    pub(crate) fn arabic(count: u64) -> Plural {
        match (count, count % 100) {
            (0, _) => Plural::Zero,
            (1, _) => Plural::One,
            (2, _) => Plural::Two,
            (_, 3..=10) => Plural::Few,
            (_, 11..=99) => Plural::Many,
            _ => Plural::Other,
        }
    }
}
