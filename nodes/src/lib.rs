//! Speech processing nodes.
