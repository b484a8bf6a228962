//! What the tests of the single-target readers (wrk, oha, k6) share.

use super::error::ParseError;
use super::model::{Group, Measurement, Parsed};
use super::storable::storable;
use super::tool::Tool;

/// The one measurement a single-target tool's file holds, with its group and the whole.
/// `read` is what the tool's reader made of the file, whose texts must be storable.
pub(super) fn single(tool: Tool, read: Result<Parsed, ParseError>) -> (Parsed, Group, Measurement) {
    let parsed = read.unwrap();
    assert_eq!(storable(&parsed), Ok(()));
    assert_eq!(parsed.tool, tool);
    assert_eq!(parsed.groups.len(), 1);
    let group = parsed.groups[0].clone();
    assert_eq!(group.measurements.len(), 1);
    let measurement = group.measurements[0].clone();
    (parsed, group, measurement)
}
