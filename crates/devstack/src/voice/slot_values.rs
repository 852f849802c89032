//! The values Alexa puts in built-in slots: AMAZON.DATE, AMAZON.TIME, AMAZON.DURATION and
//! AMAZON.NUMBER resolved from the words a user said, in the formats of Amazon's "Slot Type
//! Reference" (https://developer.amazon.com/en-US/docs/alexa/custom-skills/slot-type-reference.html):
//! `2026-12-09`, `2026-W50`, `2026-W50-WE`, `2026-12`, `2026` (`2026-XX-XX` outside English),
//! `PRESENT_REF`; `15:00`, `MO`, `AF`, `EV`, `NI`; `PT2H`, `P3D`; `42`.
//!
//! Pure: the date relative words count from is the caller's `today` (the device's local date).
//! How each language says these things is data, in `voice/slot_values.toml`; this module only
//! knows what the meanings there ("day+1", "pm +30", "hours") compute. docs/slot-values.md lists
//! the phrasings.

use std::{collections::BTreeMap, sync::LazyLock};

use jiff::{ToSpan, civil::Date};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::{
    languages,
    words::{self, Reading, Token},
};

/// What a slot's spoken words become in the request Alexa sends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Resolved {
    /// Amazon's value for the words (`2026-12-09`, `15:00`, `PT2H`, `42`): what Alexa puts in
    /// `slots.<name>.value`.
    Value(String),
    /// Not a type this module resolves (a custom type, AMAZON.SearchQuery, or a built-in type
    /// in a language without a table in `voice/slot_values.toml`): Alexa sends the words as
    /// spoken, and so does the twin.
    PassThrough,
    /// A type this module resolves, but the words are not one of its values ("on blue" for a
    /// date). Alexa then does not fill the slot with these words: an utterance does not match
    /// the sample that would have put them there (it matches another sample, or falls to
    /// AMAZON.FallbackIntent), and an answer to an elicitation is heard as a new request.
    Unresolvable,
}

/// Amazon's value for `spoken` in a slot of `slot_type` (`AMAZON.DATE`), in `language` (`de` or a
/// locale such as `de-DE`), counting relative dates ("tomorrow", "next friday") from `today`.
/// Dates without a year are the first such date on or after `today`, as Amazon's slot type
/// reference documents ("defaults to dates on or after the current date").
pub fn resolve(slot_type: &str, spoken: &str, language: &str, today: Date) -> Resolved {
    let Some(kind) = Kind::of(slot_type) else {
        return Resolved::PassThrough;
    };
    let Some(table) = table(languages::language_code(language)) else {
        return Resolved::PassThrough;
    };
    let words = spoken_words(spoken);
    if words.is_empty() {
        return Resolved::Unresolvable;
    }
    let value = match kind {
        Kind::Date => table.date(spoken.trim(), &words, today),
        Kind::Time => table.time(&words),
        Kind::Duration => table.duration(spoken.trim(), &words),
        Kind::Number => table.number(&words),
    };
    value.map_or(Resolved::Unresolvable, Resolved::Value)
}

/// The built-in types resolved here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Date,
    Time,
    Duration,
    Number,
}

impl Kind {
    fn of(slot_type: &str) -> Option<Kind> {
        Some(match slot_type {
            "AMAZON.DATE" => Kind::Date,
            "AMAZON.TIME" => Kind::Time,
            "AMAZON.DURATION" => Kind::Duration,
            "AMAZON.NUMBER" => Kind::Number,
            _ => return None,
        })
    }
}

/// Where the table lives, for error messages that name the fix.
const TABLE_FILE: &str = "crates/devstack/src/voice/slot_values.toml";

const TABLE: &str = include_str!("slot_values.toml");

/// The table's entry for a language; `None` when the table has none (or, which its test rules
/// out, the table does not read).
fn table(code: &str) -> Option<&'static Language> {
    TABLES.as_ref().ok()?.get(code)
}

