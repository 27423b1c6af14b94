//! Headers, limits and errors every client meets, whatever it asks.

use http::{Request, StatusCode, header};

use server::config::Settings;

use crate::support::TestApp;

#[tokio::test]
async fn pages_carry_a_policy_whose_nonce_is_the_hydration_scripts() {
    let app = TestApp::new().await;
    let page = app.get("/").await;
    let policy = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16);
    // The one inline script that runs carries it; nothing else is inline.
    assert!(
        page.body
            .contains(&format!(r#"<script type="module" nonce="{nonce}">"#))
    );
    assert!(policy.contains("frame-ancestors 'none'"));
    assert!(policy.contains("'wasm-unsafe-eval'"));
    // A fresh nonce per page.
    let again = app.get("/").await;
    assert_ne!(
        again.headers[header::CONTENT_SECURITY_POLICY],
        policy.as_str()
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_a_request_id() {
    let app = TestApp::new().await;
    for path in ["/", "/api/v1/scenarios/default", "/nowhere", "/api/nowhere"] {
        let response = app.get(path).await;
        assert_eq!(
            response.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{path}"
        );
        assert_eq!(response.headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
        assert!(
            response.headers.contains_key(header::REFERRER_POLICY),
            "{path}"
        );
        assert!(
            response
                .headers
                .contains_key(header::CONTENT_SECURITY_POLICY),
            "{path}"
        );
        let id = response.headers["x-request-id"].to_str().unwrap();
        assert_eq!(id.len(), 16, "{path}");
    }
    // A client's own request id comes back.
    let response = app
        .send(
            Request::get("/healthz")
                .header("x-request-id", "trace-42")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.headers["x-request-id"], "trace-42");
}

#[tokio::test]
async fn unknown_api_routes_and_methods_are_problems() {
    let app = TestApp::new().await;
    for path in ["/api", "/api/", "/api/v2/evaluate"] {
        let missing = app.get(path).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(missing.content_type, "application/problem+json", "{path}");
    }
    let missing = app.get("/api/v1/nothing-here").await;
    assert!(
        missing.json()["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/openapi.json")
    );

    let wrong = app.request("PATCH", "/api/v1/evaluate", None, None).await;
    assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong.content_type, "application/problem+json");
    assert_eq!(wrong.headers[header::ALLOW], "POST");
    let scenario = app
        .request(
            "PATCH",
            "/api/v1/scenarios/0123456789abcdef0123456789abcdef",
            None,
            None,
        )
        .await;
    assert_eq!(scenario.headers[header::ALLOW], "GET, PUT, DELETE, HEAD");
    assert!(wrong.json()["detail"].as_str().unwrap().contains("PATCH"));
}

/// Behind a trusted proxy each client the proxy names has its own write
/// limit; a client that reaches the server directly cannot escape its own
/// by sending the header.
#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_write_limit() {
    let proxy: std::net::IpAddr = "10.0.0.5".parse().unwrap();
    let app = TestApp::with_settings(Settings {
        writes_per_minute: 6,
        write_burst: 1,
        trusted_proxies: vec![proxy],
        ..Settings::default()
    })
    .await;
    let body = serde_json::json!({ "scenario": tokenfab_core::deployment::Deployment::example() })
        .to_string();
    let save = |peer: &str, forwarded: &str| {
        let mut request = http::Request::post("/api/v1/scenarios")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", forwarded)
            .body(axum::body::Body::from(body.clone()))
            .unwrap();
        let peer: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        app.send(request)
    };
    // Two people behind the proxy: one write each, then each is limited.
    assert_eq!(
        save("10.0.0.5", "198.51.100.1").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        save("10.0.0.5", "198.51.100.2").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        save("10.0.0.5", "198.51.100.1").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Straight to the server, a new header each time: still one address.
    assert_eq!(
        save("203.0.113.9", "192.0.2.1").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        save("203.0.113.9", "192.0.2.2").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_address_that_writes_too_often_is_told_when_to_retry() {
    let app = TestApp::with_settings(Settings {
        writes_per_minute: 6,
        write_burst: 2,
        ..Settings::default()
    })
    .await;
    let body = serde_json::json!({ "scenario": tokenfab_core::deployment::Deployment::example() })
        .to_string();
    for _ in 0..2 {
        let saved = app.post_json("/api/v1/scenarios", body.clone()).await;
        assert_eq!(saved.status, StatusCode::CREATED);
    }
    let refused = app.post_json("/api/v1/scenarios", body).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers[header::RETRY_AFTER], "10");
    assert_eq!(app.db.count_scenarios().await.unwrap(), 2);
    // Reading and evaluating are not writes.
    for _ in 0..5 {
        assert_eq!(
            app.get("/api/v1/scenarios/default").await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn the_health_check_names_the_version_and_the_fonts() {
    let app = TestApp::new().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    let body = health.json();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        body["font_faces"].as_u64().unwrap() > 0,
        "no fonts for PNG charts"
    );
}
