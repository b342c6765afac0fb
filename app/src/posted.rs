//! A posted HTML form's fields, in the order they came (a field may repeat, like checkboxes
//! and the rows of a table). Form handlers read them; the typed form contracts in the domains
//! (e.g. `surveys::editor::question_form`) parse them with the same field names their views
//! write.

/// The fields of a posted form, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// The first value of `name`, or "" when the form has none.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Whether a checkbox (or any field) was sent with a value.
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// Every field but the CSRF token, to show a form again as it was posted.
    pub fn pairs(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter().filter(|(k, _)| k != "csrf")
    }
}

impl FromIterator<(String, String)> for Fields {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        Self(pairs.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_order_and_repeats_and_hide_the_csrf_token() {
        let fields: Fields = [("csrf", "t"), ("c", "1"), ("a", "x"), ("c", "2")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(fields.get("c"), "1");
        assert_eq!(fields.all("c"), vec!["1", "2"]);
        assert_eq!(fields.get("missing"), "");
        assert!(fields.checked("a") && !fields.checked("b"));
        assert_eq!(fields.pairs().count(), 3);
    }
}