static TABLES: LazyLock<Result<BTreeMap<String, Language>, String>> = LazyLock::new(|| {
    let raw: BTreeMap<String, RawLanguage> =
        toml::from_str(TABLE).map_err(|error| format!("{TABLE_FILE} is not valid: {error}"))?;
    raw.into_iter()
        .map(|(code, language)| {
            let compiled = Language::new(language)
                .map_err(|message| format!("{TABLE_FILE}: [{code}] {message}"))?;
            Ok((code, compiled))
        })
        .collect()
});

/// One language as written in the table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    year_only: String,
    months: BTreeMap<String, u8>,
    weekdays: BTreeMap<String, u8>,
    numbers: RawNumbers,
    dates: BTreeMap<String, String>,
    times: BTreeMap<String, String>,
    durations: RawDurations,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNumbers {
    values: BTreeMap<String, u64>,
    multipliers: BTreeMap<String, u64>,
    scales: BTreeMap<String, u64>,
    joiners: Vec<String>,
    ordinals: BTreeMap<String, u64>,
    ordinal_endings: Vec<String>,
    digit_suffixes: Vec<String>,
    negative: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDurations {
    units: BTreeMap<String, DurationUnit>,
    joiners: Vec<String>,
    one: Vec<String>,
    phrases: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
enum DurationUnit {
    Years,
    Months,
    Weeks,
    Days,
    Hours,
    Minutes,
    Seconds,
}

/// A piece of a number word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Value(u64),
    Multiplier(u64),
    Scale(u64),
    Joiner,
    Ordinal(u64),
}

/// What a date phrasing means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateMeaning {
    /// The date its placeholders name, the first on or after today.
    OnOrAfter,
    /// The date its placeholders name, the first after today ("next friday").
    After,
    /// The weekday its placeholder names in the week N weeks from this one ("friday next
    /// week": 1).
    WeekdayInWeek(i64),
    Relative(DateUnit, i64),
    Now,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateUnit {
    Day,
    Week,
    Weekend,
    Month,
    Year,
}

/// What a time phrasing means.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TimeMeaning {
    Clock { half: Half, minutes: i64 },
    Value(String),
}

/// Which half of the day an hour is in, when the phrasing says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Half {
    AsSaid,
    Morning,
    Afternoon,
}

/// A phrasing: its folded tokens, placeholders as slots, with what it means.
#[derive(Debug)]
struct Phrasing<T> {
    tokens: Vec<Token>,
    meaning: T,
}

/// One language, ready to match.
#[derive(Debug)]
struct Language {
    year_only: String,
    months: Vec<(Vec<String>, u64)>,
    weekdays: Vec<(Vec<String>, u64)>,
    /// Longest first, so a segmentation tries "sechzehn" before "sech…".
    pieces: Vec<(String, Piece)>,
    digit_suffixes: Vec<String>,
    negative: Vec<Vec<String>>,
    dates: Vec<Phrasing<DateMeaning>>,
    times: Vec<Phrasing<TimeMeaning>>,
    duration_units: Vec<(Vec<String>, DurationUnit)>,
    duration_joiners: Vec<Vec<String>>,
    duration_one: Vec<Vec<String>>,
    duration_phrases: Vec<(Vec<String>, String)>,
}

/// The words of `text` as this module compares them: folded (see `words`), full-width digits
/// as ASCII, and digits split from letters ("3pm" → "3 pm").
fn spoken_words(text: &str) -> Vec<String> {
    let text: String = text.nfkc().collect();
    let mut split = Vec::new();
    for word in words::words(&text, Reading::Folded) {
        let mut part = String::new();
        for c in word.chars() {
            if part
                .chars()
                .last()
                .is_some_and(|last| last.is_ascii_digit() != c.is_ascii_digit())
            {
                split.push(std::mem::take(&mut part));
            }
            part.push(c);
        }
        split.push(part);
    }
    split
}

/// A phrasing's tokens as this module compares them.
fn phrasing_tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        tokens.extend(spoken_words(&rest[..start]).into_iter().map(Token::Word));
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |end| start + end);
        tokens.push(Token::Slot(rest[start + 1..end].trim().to_owned()));
        rest = rest.get(end + 1..).unwrap_or("");
    }
    tokens.extend(spoken_words(rest).into_iter().map(Token::Word));
    tokens
}

