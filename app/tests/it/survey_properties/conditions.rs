//! Show-if conditions combine as logic says, never panic, and do not hold of unanswered
//! questions.

use super::*;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn all_or_any_of_one_condition_is_that_condition(c in condition(), a in answers()) {
        let alone = c.holds(&a);
        prop_assert_eq!(Condition::All { conditions: vec![c.clone()] }.holds(&a), alone);
        prop_assert_eq!(Condition::Any { conditions: vec![c] }.holds(&a), alone);
    }

    #[test]
    fn all_is_a_conjunction_and_any_a_disjunction(c in condition(), d in condition(), a in answers()) {
        let (left, right) = (c.holds(&a), d.holds(&a));
        let both = vec![c, d];
        prop_assert_eq!(Condition::All { conditions: both.clone() }.holds(&a), left && right);
        prop_assert_eq!(Condition::Any { conditions: both }.holds(&a), left || right);
    }

    #[test]
    fn conditions_never_panic_on_any_answers(
        c in condition(),
        a in btree_map("\\PC{0,8}", answer(), 0..5),
    ) {
        let _ = c.holds(&a);
        prop_assert!(c.depth() >= 1);
        let atoms = c.questions();
        if !matches!(c, Condition::All { .. } | Condition::Any { .. }) {
            prop_assert_eq!(atoms.len(), 1);
        }
    }

    #[test]
    fn a_rule_about_an_unanswered_question_does_not_hold(c in atom(), a in answers()) {
        let question = c.questions()[0].to_owned();
        let mut a = a;
        a.remove(&question);
        prop_assert!(!c.holds(&a));
    }
}
