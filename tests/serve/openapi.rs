//! `docs/openapi.json` describes exactly the routes the server has, each with exactly
//! the parameters it takes (the router is built from `dossier::server::ROUTES`, and
//! handlers refuse any other parameter).

use std::collections::BTreeSet;

use serde_json::Value;

fn description() -> Value {
    serde_json::from_str(dossier::server::OPENAPI_JSON).expect("docs/openapi.json is JSON")
}

#[test]
fn every_route_and_parameter_is_described_and_nothing_else() {
    let spec = description();
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();
    let routes: BTreeSet<&str> = dossier::server::ROUTES.iter().map(|r| r.path).collect();
    let described: BTreeSet<&str> = paths.keys().map(String::as_str).collect();
    assert_eq!(routes, described, "routes and described paths differ");
    for route in dossier::server::ROUTES {
        let operation = &paths[route.path]["get"];
        assert!(operation.is_object(), "{} has no GET", route.path);
        let documented: BTreeSet<&str> = operation["parameters"]
            .as_array()
            .map(|all| all.iter().map(|p| p["name"].as_str().unwrap()).collect())
            .unwrap_or_default();
        let taken: BTreeSet<&str> = route.parameters.iter().copied().collect();
        assert_eq!(taken, documented, "parameters of {}", route.path);
        assert!(
            operation["responses"]["200"].is_object(),
            "{} documents 200",
            route.path
        );
        let methods: Vec<&String> = paths[route.path].as_object().unwrap().keys().collect();
        assert_eq!(methods, vec!["get"], "{} documents only GET", route.path);
    }
}

#[test]
fn every_schema_reference_resolves() {
    let spec = description();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let text = dossier::server::OPENAPI_JSON;
    for (at, _) in text.match_indices("#/components/schemas/") {
        let name: String = text[at + "#/components/schemas/".len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        assert!(
            schemas.contains_key(&name),
            "unresolved reference to {name}"
        );
    }
}

#[test]
fn the_server_serves_its_description() {
    let ws = super::Workspace::indexed();
    let server = ws.serve(&[]);
    assert_eq!(server.json("/openapi.json"), description());
}
