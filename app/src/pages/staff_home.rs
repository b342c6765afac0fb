//! The staff area's home: what each role works on first (for those who read surveys, the
//! overview's figures; a responder's open feedback cases, due soonest; a moderator's figures),
//! then the cards of everything the visitor may reach.

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
    let reader = use_page_state()
        .user
        .is_some_and(|u| u.can(Permission::ReadSurveys));
    view! {
        <StaffDashboard>
            {reader.then(|| view! { <super::overview::StaffOverview/> })}
            {responder.then(|| view! { <MyOpenCases/> })}
            {moderator.then(|| view! { <crate::moderation::bans_views::ModerationFigures/> })}
        </StaffDashboard>
    }
}
