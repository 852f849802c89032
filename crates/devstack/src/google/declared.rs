//! Google APIs the twin has no code for, played from a declaration: each route's host, method,
//! path pattern, scopes and answer (canned JSON, or resources kept per test user).
//!
//! Declared routes go through the same gate as the built-in ones: the bearer-token check, expiry,
//! revocation and the insufficient-scope 403 are `auth::authorize`, and injected faults run
//! before them in `faults::apply_faults`; `declared_routes.rs` serves them. A path under a declared API's base path that no route
//! serves gets Google's JSON 404; any other unknown path keeps the HTML 404 page.
//!
//! Everything a declaration can get wrong is refused by [`ApiDeclaration::check`] before the twin
//! serves it, including a route that can never match.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{methods::ApiMethod, params::percent_decode_path};

/// The HTTP methods a declared route may use.
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];
/// The largest request body a declared route reads; Google's own limits are far above what a
/// test sends.
pub(crate) const BODY_LIMIT: usize = 1024 * 1024;

/// One Google API the twin plays from its description.
///
/// In TOML (a skill's `tests/dialogs/dialogs.toml`) or JSON (`POST /__twin/apis`):
///
/// ```toml
/// [[api]]
/// host = "tasks.googleapis.com"
/// [[api.routes]]
/// method = "GET"
/// path = "/tasks/v1/lists/{tasklist}/tasks"
/// scopes = ["https://www.googleapis.com/auth/tasks", "https://www.googleapis.com/auth/tasks.readonly"]
/// answer = { list = { kind = "tasks#tasks" } }
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ApiDeclaration {
    /// The Google host, e.g. `tasks.googleapis.com`: the `service` of Google's error details.
    pub host: String,
    /// The path every route of the API starts with (Google's `servicePath`, e.g. `/tasks/v1`):
    /// undeclared paths under it get Google's JSON 404. Defaults to the routes' common leading
    /// literal segments.
    #[serde(default)]
    pub base_path: Option<String>,
    pub routes: Vec<RouteDeclaration>,
    /// Resources each test user starts with.
    #[serde(default)]
    pub resources: Vec<SeedResources>,
}

/// One route: which requests it serves, which scopes (any one) allow it, and what it answers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RouteDeclaration {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// The path, with `{name}` for a whole segment that varies, e.g.
    /// `/tasks/v1/lists/{tasklist}/tasks/{task}`.
    pub path: String,
    /// The scopes of the method's discovery document: a token with any one of them may call it.
    pub scopes: Vec<String>,
    pub answer: Answer,
    /// `metadata.method` in Google's error details; `METHOD path` when absent.
    #[serde(default)]
    pub name: Option<String>,
}

/// What a declared route answers once the token and scope checks passed.
///
/// Resources live per test user in collections named by the request path: `list` and `insert`
/// use the request path itself, `get` and `delete` the path without its last segment, which is
/// the resource's `id`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Answer {
    /// 200 with this JSON, whoever calls.
    Canned(Value),
    /// 200 `{"kind": kind, "items": […]}`; Google leaves `items` out when there are none.
    List {
        #[serde(default)]
        kind: Option<String>,
    },
    /// Stores the request's JSON object with a new `id` (and `defaults` under it), answers it.
    Insert {
        #[serde(default)]
        defaults: Map<String, Value>,
    },
    /// 200 with the resource whose `id` is the last path segment, Google's JSON 404 without one.
    Get,
    /// 204 after removing that resource, 404 without one.
    Delete,
}

/// Resources a test user has at a collection path before the first request.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SeedResources {
    /// The test user's email.
    pub user: String,
    /// The collection's path, e.g. `/tasks/v1/lists/@default/tasks`.
    pub path: String,
    /// The resources, oldest first; one without `id` gets one.
    pub items: Vec<Value>,
}

impl ApiDeclaration {
    /// Whether the twin can serve this declaration; the error names the route and the fix.
    pub fn check(&self) -> Result<(), String> {
        self.compile().map(|_| ())
    }

