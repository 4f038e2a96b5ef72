use crate::api_test;
use crate::helpers::Cred;
use reqwest::{Method, StatusCode};

api_test!(health_readiness_and_metrics, |app| {
    let r = app.call(Method::GET, "/healthz", Cred::None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "ok");

    let r = app.call(Method::GET, "/readyz", Cred::None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let expected = match app.backend {
        crate::helpers::Backend::Sqlite => "sqlite",
        crate::helpers::Backend::Postgres => "postgres",
    };
    assert_eq!(r.body["database"], expected);

    // A request that fails still counts, labelled by route pattern and status.
    let _ = app
        .get(
            "/v1/users/00000000-0000-0000-0000-000000000000",
            &app.admin_token,
        )
        .await;
    let r = app.call(Method::GET, "/metrics", Cred::None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.body.as_str().expect("text");
    assert!(
        text.contains(
            r#"voxflow_http_requests_total{method="GET",route="/v1/users/{id}",status="404"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains("voxflow_http_request_duration_seconds_bucket"));
    assert!(text.contains(r#"voxflow_db_pool_connections{state="max"} 4"#));
});

api_test!(unknown_routes_and_docs, |app| {
    let r = app.call(Method::GET, "/v1/nope", Cred::None, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "not_found");
    assert!(r.headers.contains_key("x-request-id"));

    let res = app
        .client
        .get(format!("{}/docs/", app.base))
        .send()
        .await
        .expect("docs");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(html.contains("swagger"), "docs page renders Swagger UI");
    // Served from the binary (vendored), not a CDN.
    assert!(
        !html.contains("unpkg.com") && !html.contains("cdn.jsdelivr"),
        "{html}"
    );
    let res = app
        .client
        .get(format!("{}/docs/swagger-ui-bundle.js", app.base))
        .send()
        .await
        .expect("js");
    assert_eq!(res.status(), StatusCode::OK);

    let r = app
        .call(Method::GET, "/openapi.json", Cred::None, None)
        .await;
    assert_eq!(r.body["info"]["title"], "Voxflow API");
});
