//! Loading what the rule engine needs (being written).
