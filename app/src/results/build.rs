//! Assembles a results page's content from the store: the counts (or, under an answer filter,
//! the coded rows), the survey's definition, the author's targets, and the charts. Shared by
//! the staff dashboard, the public page, the SVG downloads and the results API.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::charts::{self, Bar};
use super::db::{self, CodedRow};
use super::rules::{RESPONSE, STARTED, Tally, decode, median, percent};
use super::summary::{self, figure};
use super::{Crosstab, Dimension, Filter, QuestionResult, Results, Shown, Summary};
use crate::Locale;
use crate::responses::Channel;
use crate::store::{Db, StoreError};
use crate::surveys::StakeholderGroup;
use crate::surveys::model::{Definition, Kind};

/// How results are shown: to staff, or to the public (small counts hidden).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Staff,
    Public,
}

/// The counts under a filter, with responses by group and channel: from the running counts,
/// or from the coded rows when the filter names an answer.
async fn counts(
    db: &Db,
    survey: Uuid,
    filter: &Filter,
) -> Result<(Tally, BTreeMap<String, i64>, BTreeMap<String, i64>), StoreError> {
    if filter.by_answer().is_some() {
        let mut tally = Tally::default();
        let mut groups = BTreeMap::new();
        let mut channels = BTreeMap::new();
        // The database passes only the rows holding the answer (`scan` filters by its token).
        db::scan(db, survey, filter, |row: &CodedRow| {
            tally.add_codes(&row.codes);
            *groups.entry(row.group.clone()).or_insert(0) += 1;
            *channels.entry(row.channel.clone()).or_insert(0) += 1;
        })
        .await?;
        return Ok((tally, groups, channels));
    }
    let tally = db::tally(db, survey, filter).await?;
    if filter.whole_days() {
        // Read from the totals, which keep responses by group and by channel.
        let by = |item: &str| tally.values(RESPONSE, item).map(|(k, c)| (k.to_owned(), c.n)).collect();
        let (groups, channels) = (by(db::GROUP), by(db::CHANNEL));
        return Ok((tally, groups, channels));
    }
    let by = |rows: Vec<(String, i64, i64)>| rows.into_iter().map(|(k, n, _)| (k, n)).collect();
    let groups = by(db::responses_by(db, survey, filter, Dimension::Group).await?);
    let channels = by(db::responses_by(db, survey, filter, Dimension::Channel).await?);
    Ok((tally, groups, channels))
}

