//! `openapi/openapi.json` must be exactly what the code generates.

#[test]
fn committed_spec_matches_the_code() {
    let generated = voxflow::api::openapi().to_pretty_json().expect("spec");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed.trim_end() != generated.trim_end() {
        if std::env::var_os("VOXFLOW_UPDATE_OPENAPI").is_some() {
            std::fs::write(path, format!("{generated}\n")).expect("write spec");
            return;
        }
        panic!(
            "openapi/openapi.json is out of date: run `cargo run -- openapi > openapi/openapi.json` \
             (or VOXFLOW_UPDATE_OPENAPI=1 cargo test --test api openapi)"
        );
    }
}

#[test]
fn spec_is_openapi_3_1_with_security_and_problem_errors() {
    let spec: serde_json::Value =
        serde_json::from_str(&voxflow::api::openapi().to_json().expect("json")).expect("parse");
    assert!(spec["openapi"]
        .as_str()
        .expect("version")
        .starts_with("3.1"));
    assert_eq!(spec["info"]["version"], env!("CARGO_PKG_VERSION"));
    let schemes = &spec["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["api_key"]["name"], "X-API-Key");
    // Every operation documents its errors: problem+json, or OpenAI's shape on the OpenAI
    // routes; the open probes excepted.
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let responses = op["responses"].as_object().expect("responses");
            let openai = op["tags"][0] == "openai";
            let has_problem = responses.iter().any(|(status, r)| {
                (status.starts_with('4') || status.starts_with('5'))
                    && if openai {
                        r["content"]["application/json"]["schema"]["$ref"]
                            .as_str()
                            .is_some_and(|s| s.ends_with("/OpenAiErrorBody"))
                    } else {
                        r["content"].get("application/problem+json").is_some()
                    }
            });
            if !["/healthz", "/metrics", "/v1/auth/logout"].contains(&path.as_str()) {
                assert!(has_problem, "{method} {path} documents no problem response");
            }
        }
    }
}

/// What client generators need (openapi-python-client refuses a document that lacks them):
/// an operationId on every operation, a description on every response, no nullable
/// parameter, and the upload as a multipart body with a binary `file` part.
#[test]
fn spec_is_complete_enough_for_sdk_generators() {
    let spec: serde_json::Value =
        serde_json::from_str(&voxflow::api::openapi().to_json().expect("json")).expect("parse");
    let mut ids = std::collections::HashSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let id = op["operationId"].as_str().unwrap_or("");
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            assert!(ids.insert(id.to_string()), "operationId {id} is used twice");
            for p in op["parameters"].as_array().into_iter().flatten() {
                // A generated client would send a `None` header; absent means left out.
                assert!(
                    !p["schema"]["type"]
                        .as_array()
                        .is_some_and(|t| t.contains(&"null".into())),
                    "{method} {path} parameter {} is nullable",
                    p["name"]
                );
            }
            for (status, r) in op["responses"].as_object().expect("responses") {
                assert!(
                    r["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{method} {path} {status} has no description"
                );
            }
        }
    }
    let upload =
        &spec["paths"]["/v1/files"]["post"]["requestBody"]["content"]["multipart/form-data"];
    let form = upload["schema"]["$ref"]
        .as_str()
        .expect("a named form schema");
    let name = form.rsplit('/').next().expect("name");
    let file = &spec["components"]["schemas"][name]["properties"]["file"];
    assert_eq!(file["format"], "binary", "{file}");
}
