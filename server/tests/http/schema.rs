//! Answers checked against the OpenAPI document the server publishes: a
//! small JSON Schema checker for what that document uses (references,
//! types, required and documented properties, enumerations, combinations
//! and numeric bounds). A keyword it does not know is reported as a
//! failure rather than skipped, so a constraint is never silently waived.
//!
//! Stricter than JSON Schema in one way: an answer may only carry the
//! properties its schema documents (unless the schema gives
//! `additionalProperties` a schema of its own, as for a map), because a
//! client reads the document to know what it will get.

use http::StatusCode;
use serde_json::{Map, Value};

use crate::support::{TestApp, TextResponse};

/// Keywords that only describe and constrain nothing.
const ANNOTATIONS: [&str; 11] = [
    "description",
    "title",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "contentMediaType",
    "$schema",
    "$comment",
];

/// Keywords the checker applies.
const CONSTRAINTS: [&str; 21] = [
    "$ref",
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "unevaluatedProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "oneOf",
    "anyOf",
    "allOf",
    "format",
    "maxLength",
];

/// The OpenAPI document as served.
pub struct Documented {
    doc: Value,
}

impl Documented {
    /// The document `app` serves at `/api/v1/openapi.json`.
    pub async fn fetch(app: &TestApp) -> Self {
        let response = app.get("/api/v1/openapi.json").await;
        assert_eq!(response.status, StatusCode::OK);
        Documented {
            doc: response.json(),
        }
    }

    /// The schema documented for `method path` answering `status` as `media`.
    pub fn answer_schema(&self, method: &str, path: &str, status: u16, media: &str) -> &Value {
        let op = &self.doc["paths"][path][method.to_ascii_lowercase()];
        assert!(op.is_object(), "{method} {path} is not documented");
        let schema = &op["responses"][status.to_string()]["content"][media]["schema"];
        assert!(
            schema.is_object(),
            "{method} {path} documents no {media} body for {status}"
        );
        schema
    }

    /// Panics, listing every departure, unless `response` is a documented
    /// answer of `method path`: its status, media type and body.
    pub fn assert_answer(&self, method: &str, path: &str, response: &TextResponse) {
        let media = response
            .content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim();
        let schema = self.answer_schema(method, path, response.status.as_u16(), media);
        let errors = self.check(schema, &response.json());
        assert!(
            errors.is_empty(),
            "{method} {path} answered {} outside its documented schema:\n{}",
            response.status,
            errors.join("\n")
        );
    }

    /// Every way `value` departs from `schema`, each with its JSON path.
    pub fn check(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check_at(schema, value, "$", true, &mut errors);
        errors
    }

    /// The schema a `$ref` points at.
    fn resolve(&self, reference: &str) -> Option<&Value> {
        reference
            .strip_prefix('#')
            .and_then(|pointer| self.doc.pointer(pointer))
    }

