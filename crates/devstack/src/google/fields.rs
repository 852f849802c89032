//! The `fields` system parameter: Google's partial-response selector (`nextPageToken, files(id, name)`).
//!
//! Grammar: a comma-separated list of paths; `a/b` selects `b` inside `a`; `a(b,c)` selects
//! several; `*` selects everything at its level. Selecting a field the response lacks is not an
//! error (Drive omits absent values); an unknown field is, and callers check names against the
//! resource schema before filtering.

use std::collections::BTreeMap;

use axum::{http::StatusCode, response::Response};
use serde_json::Value;

use super::{api_errors, params::Params};

/// The request's `fields` selection (`None` without one), or Google's 400 for a malformed one.
pub(crate) fn from_params(params: &Params) -> Result<Option<Selection>, Response> {
    from_params_checked(params, |_| Ok(()))
}

/// Like [`from_params`], with `check` naming (as `Err`) a selected field the resource lacks.
pub(crate) fn from_params_checked(
    params: &Params,
    check: impl Fn(&Selection) -> Result<(), String>,
) -> Result<Option<Selection>, Response> {
    let Some(text) = params.get("fields") else {
        return Ok(None);
    };
    Selection::parse(text)
        .and_then(|selection| check(&selection).map(|()| selection))
        .map(Some)
        .map_err(|invalid| {
            api_errors::invalid_parameter(
                "invalidParameter",
                &format!("Invalid field selection {invalid}"),
                "fields",
            )
        })
}

/// A parsed selector: for each selected name, `None` (whole value) or a nested selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Selection(BTreeMap<String, Option<Selection>>);

impl Selection {
    /// Parses a `fields` value; `Err` carries the text Google names in "Invalid field selection".
    pub(crate) fn parse(text: &str) -> Result<Selection, String> {
        let mut parser = Parser {
            characters: text.chars().collect(),
            position: 0,
        };
        let selection = parser.list()?;
        parser.skip_spaces();
        if parser.position != parser.characters.len() {
            return Err(text.to_string());
        }
        Ok(selection)
    }

    /// Selected names at this level, with their nested selection.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, Option<&Selection>)> {
        self.0
            .iter()
            .map(|(name, nested)| (name.as_str(), nested.as_ref()))
    }

    /// Keeps only the selected parts of `value` (arrays are filtered element by element).
    pub(crate) fn apply(&self, value: &Value) -> Value {
        match value {
            Value::Array(items) => {
                Value::Array(items.iter().map(|item| self.apply(item)).collect())
            }
            Value::Object(object) => {
                if self.0.contains_key("*") {
                    return value.clone();
                }
                let mut kept = serde_json::Map::new();
                for (name, nested) in &self.0 {
                    if let Some(field) = object.get(name) {
                        let field = match nested {
                            Some(nested) => nested.apply(field),
                            None => field.clone(),
                        };
                        kept.insert(name.clone(), field);
                    }
                }
                Value::Object(kept)
            }
            other => other.clone(),
        }
    }

    fn merge(&mut self, name: String, nested: Option<Selection>) {
        match (self.0.get_mut(&name), nested) {
            // Selecting the whole field wins over selecting part of it.
            (Some(None), _) => {}
            (Some(existing @ Some(_)), None) => *existing = None,
            (Some(Some(existing)), Some(nested)) => {
                for (inner_name, inner) in nested.0 {
                    existing.merge(inner_name, inner);
                }
            }
            (None, nested) => {
                self.0.insert(name, nested);
            }
        }
    }
}

struct Parser {
    characters: Vec<char>,
    position: usize,
}

impl Parser {
    fn skip_spaces(&mut self) {
        while self.characters.get(self.position) == Some(&' ') {
            self.position += 1;
        }
    }

    fn list(&mut self) -> Result<Selection, String> {
        let mut selection = Selection::default();
        loop {
            let (name, nested) = self.path()?;
            selection.merge(name, nested);
            self.skip_spaces();
            if self.characters.get(self.position) == Some(&',') {
                self.position += 1;
            } else {
                return Ok(selection);
            }
        }
    }

    /// `name`, `name/path` or `name(list)`.
    fn path(&mut self) -> Result<(String, Option<Selection>), String> {
        self.skip_spaces();
        let start = self.position;
        while let Some(character) = self.characters.get(self.position) {
            if character.is_alphanumeric() || matches!(character, '_' | '*' | '@' | '-' | '.') {
                self.position += 1;
            } else {
                break;
            }
        }
        let name: String = self.characters[start..self.position].iter().collect();
        if name.is_empty() {
            return Err(self.characters[start..].iter().collect());
        }
        match self.characters.get(self.position) {
            Some('/') => {
                self.position += 1;
                let (inner_name, inner) = self.path()?;
                let mut nested = Selection::default();
                nested.merge(inner_name, inner);
                Ok((name, Some(nested)))
            }
            Some('(') => {
                self.position += 1;
                let nested = self.list()?;
                self.skip_spaces();
                if self.characters.get(self.position) != Some(&')') {
                    return Err(name);
                }
                self.position += 1;
                Ok((name, Some(nested)))
            }
            _ => Ok((name, None)),
        }
    }
}

/// A 200 answer honoring the `fields` and `prettyPrint` system parameters. Field names are not
/// checked against the schema here (Drive checks its own); unknown names just select nothing.
pub(crate) fn selected_json_response(params: &Params, body: &Value) -> Response {
    match from_params(params) {
        Ok(None) => api_errors::json_response(StatusCode::OK, body, params.pretty_print()),
        Ok(Some(selection)) => api_errors::json_response(
            StatusCode::OK,
            &selection.apply(body),
            params.pretty_print(),
        ),
        Err(invalid) => invalid,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn selects_nested_fields_like_the_python_client_sends_them() {
        let selection = Selection::parse("nextPageToken, files(id, name)").unwrap();
        let response = json!({"kind": "drive#fileList", "nextPageToken": "t",
            "files": [{"kind": "drive#file", "id": "1", "name": "a", "mimeType": "x"}]});
        assert_eq!(
            selection.apply(&response),
            json!({"nextPageToken": "t", "files": [{"id": "1", "name": "a"}]})
        );
    }

    #[test]
    fn slash_paths_and_stars() {
        let selection = Selection::parse("files/id,kind").unwrap();
        let response = json!({"kind": "k", "files": [{"id": "1", "name": "a"}]});
        assert_eq!(
            selection.apply(&response),
            json!({"kind": "k", "files": [{"id": "1"}]})
        );
        let everything = Selection::parse("files(*)").unwrap();
        assert_eq!(
            everything.apply(&response),
            json!({"files": [{"id": "1", "name": "a"}]})
        );
    }

    #[test]
    fn rejects_unbalanced_parentheses() {
        assert!(Selection::parse("files(id").is_err());
        assert!(Selection::parse("files)").is_err());
    }
}