const PLACEHOLDERS: &[&str] = &[
    "day",
    "month",
    "month_number",
    "year",
    "weekday",
    "hour",
    "minute",
];

impl Language {
    fn new(raw: RawLanguage) -> Result<Language, String> {
        let phrase_list = |map: BTreeMap<String, u8>| -> Vec<(Vec<String>, u64)> {
            map.into_iter()
                .map(|(words, value)| (spoken_words(&words), u64::from(value)))
                .collect()
        };
        let words_list = |list: Vec<String>| -> Vec<Vec<String>> {
            list.iter().map(|w| spoken_words(w)).collect()
        };
        let numbers = raw.numbers;
        let mut pieces: Vec<(String, Piece)> = Vec::new();
        let concat = |text: &str| spoken_words(text).concat();
        pieces.extend(
            numbers
                .values
                .iter()
                .map(|(word, value)| (concat(word), Piece::Value(*value))),
        );
        pieces.extend(
            numbers
                .multipliers
                .iter()
                .map(|(word, value)| (concat(word), Piece::Multiplier(*value))),
        );
        pieces.extend(
            numbers
                .scales
                .iter()
                .map(|(word, value)| (concat(word), Piece::Scale(*value))),
        );
        pieces.extend(
            numbers
                .joiners
                .iter()
                .map(|word| (concat(word), Piece::Joiner)),
        );
        for (stem, value) in &numbers.ordinals {
            if numbers.ordinal_endings.is_empty() {
                pieces.push((concat(stem), Piece::Ordinal(*value)));
            }
            for ending in &numbers.ordinal_endings {
                pieces.push((concat(&format!("{stem}{ending}")), Piece::Ordinal(*value)));
            }
        }
        if let Some((word, _)) = pieces.iter().find(|(word, _)| word.is_empty()) {
            return Err(format!("a number word {word:?} is empty once folded"));
        }
        pieces.sort_by_key(|(word, _)| std::cmp::Reverse(word.chars().count()));

        let mut dates = Vec::new();
        for (text, meaning) in raw.dates {
            let meaning = date_meaning(&meaning)
                .ok_or_else(|| format!("date phrasing {text:?} means {meaning:?}, which is not one of date, next, weekday of week+N, day+N, week+N, weekend+N, month+N, year+N, now"))?;
            dates.push(phrasing(&text, meaning)?);
        }
        let mut times = Vec::new();
        for (text, meaning) in raw.times {
            let meaning = time_meaning(&meaning).ok_or_else(|| {
                format!("time phrasing {text:?} means {meaning:?}, which is not clock, am or pm (with +N or -N minutes) nor one of Amazon's values (HH:MM, MO, AF, EV, NI, PRESENT_REF)")
            })?;
            times.push(phrasing(&text, meaning)?);
        }
        // The more of its own words a phrasing has, the sooner it is tried: "next {weekday}"
        // before "{weekday}".
        dates.sort_by_key(|phrasing| std::cmp::Reverse(literal_count(&phrasing.tokens)));
        times.sort_by_key(|phrasing| std::cmp::Reverse(literal_count(&phrasing.tokens)));
        if !raw.year_only.contains("{year}") {
            return Err("year_only has no {year}".to_owned());
        }
        let durations = raw.durations;
        for (text, value) in &durations.phrases {
            if !value.starts_with('P') {
                return Err(format!(
                    "duration phrasing {text:?} is {value:?}, not an ISO 8601 duration (PT30M)"
                ));
            }
        }
        let mut duration_units: Vec<(Vec<String>, DurationUnit)> = durations
            .units
            .into_iter()
            .map(|(word, unit)| (spoken_words(&word), unit))
            .collect();
        duration_units.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        Ok(Language {
            year_only: raw.year_only,
            months: phrase_list(raw.months),
            weekdays: phrase_list(raw.weekdays),
            pieces,
            digit_suffixes: numbers.digit_suffixes.iter().map(|s| concat(s)).collect(),
            negative: words_list(numbers.negative),
            dates,
            times,
            duration_units,
            duration_joiners: words_list(durations.joiners),
            duration_one: words_list(durations.one),
            duration_phrases: durations
                .phrases
                .into_iter()
                .map(|(words, value)| (spoken_words(&words), value))
                .collect(),
        })
    }
}

