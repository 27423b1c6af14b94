//! Many generated requests against every route: malformed and mutated
//! bodies, odd path segments, queries and headers. Whatever arrives, the
//! answer is never a 5xx, and an API error is always problem details.

use axum::body::Body;
use http::{Method, Request, header};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};
use tokenfab_core::deployment::Deployment;

use server::config::Settings;

use crate::support::TestApp;

/// Requests sent; the run prints the count.
const CASES: u32 = 3_000;

/// Routes as served, with the method each answers.
const ROUTES: [(&str, &str); 22] = [
    ("POST", "/api/v1/evaluate"),
    ("POST", "/api/v1/calibrate"),
    ("POST", "/api/v1/sweep"),
    ("POST", "/api/v1/scenarios"),
    ("GET", "/api/v1/scenarios"),
    ("GET", "/api/v1/scenarios/default"),
    ("GET", "/api/v1/scenarios/{id}"),
    ("PUT", "/api/v1/scenarios/{id}"),
    ("DELETE", "/api/v1/scenarios/{id}"),
    ("GET", "/api/v1/scenarios/{id}/csv"),
    ("GET", "/api/v1/scenarios/{id}/charts/{chart}"),
    ("GET", "/api/v1/charts/{chart}"),
    ("POST", "/api/v1/charts/{chart}"),
    ("GET", "/api/v1/catalogue/models"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/healthz"),
    ("GET", "/s/{id}"),
    ("GET", "/s/{id}/{chart}"),
    ("GET", "/compare"),
    ("GET", "/compare/{chart}"),
    ("GET", "/"),
    ("GET", "/api/{id}"),
];

/// Replaces the `index`-th leaf of `value` (counting depth first) with `with`.
fn replace_leaf(value: &mut Value, index: &mut usize, with: &Value) -> bool {
    match value {
        Value::Object(map) => map.values_mut().any(|v| replace_leaf(v, index, with)),
        Value::Array(items) => items.iter_mut().any(|v| replace_leaf(v, index, with)),
        leaf => {
            if *index == 0 {
                *leaf = with.clone();
                true
            } else {
                *index -= 1;
                false
            }
        }
    }
}

fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(1e-300)),
        Just(json!("NaN")),
        Just(json!("")),
        Just(json!("<script>alert(1)</script>")),
        Just(json!([])),
        Just(json!({})),
        Just(json!(true)),
        Just(json!(4_294_967_296_u64)),
        any::<f64>()
            .prop_filter("finite", |v| v.is_finite())
            .prop_map(|v| json!(v)),
        "\\PC{0,40}".prop_map(Value::String),
    ]
}

/// A body: the route's kind of JSON with one leaf changed, a key added or
/// taken away, cut short, or not JSON at all.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let example = serde_json::to_value(Deployment::example()).unwrap();
    let sweep =
        json!({ "scenario": example.clone(), "parameter": "pricing.pue", "values": [1.1, 1.5] });
    let save = json!({ "name": "x", "notes": "y", "scenario": example.clone() });
    let base = prop_oneof![Just(example), Just(sweep), Just(save)];
    prop_oneof![
        4 => (base.clone(), 0..80_usize, odd_value()).prop_map(|(mut v, mut i, with)| {
            replace_leaf(&mut v, &mut i, &with);
            v.to_string().into_bytes()
        }),
        1 => (base.clone(), "[a-z_]{1,12}").prop_map(|(mut v, key)| {
            if let Some(map) = v.as_object_mut() {
                map.insert(key, json!(1));
            }
            v.to_string().into_bytes()
        }),
        1 => (base.clone(), 0..40_usize).prop_map(|(mut v, i)| {
            if let Some(map) = v.as_object_mut() {
                let key = map.keys().nth(i % map.len().max(1)).cloned();
                if let Some(key) = key {
                    map.remove(&key);
                }
            }
            v.to_string().into_bytes()
        }),
        1 => (base, 0..1_000_usize).prop_map(|(v, cut)| {
            let text = v.to_string().into_bytes();
            text[..cut.min(text.len())].to_vec()
        }),
        1 => proptest::collection::vec(any::<u8>(), 0..200),
        1 => Just("[".repeat(5_000).into_bytes()),
        1 => Just(Vec::new()),
    ]
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0123456789abcdef0123456789abcdef".to_owned()),
        Just("months.svg".to_owned()),
        Just("energy.svg".to_owned()),
        Just("sensitivity.png".to_owned()),
        Just("..%2F..%2Fetc%2Fpasswd".to_owned()),
        Just("%00".to_owned()),
        Just("%3Cscript%3E".to_owned()),
        Just("a".repeat(3_000)),
        "[a-z0-9.]{0,20}",
    ]
}

