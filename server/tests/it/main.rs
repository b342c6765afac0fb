//! The server's integration tests, in one binary: one link of `server` for all of them instead
//! of one per file. A module per concern (folders split by what they check), and `support` for
//! the helpers they share. Checks that take a database run on SQLite and on PostgreSQL through
//! `server::on_both_backends!`.

mod accounts;
mod api;
mod cli;
mod consultations;
mod demo;
mod feedback;
mod http;
mod opportunities;
mod outbox;
mod outcomes;
mod participants;
mod reports;
mod responses;
mod results;
mod store;
mod support;
mod surveys;
