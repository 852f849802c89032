//! The dialog-file keys about the Echo and Alexa's skill-facing APIs: the device's settings
//! (`device: {time_zone: …}`, served by the settings twin) and the progressive responses a step
//! expects (`progressive: […]`).

use serde::Deserialize;

use super::Offset;

/// `device:`: the Echo's settings, for the dialog or from one step on.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeviceSetup {
    /// The IANA time zone set for the device in the Alexa app (`Asia/Tokyo`); left out, the
    /// device has none and Alexa's settings API answers 204.
    #[serde(default, deserialize_with = "time_zone")]
    pub(crate) time_zone: Option<String>,
}

fn time_zone<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let name = String::deserialize(deserializer)?;
    // Alexa's app offers IANA names only; a typo would silently test "no zone".
    jiff::tz::TimeZone::get(&name).map_err(|_| {
        serde::de::Error::custom(format!(
            "`time_zone: {name}` is not an IANA time zone: write one like `Asia/Tokyo` or \
             `America/New_York`"
        ))
    })?;
    Ok(Some(name))
}

/// `event_time:` under `expect`: the speech names the time an event seeded `starts_in` after the
/// start of this hour has in `time_zone`. `{hour12}` (1–12), `{hour24}` (0–23) and `{period}`
/// (`AM`/`PM`) in `matches` are replaced by that time before the pattern is used, so a dialog
/// can hold a spoken time it cannot know when it is written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventTimeExpect {
    pub(crate) starts_in: Offset,
    #[serde(deserialize_with = "required_time_zone")]
    pub(crate) time_zone: String,
    /// A regular expression (regex-lite) with the placeholders.
    pub(crate) matches: String,
}

fn required_time_zone<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    time_zone(deserializer).map(Option::unwrap_or_default)
}

impl EventTimeExpect {
    /// The patterns the speech may match: the hour may have turned since the twin placed the
    /// event, so the previous hour's start is a base too.
    pub(crate) fn patterns(&self, now: jiff::Timestamp) -> Result<Vec<String>, String> {
        let zone = jiff::tz::TimeZone::get(&self.time_zone).map_err(|error| error.to_string())?;
        let hour_start = now
            .round(
                jiff::TimestampRound::new()
                    .smallest(jiff::Unit::Hour)
                    .mode(jiff::RoundMode::Trunc),
            )
            .map_err(|error| error.to_string())?;
        [hour_start, hour_start - jiff::SignedDuration::from_hours(1)]
            .into_iter()
            .map(|base| {
                let start = (base + jiff::SignedDuration::from_secs(self.starts_in.0))
                    .to_zoned_datetime(zone.clone());
                let hour = start.hour();
                let hour12 = match hour % 12 {
                    0 => 12,
                    other => other,
                };
                let period = if hour < 12 { "AM" } else { "PM" };
                Ok(self
                    .matches
                    .replace("{hour12}", &hour12.to_string())
                    .replace("{hour24}", &hour.to_string())
                    .replace("{period}", period))
            })
            .collect()
    }

    /// Whether `speech` names the event's time.
    pub(crate) fn accepts(&self, speech: &str, now: jiff::Timestamp) -> Result<bool, String> {
        for pattern in self.patterns(now)? {
            let regex = regex_lite::Regex::new(&pattern).map_err(|error| {
                format!("`event_time.matches` is no regular expression: {error}")
            })?;
            if regex.is_match(speech) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The text a transcript shows for a progressive response's SSML: the words, no markup.
pub(crate) fn spoken_text(ssml: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for character in ssml.chars() {
        match character {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(character),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progressive_response_is_shown_without_its_markup() {
        assert_eq!(
            spoken_text("<speak>One moment, <break time=\"300ms\"/> please.</speak>"),
            "One moment, please."
        );
        assert_eq!(spoken_text("plain"), "plain");
    }

    #[test]
    fn an_event_time_is_the_seeded_start_in_the_zone() {
        let expect: EventTimeExpect = serde_saphyr::from_str(
            "{starts_in: 3h, time_zone: Asia/Tokyo, matches: 'at {hour12} {period} / {hour24}h'}",
        )
        .unwrap();
        // 01:20 UTC: the event is at 04:00 UTC, 1 PM in Tokyo (00:00 UTC + 3h if the hour
        // turned, noon in Tokyo).
        let now: jiff::Timestamp = "2026-12-08T01:20:00Z".parse().unwrap();
        assert_eq!(
            expect.patterns(now).unwrap(),
            ["at 1 PM / 13h", "at 12 PM / 12h"]
        );
        assert!(
            expect
                .accepts("Dentist, today at 1 PM / 13h.", now)
                .unwrap()
        );
        assert!(!expect.accepts("Dentist, today at 4 AM / 4h.", now).unwrap());
    }

    #[test]
    fn a_time_zone_must_be_an_iana_name() {
        let setup: DeviceSetup = serde_saphyr::from_str("time_zone: Asia/Tokyo").unwrap();
        assert_eq!(setup.time_zone.as_deref(), Some("Asia/Tokyo"));
        let error = serde_saphyr::from_str::<DeviceSetup>("time_zone: Tokio")
            .unwrap_err()
            .to_string();
        assert!(error.contains("not an IANA time zone"), "{error}");
    }
}