fn query() -> impl Strategy<Value = String> {
    let encoded = app::chart_query::encode_deployment(&Deployment::example());
    prop_oneof![
        Just(String::new()),
        Just(format!("?scenario={encoded}")),
        Just(format!("?scenario={}", &encoded[..encoded.len() / 2])),
        Just("?scenario=!!!".to_owned()),
        Just(format!(
            "?ids=0123456789abcdef0123456789abcdef,x&current={encoded}"
        )),
        Just("?limit=-1&after=%FF".to_owned()),
        Just(format!("?scenario={}", "A".repeat(20_000))),
        "\\?[a-z=&%0-9]{0,30}",
    ]
}

/// Mostly the route's own method, sometimes any other.
fn method(own: &'static str) -> impl Strategy<Value = Method> {
    prop_oneof![
        8 => Just(Method::from_bytes(own.as_bytes()).unwrap_or(Method::GET)),
        1 => Just(Method::GET),
        1 => Just(Method::POST),
        1 => Just(Method::PUT),
        1 => Just(Method::DELETE),
        1 => Just(Method::PATCH),
    ]
}

#[derive(Debug, Clone)]
struct Generated {
    method: Method,
    path: String,
    body: Vec<u8>,
    authorization: Option<String>,
    if_match: Option<String>,
}

fn request() -> impl Strategy<Value = Generated> {
    (0..ROUTES.len())
        .prop_flat_map(|route| (Just(route), method(ROUTES[route].0)))
        .prop_flat_map(|(route, method)| {
            (
                Just(route),
                Just(method),
                segment(),
                segment(),
                query(),
                body(),
                proptest::option::of("Bearer [0-9a-f]{0,40}"),
                proptest::option::of("(W/)?\"?[0-9a-z*]{0,5}\"?"),
            )
        })
        .prop_map(
            |(route, method, id, chart, query, body, authorization, if_match)| Generated {
                method,
                path: format!(
                    "{}{query}",
                    ROUTES[route]
                        .1
                        .replace("{id}", &id)
                        .replace("{chart}", &chart)
                ),
                body,
                authorization,
                if_match,
            },
        )
}

#[test]
fn no_generated_request_gets_a_5xx_or_a_bare_api_error() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(8 * 1024 * 1024)
        .build()
        .unwrap();
    let app = runtime.block_on(TestApp::with_settings(Settings {
        list_scenarios: true,
        writes_per_minute: 0,
        ..Settings::default()
    }));
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let sent = std::sync::atomic::AtomicU32::new(0);
    let statuses = std::sync::Mutex::new(std::collections::BTreeMap::<u16, u32>::new());
    let result = runner.run(&request(), |generated| {
        sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut builder = Request::builder()
            .method(generated.method.clone())
            .uri(&generated.path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(auth) = &generated.authorization {
            builder = builder.header(header::AUTHORIZATION, auth);
        }
        if let Some(tag) = &generated.if_match {
            builder = builder.header(header::IF_MATCH, tag);
        }
        let Ok(request) = builder.body(Body::from(generated.body.clone())) else {
            // Not a request http can even express (a bad URI): nothing to send.
            return Ok(());
        };
        let response = runtime.block_on(app.send(request));
        *statuses
            .lock()
            .unwrap()
            .entry(response.status.as_u16())
            .or_default() += 1;
        let what = format!(
            "{} {} -> {}",
            generated.method, generated.path, response.status
        );
        if response.status.is_server_error() {
            return Err(TestCaseError::fail(format!("{what}: {}", response.body)));
        }
        if generated.path.starts_with("/api/") && response.status.is_client_error() {
            prop_assert_eq!(
                &response.content_type,
                "application/problem+json",
                "{}",
                what
            );
        }
        Ok(())
    });
    println!(
        "sent {} generated requests; answers by status: {:?}",
        sent.load(std::sync::atomic::Ordering::Relaxed),
        statuses.lock().unwrap()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