fn phrasing<T>(text: &str, meaning: T) -> Result<Phrasing<T>, String> {
    let tokens = phrasing_tokens(text);
    if let Some(name) = tokens.iter().find_map(|token| match token {
        Token::Slot(name) if !PLACEHOLDERS.contains(&name.as_str()) => Some(name),
        _ => None,
    }) {
        return Err(format!(
            "phrasing {text:?} has {{{name}}}, which is not one of {{{}}}",
            PLACEHOLDERS.join("}, {")
        ));
    }
    Ok(Phrasing { tokens, meaning })
}

fn literal_count(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .filter(|token| matches!(token, Token::Word(_)))
        .count()
}

fn date_meaning(text: &str) -> Option<DateMeaning> {
    match text {
        "date" => return Some(DateMeaning::OnOrAfter),
        "next" => return Some(DateMeaning::After),
        "now" => return Some(DateMeaning::Now),
        _ => {}
    }
    if let Some(weeks) = text.strip_prefix("weekday of week") {
        return Some(DateMeaning::WeekdayInWeek(weeks.parse().ok()?));
    }
    let split = text.find(['+', '-'])?;
    let unit = match &text[..split] {
        "day" => DateUnit::Day,
        "week" => DateUnit::Week,
        "weekend" => DateUnit::Weekend,
        "month" => DateUnit::Month,
        "year" => DateUnit::Year,
        _ => return None,
    };
    Some(DateMeaning::Relative(unit, text[split..].parse().ok()?))
}

fn time_meaning(text: &str) -> Option<TimeMeaning> {
    let mut parts = text.split_whitespace();
    let half = match parts.next()? {
        "clock" => Half::AsSaid,
        "am" => Half::Morning,
        "pm" => Half::Afternoon,
        value => {
            let amazon = ["MO", "AF", "EV", "NI", "PRESENT_REF"].contains(&value)
                || clock_value(value).is_some();
            return (amazon && parts.next().is_none())
                .then(|| TimeMeaning::Value(value.to_owned()));
        }
    };
    let minutes = match parts.next() {
        None => 0,
        Some(offset) if offset.starts_with(['+', '-']) => offset.parse().ok()?,
        Some(_) => return None,
    };
    parts
        .next()
        .is_none()
        .then_some(TimeMeaning::Clock { half, minutes })
}

/// `HH:MM` with a valid hour and minute.
fn clock_value(text: &str) -> Option<(u64, u64)> {
    let (hour, minute) = text.split_once(':')?;
    let valid = hour.len() == 2 && minute.len() == 2;
    let (hour, minute) = (hour.parse().ok()?, minute.parse().ok()?);
    (valid && hour < 24 && minute < 60).then_some((hour, minute))
}

/// Placeholder values a phrasing captured.
#[derive(Debug, Default)]
struct Captures {
    values: Vec<(String, u64)>,
}

impl Captures {
    fn get(&self, name: &str) -> Option<u64> {
        self.values
            .iter()
            .find(|(captured, _)| captured == name)
            .map(|(_, value)| *value)
    }
}

impl Language {
    /// Every way `words` fits `tokens`, each placeholder taking one or more words that parse as
    /// its kind; `accept` sees each in turn and stops the search by returning `Some`.
    fn fit<R>(
        &self,
        tokens: &[Token],
        words: &[String],
        captures: &mut Captures,
        accept: &mut dyn FnMut(&Captures) -> Option<R>,
    ) -> Option<R> {
        match tokens.split_first() {
            None => {
                if words.is_empty() {
                    accept(captures)
                } else {
                    None
                }
            }
            Some((Token::Word(expected), rest)) => {
                let (first, remaining) = words.split_first()?;
                if first != expected {
                    return None;
                }
                self.fit(rest, remaining, captures, accept)
            }
            Some((Token::Slot(name), rest)) => (1..=words.len()).find_map(|taken| {
                let value = self.placeholder(name, &words[..taken])?;
                captures.values.push((name.clone(), value));
                let found = self.fit(rest, &words[taken..], captures, accept);
                captures.values.pop();
                found
            }),
        }
    }

