//! The staff area's home: what each role works on first (a responder's open feedback cases, due
//! soonest; a moderator's figures), then the cards of everything the visitor may reach.

use leptos::prelude::*;

use crate::accounts::Permission;
use crate::accounts::views::StaffDashboard;
use crate::feedback::staff_views::MyOpenCases;
use crate::page_state::use_page_state;

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let responder = use_page_state()
        .user
        .is_some_and(|u| u.can(Permission::HandleFeedback));
    let moderator = use_page_state()
        .user
        .is_some_and(|u| u.can(Permission::Moderate));
    view! {
        <StaffDashboard>
            {responder.then(|| view! { <MyOpenCases/> })}
            {moderator.then(|| view! { <crate::moderation::bans_views::ModerationFigures/> })}
        </StaffDashboard>
    }
}
