//! What the SMAPI twin refuses in a skill package, as SMAPI does (docs/smapi.md, "What SMAPI
//! refuses"): pure functions from JSON to violations, so each rule has a table test.
//!
//! Two classes, as SMAPI reports them: *validation* problems (the manifest or a model breaks the
//! schema: no locales, an endpoint that is neither a Lambda ARN nor an HTTPS URL, a custom intent
//! without samples) fail the import itself; *build* problems (a sample naming a slot its intent
//! does not declare, a slot of an undefined type) let the import store the model but fail that
//! locale's interaction-model build.

use serde_json::Value;

/// One problem, in SMAPI's `{"code", "message"}` shape (`StandardizedError` in ask-smapi-model).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub code: &'static str,
    pub message: String,
}

impl Violation {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn to_json(&self) -> Value {
        serde_json::json!({"code": self.code, "message": self.message})
    }
}

/// Event names SMAPI accepts in `manifest.events.subscriptions` (ask-smapi-model
/// `event_name_type.py`, the skill events this toolkit uses and their siblings).
pub const SKILL_EVENT_NAMES: [&str; 6] = [
    "SKILL_ENABLED",
    "SKILL_DISABLED",
    "SKILL_ACCOUNT_LINKED",
    "SKILL_ACCOUNT_UNLINKED",
    "SKILL_PERMISSION_ACCEPTED",
    "SKILL_PERMISSION_CHANGED",
];

/// `{"manifest": …}` (skill.json): locales present, every endpoint a Lambda ARN or HTTPS URL,
/// every event subscription a known event with an endpoint to send it to.
pub fn manifest_violations(envelope: &Value) -> Vec<Violation> {
    let mut violations = Vec::new();
    let Some(manifest) = envelope.get("manifest").and_then(Value::as_object) else {
        return vec![Violation::new(
            "MISSING_REQUIRED_PROPERTY",
            "skill.json has no \"manifest\" object",
        )];
    };
    let has_locales = manifest
        .get("publishingInformation")
        .and_then(|information| information.get("locales"))
        .and_then(Value::as_object)
        .is_some_and(|locales| !locales.is_empty());
    if !has_locales {
        violations.push(Violation::new(
            "MISSING_REQUIRED_PROPERTY",
            "manifest.publishingInformation.locales must name at least one locale",
        ));
    }
    let custom = manifest.get("apis").and_then(|apis| apis.get("custom"));
    if let Some(uri) = custom
        .and_then(|custom| custom.get("endpoint"))
        .map(|endpoint| endpoint.get("uri"))
    {
        check_endpoint(
            uri.unwrap_or(&Value::Null),
            "manifest.apis.custom.endpoint.uri",
            &mut violations,
        );
    }
    if let Some(regions) = custom
        .and_then(|custom| custom.get("regions"))
        .and_then(Value::as_object)
    {
        check_regions(regions, "manifest.apis.custom.regions", &mut violations);
    }
    if let Some(events) = manifest.get("events") {
        check_endpoint(
            events
                .get("endpoint")
                .and_then(|endpoint| endpoint.get("uri"))
                .unwrap_or(&Value::Null),
            "manifest.events.endpoint.uri",
            &mut violations,
        );
        if let Some(regions) = events.get("regions").and_then(Value::as_object) {
            check_regions(regions, "manifest.events.regions", &mut violations);
        }
        for subscription in events
            .get("subscriptions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = subscription.get("eventName").and_then(Value::as_str);
            if !name.is_some_and(|name| SKILL_EVENT_NAMES.contains(&name)) {
                violations.push(Violation::new(
                    "INVALID_ENUM_VALUE",
                    format!(
                        "manifest.events.subscriptions[].eventName {} is not a skill event",
                        subscription.get("eventName").unwrap_or(&Value::Null)
                    ),
                ));
            }
        }
    }
    violations
}

