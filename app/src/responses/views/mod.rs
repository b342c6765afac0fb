//! The participant's pages: the survey form (`/{lang}/s/{key}`, one section per page, resumable
//! with `?r=<submission>`), and the thank-you page. Staff pages: collection settings and
//! invitations, and entering a response on someone's behalf. All of them are plain forms the
//! server handles (`server/src/http/responses/forms.rs`); the form itself is the `ResponseForm` island.
//!
//! One file per page: `form` (the survey form and what its address shows), `thanks`, `collect`
//! (collection settings and invitations) and `assist` (staff-assisted entry).

mod assist;
mod collect;
mod form;
mod thanks;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::Serialize;
use uuid::Uuid;

use crate::page_state::{FormFeedback, use_page_state};
use crate::shell::{NotFound, use_locale};

pub use assist::*;
pub use collect::*;
pub use form::*;
pub use thanks::*;

/// A staff page about the survey in the address: loads it, then shows it (the 404 page when
/// there is no such survey, a message when it could not be loaded).
fn staff_survey_page<T, Load, Loading>(load: Load, show: fn(T, FormFeedback) -> AnyView) -> AnyView
where
    T: Clone + Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Load: Fn(Uuid) -> Loading + Send + Sync + 'static,
    Loading: std::future::Future<Output = Result<Option<T>, ServerFnError>> + Send + 'static,
{
    let locale = use_locale();
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let Some(id) = id else {
        return view! { <NotFound/> }.into_any();
    };
    let feedback = use_page_state().feedback;
    let info = Resource::new(move || id, load);
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || info.get().map(|result| match result {
                Ok(Some(info)) => show(info, feedback.clone()),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("responses.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}
