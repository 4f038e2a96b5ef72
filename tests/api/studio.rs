//! Voxflow Studio served by the binary at `/studio/` (the embedded `studio/dist`): the page,
//! its assets and their caching, client-side routes, and what is not there. The backend's
//! choice does not matter here, so this runs on SQLite only.

use crate::helpers::{spawn_app, Backend};
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn studio_is_served_from_the_binary_with_caching() {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // `/studio` sends the browser to the app's base URL.
    let r = plain
        .get(format!("{}/studio", app.base))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    assert_eq!(r.headers()["location"], "/studio/");

    // The page: HTML, revalidated on every load, with a strict CSP.
    let r = plain
        .get(format!("{}/studio/", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(r.headers()[CACHE_CONTROL], "no-cache");
    let csp = r.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let etag = r.headers()[ETAG].to_str().unwrap().to_string();
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"root\""), "{html}");

    // Unchanged page: 304 with no body.
    let r = plain
        .get(format!("{}/studio/", app.base))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert!(r.bytes().await.unwrap().is_empty());

    // Every script and stylesheet the page names is served, cached for a year (its name
    // changes with its content), with the right type.
    let assets: Vec<String> = html
        .split("/studio/assets/")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ' ' | '>'))
                .collect()
        })
        .collect();
    assert!(assets.iter().any(|a| a.ends_with(".js")), "{html}");
    for asset in &assets {
        let r = plain
            .get(format!("{}/studio/assets/{asset}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{asset}");
        assert_eq!(
            r.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{asset}"
        );
        let ct = r.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
        if asset.ends_with(".js") {
            assert_eq!(ct, "text/javascript; charset=utf-8");
        } else if asset.ends_with(".css") {
            assert_eq!(ct, "text/css; charset=utf-8");
        }
        assert!(!r.bytes().await.unwrap().is_empty(), "{asset}");
    }

    // A client-side route (a reload on a deep link) gets the app; HEAD works too.
    let r = plain
        .get(format!(
            "{}/studio/workflows/0193c2d0-0000-7000-8000-000000000000",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), html);
    let r = plain
        .head(format!("{}/studio/", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // A missing asset is a problem, not the page (an old tab asking for a bundle that a new
    // release replaced must not get HTML as script); the stamp is not served.
    for missing in [
        "/studio/assets/index-00000000.js",
        "/studio/build-stamp.txt",
        "/studio/x.png",
    ] {
        let r = plain
            .get(format!("{}{missing}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(
            r.headers()[CONTENT_TYPE],
            "application/problem+json",
            "{missing}"
        );
    }
    // Only GET and HEAD.
    let r = plain
        .post(format!("{}/studio/", app.base))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
}