    /// Checks `value` at `at`. `closed`: properties the schema (with its
    /// `allOf` parts) does not declare are errors.
    fn check_at(
        &self,
        schema: &Value,
        value: &Value,
        at: &str,
        closed: bool,
        errors: &mut Vec<String>,
    ) {
        let schema = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                errors.push(format!("{at}: nothing is allowed here, got {value}"));
                return;
            }
            Value::Object(schema) => schema,
            other => {
                errors.push(format!("{at}: the schema {other} is not a schema"));
                return;
            }
        };
        for key in schema.keys() {
            if !ANNOTATIONS.contains(&key.as_str()) && !CONSTRAINTS.contains(&key.as_str()) {
                errors.push(format!(
                    "{at}: the schema uses {key:?}, which this checker does not apply"
                ));
            }
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            match self.resolve(reference) {
                Some(target) => self.check_at(target, value, at, closed, errors),
                None => errors.push(format!("{at}: {reference} does not resolve")),
            }
        }
        if let Some(kind) = schema.get("type") {
            let kinds: Vec<&str> = match kind {
                Value::String(k) => vec![k.as_str()],
                Value::Array(ks) => ks.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !kinds.iter().any(|k| is_of_type(value, k)) {
                errors.push(format!(
                    "{at}: expected {}, got {value}",
                    kinds.join(" or ")
                ));
                return;
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
        if let Some(constant) = schema.get("const")
            && constant != value
        {
            errors.push(format!("{at}: expected {constant}, got {value}"));
        }
        self.check_numbers(schema, value, at, errors);
        if let (Some(limit), Some(text)) = (
            schema.get("maxLength").and_then(Value::as_u64),
            value.as_str(),
        ) && text.chars().count() as u64 > limit
        {
            errors.push(format!("{at}: longer than {limit} characters"));
        }
        if let Value::Array(items) = value {
            self.check_items(schema, items, at, errors);
        }
        if let Value::Object(object) = value {
            self.check_object(schema, object, at, closed, errors);
        }
        self.check_combinations(schema, value, at, closed, errors);
    }

    fn check_numbers(
        &self,
        schema: &Map<String, Value>,
        value: &Value,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let Some(number) = value.as_f64() else {
            return;
        };
        let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
        if let Some(min) = bound("minimum")
            && number < min
        {
            errors.push(format!("{at}: {number} is below the minimum {min}"));
        }
        if let Some(max) = bound("maximum")
            && number > max
        {
            errors.push(format!("{at}: {number} is above the maximum {max}"));
        }
        if let Some(min) = bound("exclusiveMinimum")
            && number <= min
        {
            errors.push(format!("{at}: {number} is not above {min}"));
        }
        if let Some(max) = bound("exclusiveMaximum")
            && number >= max
        {
            errors.push(format!("{at}: {number} is not below {max}"));
        }
        let range = match schema.get("format").and_then(Value::as_str) {
            Some("uint8") => Some((0.0, f64::from(u8::MAX))),
            Some("uint16") => Some((0.0, f64::from(u16::MAX))),
            Some("uint32") => Some((0.0, f64::from(u32::MAX))),
            Some("uint64" | "uint") => Some((0.0, u64::MAX as f64)),
            Some("int32") => Some((f64::from(i32::MIN), f64::from(i32::MAX))),
            Some("int64" | "int") => Some((i64::MIN as f64, i64::MAX as f64)),
            _ => None,
        };
        if let Some((lo, hi)) = range
            && !(lo..=hi).contains(&number)
        {
            errors.push(format!(
                "{at}: {number} does not fit its format {}",
                schema["format"]
            ));
        }
    }

    fn check_items(
        &self,
        schema: &Map<String, Value>,
        items: &[Value],
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let count = |key: &str| schema.get(key).and_then(Value::as_u64);
        if let Some(min) = count("minItems")
            && (items.len() as u64) < min
        {
            errors.push(format!("{at}: fewer than {min} items"));
        }
        if let Some(max) = count("maxItems")
            && (items.len() as u64) > max
        {
            errors.push(format!("{at}: more than {max} items"));
        }
        let leading = schema
            .get("prefixItems")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (i, item) in items.iter().enumerate() {
            let item_schema = leading.get(i).or_else(|| schema.get("items"));
            if let Some(item_schema) = item_schema {
                self.check_at(item_schema, item, &format!("{at}[{i}]"), true, errors);
            }
        }
    }

    fn check_object(
        &self,
        schema: &Map<String, Value>,
        object: &Map<String, Value>,
        at: &str,
        closed: bool,
        errors: &mut Vec<String>,
    ) {
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                errors.push(format!("{at}: the required property {name:?} is missing"));
            }
        }
        for (name, item) in object {
            let here = format!("{at}.{name}");
            if let Some(property) = properties.get(name) {
                self.check_at(property, item, &here, true, errors);
                continue;
            }
            match schema.get("additionalProperties") {
                Some(Value::Object(_)) => {
                    self.check_at(&schema["additionalProperties"], item, &here, true, errors);
                }
                Some(Value::Bool(false)) => {
                    errors.push(format!("{here}: the schema allows no such property"));
                }
                _ if self.declared_in_parts(schema, name, 0) => {}
                _ if schema.get("unevaluatedProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{here}: the schema allows no such property"));
                }
                _ if closed && declares(schema) => {
                    errors.push(format!("{here}: not documented"));
                }
                _ => {}
            }
        }
    }

    /// Whether a part of `schema` (a reference, or an `allOf`, `oneOf` or
    /// `anyOf` option) declares property `name`.
    fn declared_in_parts(&self, schema: &Map<String, Value>, name: &str, depth: u32) -> bool {
        if depth > 8 {
            return false;
        }
        let referenced = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| self.resolve(r));
        let options = ["allOf", "oneOf", "anyOf"]
            .into_iter()
            .filter_map(|key| schema.get(key).and_then(Value::as_array))
            .flatten();
        referenced
            .into_iter()
            .chain(options)
            .filter_map(Value::as_object)
            .any(|part| {
                part.get("properties")
                    .and_then(Value::as_object)
                    .is_some_and(|p| p.contains_key(name))
                    || self.declared_in_parts(part, name, depth + 1)
            })
    }

    fn check_combinations(
        &self,
        schema: &Map<String, Value>,
        value: &Value,
        at: &str,
        closed: bool,
        errors: &mut Vec<String>,
    ) {
        let branches = |key: &str| -> Vec<&Value> {
            schema
                .get(key)
                .and_then(Value::as_array)
                .map(|b| b.iter().collect())
                .unwrap_or_default()
        };
        // The whole object is checked for undocumented properties above,
        // against every part's declarations; each part sees only its own.
        for part in branches("allOf") {
            self.check_at(part, value, at, false, errors);
        }
        for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
            let options = branches(key);
            if options.is_empty() {
                continue;
            }
            // Options of an object that declares properties of its own
            // share them: none of them alone is the whole object.
            let closed = closed && !declares(schema);
            let outcomes: Vec<Vec<String>> = options
                .iter()
                .map(|option| {
                    let mut found = Vec::new();
                    self.check_at(option, value, at, closed, &mut found);
                    found
                })
                .collect();
            let matching = outcomes.iter().filter(|e| e.is_empty()).count();
            if matching == 0 {
                errors.push(format!(
                    "{at}: matches none of its {key} options: {}",
                    outcomes
                        .iter()
                        .map(|e| e.join("; "))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
            } else if exactly_one && matching > 1 {
                errors.push(format!("{at}: matches {matching} of its oneOf options"));
            }
        }
    }
}