/// Regional endpoints (`apis.custom.regions`, `events.regions`): NA, EU or FE, each with an
/// endpoint URI.
fn check_regions(
    regions: &serde_json::Map<String, Value>,
    path: &str,
    violations: &mut Vec<Violation>,
) {
    for (region, settings) in regions {
        if !matches!(region.as_str(), "NA" | "EU" | "FE") {
            violations.push(Violation::new(
                "INVALID_ENUM_VALUE",
                format!("{path}.{region} is not NA, EU or FE"),
            ));
        }
        check_endpoint(
            settings
                .get("endpoint")
                .and_then(|endpoint| endpoint.get("uri"))
                .unwrap_or(&Value::Null),
            &format!("{path}.{region}.endpoint.uri"),
            violations,
        );
    }
}

/// The Lambda ARNs the manifest points at (custom endpoint, regional endpoints, events).
pub fn lambda_endpoints(envelope: &Value) -> Vec<String> {
    let manifest = &envelope["manifest"];
    let mut uris = vec![
        &manifest["apis"]["custom"]["endpoint"]["uri"],
        &manifest["events"]["endpoint"]["uri"],
    ];
    for regions in [
        &manifest["apis"]["custom"]["regions"],
        &manifest["events"]["regions"],
    ] {
        if let Some(regions) = regions.as_object() {
            uris.extend(regions.values().map(|region| &region["endpoint"]["uri"]));
        }
    }
    let mut arns: Vec<String> = uris
        .into_iter()
        .filter_map(Value::as_str)
        .filter(|uri| is_lambda_arn(uri))
        .map(str::to_owned)
        .collect();
    arns.sort();
    arns.dedup();
    arns
}

fn check_endpoint(uri: &Value, path: &str, violations: &mut Vec<Violation>) {
    match uri.as_str() {
        Some(uri) if is_lambda_arn(uri) || is_https_url(uri) => {}
        Some(uri) => violations.push(Violation::new(
            "INVALID_URL_FORMAT",
            format!("{path} {uri:?} is neither an AWS Lambda ARN nor an HTTPS URL"),
        )),
        None => violations.push(Violation::new(
            "MISSING_REQUIRED_PROPERTY",
            format!("{path} is required"),
        )),
    }
}

/// `arn:aws:lambda:<region>:<12-digit account>:function:<name>[:<qualifier>]`.
pub fn is_lambda_arn(uri: &str) -> bool {
    let parts: Vec<&str> = uri.split(':').collect();
    (7..=8).contains(&parts.len())
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "lambda"
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|byte| byte.is_ascii_digit())
        && parts[5] == "function"
        && !parts[6].is_empty()
}

fn is_https_url(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|url| url.scheme() == "https" && url.host_str().is_some())
}

/// `{"interactionModel": {"languageModel": …}}` of one locale: problems that fail the import.
pub fn model_violations(locale: &str, model: &Value) -> Vec<Violation> {
    let mut violations = Vec::new();
    let Some(language_model) = model
        .get("interactionModel")
        .and_then(|model| model.get("languageModel"))
    else {
        return vec![Violation::new(
            "MISSING_REQUIRED_PROPERTY",
            format!("interactionModels/custom/{locale}.json has no interactionModel.languageModel"),
        )];
    };
    match language_model.get("invocationName").and_then(Value::as_str) {
        Some(name) if !name.trim().is_empty() && name == name.to_lowercase() => {}
        Some(name) => violations.push(Violation::new(
            "INVALID_INVOCATION_NAME",
            format!("{locale}: invocation name {name:?} must be lowercase and not empty"),
        )),
        None => violations.push(Violation::new(
            "MISSING_REQUIRED_PROPERTY",
            format!("{locale}: languageModel.invocationName is required"),
        )),
    }
    for intent in intents(language_model) {
        let name = intent.get("name").and_then(Value::as_str).unwrap_or("");
        // Built-in intents come with Amazon's samples; custom ones need their own.
        let has_samples = intent
            .get("samples")
            .and_then(Value::as_array)
            .is_some_and(|samples| !samples.is_empty());
        if !name.starts_with("AMAZON.") && !has_samples {
            violations.push(Violation::new(
                "MISSING_SAMPLE_UTTERANCES",
                format!("{locale}: intent {name:?} has no sample utterances; add at least one"),
            ));
        }
    }
    violations
}