/// Everything a results page shows for a survey under a filter.
pub async fn results(
    db: &Db,
    survey: Uuid,
    definition: &Definition,
    filter: &Filter,
    locale: Locale,
    audience: Audience,
) -> Result<Results, StoreError> {
    let public = audience == Audience::Public;
    let (tally, groups, channels) = counts(db, survey, filter).await?;
    let (is_public, targets) = db::settings(db, survey).await?;
    let responses = tally.n(RESPONSE, "", "");
    let started = tally.n(RESPONSE, STARTED, "");
    let durations: Vec<(f64, i64)> = tally
        .values(RESPONSE, super::rules::DURATION)
        .filter_map(|(v, c)| v.parse::<f64>().ok().map(|x| (x, c.n)))
        .collect();
    let questions = definition
        .questions()
        .map(|(_, q)| with_chart(summary::question(q, &tally, locale, public), locale))
        .collect();
    let channel_counts: Vec<i64> = Channel::ALL
        .iter()
        .map(|c| channels.get(c.code()).copied().unwrap_or(0))
        .collect();
    let shown_channels: Vec<Shown> = if public {
        super::rules::suppress(&channel_counts)
    } else {
        channel_counts.iter().copied().map(Some).collect()
    };
    let waves = db::tally_by_wave(db, survey).await?;
    let trends = if waves.len() > 1 {
        let labels: Vec<String> = waves.keys().map(|w| locale.t_with("results.wave_n", &[("n", &w.to_string())])).collect();
        summary::trends(definition, &waves, locale, public)
            .into_iter()
            .map(|mut trend| {
                trend.chart = charts::lines(&labels, &[(trend.measure.clone(), trend.values.clone())], None, locale);
                trend
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Results {
        survey,
        title: definition.title.get(locale).to_owned(),
        responses: (!public || responses >= super::rules::SMALL_CELL).then_some(responses),
        completion: (started > 0).then(|| percent(responses.min(started), started)),
        median_seconds: median(&durations),
        groups: summary::groups(&groups, &targets, locale, public),
        channels: Channel::ALL
            .iter()
            .zip(shown_channels)
            .map(|(c, n)| (c.code().to_owned(), locale.t(&c.label_key()), n))
            .filter(|(_, _, n)| *n != Some(0))
            .collect(),
        waves: waves.keys().copied().filter(|w| *w > 0).collect(),
        questions,
        trends,
        public: is_public,
    })
}

fn bar(label: &str, n: Shown, percent: Option<f64>) -> Bar {
    Bar {
        label: label.to_owned(),
        value: percent.unwrap_or(0.0),
        display: match (n, percent) {
            (Some(n), Some(p)) => format!("{}% ({n})", figure(p)),
            (Some(n), None) => n.to_string(),
            _ => "<5".to_owned(),
        },
    }
}

/// Draws a question's chart.
pub fn with_chart(mut result: QuestionResult, locale: Locale) -> QuestionResult {
    if result.answered.unwrap_or(0) == 0 {
        return result;
    }
    result.chart = match &result.summary {
        Summary::Choices { options, .. } => {
            let bars: Vec<Bar> = options.iter().map(|o| bar(&o.label, o.n, o.percent)).collect();
            charts::bars(&bars, Some(100.0), locale)
        }
        Summary::Scale { points, .. } | Summary::Numeric { bins: points, .. } => {
            let bars: Vec<Bar> = points.iter().map(|o| bar(&o.label, o.n, o.percent)).collect();
            charts::bars(&bars, Some(100.0), locale)
        }
        Summary::Matrix { scale, rows } => {
            let rows: Vec<(String, Vec<f64>)> = rows
                .iter()
                .map(|(label, counts)| (label.clone(), counts.iter().map(|n| n.unwrap_or(0) as f64).collect()))
                .collect();
            charts::stacked(&rows, scale, locale)
        }
        Summary::Ranking { items } => {
            let bars: Vec<Bar> = items
                .iter()
                .map(|(label, mean)| Bar {
                    label: label.clone(),
                    value: mean.unwrap_or(0.0),
                    display: mean.map(figure).unwrap_or_else(|| "<5".to_owned()),
                })
                .collect();
            charts::bars(&bars, Some(items.len() as f64), locale)
        }
        Summary::Text { .. } => String::new(),
    };
    result
}

/// What a crosstab axis counts: a question's answers, or a dimension of the response.
#[derive(Debug, Clone, PartialEq)]
pub enum Axis {
    Question(String),
    Dimension(Dimension),
}

impl Axis {
    /// Reads `group`, `channel`, `wave` or a question key.
    pub fn parse(text: &str, definition: &Definition) -> Option<Axis> {
        match text {
            "group" => Some(Axis::Dimension(Dimension::Group)),
            "channel" => Some(Axis::Dimension(Dimension::Channel)),
            "wave" => Some(Axis::Dimension(Dimension::Wave)),
            key => definition
                .question(key)
                .filter(|q| crosstab_question(&q.kind))
                .map(|q| Axis::Question(q.key.clone())),
        }
    }

    /// The axis as the database counts it.
    fn column(&self, definition: &Definition) -> db::Column {
        match self {
            Axis::Dimension(d) => db::Column::Dimension(*d),
            Axis::Question(key) => match definition.question(key).map(|q| &q.kind) {
                Some(kind @ Kind::MultipleChoice { .. }) => db::Column::Multi(
                    key.clone(),
                    kind.answer_keys().into_iter().map(str::to_owned).collect(),
                ),
                _ => db::Column::Single(key.clone()),
            },
        }
    }

    fn values(&self, row: &CodedRow, out: &mut Vec<String>) {
        out.clear();
        match self {
            Axis::Dimension(Dimension::Group) => out.push(row.group.clone()),
            Axis::Dimension(Dimension::Channel) => out.push(row.channel.clone()),
            Axis::Dimension(Dimension::Wave) => out.push(row.wave.to_string()),
            Axis::Dimension(Dimension::Day) => out.push(row.day.clone()),
            Axis::Question(key) => out.extend(
                decode(&row.codes)
                    .filter(|(q, item, v)| q == key && item.is_empty() && !v.is_empty())
                    .map(|(_, _, v)| v.to_owned()),
            ),
        }
    }

    /// The axis' values in order, with labels.
    fn labels(&self, definition: &Definition, seen: &BTreeMap<String, ()>, locale: Locale) -> Vec<(String, String)> {
        match self {
            Axis::Dimension(Dimension::Group) => StakeholderGroup::ALL
                .iter()
                .map(|g| (g.code().to_owned(), locale.t(&g.label_key())))
                .collect(),
            Axis::Dimension(Dimension::Channel) => Channel::ALL
                .iter()
                .map(|c| (c.code().to_owned(), locale.t(&c.label_key())))
                .collect(),
            Axis::Dimension(_) => seen
                .keys()
                .map(|w| (w.clone(), locale.t_with("results.wave_n", &[("n", w)])))
                .collect(),
            Axis::Question(key) => match definition.question(key).map(|q| &q.kind) {
                Some(Kind::YesNo) => vec![
                    ("yes".to_owned(), locale.t("render.answer_yes")),
                    ("no".to_owned(), locale.t("render.answer_no")),
                ],
                Some(Kind::Rating { min, max, .. }) => (*min..=*max).map(|p| (p.to_string(), p.to_string())).collect(),
                Some(Kind::Nps) => (0..=10).map(|p| (p.to_string(), p.to_string())).collect(),
                Some(kind) => {
                    let mut keys: Vec<(String, String)> = kind
                        .choices()
                        .unwrap_or_default()
                        .iter()
                        .map(|c| (c.key.clone(), c.label.get(locale).to_owned()))
                        .collect();
                    if kind.has_other() {
                        keys.push((crate::surveys::model::OTHER.to_owned(), locale.t("results.other")));
                    }
                    keys
                }
                None => Vec::new(),
            },
        }
    }

    fn title(&self, definition: &Definition, locale: Locale) -> String {
        match self {
            Axis::Dimension(Dimension::Group) => locale.t("results.group"),
            Axis::Dimension(Dimension::Channel) => locale.t("results.channel"),
            Axis::Dimension(_) => locale.t("results.wave"),
            Axis::Question(key) => definition.question(key).map(|q| q.text.get(locale).to_owned()).unwrap_or_default(),
        }
    }
}

/// Whether a question can be a crosstab axis or an answer filter: one whose answers are
/// choices or scale points.
pub fn crosstab_question(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::SingleChoice { .. }
            | Kind::MultipleChoice { .. }
            | Kind::Dropdown { .. }
            | Kind::YesNo
            | Kind::Rating { .. }
            | Kind::Nps
    )
}

/// Counts responses by the values of two axes under a filter, reading the coded rows once. A
/// multiple-choice answer counts once under each key chosen.
pub async fn crosstab(
    db: &Db,
    survey: Uuid,
    definition: &Definition,
    filter: &Filter,
    rows: &Axis,
    columns: &Axis,
    locale: Locale,
) -> Result<Crosstab, StoreError> {
    let mut cells: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut seen_rows = BTreeMap::new();
    let mut seen_columns = BTreeMap::new();
    let counted = db::cross_counts(db, survey, filter, &rows.column(definition), &columns.column(definition)).await?;
    if let Some(counted) = counted {
        // The database counted by itself.
        for (x, y, n) in counted {
            if x.is_empty() || y.is_empty() {
                continue;
            }
            seen_rows.insert(x.clone(), ());
            seen_columns.insert(y.clone(), ());
            *cells.entry((x, y)).or_insert(0) += n;
        }
    } else {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        db::scan(db, survey, filter, |row| {
            rows.values(row, &mut a);
            columns.values(row, &mut b);
            for x in &a {
                for y in &b {
                    *cells.entry((x.clone(), y.clone())).or_insert(0) += 1;
                    seen_rows.insert(x.clone(), ());
                    seen_columns.insert(y.clone(), ());
                }
            }
        })
        .await?;
    }
    let row_labels = rows.labels(definition, &seen_rows, locale);
    let column_labels = columns.labels(definition, &seen_columns, locale);
    Ok(Crosstab {
        row_title: rows.title(definition, locale),
        column_title: columns.title(definition, locale),
        columns: column_labels.iter().map(|(_, l)| l.clone()).collect(),
        rows: row_labels
            .iter()
            .map(|(key, label)| {
                let counts: Vec<i64> = column_labels
                    .iter()
                    .map(|(c, _)| cells.get(&(key.clone(), c.clone())).copied().unwrap_or(0))
                    .collect();
                let total = counts.iter().sum();
                (label.clone(), counts, total)
            })
            .collect(),
    })
}
