//! Slot validation rules of the dialog model ("Validate Slot Values",
//! https://developer.amazon.com/en-US/docs/alexa/custom-skills/validate-slot-values.html), as
//! Alexa applies them when it runs the dialog. A rule the twin cannot decide is an error naming
//! the rule, never silently passed.

use serde_json::Value;

use super::dialog_model::DialogModel;

/// Whether `value` of a slot of `slot_type` passes `rule`; `Err` names a rule (or a value) the
/// twin cannot decide. `today` is the date relative durations count from.
pub(super) fn passes(
    rule: &Value,
    slot_type: &str,
    value: &str,
    model: &DialogModel,
    today: jiff::civil::Date,
) -> Result<bool, String> {
    let kind = rule["type"].as_str().unwrap_or("");
    let unsupported = |why: &str| {
        Err(format!(
            "the slot validation `{kind}` on a {slot_type} slot cannot be played offline ({why}); \
             remove the rule or validate in the skill's code"
        ))
    };
    match kind {
        "isInSet" | "isNotInSet" => {
            let Some(values) = rule["values"].as_array() else {
                return unsupported("it has no `values` list");
            };
            let heard = value.to_lowercase();
            let found = values
                .iter()
                .filter_map(Value::as_str)
                .any(|candidate| candidate.to_lowercase() == heard);
            Ok(found == (kind == "isInSet"))
        }
        "isLessThan" | "isLessThanOrEqualTo" | "isGreaterThan" | "isGreaterThanOrEqualTo" => {
            let bound = match &rule["value"] {
                Value::String(text) => text.parse::<f64>().ok(),
                Value::Number(number) => number.as_f64(),
                _ => None,
            };
            let Some(bound) = bound else {
                return unsupported("its `value` is not a number");
            };
            // A value Alexa could not read as a number fails a numeric rule.
            let Ok(number) = value.parse::<f64>() else {
                return Ok(false);
            };
            Ok(match kind {
                "isLessThan" => number < bound,
                "isLessThanOrEqualTo" => number <= bound,
                "isGreaterThan" => number > bound,
                _ => number >= bound,
            })
        }
        "isInDuration" | "isNotInDuration" => {
            let inside = match slot_type {
                "AMAZON.DATE" => {
                    let Ok(date) = value.parse::<jiff::civil::Date>() else {
                        return unsupported(&format!(
                            "the value `{value}` is not a single day (YYYY-MM-DD)"
                        ));
                    };
                    let start = date_bound(&rule["start"], today);
                    let end = date_bound(&rule["end"], today);
                    let (Ok(start), Ok(end)) = (start, end) else {
                        return unsupported("`start` or `end` is neither YYYY-MM-DD nor P…D");
                    };
                    start.is_none_or(|start| date >= start) && end.is_none_or(|end| date <= end)
                }
                "AMAZON.TIME" => {
                    let Ok(time) = value.parse::<jiff::civil::Time>() else {
                        return unsupported(&format!("the value `{value}` is not hh:mm"));
                    };
                    let bound = |bound: &Value| -> Result<Option<jiff::civil::Time>, ()> {
                        match bound.as_str() {
                            None => Ok(None),
                            Some(text) => text.parse().map(Some).map_err(|_| ()),
                        }
                    };
                    let (Ok(start), Ok(end)) = (bound(&rule["start"]), bound(&rule["end"])) else {
                        return unsupported("`start` or `end` is not hh:mm");
                    };
                    start.is_none_or(|start| time >= start) && end.is_none_or(|end| time <= end)
                }
                _ => return unsupported("durations apply to AMAZON.DATE and AMAZON.TIME"),
            };
            Ok(inside == (kind == "isInDuration"))
        }
        "hasEntityResolutionMatch" => {
            let Some(values) = model.slot_type_values(slot_type) else {
                return unsupported(
                    "the twin resolves entities of the model's own slot types only",
                );
            };
            let heard = value.to_lowercase();
            Ok(values
                .iter()
                .flatten()
                .any(|name| name.to_lowercase() == heard))
        }
        _ => unsupported("the twin does not know this rule"),
    }
}

/// `2026-12-24`, or a duration from today (`P1D`, `P1Y2M`, `-P7D`); `None` when absent.
fn date_bound(bound: &Value, today: jiff::civil::Date) -> Result<Option<jiff::civil::Date>, ()> {
    let Some(text) = bound.as_str() else {
        return Ok(None);
    };
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        return Ok(Some(date));
    }
    let span: jiff::Span = text.parse().map_err(|_| ())?;
    today.checked_add(span).map(Some).map_err(|_| ())
}