/// Problems that let the model be stored but fail its build, with Amazon-like messages.
pub fn build_errors(locale: &str, model: &Value) -> Vec<Violation> {
    let language_model = &model["interactionModel"]["languageModel"];
    let defined_types: Vec<&str> = language_model["types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|slot_type| slot_type["name"].as_str())
        .collect();
    let mut errors = Vec::new();
    for intent in intents(language_model) {
        let intent_name = intent["name"].as_str().unwrap_or("");
        let slots: Vec<&Value> = intent["slots"].as_array().into_iter().flatten().collect();
        for slot in &slots {
            let slot_type = slot["type"].as_str().unwrap_or("");
            if !slot_type.starts_with("AMAZON.") && !defined_types.contains(&slot_type) {
                errors.push(Violation::new(
                    "INVALID_SLOT_TYPE",
                    format!(
                        "{locale}: slot {:?} of intent {intent_name:?} has the type {slot_type:?}, \
                         which is neither built in nor defined under types",
                        slot["name"].as_str().unwrap_or("")
                    ),
                ));
            }
        }
        for sample in intent["samples"].as_array().into_iter().flatten() {
            let sample = sample.as_str().unwrap_or("");
            for referenced in slot_references(sample) {
                if !slots.iter().any(|slot| slot["name"] == referenced) {
                    errors.push(Violation::new(
                        "INVALID_SLOT_REFERENCE",
                        format!(
                            "{locale}: sample {sample:?} of intent {intent_name:?} uses the slot \
                             {{{referenced}}}, which the intent does not declare"
                        ),
                    ));
                }
            }
        }
    }
    errors
}

fn intents(language_model: &Value) -> impl Iterator<Item = &Value> {
    language_model
        .get("intents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// `{name}` references of a sample utterance.
fn slot_references(sample: &str) -> Vec<&str> {
    let mut references = Vec::new();
    let mut rest = sample;
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else {
            break;
        };
        references.push(&rest[start + 1..start + length]);
        rest = &rest[start + length + 1..];
    }
    references
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(violations: &[Violation]) -> Vec<String> {
        violations
            .iter()
            .map(|violation| format!("{}: {}", violation.code, violation.message))
            .collect()
    }

    #[test]
    fn manifests_without_locales_or_with_bad_endpoints_are_refused() {
        let good = json!({"manifest": {
            "publishingInformation": {"locales": {"en-US": {"name": "x"}}},
            "apis": {"custom": {
                "endpoint": {"uri": "arn:aws:lambda:us-east-1:123456789012:function:skill"},
                "regions": {"EU": {"endpoint": {"uri": "https://skill.example.com/alexa"}}}
            }},
            "events": {"endpoint": {"uri": "arn:aws:lambda:us-east-1:123456789012:function:skill"},
                       "subscriptions": [{"eventName": "SKILL_ACCOUNT_LINKED"}]}
        }});
        assert_eq!(manifest_violations(&good), []);
        assert_eq!(
            lambda_endpoints(&good),
            ["arn:aws:lambda:us-east-1:123456789012:function:skill"]
        );
        // Regional event endpoints are checked, and their functions too.
        let mut regional_events = good.clone();
        regional_events["manifest"]["events"]["regions"] = json!({"FE": {"endpoint":
            {"uri": "arn:aws:lambda:us-west-2:123456789012:function:skill"}}});
        assert_eq!(manifest_violations(&regional_events), []);
        assert_eq!(
            lambda_endpoints(&regional_events),
            [
                "arn:aws:lambda:us-east-1:123456789012:function:skill",
                "arn:aws:lambda:us-west-2:123456789012:function:skill"
            ]
        );
        // A custom API without an endpoint is fine: that is how a new skill is created.
        let without_endpoint = json!({"manifest": {
            "publishingInformation": {"locales": {"en-US": {}}}, "apis": {"custom": {}}}});
        assert_eq!(manifest_violations(&without_endpoint), []);

        let cases = [
            (
                json!({"nope": {}}),
                "MISSING_REQUIRED_PROPERTY: skill.json has no \"manifest\" object",
            ),
            (
                json!({"manifest": {"publishingInformation": {"locales": {}}}}),
                "MISSING_REQUIRED_PROPERTY: manifest.publishingInformation.locales must name at least one locale",
            ),
            (
                json!({"manifest": {"publishingInformation": {"locales": {"en-US": {}}},
                    "apis": {"custom": {"endpoint": {"uri": "http://skill.example.com"}}}}}),
                "INVALID_URL_FORMAT: manifest.apis.custom.endpoint.uri \"http://skill.example.com\" is neither an AWS Lambda ARN nor an HTTPS URL",
            ),
            (
                json!({"manifest": {"publishingInformation": {"locales": {"en-US": {}}},
                    "apis": {"custom": {"endpoint": {"uri": "arn:aws:lambda:us-east-1:000:function:x"}}}}}),
                "INVALID_URL_FORMAT: manifest.apis.custom.endpoint.uri \"arn:aws:lambda:us-east-1:000:function:x\" is neither an AWS Lambda ARN nor an HTTPS URL",
            ),
            (
                json!({"manifest": {"publishingInformation": {"locales": {"en-US": {}}},
                    "events": {"subscriptions": [{"eventName": "SKILL_LINKED"}]}}}),
                "MISSING_REQUIRED_PROPERTY: manifest.events.endpoint.uri is required",
            ),
            (
                json!({"manifest": {"publishingInformation": {"locales": {"en-US": {}}},
                    "events": {"endpoint": {"uri": "https://skill.example.com/events"},
                               "regions": {"EU": {"endpoint": {"uri": "http://skill.example.com"}}},
                               "subscriptions": [{"eventName": "SKILL_DISABLED"}]}}}),
                "INVALID_URL_FORMAT: manifest.events.regions.EU.endpoint.uri \"http://skill.example.com\" is neither an AWS Lambda ARN nor an HTTPS URL",
            ),
        ];
        for (manifest, expected) in cases {
            assert_eq!(messages(&manifest_violations(&manifest))[0], expected);
        }
    }

    #[test]
    fn custom_intents_need_samples_and_samples_need_declared_slots() {
        let model = json!({"interactionModel": {"languageModel": {
        "invocationName": "cloud companion",
        "intents": [
            {"name": "AMAZON.HelpIntent", "samples": []},
            {"name": "AddNoteIntent", "slots": [{"name": "note", "type": "AMAZON.SearchQuery"}],
             "samples": ["add a note {note}"]}
        ]}}});
        assert_eq!(model_violations("en-US", &model), []);
        assert_eq!(build_errors("en-US", &model), []);

        let mut no_samples = model.clone();
        no_samples["interactionModel"]["languageModel"]["intents"][1]["samples"] = json!([]);
        assert_eq!(
            messages(&model_violations("en-US", &no_samples)),
            [
                "MISSING_SAMPLE_UTTERANCES: en-US: intent \"AddNoteIntent\" has no sample utterances; add at least one"
            ]
        );
        let mut bad_reference = model.clone();
        bad_reference["interactionModel"]["languageModel"]["intents"][1]["samples"] =
            json!(["add {text} to my notes"]);
        assert_eq!(model_violations("en-US", &bad_reference), []);
        assert_eq!(
            messages(&build_errors("en-US", &bad_reference)),
            [
                "INVALID_SLOT_REFERENCE: en-US: sample \"add {text} to my notes\" of intent \"AddNoteIntent\" uses the slot {text}, which the intent does not declare"
            ]
        );
        let mut bad_type = model.clone();
        bad_type["interactionModel"]["languageModel"]["intents"][1]["slots"][0]["type"] =
            json!("NoteType");
        assert_eq!(
            build_errors("en-US", &bad_type)[0].code,
            "INVALID_SLOT_TYPE"
        );
        let mut upper = model;
        upper["interactionModel"]["languageModel"]["invocationName"] = json!("Cloud Companion");
        assert_eq!(
            model_violations("en-US", &upper)[0].code,
            "INVALID_INVOCATION_NAME"
        );
    }
}