    fn placeholder(&self, name: &str, words: &[String]) -> Option<u64> {
        match name {
            "day" => self
                .ordinal(words)
                .or_else(|| self.cardinal(words))
                .filter(|day| (1..=31).contains(day)),
            "month" => lookup(&self.months, words),
            "month_number" => self
                .cardinal(words)
                .filter(|month| (1..=12).contains(month)),
            "year" => self.year(words),
            "weekday" => lookup(&self.weekdays, words),
            "hour" => self.cardinal(words).filter(|hour| *hour <= 24),
            "minute" => self.cardinal(words).filter(|minute| *minute <= 59),
            _ => None,
        }
    }

    fn year(&self, words: &[String]) -> Option<u64> {
        let in_range = |year: &u64| (1000..=9999).contains(year);
        if let Some(year) = self.cardinal(words).filter(in_range) {
            return Some(year);
        }
        // "twenty twenty six", "nineteen ninety": two halves of 10 to 99.
        (1..words.len()).find_map(|split| {
            let century = self
                .cardinal(&words[..split])
                .filter(|c| (10..=99).contains(c))?;
            let rest = self
                .cardinal(&words[split..])
                .filter(|r| (10..=99).contains(r))?;
            Some(century * 100 + rest).filter(in_range)
        })
    }

    /// A number said or written with digits (`9`, `1,234` typed as "1 234").
    fn cardinal(&self, words: &[String]) -> Option<u64> {
        if let Some(number) = digits(words) {
            return Some(number);
        }
        self.spelled(&words.concat(), false)
    }

    /// "ninth", "neunten", "9th", "1er".
    fn ordinal(&self, words: &[String]) -> Option<u64> {
        let text = words.concat();
        if let Some(number) = self.digit_suffixes.iter().find_map(|suffix| {
            let digits = text.strip_suffix(suffix.as_str())?;
            (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
                .then(|| digits.parse().ok())?
        }) {
            return Some(number);
        }
        self.spelled(&text, true)
    }

    /// A number written in words, cut into the table's pieces (every way, until one adds up).
    fn spelled(&self, text: &str, ordinal: bool) -> Option<u64> {
        let mut pieces = Vec::new();
        self.segment(text, &mut pieces, ordinal)
    }

    fn segment(&self, text: &str, pieces: &mut Vec<Piece>, ordinal: bool) -> Option<u64> {
        if text.is_empty() {
            let ends_ordinal = matches!(pieces.last(), Some(Piece::Ordinal(_)));
            return if ends_ordinal == ordinal {
                evaluate(pieces)
            } else {
                None
            };
        }
        // An ordinal piece may only end a number.
        if matches!(pieces.last(), Some(Piece::Ordinal(_))) {
            return None;
        }
        self.pieces.iter().find_map(|(word, piece)| {
            let rest = text.strip_prefix(word.as_str())?;
            pieces.push(*piece);
            let found = self.segment(rest, pieces, ordinal);
            pieces.pop();
            found
        })
    }
}

fn lookup(table: &[(Vec<String>, u64)], words: &[String]) -> Option<u64> {
    table
        .iter()
        .find(|(phrase, _)| phrase.as_slice() == words)
        .map(|(_, value)| *value)
}

/// Digits, possibly in groups of three after the first ("1 234" from a typed "1,234").
fn digits(words: &[String]) -> Option<u64> {
    let all_digits = |word: &String| !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
    let (first, groups) = words.split_first()?;
    if !all_digits(first) || first.len() > 18 {
        return None;
    }
    if !groups.is_empty()
        && (first.len() > 3
            || groups
                .iter()
                .any(|group| group.len() != 3 || !all_digits(group)))
    {
        return None;
    }
    words.concat().parse().ok()
}

/// The value of number pieces, or `None` when they do not make a number as people say them
/// ("twenty six" and German "sechsundzwanzig" do; "six twenty" and "and six" do not).
fn evaluate(pieces: &[Piece]) -> Option<u64> {
    let (mut total, mut current, mut last) = (0u64, 0u64, 0u64);
    // The last value added since a multiplier or scale, to check the next one against.
    let mut previous: Option<u64> = None;
    let mut joined = false;
    let mut any = false;
    for piece in pieces {
        match *piece {
            Piece::Value(value) | Piece::Ordinal(value) => {
                if let Some(previous) = previous {
                    let tens_then_units =
                        previous > value && previous % 10u64.pow(digit_count(value)) == 0;
                    // German and older English: "sechsundzwanzig", "one and twenty".
                    let units_and_tens = joined
                        && (1..10).contains(&previous)
                        && (20..100).contains(&value)
                        && value % 10 == 0;
                    if !tens_then_units && !units_and_tens {
                        return None;
                    }
                }
                current = current.checked_add(value)?;
                last = value;
                previous = Some(value);
            }
            Piece::Multiplier(multiplier) => {
                if joined {
                    return None;
                }
                let multiplied = last.max(1).checked_mul(multiplier)?;
                current = current - last + multiplied;
                last = multiplied;
                previous = None;
            }
            Piece::Scale(scale) => {
                if joined {
                    return None;
                }
                total = total.checked_add(current.max(1).checked_mul(scale)?)?;
                current = 0;
                last = 0;
                previous = None;
            }
            Piece::Joiner => {
                if joined || !any {
                    return None;
                }
                joined = true;
                continue;
            }
        }
        joined = false;
        any = true;
    }
    (any && !joined).then(|| total + current)
}

fn digit_count(value: u64) -> u32 {
    value.checked_ilog10().map_or(1, |log| log + 1)
}

impl Language {
    fn number(&self, words: &[String]) -> Option<String> {
        if let Some(number) = self.cardinal(words) {
            return Some(number.to_string());
        }
        let rest = self
            .negative
            .iter()
            .find_map(|prefix| words.strip_prefix(prefix.as_slice()))?;
        self.cardinal(rest).map(|number| format!("-{number}"))
    }

