//! Slot values per language, against a fixed today: Tuesday 8 December 2026 (ISO week 50).

use super::*;

const DATE: &str = "AMAZON.DATE";
const TIME: &str = "AMAZON.TIME";
const DURATION: &str = "AMAZON.DURATION";
const NUMBER: &str = "AMAZON.NUMBER";

/// Tuesday, 8 December 2026.
fn today() -> Date {
    Date::new(2026, 12, 8).unwrap()
}

/// Each case is (slot type, spoken, Amazon's value or "" for unresolvable); every failure is
/// listed, so a table edit that breaks several phrasings shows them all.
fn check(language: &str, cases: &[(&str, &str, &str)]) {
    let mut failures = Vec::new();
    for (slot_type, spoken, expected) in cases {
        let expected = if expected.is_empty() {
            Resolved::Unresolvable
        } else {
            Resolved::Value(expected.to_string())
        };
        let found = resolve(slot_type, spoken, language, today());
        if found != expected {
            failures.push(format!(
                "{language} {slot_type} {spoken:?}: {found:?}, expected {expected:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn today_is_a_tuesday_in_iso_week_50() {
    assert_eq!(today().weekday(), jiff::civil::Weekday::Tuesday);
    assert_eq!(today().iso_week_date().week(), 50);
}

#[test]
fn english_dates() {
    check(
        "en-US",
        &[
            (DATE, "today", "2026-12-08"),
            (DATE, "Tomorrow", "2026-12-09"),
            (DATE, "the day after tomorrow", "2026-12-10"),
            (DATE, "yesterday", "2026-12-07"),
            (DATE, "on friday", "2026-12-11"),
            (DATE, "friday", "2026-12-11"),
            (DATE, "next friday", "2026-12-11"),
            (DATE, "tuesday", "2026-12-08"),
            (DATE, "next tuesday", "2026-12-15"),
            (DATE, "monday", "2026-12-14"),
            (DATE, "friday next week", "2026-12-18"),
            (DATE, "monday next week", "2026-12-14"),
            (DATE, "this week", "2026-W50"),
            (DATE, "next week", "2026-W51"),
            (DATE, "this weekend", "2026-W50-WE"),
            (DATE, "next weekend", "2026-W51-WE"),
            (DATE, "this month", "2026-12"),
            (DATE, "next month", "2027-01"),
            (DATE, "next year", "2027"),
            (DATE, "now", "PRESENT_REF"),
            (DATE, "December 9th", "2026-12-09"),
            (DATE, "december ninth", "2026-12-09"),
            (DATE, "the ninth of december", "2026-12-09"),
            (DATE, "on the twenty first of december", "2026-12-21"),
            (DATE, "9 December", "2026-12-09"),
            (DATE, "december first", "2027-12-01"),
            (DATE, "January 5", "2027-01-05"),
            (DATE, "the ninth", "2026-12-09"),
            (DATE, "the first", "2027-01-01"),
            (DATE, "december", "2026-12"),
            (DATE, "november", "2027-11"),
            (DATE, "in march twenty twenty eight", "2028-03"),
            (DATE, "2030", "2030"),
            (DATE, "december ninth twenty twenty seven", "2027-12-09"),
            (DATE, "friday december eleventh", "2026-12-11"),
            (DATE, "2026-12-24", "2026-12-24"),
            (DATE, "2026-W52", "2026-W52"),
            // Saturday is the 12th: a weekday that contradicts the date is no date.
            (DATE, "friday december twelfth", ""),
            (DATE, "february thirtieth", ""),
            (DATE, "the thirty second of december", ""),
            (DATE, "blue", ""),
            (DATE, "nine", ""),
            (DATE, "12 9", ""),
            (DATE, "2026-13-01", ""),
        ],
    );
}

#[test]
fn english_times() {
    check(
        "en-GB",
        &[
            (TIME, "three pm", "15:00"),
            (TIME, "at three pm", "15:00"),
            (TIME, "at noon", "12:00"),
            (TIME, "three", "03:00"),
            (TIME, "3 p.m.", "15:00"),
            (TIME, "3pm", "15:00"),
            (TIME, "four in the morning", "04:00"),
            (TIME, "fifteen thirty", "15:30"),
            (TIME, "seven thirty in the evening", "19:30"),
            (TIME, "three oh five", "03:05"),
            (TIME, "twelve pm", "12:00"),
            (TIME, "twelve am", "00:00"),
            (TIME, "half past seven", "07:30"),
            (TIME, "quarter to nine", "08:45"),
            (TIME, "noon", "12:00"),
            (TIME, "midnight", "00:00"),
            (TIME, "in the morning", "MO"),
            (TIME, "this afternoon", "AF"),
            (TIME, "evening", "EV"),
            (TIME, "tonight", "NI"),
            (TIME, "now", "PRESENT_REF"),
            (TIME, "15:00", "15:00"),
            (TIME, "9:05", "09:05"),
            (TIME, "thirteen am", ""),
            (TIME, "twenty five o'clock", ""),
            (TIME, "purple", ""),
            (TIME, "25:00", ""),
        ],
    );
}

#[test]
fn english_durations_and_numbers() {
    check(
        "en",
        &[
            (DURATION, "two hours", "PT2H"),
            (DURATION, "half an hour", "PT30M"),
            (DURATION, "90 minutes", "PT90M"),
            (DURATION, "an hour", "PT1H"),
            (DURATION, "three days", "P3D"),
            (DURATION, "two weeks", "P2W"),
            (DURATION, "two hours and ten minutes", "PT2H10M"),
            (DURATION, "a year and two months", "P1Y2M"),
            (DURATION, "a day and a half", "P1DT12H"),
            (DURATION, "ten seconds", "PT10S"),
            (DURATION, "five hours ten minutes", "PT5H10M"),
            (DURATION, "two years three hours ten minutes", "P2YT3H10M"),
            (DURATION, "eight weeks", "P8W"),
            (DURATION, "hours", ""),
            (DURATION, "two", ""),
            (DURATION, "two potatoes", ""),
            (DURATION, "two hours and three hours", ""),
            (DURATION, "PT1H30M", "PT1H30M"),
            (DURATION, "P3D", "P3D"),
            (DURATION, "PT", ""),
            (DURATION, "P3H", ""),
            (DURATION, "PTM", ""),
            (NUMBER, "five", "5"),
            (NUMBER, "zero", "0"),
            (NUMBER, "twenty one", "21"),
            (NUMBER, "twenty-one", "21"),
            (NUMBER, "one hundred and five", "105"),
            (NUMBER, "twelve hundred", "1200"),
            (NUMBER, "two thousand twenty six", "2026"),
            (NUMBER, "nine thousand nine hundred ninety nine", "9999"),
            (NUMBER, "42", "42"),
            (NUMBER, "1,234", "1234"),
            (NUMBER, "minus five", "-5"),
            (NUMBER, "six twenty", ""),
            (NUMBER, "and six", ""),
            (NUMBER, "1,23", ""),
            (NUMBER, "blue", ""),
        ],
    );
}

#[test]
fn german() {
    check(
        "de-DE",
        &[
            (DATE, "heute", "2026-12-08"),
            (DATE, "morgen", "2026-12-09"),
            (DATE, "übermorgen", "2026-12-10"),
            (DATE, "am Freitag", "2026-12-11"),
            (DATE, "nächsten Dienstag", "2026-12-15"),
            (DATE, "Freitag nächste Woche", "2026-12-18"),
            (DATE, "9. Dezember", "2026-12-09"),
            (DATE, "am neunten Dezember", "2026-12-09"),
            (DATE, "am einundzwanzigsten Dezember", "2026-12-21"),
            (DATE, "am 1. Januar", "2027-01-01"),
            (DATE, "nächste Woche", "2026-W51"),
            (DATE, "dieses Wochenende", "2026-W50-WE"),
            (DATE, "nächsten Monat", "2027-01"),
            (DATE, "nächstes Jahr", "2027-XX-XX"),
            (DATE, "im März", "2027-03"),
            (DATE, "Blau", ""),
            (TIME, "um drei Uhr nachmittags", "15:00"),
            (TIME, "fünfzehn", "15:00"),
            (TIME, "15 Uhr", "15:00"),
            (TIME, "um 15 Uhr 30", "15:30"),
            (TIME, "um 15:30 Uhr", "15:30"),
            (TIME, "halb drei", "02:30"),
            (TIME, "viertel nach acht", "08:15"),
            (TIME, "um acht Uhr abends", "20:00"),
            (TIME, "um sieben Uhr morgens", "07:00"),
            (TIME, "mittags", "12:00"),
            (TIME, "um Mitternacht", "00:00"),
            (TIME, "am Abend", "EV"),
            (TIME, "jetzt", "PRESENT_REF"),
            (TIME, "um dreißig Uhr", ""),
            (DURATION, "zwei Stunden", "PT2H"),
            (DURATION, "eine Stunde", "PT1H"),
            (DURATION, "eine halbe Stunde", "PT30M"),
            (DURATION, "90 Minuten", "PT90M"),
            (DURATION, "drei Tage", "P3D"),
            (DURATION, "eine Stunde und zehn Minuten", "PT1H10M"),
            (DURATION, "anderthalb Stunden", "PT1H30M"),
            (NUMBER, "fünf", "5"),
            (NUMBER, "einundzwanzig", "21"),
            (NUMBER, "zweitausendsechsundzwanzig", "2026"),
            (NUMBER, "neuntausendneunhundertneunundneunzig", "9999"),
            (NUMBER, "dreihundertfünf", "305"),
            (NUMBER, "zwölf", "12"),
            (NUMBER, "hundert", "100"),
            (NUMBER, "minus drei", "-3"),
            (NUMBER, "sechszwanzig", ""),
        ],
    );
}

#[test]
fn spanish() {
    check(
        "es-ES",
        &[
            (DATE, "hoy", "2026-12-08"),
            (DATE, "mañana", "2026-12-09"),
            (DATE, "manana", "2026-12-09"),
            (DATE, "pasado mañana", "2026-12-10"),
            (DATE, "el viernes", "2026-12-11"),
            (DATE, "el próximo martes", "2026-12-15"),
            (DATE, "el viernes de la semana que viene", "2026-12-18"),
            (DATE, "el nueve de diciembre", "2026-12-09"),
            (DATE, "9 de diciembre", "2026-12-09"),
            (DATE, "el primero de enero", "2027-01-01"),
            (DATE, "la semana que viene", "2026-W51"),
            (DATE, "este fin de semana", "2026-W50-WE"),
            (DATE, "el año que viene", "2027-XX-XX"),
            (DATE, "azul", ""),
            (TIME, "a las tres de la tarde", "15:00"),
            (TIME, "tres y media de la tarde", "15:30"),
            (TIME, "a las 15:30", "15:30"),
            (TIME, "a la una", "01:00"),
            (TIME, "a las siete y media", "07:30"),
            (TIME, "a las nueve menos cuarto", "08:45"),
            (TIME, "a las diez de la noche", "22:00"),
            (TIME, "mediodía", "12:00"),
            (TIME, "por la mañana", "MO"),
            (TIME, "esta noche", "NI"),
            (TIME, "a las treinta", ""),
            (DURATION, "dos horas", "PT2H"),
            (DURATION, "media hora", "PT30M"),
            (DURATION, "una hora y media", "PT1H30M"),
            (DURATION, "90 minutos", "PT90M"),
            (DURATION, "tres días", "P3D"),
            (NUMBER, "veintiséis", "26"),
            (NUMBER, "treinta y uno", "31"),
            (NUMBER, "ciento cinco", "105"),
            (NUMBER, "cien", "100"),
            (NUMBER, "quinientos", "500"),
            (NUMBER, "dos mil veintiséis", "2026"),
            (NUMBER, "nueve mil novecientos noventa y nueve", "9999"),
            (NUMBER, "menos dos", "-2"),
            (NUMBER, "y cinco", ""),
        ],
    );
}

#[test]
fn french() {
    check(
        "fr-FR",
        &[
            (DATE, "aujourd'hui", "2026-12-08"),
            (DATE, "demain", "2026-12-09"),
            (DATE, "après-demain", "2026-12-10"),
            (DATE, "apres demain", "2026-12-10"),
            (DATE, "vendredi", "2026-12-11"),
            (DATE, "mardi prochain", "2026-12-15"),
            (DATE, "vendredi de la semaine prochaine", "2026-12-18"),
            (DATE, "le 9 décembre", "2026-12-09"),
            (DATE, "le neuf décembre", "2026-12-09"),
            (DATE, "le premier janvier", "2027-01-01"),
            (DATE, "le 1er janvier", "2027-01-01"),
            (DATE, "la semaine prochaine", "2026-W51"),
            (DATE, "ce week-end", "2026-W50-WE"),
            (DATE, "l'année prochaine", "2027-XX-XX"),
            (DATE, "en mars", "2027-03"),
            (DATE, "bleu", ""),
            (TIME, "à quinze heures", "15:00"),
            (TIME, "15 h 30", "15:30"),
            (TIME, "15h30", "15:30"),
            (TIME, "à 15:30", "15:30"),
            (TIME, "à trois heures de l'après-midi", "15:00"),
            (TIME, "à sept heures et demie", "07:30"),
            (TIME, "à une heure", "01:00"),
            (TIME, "midi", "12:00"),
            (TIME, "ce soir", "EV"),
            (TIME, "à trente heures", ""),
            (DURATION, "deux heures", "PT2H"),
            (DURATION, "une heure", "PT1H"),
            (DURATION, "une demi-heure", "PT30M"),
            (DURATION, "une heure et demie", "PT1H30M"),
            (DURATION, "quatre-vingt-dix minutes", "PT90M"),
            (DURATION, "trois jours", "P3D"),
            (NUMBER, "vingt et un", "21"),
            (NUMBER, "soixante-dix", "70"),
            (NUMBER, "soixante et onze", "71"),
            (NUMBER, "soixante-dix-sept", "77"),
            (NUMBER, "quatre-vingts", "80"),
            (NUMBER, "quatre-vingt-dix-neuf", "99"),
            (NUMBER, "cent cinq", "105"),
            (NUMBER, "deux cents", "200"),
            (NUMBER, "deux mille vingt-six", "2026"),
            (NUMBER, "neuf mille neuf cent quatre-vingt-dix-neuf", "9999"),
            (NUMBER, "dix vingt", ""),
        ],
    );
}

#[test]
fn italian() {
    check(
        "it-IT",
        &[
            (DATE, "oggi", "2026-12-08"),
            (DATE, "domani", "2026-12-09"),
            (DATE, "dopodomani", "2026-12-10"),
            (DATE, "venerdì", "2026-12-11"),
            (DATE, "martedì prossimo", "2026-12-15"),
            (DATE, "venerdì della settimana prossima", "2026-12-18"),
            (DATE, "il nove dicembre", "2026-12-09"),
            (DATE, "il 9 dicembre", "2026-12-09"),
            (DATE, "l'otto dicembre", "2026-12-08"),
            (DATE, "il primo gennaio", "2027-01-01"),
            (DATE, "la settimana prossima", "2026-W51"),
            (DATE, "questo fine settimana", "2026-W50-WE"),
            (DATE, "l'anno prossimo", "2027-XX-XX"),
            (DATE, "blu", ""),
            (TIME, "alle tre del pomeriggio", "15:00"),
            (TIME, "alle quindici", "15:00"),
            // What fills the slot of "alle {time}".
            (TIME, "quindici", "15:00"),
            (TIME, "tre del pomeriggio", "15:00"),
            (TIME, "alle 15:30", "15:30"),
            (TIME, "all'una", "01:00"),
            (TIME, "alle sette e mezza", "07:30"),
            (TIME, "alle otto di sera", "20:00"),
            (TIME, "mezzogiorno", "12:00"),
            (TIME, "stasera", "EV"),
            (TIME, "di notte", "NI"),
            (TIME, "alle trenta", ""),
            (DURATION, "due ore", "PT2H"),
            (DURATION, "un'ora", "PT1H"),
            (DURATION, "mezz'ora", "PT30M"),
            (DURATION, "un'ora e mezza", "PT1H30M"),
            (DURATION, "novanta minuti", "PT90M"),
            (DURATION, "tre giorni", "P3D"),
            (NUMBER, "ventuno", "21"),
            (NUMBER, "ventotto", "28"),
            (NUMBER, "ventisei", "26"),
            (NUMBER, "centocinque", "105"),
            (NUMBER, "trecento", "300"),
            (NUMBER, "mille", "1000"),
            (NUMBER, "duemilaventisei", "2026"),
            (NUMBER, "novemilanovecentonovantanove", "9999"),
            (NUMBER, "seitre", ""),
        ],
    );
}

#[test]
fn japanese() {
    check(
        "ja-JP",
        &[
            (DATE, "今日", "2026-12-08"),
            (DATE, "明日", "2026-12-09"),
            (DATE, "あした", "2026-12-09"),
            (DATE, "明後日", "2026-12-10"),
            (DATE, "金曜日", "2026-12-11"),
            (DATE, "次の火曜日", "2026-12-15"),
            (DATE, "来週の金曜日", "2026-12-18"),
            (DATE, "来週の月曜日", "2026-12-14"),
            (DATE, "12月9日", "2026-12-09"),
            (DATE, "9日", "2026-12-09"),
            (DATE, "十二月九日", "2026-12-09"),
            (DATE, "１２月９日", "2026-12-09"),
            (DATE, "1月1日", "2027-01-01"),
            (DATE, "来週", "2026-W51"),
            (DATE, "今週末", "2026-W50-WE"),
            (DATE, "来年", "2027-XX-XX"),
            (DATE, "2027年3月", "2027-03"),
            (DATE, "12月9日水曜日", "2026-12-09"),
            (DATE, "12月9日金曜日", ""),
            (DATE, "青", ""),
            (TIME, "午後3時", "15:00"),
            (TIME, "午後三時", "15:00"),
            (TIME, "朝の四時", "04:00"),
            (TIME, "15時30分", "15:30"),
            (TIME, "午前10時半", "10:30"),
            (TIME, "正午", "12:00"),
            (TIME, "朝", "MO"),
            (TIME, "夜", "NI"),
            (TIME, "今", "PRESENT_REF"),
            (TIME, "午後30時", ""),
            (DURATION, "2時間", "PT2H"),
            (DURATION, "三十分", "PT30M"),
            (DURATION, "五分", "PT5M"),
            (DURATION, "1時間半", "PT1H30M"),
            (DURATION, "90分", "PT90M"),
            (DURATION, "3日間", "P3D"),
            (DURATION, "2時間30分", "PT2H30M"),
            (NUMBER, "五", "5"),
            (NUMBER, "二十一", "21"),
            (NUMBER, "百五", "105"),
            (NUMBER, "二千二十六", "2026"),
            (NUMBER, "九千九百九十九", "9999"),
            (NUMBER, "１２３", "123"),
            (NUMBER, "マイナス五", "-5"),
            (NUMBER, "五二", ""),
        ],
    );
}

#[test]
fn other_types_and_languages_without_a_table_pass_the_words_through() {
    assert_eq!(
        resolve("AMAZON.SearchQuery", "tomorrow", "en-US", today()),
        Resolved::PassThrough
    );
    assert_eq!(
        resolve("DentistType", "tomorrow", "en-US", today()),
        Resolved::PassThrough
    );
    assert_eq!(
        resolve(DATE, "imorgon", "sv-SE", today()),
        Resolved::PassThrough
    );
    assert_eq!(
        resolve(DATE, "  ", "en-US", today()),
        Resolved::Unresolvable
    );
}

#[test]
fn relative_dates_count_from_the_given_today() {
    let new_year = Date::new(2026, 12, 31).unwrap();
    assert_eq!(
        resolve(DATE, "tomorrow", "en", new_year),
        Resolved::Value("2027-01-01".to_owned())
    );
    // 31 December 2026 is in ISO week 53 of 2026; a week later is week 1 of 2027.
    assert_eq!(
        resolve(DATE, "next week", "en", new_year),
        Resolved::Value("2027-W01".to_owned())
    );
    assert_eq!(
        resolve(DATE, "this week", "en", new_year),
        Resolved::Value("2026-W53".to_owned())
    );
    assert_eq!(
        resolve(DATE, "december", "en", new_year),
        Resolved::Value("2026-12".to_owned())
    );
}

#[test]
fn the_table_reads_and_covers_the_samples_languages() {
    let tables = TABLES.as_ref().unwrap_or_else(|error| panic!("{error}"));
    for code in ["de", "en", "es", "fr", "it", "ja"] {
        let language = &tables[code];
        assert!(!language.dates.is_empty(), "{code}");
        assert!(!language.times.is_empty(), "{code}");
        assert!(!language.duration_units.is_empty(), "{code}");
    }
}

/// A minimal table of one language with `dates` and `times` as given.
fn table_with(dates: &str, times: &str) -> Result<Language, String> {
    let text = format!(
        r#"year_only = "{{year}}"
months = {{}}
weekdays = {{}}
dates = {{ {dates} }}
times = {{ {times} }}
[numbers]
values = {{ one = 1 }}
multipliers = {{}}
scales = {{}}
joiners = []
ordinals = {{}}
ordinal_endings = []
digit_suffixes = []
negative = []
[durations]
units = {{}}
joiners = []
one = []
phrases = {{}}
"#
    );
    let raw: RawLanguage = toml::from_str(&text).map_err(|error| error.to_string())?;
    Language::new(raw)
}

#[test]
fn a_table_mistake_names_the_phrasing_and_what_is_allowed() {
    assert!(table_with(r#""today" = "day+0""#, r#""noon" = "12:00""#).is_ok());
    let error = table_with(r#""today" = "dayz+0""#, "").unwrap_err();
    assert!(error.contains("\"today\""), "{error}");
    assert!(error.contains("day+N"), "{error}");
    let error = table_with("", r#""noon" = "12 o'clock""#).unwrap_err();
    assert!(error.contains("HH:MM"), "{error}");
    let error = table_with(r#""on {weekdays}" = "date""#, "").unwrap_err();
    assert!(error.contains("{weekdays}"), "{error}");
    assert!(error.contains("{weekday}"), "{error}");
}
