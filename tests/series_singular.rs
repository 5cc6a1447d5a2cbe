//! Removable singularities in Taylor expansions (issue 12 section 4).
