//! The frame every page shares: `<html lang dir>`, skip link, header with the ministry's name,
//! navigation, language switch, the `main` landmark and the footer. Also the 404 page.

use leptos::prelude::*;
use leptos_meta::{Html, Meta, Title};
use leptos_router::{
    components::Outlet,
    hooks::{use_location, use_params_map},
};

use crate::accounts::views::{Forbidden, SignOutButton};
use crate::i18n::Locale;
use crate::page_state::use_page_state;

pub mod forms;

/// The current page's locale, provided by [`LocaleLayout`] (Arabic outside it).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Parent of every `/{lang}/…` route: checks the locale and frames the page.
#[component]
pub fn LocaleLayout() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("lang"));
    // The server refused this page to this visitor: show the 403 page in its place, but only
    // at that path, so client-side navigation elsewhere works.
    let denied_path = use_page_state().denied_path;
    let pathname = use_location().pathname;
    let denied = Memo::new(move |_| denied_path.as_deref() == Some(pathname.get().as_str()));
    match code.as_deref().and_then(Locale::from_code) {
        Some(locale) => view! {
            <Frame locale>
                {move || if denied.get() { view! { <Forbidden/> }.into_any() } else { view! { <Outlet/> }.into_any() }}
            </Frame>
        }
        .into_any(),
        None => view! { <NotFoundInGuessedLocale/> }.into_any(),
    }
}

/// A path no route knows: the 404 page, in the language the path or the default suggests.
#[component]
pub fn NotFoundInGuessedLocale() -> impl IntoView {
    let locale = Locale::from_path(&use_location().pathname.get_untracked()).unwrap_or_default();
    view! {
        <Frame locale>
            <NotFound/>
        </Frame>
    }
}

#[component]
pub fn Frame(locale: Locale, children: Children) -> impl IntoView {
    provide_context(locale);
    let t = move |key: &str| locale.t(key);
    let site = t("site.name");
    let state = use_page_state();
    let signed_in = state.user.is_some();
    let participant = state.participant;
    let failed = state.failed;
    view! {
        <Html {..} lang=locale.code() dir=locale.dir()/>
        <Title formatter=move |page: String| {
            if page.is_empty() { site.clone() } else { format!("{page} | {site}") }
        }/>
        <Meta name="description" content=t("site.tagline")/>
        // rel="external": the browser, not the client-side router, follows in-page links, so
        // focus moves to the target as keyboard and screen-reader users expect.
        <a class="skip-link" href="#main" rel="external">{t("shell.skip_to_content")}</a>
        <header class="site-header">
            <div class="container header-bar">
                <a class="brand" href=format!("/{}", locale.code())>
                    <span class="brand-name">{t("site.name")}</span>
                    <span class="brand-ministry">{t("site.ministry")}</span>
                </a>
                <div class="header-tools">
                    {signed_in.then(|| view! { <SignOutButton/> })}
                    <LanguageSwitch locale/>
                </div>
            </div>
            <nav class="site-nav" aria-label=t("shell.nav_label")>
                <ul class="container">
                    <NavLink locale href="" label=t("nav.home")/>
                    <NavLink locale href="/opportunities" label=t("nav.opportunities")/>
                    <NavLink locale href="/outcomes" label=t("nav.outcomes")/>
                    <NavLink locale href="/feedback" label=t("nav.feedback")/>
                    <NavLink locale href="/policy" label=t("nav.policy")/>
                    {signed_in.then(|| view! { <NavLink locale href="/staff" label=t("nav.staff")/> })}
                    {if participant {
                        Some(view! { <NavLink locale href="/account" label=t("nav.account")/> }.into_any())
                    } else if !signed_in {
                        Some(view! { <NavLink locale href="/account/sign-in" label=t("nav.sign_in")/> }.into_any())
                    } else {
                        None
                    }}
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1" class="container">
            {failed.then(|| view! {
                <div class="error-summary" role="alert">
                    <h2>{t("shell.failed_title")}</h2>
                    <p>{t("shell.failed_body")}</p>
                </div>
            })}
            {children()}
        </main>
        <footer class="site-footer">
            <div class="container">
                <ul class="footer-links">
                    <li><a href=format!("/{}/accessibility", locale.code())>{t("footer.accessibility")}</a></li>
                    <li><a href=format!("/{}/policy", locale.code())>{t("footer.policy")}</a></li>
                    {(!signed_in).then(|| view! {
                        <li><a href=format!("/{}/login", locale.code())>{t("footer.staff_login")}</a></li>
                    })}
                </ul>
                <p>{t("footer.owner")}</p>
            </div>
        </footer>
    }
}

/// A navigation link that marks itself as the current page.
#[component]
fn NavLink(locale: Locale, href: &'static str, label: String) -> impl IntoView {
    let href = format!("/{}{href}", locale.code());
    let pathname = use_location().pathname;
    let target = href.clone();
    let current = move || (pathname.get().trim_end_matches('/') == target).then_some("page");
    view! {
        <li><a href=href aria-current=current>{label}</a></li>
    }
}

/// Links to the same page in the other language. A full page load (`rel="external"`), so
/// the server renders `<html lang dir>` afresh and remembers the choice in the cookie.
#[component]
fn LanguageSwitch(locale: Locale) -> impl IntoView {
    let other = locale.other();
    let location = use_location();
    let href = move || {
        let path = location.pathname.get();
        let query = location.search.get();
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.trim_start_matches('?'))
        };
        other.localize_path(&format!("{path}{query}"))
    };
    view! {
        <a class="lang-switch" href=href hreflang=other.code() lang=other.code() rel="external">
            {other.native_name()}
        </a>
    }
}

/// The 404 page body. Sets the response status on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let path = use_location().pathname.get_untracked();
    view! {
        <Title text=locale.t("notfound.title")/>
        <h1>{locale.t("notfound.title")}</h1>
        <p>{locale.t_with("notfound.lead", &[("path", &path)])}</p>
        <p><a href=format!("/{}", locale.code())>{locale.t("notfound.home_link")}</a></p>
    }
}

/// A `<time>` element for a moment, in words and in UAE time (the day alone with `date_only`).
#[component]
pub fn When(at: chrono::DateTime<chrono::Utc>, #[prop(optional)] date_only: bool) -> impl IntoView {
    let locale = use_locale();
    let text = if date_only {
        crate::dates::date_text(locale, at)
    } else {
        crate::dates::when_text(locale, at)
    };
    view! { <time datetime=crate::dates::in_uae(at).to_rfc3339()>{text}</time> }
}
