//! The policy's stakeholder groups (MISSION §5): who a survey asks, who an opportunity is
//! for, how results are broken down. Shared by every domain.

use serde::{Deserialize, Serialize};

/// The policy's stakeholder groups (MISSION §5), asked by every survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StakeholderGroup {
    Citizen,
    Resident,
    GovernmentEntity,
    Ngo,
    PrivateCompany,
    Expert,
    Academic,
}

impl StakeholderGroup {
    pub const ALL: [StakeholderGroup; 7] = [
        StakeholderGroup::Citizen,
        StakeholderGroup::Resident,
        StakeholderGroup::GovernmentEntity,
        StakeholderGroup::Ngo,
        StakeholderGroup::PrivateCompany,
        StakeholderGroup::Expert,
        StakeholderGroup::Academic,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StakeholderGroup::Citizen => "citizen",
            StakeholderGroup::Resident => "resident",
            StakeholderGroup::GovernmentEntity => "government_entity",
            StakeholderGroup::Ngo => "ngo",
            StakeholderGroup::PrivateCompany => "private_company",
            StakeholderGroup::Expert => "expert",
            StakeholderGroup::Academic => "academic",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("groups.{}", self.code())
    }
}
