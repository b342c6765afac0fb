//! Sharek's application: routes, pages and server functions shared by the server (SSR) and
//! the browser (hydration). One folder per domain; `shell/` is the page frame every page
//! shares, `pages/` the public pages that belong to no domain.

#![recursion_limit = "256"]

rust_i18n::i18n!("locales", fallback = "ar");

pub mod accounts;
pub mod audit;
pub mod dates;
pub mod feedback;
pub mod groups;
pub mod i18n;
// Server-side only: its word lists stay out of the browser's bundle.
pub mod consultations;
pub mod moderation;
pub mod numbers;
pub mod opportunities;
pub mod outcomes;
pub mod page_state;
pub mod pages;
pub mod participants;
pub mod posted;
pub mod problems;
pub mod reports;
pub mod responses;
pub mod results;
#[cfg(feature = "ssr")]
pub mod server_fns;
pub mod shell;
#[cfg(feature = "ssr")]
pub mod store;
pub mod surveys;
pub mod text;

use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{ParentRoute, Route, Router, Routes},
};

pub use i18n::Locale;

/// The HTML document around the application, rendered on the server only.
/// `lang` and `dir` are set on `<html>` by [`shell::Frame`] through leptos_meta.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let pkg = options.site_pkg_dir.clone();
    #[cfg(feature = "ssr")]
    set_page_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href=format!("/{pkg}/sharek.css")/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    page_state::provide_page_state();
    view! {
        <Router>
            <Routes fallback=shell::NotFoundInGuessedLocale>
                <ParentRoute path=ParamSegment("lang") view=shell::LocaleLayout>
                    // Async: the home page lists open opportunities, rendered whole without JavaScript.
                    <Route path=StaticSegment("") view=pages::home::HomePage ssr=SsrMode::Async/>
                    <Route
                        path=StaticSegment("opportunities")
                        view=opportunities::views::CataloguePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("opportunities"), ParamSegment("id"))
                        view=opportunities::views::OpportunityPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("opportunities"), ParamSegment("id"), StaticSegment("comments"))
                        view=consultations::views::CommentsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("opportunities"), ParamSegment("id"), StaticSegment("comments"), ParamSegment("comment"))
                        view=consultations::views::ThreadPage
                        ssr=SsrMode::Async
                    />
                    // "You said, we did": static segments before the outcome's id.
                    <Route path=StaticSegment("outcomes") view=outcomes::views::OutcomesPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("outcomes"), StaticSegment("unsubscribe"), ParamSegment("token"))
                        view=outcomes::views::UnsubscribePage
                    />
                    <Route
                        path=(StaticSegment("outcomes"), ParamSegment("id"))
                        view=outcomes::views::OutcomePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("outcomes"))
                        view=outcomes::staff_views::StaffOutcomesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("outcomes"), StaticSegment("new"))
                        view=outcomes::staff_views::StaffOutcomePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("outcomes"), ParamSegment("id"))
                        view=outcomes::staff_views::StaffOutcomePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("reports"))
                        view=reports::views::ReportsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("reports"), StaticSegment("periodic"))
                        view=reports::periodic_views::PeriodicReportsPage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("policy") view=pages::document::PolicyPage/>
                    <Route
                        path=StaticSegment("accessibility")
                        view=pages::document::AccessibilityPage
                    />
                    <Route path=StaticSegment("login") view=accounts::views::LoginPage/>
                    <Route path=StaticSegment("staff") view=pages::staff_home::StaffHomePage ssr=SsrMode::Async/>
                    // Async: data pages render whole on the server, so they work without JavaScript.
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("users"))
                        view=accounts::views::UsersPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("teams"))
                        view=accounts::team_views::TeamsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("audit"))
                        view=audit::views::AuditPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("surveys"))
                        view=surveys::editor::SurveysPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("surveys"), ParamSegment("id"))
                        view=surveys::editor::SurveyPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("surveys"), ParamSegment("id"), StaticSegment("preview"))
                        view=surveys::editor::PreviewPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("surveys"), ParamSegment("id"), StaticSegment("questions"), ParamSegment("key"))
                        view=surveys::editor::QuestionPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("surveys"), ParamSegment("id"), StaticSegment("collect"))
                        view=responses::views::CollectPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("surveys"), ParamSegment("id"), StaticSegment("enter"))
                        view=responses::views::AssistPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("surveys"), ParamSegment("id"), StaticSegment("results"))
                        view=results::views::ResultsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("surveys"), ParamSegment("id"), StaticSegment("results"), StaticSegment("text"), ParamSegment("question"))
                        view=results::views::TextAnswersPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("results"), ParamSegment("key"))
                        view=results::views::PublicResultsPage
                        ssr=SsrMode::Async
                    />
                    // The participant's survey form and its thank-you page.
                    <Route
                        path=(StaticSegment("s"), ParamSegment("key"))
                        view=responses::views::RespondPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("s"), ParamSegment("key"), StaticSegment("thanks"))
                        view=responses::views::ThanksPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("opportunities"))
                        view=opportunities::staff_views::StaffOpportunitiesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("opportunities"), ParamSegment("id"))
                        view=opportunities::staff_views::StaffOpportunityPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("opportunities"), ParamSegment("id"), StaticSegment("document"))
                        view=consultations::staff_views::DocumentPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("opportunities"), ParamSegment("id"), StaticSegment("comments"))
                        view=consultations::staff_views::StaffCommentsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("moderation"))
                        view=moderation::views::ModerationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("moderation"), StaticSegment("appeals"))
                        view=moderation::bans_views::AppealsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("tokens"))
                        view=accounts::token_views::TokensPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("enter"))
                        view=responses::views::EnterListPage
                        ssr=SsrMode::Async
                    />
                    // The participant's account: signing in by email, the profile, their feedback.
                    <Route path=StaticSegment("account") view=participants::views::AccountPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("account"), StaticSegment("sign-in")) view=participants::views::SignInPage/>
                    <Route
                        path=(StaticSegment("account"), StaticSegment("sign-in"), StaticSegment("code"), ParamSegment("id"))
                        view=participants::views::CodePage
                    />
                    <Route
                        path=(StaticSegment("account"), StaticSegment("sign-in"), StaticSegment("link"), ParamSegment("token"))
                        view=participants::views::LinkPage
                    />
                    <Route path=(StaticSegment("account"), StaticSegment("delete")) view=participants::views::DeletePage/>
                    <Route
                        path=(StaticSegment("account"), StaticSegment("ban"))
                        view=moderation::bans_views::BanPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("account"), StaticSegment("feedback"), ParamSegment("id"))
                        view=participants::views::MyCasePage
                        ssr=SsrMode::Async
                    />
                    // Feedback: the public form, the private tracking and rating pages.
                    <Route path=StaticSegment("feedback") view=feedback::views::FeedbackPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("feedback"), StaticSegment("track"), ParamSegment("token"))
                        view=feedback::views::TrackPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("feedback"), StaticSegment("rate"), ParamSegment("token"))
                        view=feedback::views::RatePage
                        ssr=SsrMode::Async
                    />
                    // Static segments before the case's id, so "new" is never read as an id.
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("feedback"))
                        view=feedback::staff_views::StaffFeedbackPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("feedback"), StaticSegment("new"))
                        view=feedback::staff_views::RecordFeedbackPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("feedback"), StaticSegment("settings"))
                        view=feedback::staff_views::FeedbackSettingsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("feedback"), StaticSegment("figures"))
                        view=feedback::figures_views::FiguresPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("feedback"), ParamSegment("id"))
                        view=feedback::staff_views::StaffCasePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("password"))
                        view=accounts::views::ChangePasswordPage
                    />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The Content-Security-Policy of a page: scripts only from us, plus Leptos' inline hydration
/// script carrying this response's nonce; WebAssembly may compile; nothing may frame us.
#[cfg(feature = "ssr")]
fn set_page_security_policy() {
    let nonce = leptos::nonce::use_nonce()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&policy),
    ) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