    fn compile(&self) -> Result<DeclaredApi, String> {
        let host = &self.host;
        let bare_host = !host.is_empty()
            && host.bytes().all(|byte| {
                byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'.' || byte == b'-'
            })
            && host.contains('.');
        if !bare_host {
            return Err(format!(
                "API host {host:?} is not a bare host name: write it as Google's documentation \
                 does, e.g. tasks.googleapis.com"
            ));
        }
        if self.routes.is_empty() {
            return Err(format!("API {host} declares no routes: add at least one"));
        }
        let mut routes: Vec<DeclaredRoute> = Vec::new();
        for declaration in &self.routes {
            let route = DeclaredRoute::compile(host, declaration)?;
            if let Some(earlier) = routes.iter().find(|earlier| earlier.shadows(&route)) {
                return Err(format!(
                    "route {} {} of {host} can never match: the earlier route {} {} answers \
                     every request it would; remove it or declare it first",
                    route.method, declaration.path, earlier.method, earlier.pattern_text
                ));
            }
            routes.push(route);
        }
        let base_path = match &self.base_path {
            Some(base_path) => {
                let segments = literal_segments(base_path).ok_or_else(|| {
                    format!(
                        "base_path {base_path:?} of {host} must start with / and hold only \
                         literal segments, e.g. /tasks/v1"
                    )
                })?;
                if let Some(route) = routes.iter().find(|route| !route.starts_with(&segments)) {
                    return Err(format!(
                        "route {} {} of {host} can never match: it is not under base_path \
                         {base_path}",
                        route.method, route.pattern_text
                    ));
                }
                segments
            }
            None => common_prefix(&routes),
        };
        if base_path.is_empty() {
            return Err(format!(
                "the routes of {host} share no leading path segment: set base_path (Google's \
                 servicePath, e.g. /tasks/v1)"
            ));
        }
        let mut seeds = Vec::new();
        for seed in &self.resources {
            let Some(path) = literal_segments(&seed.path) else {
                return Err(format!(
                    "resources path {:?} of {host} must start with / and name a collection \
                     without {{…}}",
                    seed.path
                ));
            };
            let listed = routes
                .iter()
                .any(|route| route.collection_of_list_matches(&path));
            if !listed {
                return Err(format!(
                    "resources at {} of {host} are never read: no list, insert, get or delete \
                     route uses that collection",
                    seed.path
                ));
            }
            if let Some(item) = seed.items.iter().find(|item| !item.is_object()) {
                return Err(format!(
                    "resources at {} of {host}: {item} is not a JSON object",
                    seed.path
                ));
            }
            seeds.push(seed.clone());
        }
        Ok(DeclaredApi {
            host: host.clone(),
            base_path,
            routes,
            seeds,
        })
    }
}

/// A checked declaration, as the twin serves it.
#[derive(Debug, Clone)]
pub(crate) struct DeclaredApi {
    host: String,
    base_path: Vec<String>,
    routes: Vec<DeclaredRoute>,
    seeds: Vec<SeedResources>,
}

#[derive(Debug, Clone)]
pub(crate) struct DeclaredRoute {
    method: String,
    pattern: Vec<Segment>,
    pattern_text: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) answer: Answer,
    /// `metadata.service` and `metadata.method` of Google's error details.
    pub(crate) service: String,
    pub(crate) name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Parameter,
}

impl DeclaredRoute {
    fn compile(host: &str, declaration: &RouteDeclaration) -> Result<DeclaredRoute, String> {
        let method = declaration.method.to_ascii_uppercase();
        let path = &declaration.path;
        let describe = format!("route {method} {path} of {host}");
        if !METHODS.contains(&method.as_str()) {
            return Err(format!(
                "{describe}: method {:?} is not one of {}",
                declaration.method,
                METHODS.join(", ")
            ));
        }
        if declaration.scopes.is_empty() {
            return Err(format!(
                "{describe}: list the scopes that allow it (the method's `scopes` in Google's \
                 discovery document)"
            ));
        }
        let pattern =
            parse_pattern(path).map_err(|why| format!("{describe} can never match: {why}"))?;
        let ends_in_parameter = pattern.last() == Some(&Segment::Parameter);
        match &declaration.answer {
            Answer::Get | Answer::Delete if !ends_in_parameter => {
                return Err(format!(
                    "{describe}: a get or delete route ends in the resource ID, e.g. \
                     {path}/{{id}}"
                ));
            }
            Answer::Insert { defaults } if defaults.contains_key("id") => {
                return Err(format!(
                    "{describe}: insert defaults must not set `id`: the twin gives every new \
                     resource its own"
                ));
            }
            _ => {}
        }
        Ok(DeclaredRoute {
            name: declaration
                .name
                .clone()
                .unwrap_or_else(|| format!("{method} {path}")),
            method,
            pattern,
            pattern_text: path.clone(),
            scopes: declaration.scopes.clone(),
            answer: declaration.answer.clone(),
            service: host.to_owned(),
        })
    }

