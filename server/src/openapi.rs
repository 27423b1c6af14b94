//! The API described for machines (an OpenAPI 3.1 document) and for people
//! (a docs page), both from the operations the router serves and the JSON
//! Schemas of the Rust types they read and write.

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::api::operation::{Location, Operation};
use crate::error::HttpError;
use crate::html::escape;

/// The OpenAPI 3.1 document of `operations`.
pub fn document(operations: &[Operation]) -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    let mut paths: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    for op in operations {
        let mut entry = Map::new();
        entry.insert("operationId".into(), json!(op.id));
        entry.insert("tags".into(), json!([op.tag]));
        entry.insert("summary".into(), json!(op.summary));
        if !op.description.is_empty() {
            entry.insert("description".into(), json!(op.description));
        }
        let parameters: Vec<Value> = op
            .params
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "in": p.location.as_str(),
                    "required": p.required,
                    "description": p.description,
                    "schema": match &p.example {
                        Value::Number(n) if n.is_i64() || n.is_u64() => json!({ "type": "integer" }),
                        _ => json!({ "type": "string" }),
                    },
                    "example": p.example,
                })
            })
            .collect();
        if !parameters.is_empty() {
            entry.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = &op.body {
            entry.insert(
                "requestBody".into(),
                json!({
                    "required": true,
                    "content": { "application/json": {
                        "schema": (body.schema)(&mut generator),
                        "example": body.example,
                    } },
                }),
            );
        }
        let mut responses: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
        for reply in &op.replies {
            let response = responses.entry(reply.status.to_string()).or_default();
            let description = match response.get("description").and_then(Value::as_str) {
                Some(earlier) => format!("{earlier} Or: {}", reply.description),
                None => reply.description.to_owned(),
            };
            response.insert("description".into(), json!(description));
            if !reply.media.is_empty() {
                let schema = match reply.schema {
                    Some(schema) => {
                        serde_json::to_value(schema(&mut generator)).unwrap_or_default()
                    }
                    None if reply.media.starts_with("image/png") => {
                        json!({ "type": "string", "contentMediaType": "image/png" })
                    }
                    None => json!({ "type": "string" }),
                };
                let content = response.entry("content").or_insert_with(|| json!({}));
                content[reply.media] = json!({ "schema": schema });
            }
        }
        entry.insert("responses".into(), json!(responses));
        paths.entry(op.path).or_default().insert(
            op.method.as_str().to_ascii_lowercase(),
            Value::Object(entry),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "tokenfab API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The economics of AI inference: evaluate a deployment (model, hardware, pricing, use case) for its cost and energy per token and per meaningful response, sweep an input, save and share scenarios, draw the trade-off charts, and read the catalogues with their sources. Errors are problem details (RFC 9457) naming every field at fault.",
        },
        "paths": paths,
        "components": { "schemas": generator.take_definitions(true) },
    })
}

/// Inline code spans (`like this`) as `<code>`, the rest escaped.
fn prose(text: &str) -> String {
    escape(text)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

/// A `curl` command that sends `op`'s example request.
fn example_request(op: &Operation) -> String {
    let mut path = op.path.to_owned();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for p in &op.params {
        let value = match &p.example {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match p.location {
            Location::Path => path = path.replace(&format!("{{{}}}", p.name), &value),
            Location::Query => query.push(format!("{}={value}", p.name)),
            Location::Header => headers.push(format!(" -H '{}: {value}'", p.name)),
        }
    }
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    let mut command = format!(
        "curl -X {} 'http://localhost:3000{path}'{}",
        op.method,
        headers.concat()
    );
    if let Some(body) = &op.body {
        let text = serde_json::to_string(&body.example).unwrap_or_default();
        command.push_str(&format!(" -H 'Content-Type: application/json' -d '{text}'"));
    }
    command
}

/// The docs page: every operation with its parameters, an example request
/// and its answers, then every kind of problem.
pub fn docs_page(operations: &[Operation]) -> String {
    let mut html = [
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>API: tokenfab</title><link rel="stylesheet" href="/pkg/tokenfab.css"><script src="/theme.js"></script></head><body>"#,
        search_page::render::THEME_SWITCH,
        r#"<main class="page api-docs"><header class="masthead"><p class="brand"><a href="/">tokenfab</a></p><h1>API</h1><p class="tagline">JSON over HTTP under <code>/api/v1</code>. The machine-readable description is <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1, with the JSON Schema of every body). Errors are problem details (RFC 9457, <code>application/problem+json</code>) with the JSON path of each field at fault.</p></header><nav aria-label="Operations"><ul>"#,
    ]
    .concat();
    for op in operations {
        html.push_str(&format!(
            r##"<li><a href="#{}"><code>{} {}</code></a> {}</li>"##,
            op.id,
            op.method,
            escape(op.path),
            escape(op.summary)
        ));
    }
    html.push_str(r##"<li><a href="#problems">Problems</a></li></ul></nav>"##);
    for op in operations {
        html.push_str(&format!(
            r#"<section class="panel-like operation" id="{}"><h2><code>{} {}</code></h2><p><strong>{}</strong></p>"#,
            op.id,
            op.method,
            escape(op.path),
            escape(op.summary)
        ));
        if !op.description.is_empty() {
            html.push_str(&format!("<p>{}</p>", prose(op.description)));
        }
        if !op.params.is_empty() {
            html.push_str(r#"<table><thead><tr><th scope="col">Parameter</th><th scope="col">In</th><th scope="col">Required</th><th scope="col">Meaning</th></tr></thead><tbody>"#);
            for p in &op.params {
                html.push_str(&format!(
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(p.name),
                    p.location.as_str(),
                    if p.required { "yes" } else { "no" },
                    prose(p.description)
                ));
            }
            html.push_str("</tbody></table>");
        }
        html.push_str(&format!(
            "<p>Example request:</p><pre><code>{}</code></pre><ul>",
            escape(&example_request(op))
        ));
        for reply in &op.replies {
            html.push_str(&format!(
                "<li><code>{}</code>{}: {}</li>",
                reply.status,
                if reply.media.is_empty() {
                    String::new()
                } else {
                    format!(" <code>{}</code>", escape(reply.media))
                },
                prose(reply.description)
            ));
        }
        html.push_str("</ul></section>");
    }
    html.push_str(r#"<section class="panel-like" id="problems"><h2>Problems</h2><p>Each error's <code>type</code> links here; <code>detail</code> says what went wrong, <code>field</code> names the first field at fault and <code>errors</code> lists each when there are several.</p><ul>"#);
    for (slug, title, status) in HttpError::kinds() {
        html.push_str(&format!(
            r#"<li id="problem-{slug}"><code>{status}</code> <code>{slug}</code>: {}</li>"#,
            escape(title)
        ));
    }
    html.push_str("</ul></section></main></body></html>");
    html
}