    fn date(&self, spoken: &str, words: &[String], today: Date) -> Option<String> {
        // A value typed as Amazon writes it (in a dialog file) is that value.
        if is_amazon_date(spoken) {
            return Some(spoken.to_owned());
        }
        self.dates.iter().find_map(|phrasing| {
            self.fit(
                &phrasing.tokens,
                words,
                &mut Captures::default(),
                &mut |captures| self.date_value(phrasing.meaning, captures, today),
            )
        })
    }

    fn date_value(&self, meaning: DateMeaning, captures: &Captures, today: Date) -> Option<String> {
        match meaning {
            DateMeaning::Now => Some("PRESENT_REF".to_owned()),
            DateMeaning::Relative(unit, count) => self.relative(unit, count, today),
            DateMeaning::OnOrAfter => self.named(captures, today, false),
            DateMeaning::After => self.named(captures, today, true),
            DateMeaning::WeekdayInWeek(weeks) => {
                let weekday = i64::try_from(captures.get("weekday")?).ok()?;
                let monday = today.checked_add(
                    (weeks * 7 - i64::from(today.weekday().to_monday_zero_offset())).days(),
                );
                Some(day_value(
                    monday.ok()?.checked_add((weekday - 1).days()).ok()?,
                ))
            }
        }
    }

    fn relative(&self, unit: DateUnit, count: i64, today: Date) -> Option<String> {
        Some(match unit {
            DateUnit::Day => day_value(today.checked_add(count.days()).ok()?),
            DateUnit::Week | DateUnit::Weekend => {
                let week = today.checked_add((count * 7).days()).ok()?.iso_week_date();
                let suffix = if unit == DateUnit::Weekend { "-WE" } else { "" };
                format!("{:04}-W{:02}{suffix}", week.year(), week.week())
            }
            DateUnit::Month => {
                let month = today.first_of_month().checked_add(count.months()).ok()?;
                format!("{:04}-{:02}", month.year(), month.month())
            }
            DateUnit::Year => self.year_value(i64::from(today.year()) + count),
        })
    }