/// Whether `schema` describes an object's properties itself (not only
/// through a reference or a choice of options, which check them).
fn declares(schema: &Map<String, Value>) -> bool {
    ["properties", "allOf", "unevaluatedProperties"]
        .iter()
        .any(|key| schema.contains_key(*key))
}

/// Whether `value` is of JSON Schema type `kind`.
fn is_of_type(value: &Value, kind: &str) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        _ => false,
    }
}

mod checker {
    //! The checker itself refuses what it must, so a passing check means
    //! something.

    use serde_json::json;

    use super::Documented;

    fn documented() -> Documented {
        Documented {
            doc: json!({ "components": { "schemas": {
                "Money": {
                    "type": "object",
                    "properties": {
                        "usd": { "type": "number", "minimum": 0 },
                        "gpus": { "type": "integer", "format": "uint32" },
                        "mode": { "type": "string", "enum": ["cloud", "on_prem"] },
                        "month": { "type": ["number", "null"] },
                    },
                    "required": ["usd", "mode"],
                },
                "Closed": {
                    "type": "object",
                    "properties": { "a": { "type": "string" } },
                    "additionalProperties": false,
                },
            } } }),
        }
    }

    fn errors(schema: serde_json::Value, value: serde_json::Value) -> Vec<String> {
        documented().check(&schema, &value)
    }

    #[test]
    fn a_conforming_answer_passes() {
        let money = json!({ "$ref": "#/components/schemas/Money" });
        let ok = json!({ "usd": 2.5, "gpus": 8, "mode": "cloud", "month": null });
        assert_eq!(errors(money, ok), Vec::<String>::new());
    }

