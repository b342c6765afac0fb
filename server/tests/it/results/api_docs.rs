//! The results API's documentation.

use super::*;

async fn results_api_is_documented(db: Db) {
    let reply = Client::new(&db).get("/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let document = reply.json();
    for path in [
        "/api/v1/surveys/{id}/results",
        "/api/v1/surveys/{id}/results/crosstab",
    ] {
        let get = &document["paths"][path]["get"];
        assert!(get.is_object(), "{path} is documented");
        for status in ["200", "400", "401", "403", "404"] {
            assert!(get["responses"][status].is_object(), "{path}: {status}");
        }
    }
    let schemas = &document["components"]["schemas"];
    for schema in ["Results", "Crosstab", "QuestionResult", "Summary"] {
        assert!(schemas[schema].is_object(), "the {schema} schema");
    }
}

server::on_both_backends!(results_api_is_documented);