    fn year_value(&self, year: i64) -> String {
        self.year_only.replace("{year}", &format!("{year:04}"))
    }

    /// The date a phrasing's placeholders name: a weekday, a day (of a month, of a year), a
    /// month, a year.
    fn named(&self, captures: &Captures, today: Date, after_today: bool) -> Option<String> {
        let (day, month, year, weekday) = (
            captures.get("day"),
            captures
                .get("month")
                .or_else(|| captures.get("month_number")),
            captures.get("year"),
            captures.get("weekday"),
        );
        let first = if after_today {
            today.checked_add(1.day()).ok()?
        } else {
            today
        };
        let small = |value: u64| i8::try_from(value).ok();
        match (day, month, year) {
            (Some(day), Some(month), year) => {
                let date = match year {
                    Some(year) => {
                        Date::new(i16::try_from(year).ok()?, small(month)?, small(day)?).ok()?
                    }
                    None => (0..=4).find_map(|ahead| {
                        let date =
                            Date::new(first.year().checked_add(ahead)?, small(month)?, small(day)?)
                                .ok()?;
                        (date >= first).then_some(date)
                    })?,
                };
                // "Friday, December 11" on a date that is not a Friday is not a date.
                if weekday.is_some_and(|weekday| {
                    u64::try_from(date.weekday().to_monday_one_offset()).ok() != Some(weekday)
                }) {
                    return None;
                }
                Some(day_value(date))
            }
            (Some(day), None, None) => {
                let date = (0..=2).find_map(|ahead| {
                    let month = first.first_of_month().checked_add(ahead.months()).ok()?;
                    let date = Date::new(month.year(), month.month(), small(day)?).ok()?;
                    (date >= first).then_some(date)
                })?;
                Some(day_value(date))
            }
            (None, Some(month), year) => {
                let year = match year {
                    Some(year) => i16::try_from(year).ok()?,
                    None if small(month)? >= first.month() => first.year(),
                    None => first.year() + 1,
                };
                Some(format!("{year:04}-{month:02}"))
            }
            (None, None, Some(year)) => Some(self.year_value(i64::try_from(year).ok()?)),
            (Some(_), None, Some(_)) => None,
            (None, None, None) => {
                let weekday = i8::try_from(weekday?).ok()?;
                let ahead =
                    i64::from((weekday - first.weekday().to_monday_one_offset()).rem_euclid(7));
                Some(day_value(first.checked_add(ahead.days()).ok()?))
            }
        }
    }

    fn time(&self, words: &[String]) -> Option<String> {
        // Typed as Amazon writes it: "15:00" reads as the words "15" "00".
        if let [hour, minute] = words
            && hour.len() <= 2
            && minute.len() == 2
            && let Some((hour, minute)) = clock_value(&format!("{hour:0>2}:{minute}"))
        {
            return Some(format!("{hour:02}:{minute:02}"));
        }
        self.times.iter().find_map(|phrasing| {
            self.fit(
                &phrasing.tokens,
                words,
                &mut Captures::default(),
                &mut |captures| time_value(&phrasing.meaning, captures),
            )
        })
    }

    fn duration(&self, spoken: &str, words: &[String]) -> Option<String> {
        // A value typed as Amazon writes it (in a dialog file) is that value.
        if is_amazon_duration(spoken) {
            return Some(spoken.to_owned());
        }
        if let Some((_, value)) = self
            .duration_phrases
            .iter()
            .find(|(phrase, _)| phrase.as_slice() == words)
        {
            return Some(value.clone());
        }
        let mut parts = BTreeMap::new();
        self.duration_parts(words, &mut parts)?;
        Some(iso_duration(&parts))
    }

