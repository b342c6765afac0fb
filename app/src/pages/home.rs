//! The home page: what Sharek is, the opportunities open now (policy §8), and how a
//! participant's views are used (policy §6).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::opportunities::views::FeaturedOpportunities;
use crate::shell::use_locale;

/// The policy's principles of participation (MISSION.md §6), shown on the home page.
const PRINCIPLES: [&str; 4] = ["transparency", "respect", "sustained", "inclusion"];

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <Title text=String::new()/>
        <section class="hero" aria-labelledby="home-title">
            <h1 id="home-title">{t("home.title")}</h1>
            <p class="lead">{t("home.lead")}</p>
            <p><a class="button button-secondary" href=format!("/{}/feedback", locale.code())>{t("home.send_feedback")}</a></p>
        </section>
        <FeaturedOpportunities/>
        <crate::outcomes::views::LatestOutcomes/>
        <section aria-labelledby="principles-title">
            <h2 id="principles-title">{t("home.principles_title")}</h2>
            <ul class="cards">
                {PRINCIPLES.iter().map(|p| view! {
                    <li class="card">
                        <h3>{t(&format!("home.principle.{p}.title"))}</h3>
                        <p>{t(&format!("home.principle.{p}.body"))}</p>
                    </li>
                }).collect_view()}
            </ul>
            <p>
                <a href=format!("/{}/policy", locale.code())>{t("home.read_policy")}</a>
            </p>
        </section>
    }
}
