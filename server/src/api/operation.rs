//! An API operation as its documentation describes it: the route, what it
//! takes (with an example) and what it answers. Routes are only added with
//! their operation (see [`super::Api::add`]), so the OpenAPI document and
//! the router cannot drift apart.

use app::api::Problem;
use axum::http::Method;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

/// Produces the schema of a type, registering what it refers to.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// The schema of `T`, as a [`SchemaFn`].
fn schema_of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

impl Location {
    /// Its name in OpenAPI.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Its name.
    pub name: &'static str,
    /// Where it travels.
    pub location: Location,
    /// Whether it must be given.
    pub required: bool,
    /// What it means.
    pub description: &'static str,
    /// An example value.
    pub example: Value,
}

/// A JSON request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its schema.
    pub schema: SchemaFn,
    /// An example that the operation accepts.
    pub example: Value,
}

/// One possible answer.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// When it is sent.
    pub description: &'static str,
    /// Media type of the body; empty when there is none.
    pub media: &'static str,
    /// Schema of a JSON body.
    pub schema: Option<SchemaFn>,
}

/// One documented route and method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// HTTP method.
    pub method: Method,
    /// Path, with `{name}` for path parameters (axum and OpenAPI agree).
    pub path: &'static str,
    /// Unique id (OpenAPI `operationId`).
    pub id: &'static str,
    /// Group in the docs.
    pub tag: &'static str,
    /// One line.
    pub summary: &'static str,
    /// More, when one line is not enough.
    pub description: &'static str,
    /// Its parameters.
    pub params: Vec<Param>,
    /// Its JSON body, if it takes one.
    pub body: Option<Body>,
    /// What it answers.
    pub replies: Vec<Reply>,
}

impl Operation {
    /// An operation with no parameters, body or answers yet.
    pub fn new(
        method: Method,
        path: &'static str,
        id: &'static str,
        tag: &'static str,
        summary: &'static str,
    ) -> Self {
        Operation {
            method,
            path,
            id,
            tag,
            summary,
            description: "",
            params: Vec::new(),
            body: None,
            replies: Vec::new(),
        }
    }

    /// With a longer description.
    pub fn describe(mut self, description: &'static str) -> Self {
        self.description = description;
        self
    }

    /// With a parameter.
    pub fn param(
        mut self,
        name: &'static str,
        location: Location,
        required: bool,
        description: &'static str,
        example: Value,
    ) -> Self {
        self.params.push(Param {
            name,
            location,
            required,
            description,
            example,
        });
        self
    }

    /// Taking a JSON body of type `T`, with an example it accepts.
    pub fn body<T: JsonSchema>(mut self, example: Value) -> Self {
        self.body = Some(Body {
            schema: schema_of::<T>,
            example,
        });
        self
    }

    /// Answering `status` with JSON of type `T`.
    pub fn json<T: JsonSchema>(mut self, status: u16, description: &'static str) -> Self {
        self.replies.push(Reply {
            status,
            description,
            media: "application/json",
            schema: Some(schema_of::<T>),
        });
        self
    }

    /// Answering `status` with a body of `media` (empty: no body).
    pub fn reply(mut self, status: u16, media: &'static str, description: &'static str) -> Self {
        self.replies.push(Reply {
            status,
            description,
            media,
            schema: None,
        });
        self
    }

    /// Answering each of `statuses` with problem details.
    pub fn problems(mut self, statuses: &[(u16, &'static str)]) -> Self {
        for &(status, description) in statuses {
            self.replies.push(Reply {
                status,
                description,
                media: crate::error::PROBLEM_JSON,
                schema: Some(schema_of::<Problem>),
            });
        }
        self
    }

    /// The status of its first success answer.
    pub fn success(&self) -> u16 {
        self.replies
            .iter()
            .map(|r| r.status)
            .find(|s| (200..300).contains(s))
            .unwrap_or(200)
    }
}