    /// "two hours and ten minutes": amounts each followed by a unit, joiners between them.
    fn duration_parts(
        &self,
        words: &[String],
        parts: &mut BTreeMap<DurationUnit, u64>,
    ) -> Option<()> {
        if words.is_empty() {
            return (!parts.is_empty()).then_some(());
        }
        let words = if parts.is_empty() {
            words
        } else {
            self.duration_joiners
                .iter()
                .find_map(|joiner| words.strip_prefix(joiner.as_slice()))
                .unwrap_or(words)
        };
        (1..words.len()).find_map(|taken| {
            let amount = if self
                .duration_one
                .iter()
                .any(|one| one.as_slice() == &words[..taken])
            {
                1
            } else {
                self.cardinal(&words[..taken])?
            };
            self.duration_units.iter().find_map(|(unit_words, unit)| {
                let rest = words[taken..].strip_prefix(unit_words.as_slice())?;
                if parts.contains_key(unit) {
                    return None;
                }
                parts.insert(*unit, amount);
                let found = self.duration_parts(rest, parts);
                if found.is_none() {
                    parts.remove(unit);
                }
                found
            })
        })
    }
}

/// `YYYY-MM-DD`, `YYYY-Www(-WE)`, `YYYY-MM`, `YYYY`, `YYYY-XX-XX` or `PRESENT_REF` as typed.
fn is_amazon_date(text: &str) -> bool {
    let shape: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    [
        "9999-99-99",
        "9999-W99",
        "9999-W99-WE",
        "9999-99",
        "9999-XX-XX",
        "PRESENT_REF",
    ]
    .contains(&shape.as_str())
        && (shape != "9999-99-99" || text.parse::<Date>().is_ok())
}

/// An ISO 8601 duration as Amazon writes it: `P3D`, `PT1H30M`, `P1Y2M`.
fn is_amazon_duration(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('P') else {
        return false;
    };
    let (date_part, time_part) = rest.split_once('T').unwrap_or((rest, ""));
    let valid = |part: &str, designators: &str| {
        let mut remaining = designators;
        let mut digits = 0;
        for c in part.chars() {
            if c.is_ascii_digit() {
                digits += 1;
            } else if let Some(position) = remaining.find(c).filter(|_| digits > 0) {
                remaining = &remaining[position + 1..];
                digits = 0;
            } else {
                return false;
            }
        }
        digits == 0
    };
    // "P" and "PT" alone say no amount.
    let empty = time_part.is_empty() && (date_part.is_empty() || text.contains('T'));
    !empty && valid(date_part, "YMWD") && valid(time_part, "HMS")
}

fn day_value(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

fn time_value(meaning: &TimeMeaning, captures: &Captures) -> Option<String> {
    let (half, offset) = match meaning {
        TimeMeaning::Value(value) => return Some(value.clone()),
        TimeMeaning::Clock { half, minutes } => (*half, *minutes),
    };
    let mut hour = captures.get("hour")?;
    match half {
        Half::AsSaid => {}
        Half::Morning if hour > 12 => return None,
        Half::Morning => hour %= 12,
        Half::Afternoon if hour > 12 => {}
        // "twelve pm" is noon.
        Half::Afternoon if hour == 12 => {}
        Half::Afternoon => hour += 12,
    }
    let minute = captures.get("minute").unwrap_or(0);
    let total = i64::try_from(hour * 60 + minute).ok()? + offset;
    let total = total.rem_euclid(24 * 60);
    Some(format!("{:02}:{:02}", total / 60, total % 60))
}

fn iso_duration(parts: &BTreeMap<DurationUnit, u64>) -> String {
    let mut value = String::from("P");
    let mut time = String::new();
    for (unit, amount) in parts {
        let (designator, in_time) = match unit {
            DurationUnit::Years => ('Y', false),
            DurationUnit::Months => ('M', false),
            DurationUnit::Weeks => ('W', false),
            DurationUnit::Days => ('D', false),
            DurationUnit::Hours => ('H', true),
            DurationUnit::Minutes => ('M', true),
            DurationUnit::Seconds => ('S', true),
        };
        let target = if in_time { &mut time } else { &mut value };
        target.push_str(&format!("{amount}{designator}"));
    }
    if !time.is_empty() {
        value.push('T');
        value.push_str(&time);
    }
    value
}

#[cfg(test)]
mod tests;
