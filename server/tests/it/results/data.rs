//! Random responses for the recomputation checks: a tiny seeded random number generator
//! (xorshift64), random answers to every countable kind of question, and a response as the
//! recomputations read it.

use super::*;

pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub(super) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True `percent` times in a hundred.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A random, non-empty subset of `items`, in their order.
    pub(super) fn subset<T: Clone>(&mut self, items: &[T]) -> Vec<T> {
        loop {
            let chosen: Vec<T> = items.iter().filter(|_| self.chance(50)).cloned().collect();
            if !chosen.is_empty() {
                return chosen;
            }
        }
    }

    pub(super) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. The counts against a recomputation from the raw answers

pub(super) const GROUPS: [&str; 4] = ["citizen", "resident", "ngo", "expert"];
pub(super) const CHANNELS: [Channel; 4] = [
    Channel::Web,
    Channel::Mobile,
    Channel::Social,
    Channel::Partner,
];
pub(super) const TEXTS: [&str; 5] = [
    "الخدمة ممتازة",
    "slow; = . queue",
    "needs parking",
    "لا شيء",
    "a=b;c.d",
];

pub(super) fn first_day() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
        .single()
        .expect("a valid time")
}

/// Random answers to [`every_kind`]: most questions answered, some left out.
pub(super) fn random_answers(rng: &mut Rng) -> Answers {
    let mut a = Answers::new();
    if rng.chance(85) {
        let answer = if rng.chance(15) {
            Answer::Choice {
                key: "other".to_owned(),
                other: Some("بنفسجي".to_owned()),
            }
        } else {
            Answer::choice(rng.pick(&SINGLE).0)
        };
        a.insert("single".into(), answer);
    }
    if rng.chance(80) {
        let chosen = rng.subset(&MULTI.map(|(k, _)| k));
        a.insert("multi".into(), keys(&chosen));
    }
    if rng.chance(80) {
        // Skewed: d1 most often.
        let key = if rng.chance(50) {
            "d1"
        } else {
            rng.pick(&DROP).0
        };
        a.insert("drop".into(), Answer::choice(key));
    }
    if rng.chance(90) {
        let key = if rng.chance(60) { "yes" } else { "no" };
        a.insert("yn".into(), Answer::choice(key));
    }
    if rng.chance(85) {
        a.insert("rate".into(), Answer::Number((rng.below(5) + 1) as f64));
    }
    if rng.chance(80) {
        a.insert("nps".into(), Answer::Number(rng.below(11) as f64));
    }
    if rng.chance(75) {
        let rows: BTreeMap<String, String> = rng
            .subset(&ROWS.map(|(k, _)| k))
            .into_iter()
            .map(|row| (row.to_owned(), rng.pick(&SCALE).0.to_owned()))
            .collect();
        a.insert("grid".into(), Answer::Matrix(rows));
    }
    if rng.chance(70) {
        let mut order: Vec<String> = RANK.iter().map(|(k, _)| (*k).to_owned()).collect();
        rng.shuffle(&mut order);
        a.insert("rank".into(), Answer::Ranking(order));
    }
    if rng.chance(80) {
        let x = if rng.chance(10) {
            // Long decimals (sixteen or seventeen digits).
            rng.below(1000) as f64 / 7.0
        } else {
            (rng.below(20_001) as f64 - 5000.0) / 100.0
        };
        a.insert("num".into(), Answer::Number(x));
    }
    if rng.chance(60) {
        a.insert("note".into(), text(rng.pick::<&str>(&TEXTS)));
    }
    if rng.chance(70) {
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date")
            + Duration::days(rng.below(600) as i64);
        a.insert("when".into(), Answer::Date(day));
    }
    a
}

pub(super) fn random_submission(rng: &mut Rng, survey: Uuid) -> Submission {
    let at = first_day() + Duration::seconds(rng.below(10 * 24 * 3600) as i64);
    let duration = match rng.below(10) {
        0..=2 => None,
        3 => Some(rng.below(60) as i64),
        // A form left open for days, and a clock gone wrong: neither is counted.
        4 if rng.chance(30) => Some(100_000 + rng.below(1000) as i64),
        4 if rng.chance(30) => Some(-5),
        _ => Some(rng.below(5000) as i64),
    };
    submission(
        survey,
        rng.pick::<&str>(&GROUPS),
        *rng.pick(&CHANNELS),
        random_answers(rng),
        at,
        duration,
    )
}

/// A response as the recomputation reads it.
pub(super) struct Row {
    pub(super) group: String,
    pub(super) channel: String,
    pub(super) day: NaiveDate,
    pub(super) duration: Option<i64>,
    pub(super) answers: Answers,
}

impl Row {
    pub(super) fn choice(&self, q: &str) -> Option<&str> {
        match self.answers.get(q) {
            Some(Answer::Choice { key, .. }) => Some(key),
            _ => None,
        }
    }

    pub(super) fn chosen(&self, q: &str) -> Option<&[String]> {
        match self.answers.get(q) {
            Some(Answer::Choices { keys, .. }) => Some(keys),
            _ => None,
        }
    }

    pub(super) fn number(&self, q: &str) -> Option<f64> {
        match self.answers.get(q) {
            Some(Answer::Number(x)) => Some(*x),
            _ => None,
        }
    }

    /// Whether this response gave `value` to `q` (a choice key, one of several chosen, or a
    /// whole scale point).
    pub(super) fn gave(&self, q: &str, value: &str) -> bool {
        match self.answers.get(q) {
            Some(Answer::Choice { key, .. }) => key == value,
            Some(Answer::Choices { keys, .. }) => keys.iter().any(|k| k == value),
            Some(Answer::Number(x)) => value.parse::<f64>().ok() == Some(*x),
            _ => false,
        }
    }

    pub(super) fn matches(&self, filter: &Filter) -> bool {
        (filter.groups.is_empty() || filter.groups.contains(&self.group))
            && (filter.channels.is_empty() || filter.channels.contains(&self.channel))
            && filter.from.is_none_or(|from| self.day >= from)
            && filter.to.is_none_or(|to| self.day <= to)
            && match (&filter.question, &filter.value) {
                (Some(q), Some(v)) => self.gave(q, v),
                _ => true,
            }
    }
}

/// A survey's responses as the recomputations read them.
pub(super) async fn rows_of(db: &Db, survey: Uuid) -> Vec<Row> {
    raw_responses(db, survey)
        .await
        .into_iter()
        .map(|r| Row {
            group: r.group,
            channel: r.channel,
            day: app::dates::in_uae(r.submitted_at).date_naive(),
            duration: r.duration,
            answers: serde_json::from_str(&r.answers).expect("answers are JSON"),
        })
        .collect()
}