    #[test]
    fn each_kind_of_departure_is_reported_with_its_path() {
        let money = || json!({ "$ref": "#/components/schemas/Money" });
        let cases = [
            (
                json!({ "mode": "cloud" }),
                "$: the required property \"usd\"",
            ),
            (
                json!({ "usd": "2", "mode": "cloud" }),
                "$.usd: expected number",
            ),
            (json!({ "usd": -1, "mode": "cloud" }), "below the minimum"),
            (
                json!({ "usd": 1, "mode": "rent" }),
                "$.mode: \"rent\" is not one of",
            ),
            (
                json!({ "usd": 1, "mode": "cloud", "gpus": 1.5 }),
                "$.gpus: expected integer",
            ),
            (
                json!({ "usd": 1, "mode": "cloud", "gpus": -8 }),
                "does not fit its format",
            ),
            (
                json!({ "usd": 1, "mode": "cloud", "colour": "red" }),
                "$.colour: not documented",
            ),
            // A figure that is not finite is written as null.
            (
                json!({ "usd": null, "mode": "cloud" }),
                "$.usd: expected number",
            ),
        ];
        for (value, wanted) in cases {
            let found = errors(money(), value.clone());
            assert!(
                found.iter().any(|e| e.contains(wanted)),
                "{value}: {found:?} lacks {wanted:?}"
            );
        }
        let closed = json!({ "$ref": "#/components/schemas/Closed" });
        assert_eq!(errors(closed, json!({ "a": "x", "b": 1 })).len(), 1);
        let missing = json!({ "$ref": "#/components/schemas/Nowhere" });
        assert!(errors(missing, json!(1))[0].contains("does not resolve"));
        let unknown = json!({ "type": "string", "pattern": "^[a-f0-9]{32}$" });
        assert!(errors(unknown, json!("x"))[0].contains("\"pattern\""));
    }

    #[test]
    fn one_of_needs_exactly_one_match_and_any_of_at_least_one() {
        let one_of = json!({ "oneOf": [{ "type": "number" }, { "type": "integer" }] });
        assert!(errors(one_of.clone(), json!(1.5)).is_empty());
        assert!(errors(one_of.clone(), json!(2))[0].contains("matches 2"));
        assert!(errors(one_of, json!("x"))[0].contains("matches none"));
        let any_of = json!({ "anyOf": [{ "type": "number" }, { "type": "integer" }] });
        assert!(errors(any_of, json!(2)).is_empty());
        let items = json!({ "type": "array", "items": { "type": "string" }, "maxItems": 2 });
        let found = errors(items, json!(["a", 1, "c"]));
        assert!(found.iter().any(|e| e.starts_with("$[1]: expected string")));
        assert!(found.iter().any(|e| e.contains("more than 2 items")));
    }

    #[test]
    fn all_of_parts_document_each_others_properties() {
        let both = json!({ "allOf": [
            { "type": "object", "properties": { "a": { "type": "string" } }, "required": ["a"] },
            { "type": "object", "properties": { "b": { "type": "number" } } },
        ] });
        assert!(errors(both.clone(), json!({ "a": "x", "b": 1 })).is_empty());
        let found = errors(both, json!({ "a": "x", "b": "y", "c": 1 }));
        assert!(found.iter().any(|e| e.starts_with("$.b: expected number")));
        assert!(found.iter().any(|e| e.starts_with("$.c: not documented")));
    }

    #[test]
    fn options_beside_properties_share_them_and_nothing_else_passes() {
        // A catalogue id or custom figures, with precisions beside either.
        let model = json!({
            "type": "object",
            "oneOf": [
                { "type": "object", "properties": { "catalogue": { "type": "string" } }, "required": ["catalogue"] },
                { "type": "object", "properties": { "spec": { "type": "object" } }, "required": ["spec"] },
            ],
            "properties": { "weights": { "type": "string", "enum": ["fp8", "bf16"] } },
            "unevaluatedProperties": false,
        });
        assert!(errors(model.clone(), json!({ "catalogue": "m", "weights": "fp8" })).is_empty());
        assert!(errors(model.clone(), json!({ "spec": {} })).is_empty());
        let found = errors(model.clone(), json!({ "catalogue": "m", "colour": 1 }));
        assert!(
            found
                .iter()
                .any(|e| e.starts_with("$.colour: the schema allows no such"))
        );
        let found = errors(model, json!({ "weights": "fp4" }));
        assert!(
            found.iter().any(|e| e.contains("matches none")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|e| e.contains("\"fp4\" is not one of")),
            "{found:?}"
        );
    }
}