    /// Whether every request this route could match is already caught by `self`.
    fn shadows(&self, later: &DeclaredRoute) -> bool {
        self.method == later.method
            && self.pattern.len() == later.pattern.len()
            && self
                .pattern
                .iter()
                .zip(&later.pattern)
                .all(|(mine, theirs)| mine == &Segment::Parameter || mine == theirs)
    }

    fn matches(&self, method: &str, segments: &[String]) -> bool {
        self.method == method
            && self.pattern.len() == segments.len()
            && self
                .pattern
                .iter()
                .zip(segments)
                .all(|(pattern, segment)| match pattern {
                    Segment::Parameter => !segment.is_empty(),
                    Segment::Literal(literal) => literal == segment,
                })
    }

    fn starts_with(&self, prefix: &[String]) -> bool {
        prefix.len() <= self.pattern.len()
            && prefix
                .iter()
                .zip(&self.pattern)
                .all(|(wanted, segment)| segment == &Segment::Literal(wanted.clone()))
    }

    /// Whether a collection at `path` is one this route reads or writes.
    fn collection_of_list_matches(&self, path: &[String]) -> bool {
        let collection: &[Segment] = match self.answer {
            Answer::List { .. } | Answer::Insert { .. } => &self.pattern,
            Answer::Get | Answer::Delete => &self.pattern[..self.pattern.len() - 1],
            Answer::Canned(_) => return false,
        };
        collection.len() == path.len()
            && collection
                .iter()
                .zip(path)
                .all(|(pattern, segment)| match pattern {
                    Segment::Parameter => true,
                    Segment::Literal(literal) => literal == segment,
                })
    }
}

/// The segments of a route pattern, or why no request path can ever match it.
fn parse_pattern(path: &str) -> Result<Vec<Segment>, String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err("the path must start with /".to_owned());
    };
    if path.contains(['?', '#']) {
        return Err("a path has no query or fragment; the twin ignores the query".to_owned());
    }
    let mut names: Vec<&str> = Vec::new();
    let mut segments = Vec::new();
    for segment in rest.split('/') {
        if segment.is_empty() {
            return Err("it has an empty segment (`//` or a trailing /)".to_owned());
        }
        if let Some(name) = segment
            .strip_prefix('{')
            .and_then(|inner| inner.strip_suffix('}'))
        {
            let valid = !name.is_empty()
                && name
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_');
            if !valid {
                return Err(format!(
                    "{{{name}}} is not a parameter: name it with letters, digits and _"
                ));
            }
            if names.contains(&name) {
                return Err(format!("parameter {{{name}}} appears twice"));
            }
            names.push(name);
            segments.push(Segment::Parameter);
        } else if segment.contains(['{', '}']) {
            return Err(format!(
                "{segment:?} mixes text and {{…}}: a parameter is a whole segment"
            ));
        } else {
            segments.push(Segment::Literal(segment.to_owned()));
        }
    }
    Ok(segments)
}

fn literal_segments(path: &str) -> Option<Vec<String>> {
    parse_pattern(path)
        .ok()?
        .into_iter()
        .map(|segment| match segment {
            Segment::Literal(literal) => Some(literal),
            Segment::Parameter => None,
        })
        .collect()
}

fn common_prefix(routes: &[DeclaredRoute]) -> Vec<String> {
    let mut prefix: Vec<String> = Vec::new();
    let Some(first) = routes.first() else {
        return prefix;
    };
    for (index, segment) in first.pattern.iter().enumerate() {
        let Segment::Literal(literal) = segment else {
            break;
        };
        if routes
            .iter()
            .all(|route| route.pattern.get(index) == Some(segment))
        {
            prefix.push(literal.clone());
        } else {
            break;
        }
    }
    // A route exactly at the prefix still needs its last segment to name itself.
    if routes
        .iter()
        .any(|route| route.pattern.len() == prefix.len())
    {
        prefix.pop();
    }
    prefix
}

/// The declared APIs and the resources each test user holds in them.
#[derive(Debug, Default)]
pub(crate) struct Declared {
    apis: Vec<DeclaredApi>,
    /// (user email, collection path) → resources, oldest first.
    pub(crate) resources: HashMap<(String, String), Vec<Value>>,
    next_id: u64,
}

impl Declared {
    /// Adds `api` after checking it; its seeded resources replace what the users held there.
    pub(crate) fn declare(
        &mut self,
        declaration: &ApiDeclaration,
        known_user: impl Fn(&str) -> bool,
    ) -> Result<(), String> {
        let api = declaration.compile()?;
        if let Some(seed) = api.seeds.iter().find(|seed| !known_user(&seed.user)) {
            return Err(format!(
                "resources at {} of {}: {} is not a test user of the twin",
                seed.path, api.host, seed.user
            ));
        }
        for seed in &api.seeds {
            self.store(seed);
        }
        self.apis.push(api);
        Ok(())
    }

    /// Replaces what `seed.user` holds at `seed.path` of an API declared before.
    pub(crate) fn seed(
        &mut self,
        seed: &SeedResources,
        known_user: impl Fn(&str) -> bool,
    ) -> Result<(), String> {
        if !known_user(&seed.user) {
            return Err(format!(
                "resources at {}: {} is not a test user of the twin",
                seed.path, seed.user
            ));
        }
        let path = literal_segments(&seed.path).unwrap_or_default();
        let read = self.apis.iter().any(|api| {
            api.routes
                .iter()
                .any(|route| route.collection_of_list_matches(&path))
        });
        if !read {
            return Err(format!(
                "resources at {} are never read: no declared list, insert, get or delete route \
                 uses that collection; declare the API first",
                seed.path
            ));
        }
        self.store(seed);
        Ok(())
    }

    fn store(&mut self, seed: &SeedResources) {
        let items = seed
            .items
            .iter()
            .map(|item| self.with_id(item.clone()))
            .collect();
        self.resources
            .insert((seed.user.clone(), joined(&split_path(&seed.path))), items);
    }

    /// The resources `email` holds at `path`, oldest first.
    pub(crate) fn resources(&self, email: &str, path: &str) -> Vec<Value> {
        self.resources
            .get(&(email.to_owned(), joined(&split_path(path))))
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn with_id(&mut self, mut item: Value) -> Value {
        if let Some(object) = item.as_object_mut()
            && !object.contains_key("id")
        {
            self.next_id += 1;
            // Google's IDs are opaque strings; a recognizable prefix helps reading a transcript.
            object.insert(
                "id".to_owned(),
                json!(format!("devstack{:06}", self.next_id)),
            );
        }
        item
    }

    /// The error details (`service`, `method`, `scopes`) of the declared route serving this
    /// request, for faults that must name them.
    pub(crate) fn method_for(&self, method: &str, path: &str) -> Option<MethodDetails> {
        let segments = split_path(path);
        self.find(method, &segments)
            .map(|(_, route)| MethodDetails {
                service: route.service.clone(),
                method: route.name.clone(),
                scopes: route.scopes.clone(),
            })
    }

    pub(crate) fn find(
        &self,
        method: &str,
        segments: &[String],
    ) -> Option<(&DeclaredApi, &DeclaredRoute)> {
        self.apis.iter().find_map(|api| {
            api.routes
                .iter()
                .find(|route| route.matches(method, segments))
                .map(|route| (api, route))
        })
    }

    pub(crate) fn under_a_declared_api(&self, segments: &[String]) -> bool {
        self.apis.iter().any(|api| {
            api.base_path.len() <= segments.len()
                && api
                    .base_path
                    .iter()
                    .zip(segments)
                    .all(|(wanted, segment)| wanted == segment)
        })
    }
}

/// An owned [`ApiMethod`], for a declared route.
pub(crate) struct MethodDetails {
    pub(crate) service: String,
    pub(crate) method: String,
    pub(crate) scopes: Vec<String>,
}

impl MethodDetails {
    /// Calls `answer` with the borrowed [`ApiMethod`] the error responses take.
    pub(crate) fn with_api_method<T>(&self, answer: impl FnOnce(ApiMethod<'_>) -> T) -> T {
        let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
        answer(ApiMethod {
            service: &self.service,
            method: &self.method,
            scopes: &scopes,
        })
    }
}

/// The request path's segments, percent-decoded as Google's front end does: Google's own client
/// sends `@default` as `%40default`. A segment that does not decode stays as sent.
pub(crate) fn split_path(path: &str) -> Vec<String> {
    path.strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(|segment| percent_decode_path(segment).unwrap_or_else(|| segment.to_owned()))
        .collect()
}

/// The decoded path the segments spell, the key of a collection.
pub(crate) fn joined(segments: &[String]) -> String {
    format!("/{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: &str, path: &str, answer: Answer) -> RouteDeclaration {
        RouteDeclaration {
            method: method.to_owned(),
            path: path.to_owned(),
            scopes: vec!["https://www.googleapis.com/auth/tasks".to_owned()],
            answer,
            name: None,
        }
    }

    fn api(routes: Vec<RouteDeclaration>) -> ApiDeclaration {
        ApiDeclaration {
            host: "tasks.googleapis.com".to_owned(),
            base_path: None,
            routes,
            resources: Vec::new(),
        }
    }

    #[test]
    fn the_base_path_is_the_routes_common_literal_start() {
        let declared = api(vec![
            route(
                "GET",
                "/tasks/v1/users/@me/lists",
                Answer::Canned(json!({})),
            ),
            route(
                "GET",
                "/tasks/v1/lists/{tasklist}/tasks",
                Answer::List { kind: None },
            ),
            route(
                "DELETE",
                "/tasks/v1/lists/{tasklist}/tasks/{task}",
                Answer::Delete,
            ),
        ])
        .compile()
        .unwrap();
        assert_eq!(declared.base_path, ["tasks", "v1"]);
    }

    #[test]
    fn a_route_that_can_never_match_is_refused_with_the_reason() {
        let cases = [
            (
                "GET",
                "tasks/v1/lists",
                "can never match: the path must start with /",
            ),
            (
                "GET",
                "/tasks//v1",
                "can never match: it has an empty segment",
            ),
            (
                "GET",
                "/tasks/v1/lists/x{id}",
                "can never match: \"x{id}\" mixes text and {…}",
            ),
            (
                "GET",
                "/tasks/{a}/{a}",
                "can never match: parameter {a} appears twice",
            ),
            (
                "GET",
                "/tasks/v1/lists?x=1",
                "can never match: a path has no query",
            ),
            ("FETCH", "/tasks/v1/lists", "method \"FETCH\" is not one of"),
        ];
        for (method, path, expected) in cases {
            let error = api(vec![route(method, path, Answer::Canned(json!({})))])
                .check()
                .unwrap_err();
            assert!(error.contains(expected), "{path}: {error}");
        }
        let shadowed = api(vec![
            route(
                "GET",
                "/tasks/v1/lists/{tasklist}",
                Answer::Canned(json!({})),
            ),
            route("GET", "/tasks/v1/lists/@default", Answer::Canned(json!({}))),
        ])
        .check()
        .unwrap_err();
        assert_eq!(
            shadowed,
            "route GET /tasks/v1/lists/@default of tasks.googleapis.com can never match: the \
             earlier route GET /tasks/v1/lists/{tasklist} answers every request it would; \
             remove it or declare it first"
        );
        let get_without_id = api(vec![route("GET", "/tasks/v1/lists", Answer::Get)])
            .check()
            .unwrap_err();
        assert!(
            get_without_id.contains("ends in the resource ID"),
            "{get_without_id}"
        );
        let mut outside = api(vec![route("GET", "/other/v1/x", Answer::Canned(json!({})))]);
        outside.base_path = Some("/tasks/v1".to_owned());
        assert!(
            outside
                .check()
                .unwrap_err()
                .contains("is not under base_path /tasks/v1"),
            "outside the base path"
        );
    }

    #[test]
    fn seeded_resources_must_belong_to_a_collection_route() {
        let mut declared = api(vec![route(
            "GET",
            "/tasks/v1/lists/{tasklist}/tasks",
            Answer::List { kind: None },
        )]);
        declared.resources = vec![SeedResources {
            user: "ada@example.com".to_owned(),
            path: "/tasks/v1/lists/@default/notes".to_owned(),
            items: vec![json!({"title": "milk"})],
        }];
        assert!(declared.check().unwrap_err().contains("are never read"));
        declared.resources[0].path = "/tasks/v1/lists/@default/tasks".to_owned();
        declared.check().unwrap();
        let mut store = Declared::default();
        let unknown = store.declare(&declared, |_| false).unwrap_err();
        assert!(
            unknown.contains("ada@example.com is not a test user"),
            "{unknown}"
        );
        store.declare(&declared, |_| true).unwrap();
        assert_eq!(
            store.resources("ada@example.com", "/tasks/v1/lists/@default/tasks"),
            [json!({"title": "milk", "id": "devstack000001"})]
        );
    }
}
